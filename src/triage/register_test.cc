// The triage register: records across releases (opened, carried, re-opened, not found), decisions
// and their checks, the risk decision and deadlines, metrics, and append-only history.
#include "vigil/triage/register.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <span>

#include "vigil/core/fault_env.h"
#include "vigil/storage/database.h"
#include "vigil/storage/postgres_server.h"
#include "vigil/triage/advisory.h"
#include "vigil/triage/views.h"

namespace vigil::triage {
namespace {

constexpr int64_t kDay = int64_t{86400} * 1000000;
constexpr int64_t kJan1 = int64_t{1767225600} * 1000000;  // 2026-01-01T00:00:00Z

constexpr std::string_view kPolicy = R"(policy: test policy
exploitability: {low: 0.0, high: 7.0}
matrix:
  low:  {negligible: controlled, minor: controlled, serious: controlled, critical: uncontrolled, catastrophic: uncontrolled}
  high: {negligible: controlled, minor: uncontrolled, serious: uncontrolled, critical: uncontrolled, catastrophic: uncontrolled}
deadlines:
  uncontrolled: {notify: 30, fix: 60}
)";

vuln::Finding MakeFinding(std::string id, std::string name, std::string version, double score) {
  vuln::Finding f;
  f.advisory_id = std::move(id);
  f.component_name = name;
  f.component_version = version;
  f.component_purl = "pkg:generic/" + name + "@" + version + "?arch=arm";
  f.cvss_score = score;
  f.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
  f.match_reason = "test";
  return f;
}

RegisterOptions Options(const std::filesystem::path& path, bool create, bool read_only) {
  RegisterOptions o;
  o.path = path.string();
  o.create = create;
  o.read_only = read_only;
  return o;
}

enum class Engine { kSqlite, kPostgres };

// Every test runs on a register file and on a register in a fresh database of the test
// binary's private PostgreSQL server.
class RegisterTest : public ::testing::TestWithParam<Engine> {
 protected:
  RegisterTest() {
    dir_ = std::filesystem::temp_directory_path() /
           ("triage-" + std::to_string(getpid()) + "-" + std::to_string(++instance_));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    env_.SetUnixMicros(kJan1);
  }
  ~RegisterTest() override { std::filesystem::remove_all(dir_); }

  void SetUp() override {
    if (GetParam() != Engine::kPostgres) return;
    auto server = storage::testing::PostgresServer::Shared();
    ASSERT_TRUE(server) << server.error().ToString();
    server_ = *server;
    auto url = server_->CreateDatabase();
    ASSERT_TRUE(url) << url.error().ToString();
    url_ = *url;
  }

  // The register's options on this engine: `file` names the SQLite file; on PostgreSQL the
  // test's database, or a second fresh one for another file name.
  RegisterOptions At(std::string_view file, bool create, bool read_only) {
    RegisterOptions o = Options(dir_ / file, create, read_only);
    if (GetParam() == Engine::kPostgres) {
      o.postgres_url = url_;
      if (file != "register.sqlite") {
        auto other = server_->CreateDatabase();
        EXPECT_TRUE(other) << other.error().ToString();
        if (other) o.postgres_url = *other;
      }
    }
    return o;
  }

  // `schema_version`: an older register's (RegisterOptions::schema_version), 0 the current.
  Register Open(int64_t schema_version = 0) {
    RegisterOptions o = At("register.sqlite", true, false);
    o.schema_version = schema_version;
    auto r = Register::Open(o, env_);
    EXPECT_TRUE(r) << r.error().ToString();
    return std::move(*r);
  }

  // The register's database itself, through the storage layer.
  Result<storage::Database> OpenRaw() {
    if (GetParam() == Engine::kPostgres) {
      storage::PostgresOptions o;
      o.url = url_;
      return storage::Database::OpenPostgres(o);
    }
    storage::SqliteOptions raw;
    raw.path = (dir_ / "register.sqlite").string();
    return storage::Database::OpenSqlite(raw);
  }

  static inline int instance_ = 0;
  std::filesystem::path dir_;
  FaultInjectingEnv env_;
  storage::testing::PostgresServer* server_ = nullptr;
  std::string url_;
};

// A register of schema version 3 as version 2 left it: no carries, every sighting explicit.
Status DowngradeToVersion2(storage::Database& db) {
  const bool pg = db.dialect() == storage::Dialect::kPostgres;
  VIGIL_RETURN_IF_ERROR(db.Exec(
      "DROP TABLE triage_carries; ALTER TABLE triage_sightings DROP COLUMN present;"
      " ALTER TABLE triage_records DROP COLUMN absent_from;"));
  return db.Exec(pg ? "UPDATE vigil_schema_version SET version = 2" : "PRAGMA user_version = 2");
}

std::string EngineName(const ::testing::TestParamInfo<Engine>& engine) {
  return engine.param == Engine::kSqlite ? "Sqlite" : "Postgres";
}

INSTANTIATE_TEST_SUITE_P(Engines, RegisterTest,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres), EngineName);

Decision Decide(TriageStatus s, std::string reason) {
  Decision d;
  d.status = s;
  d.reason = std::move(reason);
  d.actor = "psirt@maker.example";
  return d;
}

TEST_P(RegisterTest, KeysAreTheCveAndTheVersionlessPurl) {
  vuln::Finding f = MakeFinding("GO-2022-0001", "wolfssl", "4.8.1", 9.8);
  f.aliases = {"GHSA-xxxx", "CVE-2022-1234"};
  EXPECT_EQ(Register::VulnerabilityOf(f), "CVE-2022-1234");
  EXPECT_EQ(Register::ComponentOf(f), "pkg:generic/wolfssl");
  f.component_purl = "pkg:golang/github.com/a/b@v1.2.3#sub";
  EXPECT_EQ(Register::ComponentOf(f), "pkg:golang/github.com/a/b");
  f.component_purl.clear();
  EXPECT_EQ(Register::ComponentOf(f), "wolfssl");
}

// What fleet exposure asks the register: the records of one vulnerability across products, the
// releases each was seen in, and the risk before a fix closed it.
TEST_P(RegisterTest, RecordsOfOneVulnerabilityAndTheReleasesTheyWereSeenIn) {
  Register reg = Open();
  ASSERT_TRUE(reg.Observe(
      "pump", "1.0",
      std::vector<vuln::Finding>{MakeFinding("CVE-2024-0001", "wolfssl", "4.8.1", 9.8),
                                 MakeFinding("CVE-2024-0003", "busybox", "1.35.0", 7.5)}));
  ASSERT_TRUE(reg.Observe(
      "pump", "1.1",
      std::vector<vuln::Finding>{MakeFinding("CVE-2024-0001", "wolfssl", "5.0.0", 9.8)}));
  ASSERT_TRUE(reg.Observe(
      "monitor", "3.2",
      std::vector<vuln::Finding>{MakeFinding("CVE-2024-0001", "wolfssl", "4.8.1", 9.8)}));
  ListFilter f;
  f.vulnerability = "CVE-2024-0001";
  auto wolf = reg.List(f);
  ASSERT_TRUE(wolf) << wolf.error().ToString();
  ASSERT_EQ(wolf->size(), 2u);
  EXPECT_EQ((*wolf)[0].key.product, "monitor");
  EXPECT_EQ((*wolf)[1].key.product, "pump");
  auto seen = reg.SightedIn((*wolf)[1].key);
  ASSERT_TRUE(seen);
  EXPECT_EQ(*seen, (std::vector<std::string>{"1.0", "1.1"}));
  auto busybox = reg.Find({"pump", "CVE-2024-0003", "pkg:generic/busybox"});
  ASSERT_TRUE(busybox && *busybox);
  EXPECT_EQ((*busybox)->current.decision.status, TriageStatus::kFixed);
  EXPECT_TRUE((*busybox)->risk.controlled);               // the product no longer carries it
  EXPECT_FALSE((*busybox)->unmitigated_risk.controlled);  // release 1.0 still does
  auto unknown = reg.SightedIn({"pump", "CVE-1999-0001", "pkg:generic/wolfssl"});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code(), ErrorCode::kNotFound);
  f.vulnerability = "CVE-1999-0001";
  auto none = reg.List(f);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST_P(RegisterTest, DecisionsCarryToTheNextReleaseAndReopenOnAVersionChange) {
  Register reg = Open();
  std::vector<vuln::Finding> r1 = {MakeFinding("CVE-2024-0001", "wolfssl", "4.8.1", 9.8),
                                   MakeFinding("CVE-2024-0002", "zlib", "1.2.11", 5.0),
                                   MakeFinding("CVE-2024-0003", "busybox", "1.35.0", 7.5)};
  auto s1 = reg.Observe("pump", "1.0", r1);
  ASSERT_TRUE(s1) << s1.error().ToString();
  EXPECT_EQ(s1->opened, 3u);
  RecordKey wolf{"pump", "CVE-2024-0001", "pkg:generic/wolfssl"};
  RecordKey zlib{"pump", "CVE-2024-0002", "pkg:generic/zlib"};
  RecordKey busybox{"pump", "CVE-2024-0003", "pkg:generic/busybox"};
  Decision na = Decide(TriageStatus::kNotAffected, "inflate is never called on untrusted input");
  na.justification = "code_not_reachable";  // CycloneDX's label, stored as CSAF's
  auto set = reg.Set(zlib, "", na);
  ASSERT_TRUE(set) << set.error().ToString();
  EXPECT_EQ(set->current.decision.justification, "vulnerable_code_not_in_execute_path");
  Decision aff = Decide(TriageStatus::kAffected, "TLS server reachable from the hospital LAN");
  aff.action = "update wolfSSL to 5.7.2 in release 1.1";
  ASSERT_TRUE(reg.Set(wolf, "", aff));

  // Release 1.1: wolfSSL updated (still matched), zlib unchanged, busybox gone.
  env_.AdvanceClock(10 * kDay);
  std::vector<vuln::Finding> r2 = {MakeFinding("CVE-2024-0001", "wolfssl", "5.0.0", 9.8),
                                   MakeFinding("CVE-2024-0002", "zlib", "1.2.11", 5.0)};
  auto s2 = reg.Observe("pump", "1.1", r2);
  ASSERT_TRUE(s2) << s2.error().ToString();
  EXPECT_EQ(s2->carried, 1u);
  EXPECT_EQ(s2->reopened, 1u);
  EXPECT_EQ(s2->not_found, 1u);

  auto z = reg.Find(zlib);
  ASSERT_TRUE(z && *z);
  EXPECT_EQ((*z)->current.decision.status, TriageStatus::kNotAffected);
  EXPECT_EQ((*z)->current.origin, "carried");
  EXPECT_EQ((*z)->current.release, "1.1");
  auto w = reg.Find(wolf);
  ASSERT_TRUE(w && *w);
  EXPECT_EQ((*w)->current.decision.status, TriageStatus::kInTriage);
  EXPECT_EQ((*w)->current.origin, "re-opened");
  EXPECT_NE((*w)->current.decision.reason.find("changed from 4.8.1 (release 1.0) to 5.0.0"),
            std::string::npos)
      << (*w)->current.decision.reason;
  auto b = reg.Find(busybox);
  ASSERT_TRUE(b && *b);
  EXPECT_EQ((*b)->current.decision.status, TriageStatus::kFixed);
  EXPECT_EQ((*b)->current.decision.fixed_in, "1.1");
  EXPECT_EQ((*b)->current.origin, "not found");

  // Scanning 1.1 again changes nothing; history keeps every step.
  auto s3 = reg.Observe("pump", "1.1", r2);
  ASSERT_TRUE(s3);
  EXPECT_EQ(s3->unchanged, 2u);
  EXPECT_EQ(s3->not_found, 0u);
  auto h = reg.History(wolf);
  ASSERT_TRUE(h);
  ASSERT_EQ(h->size(), 3u);
  EXPECT_EQ((*h)[0].origin, "opened");
  EXPECT_EQ((*h)[1].decision.status, TriageStatus::kAffected);
  EXPECT_EQ((*h)[1].decision.actor, "psirt@maker.example");
  EXPECT_EQ((*h)[2].origin, "re-opened");
  EXPECT_EQ((*h)[0].at, "2026-01-01T00:00:00Z");
  EXPECT_EQ((*h)[2].at, "2026-01-11T00:00:00Z");

  auto listed = reg.List({.product = "pump",
                          .release = "1.1",
                          .status = {},
                          .overdue_only = false,
                          .as_of = {},
                          .vulnerability = {}});
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->size(), 2u);  // busybox was not seen in 1.1
}

// The newest release's filing reads the product's records narrowly (observe.cc, kKnownSelect):
// the advisory's facts as one key, the current event without time, reason and actor. Changed
// facts still reach the record on either path (carried by the carry row, carried explicitly to
// another version), equal ones are left alone, and a record the filing keeps as it is comes
// back whole.
TEST_P(RegisterTest, TheNextReleaseComparesTheStoredFactsWhole) {
  Register reg = Open();
  std::vector<vuln::Finding> r1 = {MakeFinding("CVE-2024-0001", "wolfssl", "4.8.1", 9.8),
                                   MakeFinding("CVE-2024-0002", "zlib", "1.2.11", 5.0),
                                   MakeFinding("CVE-2024-0003", "busybox", "1.35.0", 7.5),
                                   MakeFinding("CVE-2024-0004", "expat", "2.5.0", 6.5)};
  r1[0].summary = "heap overflow";
  r1[3].epss_score = 0.25;
  ASSERT_TRUE(reg.Observe("pump", "1.0", r1));
  env_.AdvanceClock(kDay);
  std::vector<vuln::Finding> r2 = r1;
  r2[0].summary = "heap overflow in the TLS 1.3 handshake";  // carried by the carry row
  r2[1].cvss_score = 5.5;
  r2[1].epss_score = 0.01;
  r2[2].component_version = "1.36.0";  // carried explicitly to another version
  r2[2].component_purl = "pkg:generic/busybox@1.36.0?arch=arm";
  r2[2].kev = true;
  auto s2 = reg.Observe("pump", "1.1", r2);
  ASSERT_TRUE(s2) << s2.error().ToString();
  EXPECT_EQ(s2->carried, 4u);
  auto find = [&](std::string_view cve, std::string_view name) {
    auto r = reg.Find({"pump", std::string(cve), "pkg:generic/" + std::string(name)});
    EXPECT_TRUE(r && *r);
    return r && *r ? **r : Record{};
  };
  EXPECT_EQ(find("CVE-2024-0001", "wolfssl").facts.summary,
            "heap overflow in the TLS 1.3 handshake");
  const Record zlib = find("CVE-2024-0002", "zlib");
  EXPECT_EQ(zlib.facts.cvss_score, 5.5);
  EXPECT_EQ(zlib.facts.epss, 0.01);
  const Record busybox = find("CVE-2024-0003", "busybox");
  EXPECT_TRUE(busybox.facts.kev);
  EXPECT_EQ(busybox.component_version, "1.36.0");
  const Record expat = find("CVE-2024-0004", "expat");
  EXPECT_EQ(expat.facts.epss, 0.25);
  EXPECT_EQ(expat.facts.cvss_score, 6.5);
  EXPECT_EQ(expat.current.origin, "carried");

  // Release 1.1 filed again: nothing changes, and each record comes back whole.
  auto filing = reg.BeginFiling("pump", "1.1");
  ASSERT_TRUE(filing) << filing.error().ToString();
  auto again = (*filing)->File(r2);
  ASSERT_TRUE(again) << again.error().ToString();
  ASSERT_EQ(again->size(), 4u);
  for (const auto& r : *again) {
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->current.decision.reason.empty()) << r->key.vulnerability;
    EXPECT_EQ(r->current.decision.actor, "vigil scan") << r->key.vulnerability;
    EXPECT_EQ(r->current.at, "2026-01-02T00:00:00Z") << r->key.vulnerability;
  }
  EXPECT_EQ((*again)[0]->facts.summary, "heap overflow in the TLS 1.3 handshake");
  EXPECT_EQ((*again)[3]->facts.epss, 0.25);
  auto s3 = (*filing)->Commit();
  ASSERT_TRUE(s3) << s3.error().ToString();
  EXPECT_EQ(s3->unchanged, 4u);
  EXPECT_EQ(find("CVE-2024-0002", "zlib").facts.cvss_score, 5.5);
}

// A release of one product filed beside another product's records (a filing then reads its
// product's records through the key index; alone, in table order: observe.cc LoadAll) sees only
// its own: the other product's records are neither carried nor marked not found.
TEST_P(RegisterTest, AReleaseBesideAnotherProductFilesOnlyItsOwnRecords) {
  Register reg = Open();
  const auto wolf = MakeFinding("CVE-2024-0001", "wolfssl", "4.8.1", 9.8);
  const auto busybox = MakeFinding("CVE-2024-0003", "busybox", "1.35.0", 7.5);
  const auto zlib = MakeFinding("CVE-2024-0002", "zlib", "1.2.13", 5.5);
  ASSERT_TRUE(reg.Observe("pump", "1.0", std::vector<vuln::Finding>{wolf, busybox}));
  auto monitor = reg.Observe("monitor", "3.2", std::vector<vuln::Finding>{wolf, zlib});
  ASSERT_TRUE(monitor) << monitor.error().ToString();
  EXPECT_EQ(monitor->opened, 2u);
  env_.AdvanceClock(kDay);
  auto pump = reg.Observe("pump", "1.1", std::vector<vuln::Finding>{wolf});
  ASSERT_TRUE(pump) << pump.error().ToString();
  EXPECT_EQ(pump->carried, 1u);
  EXPECT_EQ(pump->not_found, 1u);
  auto status = [&](std::string_view product, std::string_view id, std::string_view name) {
    auto r = reg.Find({std::string(product), std::string(id), "pkg:generic/" + std::string(name)});
    EXPECT_TRUE(r && *r) << product << " " << id;
    return r && *r ? (*r)->current.decision.status : TriageStatus::kAffected;
  };
  EXPECT_EQ(status("pump", "CVE-2024-0003", "busybox"), TriageStatus::kFixed);
  EXPECT_EQ(status("monitor", "CVE-2024-0002", "zlib"), TriageStatus::kInTriage);
  EXPECT_EQ(status("monitor", "CVE-2024-0001", "wolfssl"), TriageStatus::kInTriage);
  auto next = reg.Observe("monitor", "3.3", std::vector<vuln::Finding>{wolf});
  ASSERT_TRUE(next) << next.error().ToString();
  EXPECT_EQ(next->carried, 1u);
  EXPECT_EQ(next->not_found, 1u);
  EXPECT_EQ(status("monitor", "CVE-2024-0002", "zlib"), TriageStatus::kFixed);
  EXPECT_EQ(status("pump", "CVE-2024-0001", "wolfssl"), TriageStatus::kInTriage);
  auto seen = reg.SightedIn({"pump", "CVE-2024-0001", "pkg:generic/wolfssl"});
  ASSERT_TRUE(seen);
  EXPECT_EQ(*seen, (std::vector<std::string>{"1.0", "1.1"}));
}

// FileViews gives the filing's own records, without copies: the same records File gives (a
// twin register filed the same way), assessed, nullptr for an unassessed finding, the same
// record twice for a second advisory of one vulnerability.
TEST_P(RegisterTest, FileViewsGivesTheRecordsFileGives) {
  Register reg = Open();
  auto twin_or = Register::Open(At("twin.sqlite", true, false), env_);
  ASSERT_TRUE(twin_or) << twin_or.error().ToString();
  Register& twin = *twin_or;
  ASSERT_TRUE(reg.SetPolicy(kPolicy, "policy.yaml", "qa"));
  ASSERT_TRUE(twin.SetPolicy(kPolicy, "policy.yaml", "qa"));
  std::vector<vuln::Finding> r1;
  for (int i = 0; i < 40; ++i) {
    r1.push_back(MakeFinding("CVE-2024-" + std::to_string(2000 + i), "lib" + std::to_string(i % 7),
                             "1.0", 2.0 + i % 8));
  }
  r1[5].unassessed = true;
  r1.push_back(r1[3]);  // a second advisory of CVE-2024-2003 in lib3
  r1.back().advisory_id = "GHSA-aaaa-bbbb-cccc";
  r1.back().aliases = {"CVE-2024-2003"};
  for (const char* release : {"1.0", "1.1"}) {
    auto views_filing = reg.BeginFiling("pump", release);
    auto copies_filing = twin.BeginFiling("pump", release);
    ASSERT_TRUE(views_filing && copies_filing);
    auto views = (*views_filing)->FileViews(r1);
    auto copies = (*copies_filing)->File(r1);
    ASSERT_TRUE(views) << views.error().ToString();
    ASSERT_TRUE(copies) << copies.error().ToString();
    ASSERT_EQ(views->size(), r1.size());
    ASSERT_EQ(copies->size(), r1.size());
    for (size_t i = 0; i < r1.size(); ++i) {
      const Record* v = (*views)[i];
      const std::optional<Record>& c = (*copies)[i];
      ASSERT_EQ(v == nullptr, !c.has_value()) << release << " " << i;
      if (v == nullptr) continue;
      EXPECT_EQ(RecordJson(*v), RecordJson(*c)) << release << " " << i;
      EXPECT_EQ(v->current.origin, std::string(release) == "1.0" ? "opened" : "carried");
      EXPECT_FALSE(v->risk.cell.empty()) << i;
      EXPECT_EQ(v->deadlines.size(), c->deadlines.size()) << i;
    }
    EXPECT_EQ((*views)[5], nullptr);
    EXPECT_EQ((*views)[3], (*views)[40]);
    ASSERT_TRUE((*views_filing)->Commit());
    ASSERT_TRUE((*copies_filing)->Commit());
    // Left to the process's end, the records outlive their Filing unchanged (ASan would report
    // a read of freed ones).
    (*views_filing)->LeaveRecordsToExit();
    views_filing->reset();
    for (size_t i = 0; i < r1.size(); ++i) {
      if ((*views)[i] != nullptr) {
        EXPECT_EQ(RecordJson(*(*views)[i]), RecordJson(*(*copies)[i])) << release << " " << i;
      }
    }
    env_.AdvanceClock(kDay);
  }
}

// Filing writes new rows 32 to an INSERT and the rest at the commit (observe.cc, Flush): every
// record, event and sighting arrives whatever the batch it came in, on both engines.
TEST_P(RegisterTest, ManyFindingsAreFiledWholeAcrossBatches) {
  Register reg = Open();
  std::vector<vuln::Finding> r1;
  for (int i = 0; i < 75; ++i) {
    r1.push_back(MakeFinding("CVE-2024-" + std::to_string(1000 + i), "lib" + std::to_string(i),
                             "1.0", 5.0 + i % 5));
  }
  auto filing = reg.BeginFiling("pump", "1.0");
  ASSERT_TRUE(filing) << filing.error().ToString();
  for (auto [from, to] : {std::pair{0, 40}, std::pair{40, 45}, std::pair{45, 75}}) {
    auto filed = (*filing)->File(std::span(r1).subspan(from, to - from));
    ASSERT_TRUE(filed) << filed.error().ToString();
    ASSERT_EQ(filed->size(), static_cast<size_t>(to - from));
    EXPECT_EQ((*filed)[0]->key.vulnerability, r1[from].advisory_id);
  }
  // The same finding again in this filing adds nothing.
  ASSERT_TRUE((*filing)->File(std::span(r1).subspan(3, 1)));
  auto s1 = (*filing)->Commit();
  ASSERT_TRUE(s1) << s1.error().ToString();
  EXPECT_EQ(s1->opened, 75u);
  // Release 1.1: lib0 updated (still in triage: carried), lib70..74 gone (not found).
  std::vector<vuln::Finding> r2(r1.begin(), r1.begin() + 70);
  r2[0] = MakeFinding("CVE-2024-1000", "lib0", "2.0", 5.0);
  env_.AdvanceClock(kDay);
  auto s2 = reg.Observe("pump", "1.1", r2);
  ASSERT_TRUE(s2) << s2.error().ToString();
  EXPECT_EQ(s2->carried, 70u);
  EXPECT_EQ(s2->not_found, 5u);
  for (int i : {0, 31, 32, 44, 69, 74}) {
    RecordKey key{"pump", r1[i].advisory_id, "pkg:generic/lib" + std::to_string(i)};
    auto r = reg.Find(key);
    ASSERT_TRUE(r && *r) << i;
    EXPECT_EQ((*r)->facts.cvss_score, 5.0 + i % 5) << i;
    auto h = reg.History(key);
    ASSERT_TRUE(h) << i;
    ASSERT_EQ(h->size(), 2u) << i;
    EXPECT_EQ((*h)[0].origin, "opened") << i;
    EXPECT_EQ((*h)[1].origin, i >= 70 ? "not found" : "carried") << i;
    EXPECT_EQ((*r)->current.seq, (*h)[1].seq) << i;
    auto seen = reg.SightedIn(key);
    ASSERT_TRUE(seen) << i;
    const std::vector<std::string> releases =
        i >= 70 ? std::vector<std::string>{"1.0"} : std::vector<std::string>{"1.0", "1.1"};
    EXPECT_EQ(*seen, releases) << i;
  }
  EXPECT_EQ((*reg.Find({"pump", "CVE-2024-1000", "pkg:generic/lib0"}))->component_version, "2.0");
}

// An earlier release filed again reads only the records its findings name (observe.cc): a record
// it saw is unchanged, one a later release opened is carried into it, a new one is opened, and
// nothing is marked not found (only the newest release decides that).
TEST_P(RegisterTest, AnEarlierReleaseFiledAgainFindsTheRecordsItNames) {
  Register reg = Open();
  const vuln::Finding wolf = MakeFinding("CVE-2024-0001", "wolfssl", "4.8.1", 9.8);
  const vuln::Finding curl = MakeFinding("CVE-2024-0010", "curl", "8.0.0", 7.5);
  const vuln::Finding ssl = MakeFinding("CVE-2024-0011", "openssl", "3.0.0", 7.5);
  ASSERT_TRUE(reg.Observe("pump", "1.0", std::vector<vuln::Finding>{wolf}));
  ASSERT_TRUE(reg.Observe("pump", "1.1", std::vector<vuln::Finding>{wolf, curl}));
  auto again = reg.Observe("pump", "1.0", std::vector<vuln::Finding>{wolf, curl, ssl});
  ASSERT_TRUE(again) << again.error().ToString();
  EXPECT_EQ(again->unchanged, 1u);
  EXPECT_EQ(again->carried, 1u);
  EXPECT_EQ(again->opened, 1u);
  EXPECT_EQ(again->reopened, 0u);
  EXPECT_EQ(again->not_found, 0u);
  auto c = reg.Find({"pump", "CVE-2024-0010", "pkg:generic/curl"});
  ASSERT_TRUE(c && *c);
  EXPECT_EQ((*c)->current.origin, "carried");
  auto seen = reg.SightedIn({"pump", "CVE-2024-0010", "pkg:generic/curl"});
  ASSERT_TRUE(seen);
  EXPECT_EQ(*seen, (std::vector<std::string>{"1.0", "1.1"}));
  // The same filing again: everything is now seen in 1.0.
  again = reg.Observe("pump", "1.0", std::vector<vuln::Finding>{wolf, curl, ssl});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->unchanged, 3u);
  EXPECT_EQ(again->opened + again->carried + again->reopened + again->not_found, 0u);
  // The newest release filed without curl and openssl: curl was seen in 1.1 before, so only
  // openssl is marked not found.
  auto newest = reg.Observe("pump", "1.1", std::vector<vuln::Finding>{wolf});
  ASSERT_TRUE(newest);
  EXPECT_EQ(newest->unchanged, 1u);
  EXPECT_EQ(newest->not_found, 1u);
  // 1.1 carried wolf from 1.0 without a row of its own; openssl, opened by 1.0's second filing,
  // is not carried into 1.1 by it (an absence says so), and curl stays seen in both.
  for (auto [component, releases] :
       {std::pair{"wolfssl", std::vector<std::string>{"1.0", "1.1"}},
        std::pair{"curl", std::vector<std::string>{"1.0", "1.1"}},
        std::pair{"openssl", std::vector<std::string>{"1.0"}}}) {
    const std::string cve = component == std::string("wolfssl")  ? "CVE-2024-0001"
                            : component == std::string("curl") ? "CVE-2024-0010"
                                                               : "CVE-2024-0011";
    auto in = reg.SightedIn({"pump", cve, std::string("pkg:generic/") + component});
    ASSERT_TRUE(in) << component;
    EXPECT_EQ(*in, releases) << component;
  }
}

// Schema version 3 carries a release's unchanged records with one row: a register of version 2
// (every sighting and carried event a row of its own) is read as it is, upgrades on a writing
// open, and its next releases carry from its explicit sightings; history still shows every
// release a record was seen in, and a closed record the newest release lacks stops there.
TEST_P(RegisterTest, AVersion2RegisterUpgradesAndCarriesFromItsSightings) {
  const vuln::Finding wolf = MakeFinding("CVE-2024-0001", "wolfssl", "4.8.1", 9.8);
  const vuln::Finding zlib = MakeFinding("CVE-2024-0002", "zlib", "1.2.11", 5.0);
  const RecordKey wolf_key{"pump", "CVE-2024-0001", "pkg:generic/wolfssl"};
  const RecordKey zlib_key{"pump", "CVE-2024-0002", "pkg:generic/zlib"};
  {
    Register reg = Open(3);  // filed as version 3 did, then taken back
    ASSERT_TRUE(reg.Observe("pump", "1.0", std::vector<vuln::Finding>{wolf, zlib}));
    Decision na = Decide(TriageStatus::kNotAffected, "inflate never sees untrusted input");
    na.justification = "vulnerable_code_not_in_execute_path";
    ASSERT_TRUE(reg.Set(zlib_key, "", na));
  }
  {  // Version 2, and its filing of 1.1 as it wrote one: an event and a sighting per record.
    auto db = OpenRaw();
    ASSERT_TRUE(db) << db.error().ToString();
    ASSERT_TRUE(DowngradeToVersion2(*db));
    for (const char* sql :
         {"INSERT INTO triage_releases(product, release, seq, first_scanned) VALUES('pump',"
          " '1.1', 2, '2026-01-02T00:00:00Z')",
          "INSERT INTO triage_events(seq, record, at, release, component_version, origin, status,"
          " justification, action, fixed_in, reason, actor, harm, cvss_vector,"
          " compensating_control) SELECT 10 + r.id, r.id, '2026-01-02T00:00:00Z', '1.1',"
          " r.component_version, 'carried', e.status, e.justification, e.action, e.fixed_in,"
          " 'carried from release 1.0', 'vigil scan', e.harm, e.cvss_vector,"
          " e.compensating_control FROM triage_records r JOIN triage_events e ON"
          " e.seq = r.current_seq",
          "INSERT INTO triage_sightings(record, release, component_version) SELECT id, '1.1',"
          " component_version FROM triage_records",
          "UPDATE triage_records SET release = '1.1', current_seq = 10 + id"}) {
      ASSERT_TRUE(db->Exec(sql)) << sql;
    }
  }
  {  // Read-only: version 2 as it is.
    auto ro = Register::Open(At("register.sqlite", false, true), env_);
    ASSERT_TRUE(ro) << ro.error().ToString();
    auto z = ro->Find(zlib_key);
    ASSERT_TRUE(z && *z) << (z ? "no record" : z.error().ToString());
    EXPECT_EQ((*z)->release, "1.1");
    auto seen = ro->SightedIn(zlib_key);
    ASSERT_TRUE(seen) << seen.error().ToString();
    EXPECT_EQ(*seen, (std::vector<std::string>{"1.0", "1.1"}));
    EXPECT_EQ(OpenRaw()->SchemaVersion().value_or(0), 2);
  }
  Register reg = Open();
  EXPECT_EQ(OpenRaw()->SchemaVersion().value_or(0), 4);
  env_.AdvanceClock(kDay);
  auto s = reg.Observe("pump", "1.2", std::vector<vuln::Finding>{wolf, zlib});
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->carried, 2u);
  auto z = reg.Find(zlib_key);
  ASSERT_TRUE(z && *z);
  EXPECT_EQ((*z)->release, "1.2");
  EXPECT_EQ((*z)->current.origin, "carried");
  EXPECT_EQ((*z)->current.release, "1.2");
  EXPECT_EQ((*z)->current.decision.status, TriageStatus::kNotAffected);
  EXPECT_EQ((*z)->current.decision.reason, "carried from release 1.1: component version 1.2.11 unchanged");
  auto h = reg.History(zlib_key);
  ASSERT_TRUE(h);
  ASSERT_EQ(h->size(), 4u);
  const char* origins[] = {"opened", "set", "carried", "carried"};
  for (size_t i = 0; i < h->size(); ++i) {
    EXPECT_EQ((*h)[i].origin, origins[i]) << i;
    if (i > 0) {
      EXPECT_LT((*h)[i - 1].seq, (*h)[i].seq) << i;
    }
  }
  EXPECT_EQ((*h)[3].release, "1.2");
  EXPECT_EQ((*h)[3].at, "2026-01-02T00:00:00Z");
  EXPECT_EQ((*h)[3].decision.justification, "vulnerable_code_not_in_execute_path");
  EXPECT_EQ((*z)->current.seq, (*h)[3].seq);

  // 1.3 without zlib: closed, it is not marked, only no longer seen; wolf is carried again.
  env_.AdvanceClock(kDay);
  s = reg.Observe("pump", "1.3", std::vector<vuln::Finding>{wolf});
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->carried, 1u);
  EXPECT_EQ(s->not_found, 0u);
  auto seen = reg.SightedIn(zlib_key);
  ASSERT_TRUE(seen);
  EXPECT_EQ(*seen, (std::vector<std::string>{"1.0", "1.1", "1.2"}));
  seen = reg.SightedIn(wolf_key);
  ASSERT_TRUE(seen);
  EXPECT_EQ(*seen, (std::vector<std::string>{"1.0", "1.1", "1.2", "1.3"}));
  z = reg.Find(zlib_key);
  EXPECT_EQ((*z)->release, "1.2");
  auto in13 = reg.List({.product = "pump",
                        .release = "1.3",
                        .status = {},
                        .overdue_only = false,
                        .as_of = {},
                        .vulnerability = {}});
  ASSERT_TRUE(in13);
  ASSERT_EQ(in13->size(), 1u);
  EXPECT_EQ((*in13)[0].key.component, "pkg:generic/wolfssl");
  // 1.4 finds zlib again at the same version: seen again, its decision carried explicitly.
  s = reg.Observe("pump", "1.4", std::vector<vuln::Finding>{wolf, zlib});
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->carried, 2u);
  seen = reg.SightedIn(zlib_key);
  ASSERT_TRUE(seen);
  EXPECT_EQ(*seen, (std::vector<std::string>{"1.0", "1.1", "1.2", "1.4"}));
  z = reg.Find(zlib_key);
  EXPECT_EQ((*z)->current.decision.status, TriageStatus::kNotAffected);
  EXPECT_EQ((*z)->current.release, "1.4");
  h = reg.History(wolf_key);
  ASSERT_TRUE(h);
  ASSERT_EQ(h->size(), 5u);  // opened in 1.0, carried into 1.1 … 1.4
  EXPECT_EQ(h->back().release, "1.4");
}

TEST_P(RegisterTest, EveryDecisionErrorNamesTheField) {
  Register reg = Open();
  std::vector<vuln::Finding> fs = {MakeFinding("CVE-2024-0001", "wolfssl", "4.8.1", 9.8)};
  ASSERT_TRUE(reg.Observe("pump", "1.0", fs));
  RecordKey k{"pump", "CVE-2024-0001", "pkg:generic/wolfssl"};
  struct Case {
    Decision d;
    std::string expected;
  };
  Decision no_reason = Decide(TriageStatus::kAffected, "");
  no_reason.action = "x";
  Decision no_actor = Decide(TriageStatus::kFixed, "r");
  no_actor.actor.clear();
  no_actor.fixed_in = "1.1";
  Decision bad_just = Decide(TriageStatus::kNotAffected, "r");
  bad_just.justification = "we_checked";
  Decision no_action = Decide(TriageStatus::kAffected, "r");
  Decision no_release = Decide(TriageStatus::kFixed, "r");
  Decision stray_just = Decide(TriageStatus::kAffected, "r");
  stray_just.action = "x";
  stray_just.justification = "component_not_present";
  Decision bad_vector = Decide(TriageStatus::kInTriage, "r");
  bad_vector.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:X";
  for (const Case& c :
       std::vector<Case>{{no_reason, "triage decision: reason: required"},
                         {no_actor, "triage decision: actor: required"},
                         {bad_just, "triage decision: justification: not_affected needs"},
                         {no_action, "triage decision: action:"},
                         {no_release, "triage decision: fixed_in:"},
                         {stray_just, "only a not_affected decision"},
                         {bad_vector, "A"}}) {
    auto r = reg.Set(k, "", c.d);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message().find(c.expected), std::string::npos) << r.error().message();
  }
  auto missing = reg.Set({"pump", "CVE-1999-0001", "x"}, "", Decide(TriageStatus::kInTriage, "r"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  auto h = reg.History(k);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->size(), 1u);  // refused decisions left no trace
}

TEST_P(RegisterTest, RiskDecisionAndDeadlines) {
  Register reg = Open();
  ASSERT_TRUE(reg.SetPolicy(kPolicy, "policy.yaml", "qa@maker.example"));
  vuln::Finding kev = MakeFinding("CVE-2024-0009", "edgeos", "2.0.9", 5.0);
  kev.kev = true;
  kev.epss_score = 0.93;
  std::vector<vuln::Finding> fs = {MakeFinding("CVE-2024-0001", "wolfssl", "4.8.1", 9.8), kev};
  ASSERT_TRUE(reg.Observe("pump", "1.0", fs));
  RecordKey wolf{"pump", "CVE-2024-0001", "pkg:generic/wolfssl"};
  RecordKey edge{"pump", "CVE-2024-0009", "pkg:generic/edgeos"};

  // Harm not assessed: taken as catastrophic, uncontrolled, 30/60-day deadlines.
  auto w = reg.Find(wolf, "2026-01-20");
  ASSERT_TRUE(w && *w);
  EXPECT_FALSE((*w)->risk.controlled);
  ASSERT_EQ((*w)->deadlines.size(), 2u);
  EXPECT_EQ((*w)->deadlines[0].due, "2026-01-31");
  EXPECT_EQ((*w)->deadlines[1].due, "2026-03-02");
  EXPECT_FALSE((*w)->overdue());
  w = reg.Find(wolf, "2026-02-01");
  EXPECT_TRUE((*w)->deadlines[0].overdue);
  EXPECT_FALSE((*w)->deadlines[1].overdue);

  // The component's harm is negligible: controlled (matrix.high.negligible), nothing due.
  ASSERT_TRUE(reg.SetComponentHarm("pump", "pkg:generic/wolfssl", risk::Harm::kNegligible,
                                   "clinical@maker.example", "display-only module"));
  w = reg.Find(wolf, "2026-02-01");
  EXPECT_TRUE((*w)->risk.controlled) << (*w)->risk.reason;
  EXPECT_EQ((*w)->risk.cell, "matrix.high.negligible = controlled");
  EXPECT_TRUE((*w)->deadlines.empty());
  // A finding's own harm overrides the component's.
  Decision serious = Decide(TriageStatus::kAffected, "bolus command spoofable");
  serious.action = "patch";
  serious.harm = risk::Harm::kSerious;
  ASSERT_TRUE(reg.Set(wolf, "", serious));
  w = reg.Find(wolf, "2026-02-01");
  EXPECT_FALSE((*w)->risk.controlled);

  // KEV: the low cell says controlled, KEV without a compensating control says no.
  ASSERT_TRUE(reg.SetComponentHarm("pump", "pkg:generic/edgeos", risk::Harm::kMinor,
                                   "clinical@maker.example", "router of the service network"));
  auto e = reg.Find(edge, "2026-01-02");
  ASSERT_TRUE(e && *e);
  EXPECT_FALSE((*e)->risk.controlled);
  EXPECT_NE((*e)->risk.reason.find("KEV"), std::string::npos);
  EXPECT_EQ((*e)->facts.epss, 0.93);
  Decision control = Decide(TriageStatus::kAffected, "router isolated");
  control.action = "replace the router in 2.0";
  control.compensating_control = "service network physically separated from the hospital LAN";
  ASSERT_TRUE(reg.Set(edge, "", control));
  e = reg.Find(edge, "2026-01-02");
  EXPECT_TRUE((*e)->risk.controlled) << (*e)->risk.reason;

  // Notifying customers (an advisory) meets the notify deadline.
  std::vector<RecordKey> covered = {wolf};
  ASSERT_TRUE(
      reg.RecordAdvisory({"pump", "MAKER-2026-001", 1, "2026-01-15T09:00:00Z", "first"}, covered));
  w = reg.Find(wolf, "2026-02-10");
  EXPECT_EQ((*w)->notified, "2026-01-15");
  EXPECT_TRUE((*w)->deadlines[0].met);
  EXPECT_FALSE((*w)->deadlines[0].overdue);
  auto overdue = reg.List({.product = "pump",
                           .release = "",
                           .status = {},
                           .overdue_only = true,
                           .as_of = "2026-03-05",
                           .vulnerability = {}});
  ASSERT_TRUE(overdue);
  ASSERT_EQ(overdue->size(), 1u);  // wolfSSL's fix is late; edgeos is controlled
  EXPECT_EQ((*overdue)[0].key.component, "pkg:generic/wolfssl");
}

TEST_P(RegisterTest, MetricsPatchedShareTimeToPatchAndToField) {
  Register reg = Open();
  std::vector<vuln::Finding> r1 = {
      MakeFinding("CVE-2024-0001", "a", "1", 9.8), MakeFinding("CVE-2024-0002", "b", "1", 9.8),
      MakeFinding("CVE-2024-0003", "c", "1", 9.8), MakeFinding("CVE-2024-0004", "d", "1", 9.8)};
  ASSERT_TRUE(reg.Observe("pump", "1.0", r1));
  Decision na = Decide(TriageStatus::kNotAffected, "not shipped");
  na.justification = "component_not_present";
  ASSERT_TRUE(reg.Set({"pump", "CVE-2024-0004", "pkg:generic/d"}, "", na));
  env_.AdvanceClock(20 * kDay);
  Decision fixed = Decide(TriageStatus::kFixed, "patched");
  fixed.fixed_in = "1.1";
  ASSERT_TRUE(reg.Set({"pump", "CVE-2024-0001", "pkg:generic/a"}, "", fixed));
  env_.AdvanceClock(20 * kDay);  // day 40: 1.1 scanned, b gone
  std::vector<vuln::Finding> r2 = {MakeFinding("CVE-2024-0001", "a", "1", 9.8),
                                   MakeFinding("CVE-2024-0003", "c", "1", 9.8),
                                   MakeFinding("CVE-2024-0004", "d", "1", 9.8)};
  ASSERT_TRUE(reg.Observe("pump", "1.1", r2));
  ASSERT_TRUE(reg.MarkFielded("pump", "1.1", "2026-02-20"));  // day 50
  EXPECT_FALSE(reg.MarkFielded("pump", "9.9", "2026-02-20"));
  EXPECT_FALSE(reg.MarkFielded("pump", "1.1", "2026-02-30"));
  auto m = reg.ComputeMetrics("pump", "2026-01-01", "2026-12-31");
  ASSERT_TRUE(m) << m.error().ToString();
  EXPECT_EQ(m->vulnerabilities, 4u);
  EXPECT_EQ(m->not_affected, 1u);
  EXPECT_EQ(m->patched, 2u);  // a (set, day 20), b (not found, day 40)
  EXPECT_EQ(m->open, 1u);
  EXPECT_DOUBLE_EQ(m->patched_share, 2.0 / 3.0);
  EXPECT_EQ(m->patch_days_median, 30.0);  // 20 and 40: the carried "fixed" of a counts from day 20
  EXPECT_EQ(m->fielded, 2u);
  EXPECT_EQ(m->field_days_mean, 50.0);
  auto none = reg.ComputeMetrics("pump", "2027-01-01", "2027-12-31");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->vulnerabilities, 0u);
  EXPECT_FALSE(reg.ComputeMetrics("pump", "2026-13-01", ""));
}

// A snapshot holds one read transaction for many reads: they give what they give without one,
// the register's writes are refused while it lasts (naming the write), and on PostgreSQL a
// filing another connection commits meanwhile stays out of it until it ends.
TEST_P(RegisterTest, ASnapshotReadsOneMomentAndRefusesWrites) {
  Register reg = Open();
  ASSERT_TRUE(reg.Observe("pump", "1.0",
                          std::vector<vuln::Finding>{MakeFinding("CVE-2024-0001", "a", "1", 9.8),
                                                     MakeFinding("CVE-2024-0002", "b", "1", 7.5)}));
  Decision fixed = Decide(TriageStatus::kFixed, "patched");
  fixed.fixed_in = "1.1";
  const RecordKey a{"pump", "CVE-2024-0001", "pkg:generic/a"};
  ASSERT_TRUE(reg.Set(a, "", fixed));
  ListFilter of_pump;
  of_pump.product = "pump";
  auto list = reg.List(of_pump);
  auto history = reg.History(a);
  auto metrics = reg.ComputeMetrics("pump", "", "");
  ASSERT_TRUE(list && history && metrics);

  auto snapshot = reg.BeginSnapshot();
  ASSERT_TRUE(snapshot) << snapshot.error().ToString();
  auto second = reg.BeginSnapshot();
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code(), ErrorCode::kFailedPrecondition);
  auto in_list = reg.List(of_pump);
  auto in_history = reg.History(a);
  auto in_metrics = reg.ComputeMetrics("pump", "", "");
  auto in_find = reg.FindMany(std::vector<RecordKey>{a});
  auto in_seen = reg.SightedIn(a);
  ASSERT_TRUE(in_list && in_history && in_metrics && in_find && in_seen)
      << (in_list ? "" : in_list.error().ToString())
      << (in_metrics ? "" : in_metrics.error().ToString());
  ASSERT_EQ(in_list->size(), list->size());
  for (size_t i = 0; i < list->size(); ++i) {
    EXPECT_EQ((*in_list)[i].key.vulnerability, (*list)[i].key.vulnerability);
    EXPECT_EQ((*in_list)[i].current.decision.status, (*list)[i].current.decision.status);
  }
  EXPECT_EQ(in_history->size(), history->size());
  EXPECT_EQ(in_metrics->patched, metrics->patched);
  EXPECT_EQ(in_metrics->open, metrics->open);
  EXPECT_EQ(in_metrics->patch_days_median, metrics->patch_days_median);
  ASSERT_TRUE(in_find->front().has_value());
  EXPECT_EQ(*in_seen, std::vector<std::string>{"1.0"});

  // Every write is refused while it lasts, and says why.
  auto expect_refused = [](const Status& s, std::string_view what) {
    ASSERT_FALSE(s) << what;
    EXPECT_EQ(s.error().code(), ErrorCode::kFailedPrecondition) << what;
    EXPECT_NE(s.error().message().find(what), std::string::npos) << s.error().message();
    EXPECT_NE(s.error().message().find("snapshot"), std::string::npos) << s.error().message();
  };
  Decision again = Decide(TriageStatus::kInTriage, "look again");
  auto set = reg.Set({"pump", "CVE-2024-0002", "pkg:generic/b"}, "", again);
  expect_refused(set ? OkStatus() : Status(set.error()), "a decision");
  auto filing = reg.BeginFiling("pump", "1.1");
  expect_refused(filing ? OkStatus() : Status(filing.error()), "filing a scan");
  expect_refused(reg.MarkFielded("pump", "1.0", "2026-01-02"), "marking a release fielded");
  expect_refused(reg.SetComponentHarm("pump", "pkg:generic/a", risk::Harm::kSerious, "me", "why"),
                 "setting a component harm");

  // On PostgreSQL another connection may commit meanwhile: the snapshot does not see it.
  std::optional<Register> other;
  if (GetParam() == Engine::kPostgres) {
    auto o = Register::Open(At("register.sqlite", true, false), env_);
    ASSERT_TRUE(o) << o.error().ToString();
    other.emplace(std::move(*o));
    ASSERT_TRUE(other->Observe(
        "pump", "1.1",
        std::vector<vuln::Finding>{MakeFinding("CVE-2024-0003", "c", "1", 5.0)}));
    auto during = reg.List(of_pump);
    ASSERT_TRUE(during);
    EXPECT_EQ(during->size(), list->size());
  }
  ASSERT_TRUE(snapshot->End());
  EXPECT_TRUE(snapshot->End());  // once ended, ending again does nothing
  auto after = reg.List(of_pump);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->size(), list->size() + (other ? 1u : 0u));
  {  // ended by its destructor too: writes work again after it
    auto scoped = reg.BeginSnapshot();
    ASSERT_TRUE(scoped);
  }
  EXPECT_TRUE(reg.Set({"pump", "CVE-2024-0002", "pkg:generic/b"}, "", again));
}

TEST_P(RegisterTest, HistoryCannotBeRewritten) {
  Register reg = Open();
  std::vector<vuln::Finding> fs = {MakeFinding("CVE-2024-0001", "wolfssl", "4.8.1", 9.8)};
  ASSERT_TRUE(reg.Observe("pump", "1.0", fs));
  ASSERT_TRUE(reg.Observe("pump", "1.1", fs));  // a carry
  ASSERT_TRUE(reg.SetPolicy(kPolicy, "policy.yaml", "qa@maker.example"));
  ASSERT_TRUE(reg.SetComponentHarm("pump", "pkg:generic/wolfssl", risk::Harm::kSerious, "qa", "r"));
  std::vector<RecordKey> none;
  ASSERT_TRUE(reg.RecordAdvisory({"pump", "MAKER-1", 1, "2026-01-02T00:00:00Z", "first"}, none));
  // The API has no way to change an issued revision: issuing it again is refused.
  EXPECT_FALSE(reg.RecordAdvisory({"pump", "MAKER-1", 1, "2026-01-03T00:00:00Z", "again"}, none));
  // A clock set back does not put an event before the last one.
  env_.JumpWallClock(-100 * kDay);
  Decision d = Decide(TriageStatus::kInTriage, "re-examined");
  ASSERT_TRUE(reg.Set({"pump", "CVE-2024-0001", "pkg:generic/wolfssl"}, "", d));
  auto h = reg.History({"pump", "CVE-2024-0001", "pkg:generic/wolfssl"});
  ASSERT_TRUE(h);
  ASSERT_EQ(h->size(), 3u);  // opened, carried into 1.1, set
  EXPECT_EQ((*h)[1].origin, "carried");
  EXPECT_EQ((*h)[2].at, (*h)[1].at);
  // Through the storage layer, on the same file: UPDATE and DELETE of history are refused, and
  // so are a change of a record's opening (in its row since schema version 4) and a record's
  // DELETE.
  auto db = OpenRaw();
  ASSERT_TRUE(db) << db.error().ToString();
  for (const char* sql :
       {"UPDATE triage_events SET status='not_affected'", "DELETE FROM triage_events",
        "UPDATE triage_policies SET yaml=''", "DELETE FROM triage_component_harm",
        "DELETE FROM triage_advisories", "UPDATE triage_carries SET from_release='0.9'",
        "DELETE FROM triage_carries", "UPDATE triage_records SET opened_reason='rewritten'",
        "UPDATE triage_records SET opened_status='fixed', notified=''",
        "DELETE FROM triage_records"}) {
    Status s = db->Exec(sql);
    ASSERT_FALSE(s) << sql;
    EXPECT_NE(s.error().message().find("append-only history"), std::string::npos)
        << s.error().message();
  }
}

// The advisory's CWEs are filed with the record and reach the CSAF advisory's `cwe` (the first
// one a source names); a register from before the column (schema version 1) gains it on open,
// empty until the next scan files the weaknesses again.
TEST_P(RegisterTest, WeaknessesAreFiledAndReachTheAdvisory) {
  vuln::Finding wolf = MakeFinding("CVE-2024-0001", "wolfssl", "4.8.1", 9.8);
  wolf.weaknesses = {{"CWE-120", ""}, {"CWE-787", "Out-of-bounds Write"}};
  std::vector<vuln::Finding> fs = {wolf, MakeFinding("CVE-2024-0002", "zlib", "1.2.11", 5.0)};
  const RecordKey key{"pump", "CVE-2024-0001", "pkg:generic/wolfssl"};
  {
    Register reg = Open(3);  // filed as version 3 did, then taken back
    ASSERT_TRUE(reg.Observe("pump", "1.0", fs));
    auto r = reg.Find(key);
    ASSERT_TRUE(r && *r);
    EXPECT_EQ((*r)->facts.weaknesses, wolf.weaknesses);
    AdvisoryRequest req;
    req.product = "pump";
    auto adv = BuildAdvisory(reg, req);
    ASSERT_TRUE(adv) << adv.error().ToString();
    ASSERT_EQ(adv->vulnerabilities.size(), 2u);
    ASSERT_TRUE(adv->vulnerabilities[0].cwe);
    EXPECT_EQ(adv->vulnerabilities[0].cwe->id, "CWE-787");
    EXPECT_EQ(adv->vulnerabilities[0].cwe->name, "Out-of-bounds Write");
    EXPECT_FALSE(adv->vulnerabilities[1].cwe);  // zlib's advisory states none
  }
  {  // Back to version 1: without the column (nor version 3's carries).
    auto db = OpenRaw();
    ASSERT_TRUE(db) << db.error().ToString();
    ASSERT_TRUE(DowngradeToVersion2(*db));
    ASSERT_TRUE(db->Exec("ALTER TABLE triage_records DROP COLUMN cwes"));
    ASSERT_TRUE(db->Exec(GetParam() == Engine::kPostgres
                             ? "UPDATE vigil_schema_version SET version = 1"
                             : "PRAGMA user_version = 1"));
  }
  {  // Read-only: version 1 is read as it is, never migrated.
    auto ro = Register::Open(At("register.sqlite", false, true), env_);
    ASSERT_TRUE(ro) << ro.error().ToString();
    auto r = ro->Find(key);
    ASSERT_TRUE(r && *r) << (r ? "no record" : r.error().ToString());
    EXPECT_TRUE((*r)->facts.weaknesses.empty());
    auto raw = OpenRaw();
    ASSERT_TRUE(raw);
    EXPECT_EQ(raw->SchemaVersion().value_or(0), 1);
  }
  Register reg = Open();
  auto r = reg.Find(key);
  ASSERT_TRUE(r && *r) << (r ? "no record" : r.error().ToString());
  EXPECT_TRUE((*r)->facts.weaknesses.empty());
  ASSERT_TRUE(reg.Observe("pump", "1.1", fs));
  r = reg.Find(key);
  ASSERT_TRUE(r && *r);
  EXPECT_EQ((*r)->facts.weaknesses, wolf.weaknesses);
}

// Everything a register shows of a product's records, one line each: every record's current
// state, history and releases seen in (as the register reads them), and the records List finds
// per release filter.
std::vector<std::string> Observable(Register& reg, std::span<const std::string> releases) {
  std::vector<std::string> out;
  ListFilter f;
  f.product = "pump";
  auto all = reg.List(f);
  EXPECT_TRUE(all) << all.error().ToString();
  if (!all) return out;
  auto event = [](const Event& e) {
    const Decision& d = e.decision;
    return std::to_string(e.seq) + " " + e.at + " " + e.release + " " + e.component_version + " " +
           e.origin + " " + std::string(TriageStatusName(d.status)) + " " + d.justification + "|" +
           d.action + "|" + d.fixed_in + "|" + d.reason + "|" + d.actor + "|" +
           (d.harm ? std::string(risk::HarmName(*d.harm)) : "") + "|" + d.cvss_vector + "|" +
           d.compensating_control;
  };
  for (const Record& r : *all) {
    const std::string key = r.key.vulnerability + " " + r.key.component;
    out.push_back(key + " in " + r.release + " at " + r.component_version + " since " +
                  r.discovered + ": " + event(r.current));
    auto h = reg.History(r.key);
    EXPECT_TRUE(h) << h.error().ToString();
    for (const Event& e : h ? *h : std::vector<Event>{}) out.push_back(key + " event " + event(e));
    auto seen = reg.SightedIn(r.key);
    EXPECT_TRUE(seen) << seen.error().ToString();
    for (const std::string& in : seen ? *seen : std::vector<std::string>{}) {
      out.push_back(key + " seen in " + in);
    }
  }
  auto m = reg.ComputeMetrics("pump", "2026-01-01", "2026-12-31");
  EXPECT_TRUE(m) << m.error().ToString();
  if (m) {
    auto days = [](const std::optional<double>& d) { return d ? std::to_string(*d) : "-"; };
    out.push_back("metrics " + std::to_string(m->vulnerabilities) + " " +
                  std::to_string(m->not_affected) + " " + std::to_string(m->open) + " " +
                  std::to_string(m->patched) + " " + days(m->patch_days_median) + " " +
                  days(m->patch_days_mean) + " " + std::to_string(m->overdue));
  }
  for (const std::string& release : releases) {
    f.release = release;
    auto in = reg.List(f);
    EXPECT_TRUE(in) << in.error().ToString();
    for (const Record& r : in ? *in : std::vector<Record>{}) {
      out.push_back("list " + release + ": " + r.key.vulnerability);
    }
  }
  return out;
}

// Schema version 4 keeps a new record's opening in its row: a register of version 3 (records
// opened, carried, re-opened and decided, every opening an event row) reads the same after the
// upgrade, and its next filings, with records of both forms, show what a register still at
// version 3 shows after the same filings and decisions.
TEST_P(RegisterTest, AVersion3RegisterUpgradesAndReadsAsItDid) {
  const RecordKey wolf_key{"pump", "CVE-2024-0001", "pkg:generic/wolfssl"};
  const RecordKey zlib_key{"pump", "CVE-2024-0002", "pkg:generic/zlib"};
  const RecordKey busy_key{"pump", "CVE-2024-0003", "pkg:generic/busybox"};
  const RecordKey curl_key{"pump", "CVE-2024-0004", "pkg:generic/curl"};
  const RecordKey ssl_key{"pump", "CVE-2024-0005", "pkg:generic/openssl"};
  auto wolf = [](std::string v) { return MakeFinding("CVE-2024-0001", "wolfssl", v, 9.8); };
  auto zlib = [](std::string v) { return MakeFinding("CVE-2024-0002", "zlib", v, 5.0); };
  auto busy = [](std::string v) { return MakeFinding("CVE-2024-0003", "busybox", v, 7.5); };
  auto curl = [](std::string v) { return MakeFinding("CVE-2024-0004", "curl", v, 6.1); };
  auto ssl = [](std::string v) { return MakeFinding("CVE-2024-0005", "openssl", v, 7.4); };
  const std::vector<std::string> releases = {"1.0", "1.1", "1.2", "1.3"};
  // The same filings and decisions on a register: the first part builds the version 3 history.
  auto before = [&](Register& reg) {
    ASSERT_TRUE(
        reg.Observe("pump", "1.0", std::vector{wolf("4.8.1"), zlib("1.2.11"), busy("1.35.0")}));
    Decision na = Decide(TriageStatus::kNotAffected, "inflate never sees untrusted input");
    na.justification = "vulnerable_code_not_in_execute_path";
    ASSERT_TRUE(reg.Set(zlib_key, "", na));
    Decision affected = Decide(TriageStatus::kAffected, "reachable from the network");
    affected.action = "update busybox in 1.2";
    affected.harm = risk::Harm::kSerious;
    ASSERT_TRUE(reg.Set(busy_key, "", affected));
    env_.AdvanceClock(kDay);  // wolf and zlib carried; busybox re-opened
    ASSERT_TRUE(
        reg.Observe("pump", "1.1", std::vector{wolf("4.8.1"), zlib("1.2.11"), busy("1.36.0")}));
  };
  auto after = [&](Register& reg) {
    env_.AdvanceClock(kDay);  // curl opened; wolf re-opened; zlib not found; busybox carried
    ASSERT_TRUE(
        reg.Observe("pump", "1.2", std::vector{wolf("5.0.0"), busy("1.36.0"), curl("8.0.1")}));
    Decision affected = Decide(TriageStatus::kAffected, "curl is reachable");
    affected.action = "update curl in 1.3";
    ASSERT_TRUE(reg.Set(curl_key, "", affected));
    // The earlier release filed again with a finding new to the register (opened there), and one
    // the newest release opened (seen in both; its opening's sighting stands).
    env_.AdvanceClock(kDay);
    ASSERT_TRUE(reg.Observe(
        "pump", "1.1",
        std::vector{wolf("4.8.1"), zlib("1.2.11"), busy("1.36.0"), curl("8.0.1"), ssl("3.0.1")}));
    env_.AdvanceClock(kDay);  // curl not found: fixed; busybox and wolf carried; openssl opened
    ASSERT_TRUE(
        reg.Observe("pump", "1.3", std::vector{wolf("5.0.0"), busy("1.36.0"), ssl("3.0.2")}));
    ASSERT_TRUE(reg.Observe("pump", "1.3", std::vector{wolf("5.0.0")}));  // filed again
  };
  std::vector<std::string> v3_before, v3_after;
  {  // A register that stays at version 3 throughout, on a file (database) of its own.
    RegisterOptions o = At("v3.sqlite", true, false);
    o.schema_version = 3;
    auto reg = Register::Open(o, env_);
    ASSERT_TRUE(reg) << reg.error().ToString();
    before(*reg);
    v3_before = Observable(*reg, releases);
    after(*reg);
    v3_after = Observable(*reg, releases);
  }
  env_.SetUnixMicros(kJan1);
  {
    Register reg = Open(3);
    before(reg);
    EXPECT_EQ(Observable(reg, releases), v3_before);
  }
  EXPECT_EQ(OpenRaw()->SchemaVersion().value_or(0), 3);
  Register reg = Open();
  EXPECT_EQ(OpenRaw()->SchemaVersion().value_or(0), 4);
  EXPECT_EQ(Observable(reg, releases), v3_before);
  after(reg);
  EXPECT_EQ(Observable(reg, releases), v3_after);
  // openssl's opening is in its row (1.1); curl's (1.2) too, with its decision an event row.
  auto count = [&](const char* sql) -> int64_t {
    auto db = OpenRaw();
    EXPECT_TRUE(db) << db.error().ToString();
    auto s = db->Prepare(sql);
    EXPECT_TRUE(s) << s.error().ToString();
    auto row = s->Step();
    EXPECT_TRUE(row && *row);
    return s->ColumnInt(0);
  };
  EXPECT_EQ(count("SELECT count(*) FROM triage_records WHERE opened_seq > 0"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM triage_events e JOIN triage_records r ON r.id=e.record"
                  " WHERE r.component IN ('pkg:generic/curl', 'pkg:generic/openssl')"
                  " AND e.origin='opened'"),
            0);
  auto seen = reg.SightedIn(ssl_key);
  ASSERT_TRUE(seen) << seen.error().ToString();
  EXPECT_EQ(*seen, (std::vector<std::string>{"1.1", "1.3"}));
  auto h = reg.History(curl_key);
  ASSERT_TRUE(h) << h.error().ToString();
  std::vector<std::string> curl_history;
  for (const Event& e : *h) curl_history.push_back(e.origin + " " + e.release);
  EXPECT_EQ(curl_history,
            (std::vector<std::string>{"opened 1.2", "set 1.2", "carried 1.1", "not found 1.3"}));
  auto w = reg.Find(wolf_key);
  ASSERT_TRUE(w && *w);
  EXPECT_EQ((*w)->release, "1.3");
}

// A new record costs one row (its opening and its sighting in the record's row); only what
// follows it adds events and sightings.
TEST_P(RegisterTest, AFreshFilingWritesOneRowPerNewRecord) {
  Register reg = Open();
  std::vector<vuln::Finding> fs;
  for (int i = 0; i < 70; ++i) {  // more than two INSERTs of 32, and a rest
    fs.push_back(
        MakeFinding("CVE-2024-" + std::to_string(1000 + i), "lib" + std::to_string(i), "1.0", 5.0));
  }
  auto filed = reg.Observe("pump", "1.0", fs);
  ASSERT_TRUE(filed) << filed.error().ToString();
  EXPECT_EQ(filed->opened, fs.size());
  auto count = [&](const char* table) -> int64_t {
    auto db = OpenRaw();
    EXPECT_TRUE(db) << db.error().ToString();
    auto s = db->Prepare("SELECT count(*) FROM " + std::string(table));
    EXPECT_TRUE(s) << s.error().ToString();
    auto row = s->Step();
    EXPECT_TRUE(row && *row);
    return s->ColumnInt(0);
  };
  EXPECT_EQ(count("triage_records"), 70);
  EXPECT_EQ(count("triage_events"), 0);
  EXPECT_EQ(count("triage_sightings"), 0);
  const RecordKey key{"pump", "CVE-2024-1069", "pkg:generic/lib69"};
  auto r = reg.Find(key);
  ASSERT_TRUE(r && *r) << (r ? "no record" : r.error().ToString());
  EXPECT_EQ((*r)->current.origin, "opened");
  EXPECT_EQ((*r)->current.seq, 70);
  EXPECT_EQ((*r)->current.decision.actor, "vigil scan");
  EXPECT_EQ((*r)->current.decision.reason, "found by the scan of release 1.0 (test)");
  // The next sequence number follows the openings: a decision's event comes after them.
  ASSERT_TRUE(reg.Set(key, "", Decide(TriageStatus::kInTriage, "looked at")));
  auto h = reg.History(key);
  ASSERT_TRUE(h) << h.error().ToString();
  ASSERT_EQ(h->size(), 2u);
  EXPECT_EQ((*h)[0].seq, 70);
  EXPECT_EQ((*h)[1].seq, 71);
  EXPECT_EQ(count("triage_events"), 1);
  auto seen = reg.SightedIn(key);
  ASSERT_TRUE(seen);
  EXPECT_EQ(*seen, std::vector<std::string>{"1.0"});
}

// A row the database refuses fails the whole filing, wherever it was written (a 32-row INSERT
// on the writer thread, or the rest at the commit): Commit and every later call fail with that
// reason, and nothing of the filing is in the register, not even the rows a statement wrote
// before the refused one (SQLite's INSERT OR FAIL keeps them in the transaction).
TEST_P(RegisterTest, ARefusedRowFailsTheWholeFiling) {
  const bool pg = GetParam() == Engine::kPostgres;
  Register reg = Open();
  std::vector<vuln::Finding> fs;
  for (int i = 0; i < 100; ++i) {
    fs.push_back(
        MakeFinding("CVE-2024-" + std::to_string(2000 + i), "lib" + std::to_string(i), "1.0", 5.0));
  }
  auto db = OpenRaw();
  ASSERT_TRUE(db) << db.error().ToString();
  auto count = [&]() -> int64_t {
    auto s = db->Prepare("SELECT count(*) FROM triage_records");
    EXPECT_TRUE(s) << s.error().ToString();
    auto row = s->Step();
    EXPECT_TRUE(row && *row);
    return s->ColumnInt(0);
  };
  // Row 40 is in the writer's second INSERT of the first batch; row 97 in the rest the commit
  // writes row by row.
  for (int refused : {40, 97}) {
    SCOPED_TRACE(refused);
    const std::string cve = "CVE-2024-" + std::to_string(2000 + refused);
    ASSERT_TRUE(db->Exec(pg ? "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN IF"
                              " NEW.vulnerability = '" + cve + "' THEN RAISE EXCEPTION"
                              " 'refused by the test'; END IF; RETURN NEW; END $$ LANGUAGE"
                              " plpgsql; CREATE TRIGGER refuse BEFORE INSERT ON triage_records"
                              " FOR EACH ROW EXECUTE FUNCTION refuse();"
                            : "CREATE TRIGGER refuse BEFORE INSERT ON triage_records WHEN"
                              " NEW.vulnerability = '" + cve + "' BEGIN SELECT RAISE(FAIL,"
                              " 'refused by the test'); END;"));
    auto filing = reg.BeginFiling("pump", "1.0");
    ASSERT_TRUE(filing) << filing.error().ToString();
    Status batches;
    for (size_t from : {size_t{0}, size_t{64}}) {
      std::span<const vuln::Finding> batch(fs.data() + from, from == 0 ? 64 : fs.size() - 64);
      auto views = (*filing)->FileViews(batch);
      if (!views && batches) batches = views.error();
    }
    auto committed = (*filing)->Commit();
    ASSERT_FALSE(committed);
    EXPECT_NE(committed.error().message().find("refused by the test"), std::string::npos)
        << committed.error().ToString();
    // The failure stays: no later batch or commit of this filing files anything.
    auto again = (*filing)->FileViews(std::span<const vuln::Finding>(fs.data(), 1));
    ASSERT_FALSE(again);
    EXPECT_NE(again.error().message().find("an earlier step failed"), std::string::npos)
        << again.error().ToString();
    EXPECT_NE(again.error().message().find("refused by the test"), std::string::npos);
    EXPECT_FALSE((*filing)->Commit());
    filing->reset();
    ASSERT_TRUE(db->Exec(pg ? "DROP TRIGGER refuse ON triage_records; DROP FUNCTION refuse();"
                            : "DROP TRIGGER refuse;"));
    EXPECT_EQ(count(), 0);
    ListFilter all;
    auto listed = reg.List(all);
    ASSERT_TRUE(listed) << listed.error().ToString();
    EXPECT_TRUE(listed->empty());
  }
  // The register is as before: the same scan files whole.
  auto filed = reg.Observe("pump", "1.0", fs);
  ASSERT_TRUE(filed) << filed.error().ToString();
  EXPECT_EQ(filed->opened, fs.size());
  EXPECT_EQ(count(), 100);
}

TEST_P(RegisterTest, ReadOnlyNeverCreatesOrWrites) {
  auto missing = Register::Open(At("none.sqlite", false, true), env_);
  ASSERT_FALSE(missing);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "none.sqlite"));
  { Register reg = Open(); }
  auto ro = Register::Open(At("register.sqlite", false, true), env_);
  ASSERT_TRUE(ro) << ro.error().ToString();
  std::vector<vuln::Finding> fs = {MakeFinding("CVE-2024-0001", "wolfssl", "4.8.1", 9.8)};
  EXPECT_FALSE(ro->Observe("pump", "1.0", fs));
}

}  // namespace
}  // namespace vigil::triage
