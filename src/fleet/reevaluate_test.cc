// Re-evaluation on every engine of testing/database_engines.h: an OSV advisory imported by
// vuln::ImportFeeds re-scans only the release whose SBOM names its package, files the finding
// in the triage register (discovered today) and enqueues one finding.new event; importing it
// again changes nothing and notifies nothing; an advisory about a package no release ships
// re-scans nothing.
#include "vigil/fleet/reevaluate.h"

#include <gtest/gtest.h>

#include "testing/database_engines.h"
#include "testing/recording_transport.h"
#include "vigil/core/json.h"
#include "vigil/fleet/webhook.h"
#include "vigil/sbom/sbom_reader.h"
#include "vigil/vuln/matcher.h"
#include "vigil/vuln/feed_import.h"

namespace vigil::fleet {
namespace {

using testing::FleetEngineTest;

constexpr char kSbom[] = R"({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
  "components": [{"type": "library", "name": "%s", "version": "%s",
                  "purl": "pkg:pypi/%s@%s"}]})";

std::string Osv(const std::string& id, const std::string& package, const std::string& fixed) {
  return R"({"id": ")" + id + R"(", "modified": "2025-01-01T00:00:00Z", "summary": "test",
    "affected": [{"package": {"ecosystem": "PyPI", "name": ")" +
         package + R"("},
    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": ")" +
         fixed + R"("}]}]}]})";
}

class ReevaluateTest : public FleetEngineTest {
 protected:
  void SetUp() override {
    FleetEngineTest::SetUp();
    Env& env = *Env::Default();
    auto write = [&](const std::string& name, const std::string& text) {
      ASSERT_TRUE(env.WriteFileAtomic(dir_ + "/" + name, AsBytes(text)));
    };
    char sbom[512];
    std::snprintf(sbom, sizeof sbom, kSbom, "requests", "2.0.0", "requests", "2.0.0");
    write("old.cdx.json", sbom);
    std::snprintf(sbom, sizeof sbom, kSbom, "flask", "1.0.0", "flask", "1.0.0");
    write("new.cdx.json", sbom);
    ASSERT_TRUE(fleet().AddProduct({"Infusion pump", "", ""}));
    ASSERT_TRUE(
        fleet().AddRelease({"Infusion pump", "1.0", dir_ + "/old.cdx.json", "", "", "", ""}));
    ASSERT_TRUE(
        fleet().AddRelease({"Infusion pump", "2.0", dir_ + "/new.cdx.json", "", "", "", ""}));
    ASSERT_TRUE(fleet().AddRelease({"Infusion pump", "3.0", "", "", "", "", ""}));
    ASSERT_TRUE(fleet().AddWebhook(
        {0, "http://127.0.0.1:1/h", "0123456789abcdef", {std::string(kEventNewFinding)}, ""}));
    auto db = vuln::AdvisoryDb::Open(*vigil::Env::Default(), dir_ + "/vulndb.sqlite", vuln::OpenMode::kCreate);
    ASSERT_TRUE(db) << db.error().ToString();
    db_.emplace(std::move(*db));
    triage::RegisterOptions ro;
    ro.path = dir_ + "/register.sqlite";
    ro.create = true;
    auto reg = triage::Register::Open(ro, env);
    ASSERT_TRUE(reg) << reg.error().ToString();
    reg_.emplace(std::move(*reg));
  }
  void TearDown() override {
    reg_.reset();
    db_.reset();
    FleetEngineTest::TearDown();
  }

  // Imports one OSV document and re-evaluates for what it changed.
  ReevaluationReport ImportAndReevaluate(const std::string& name, const std::string& osv) {
    const std::string path = dir_ + "/" + name;
    EXPECT_TRUE(Env::Default()->WriteFileAtomic(path, AsBytes(osv)));
    auto imported = vuln::ImportFeeds(*Env::Default(), *db_, {path});
    EXPECT_TRUE(imported) << imported.error().ToString();
    auto r = Reevaluate(fleet(), *db_, *reg_, imported->changed, *Env::Default());
    EXPECT_TRUE(r) << r.error().ToString();
    return r ? *r : ReevaluationReport{};
  }

  std::optional<vuln::AdvisoryDb> db_;
  std::optional<triage::Register> reg_;
};

TEST_P(ReevaluateTest, RescansOnlyTheReleasesAnAdvisoryConcernsAndNotifiesNewFindings) {
  ReevaluationReport r = ImportAndReevaluate("a.json", Osv("PYSEC-0000-1", "requests", "2.20.0"));
  EXPECT_EQ(r.advisories, 1u);
  EXPECT_EQ(r.releases, 2u);  // 3.0 has no SBOM
  EXPECT_EQ(r.releases_rescanned, 1u);
  ASSERT_EQ(r.new_findings.size(), 1u);
  const NewFinding& f = r.new_findings[0];
  EXPECT_EQ(f.product, "Infusion pump");
  EXPECT_EQ(f.release, "1.0");
  EXPECT_EQ(f.vulnerability, "PYSEC-0000-1");
  EXPECT_EQ(f.component, "pkg:pypi/requests");
  EXPECT_EQ(f.component_version, "2.0.0");
  EXPECT_EQ(f.origin, "opened");
  EXPECT_EQ(f.discovered.size(), 10u);  // YYYY-MM-DD, today
  auto rec = reg_->Find({"Infusion pump", "PYSEC-0000-1", "pkg:pypi/requests"});
  ASSERT_TRUE(rec && *rec);
  EXPECT_EQ((*rec)->discovered, f.discovered);

  // The same document again: nothing changed, nothing rescanned, nothing notified.
  r = ImportAndReevaluate("a.json", Osv("PYSEC-0000-1", "requests", "2.20.0"));
  EXPECT_EQ(r.advisories, 0u);
  EXPECT_TRUE(r.new_findings.empty());
  // About a package no release ships: nothing rescanned.
  r = ImportAndReevaluate("b.json", Osv("PYSEC-0000-2", "left-pad", "1.0.0"));
  EXPECT_EQ(r.advisories, 1u);
  EXPECT_EQ(r.releases_rescanned, 0u);
  // The flask release for a flask advisory: one more finding, the requests one not again.
  r = ImportAndReevaluate("c.json", Osv("PYSEC-0000-3", "Flask", "2.0.0"));
  EXPECT_EQ(r.releases_rescanned, 1u);
  ASSERT_EQ(r.new_findings.size(), 1u);
  EXPECT_EQ(r.new_findings[0].release, "2.0");

  testing::RecordingTransport sent;
  auto round = fleet().DeliverWebhooks(sent, DeliveryOptions{});
  ASSERT_TRUE(round) << round.error().ToString();
  ASSERT_EQ(sent.bodies.size(), 2u);  // one event per new finding, in order
  auto first = json::Parse(sent.bodies[0], "event");
  ASSERT_TRUE(first);
  EXPECT_EQ((*first)["kind"].as_string(), "finding.new");
  EXPECT_EQ((*first)["data"]["vulnerability"].as_string(), "PYSEC-0000-1");
  EXPECT_EQ((*first)["data"]["fleet_releases"].as_array().at(0).as_string(), "Infusion pump 1.0");
}

// The crash window between the two stores: the register has filed an opening that the fleet
// never announced (here filed by the register alone, as a crash after the register's commit
// leaves it). The next re-evaluation of the release announces it, and only once.
TEST_P(ReevaluateTest, AnOpeningTheFleetNeverAnnouncedIsAnnouncedOnceAtTheNextReevaluation) {
  const std::string path = dir_ + "/a.json";
  ASSERT_TRUE(
      Env::Default()->WriteFileAtomic(path, AsBytes(Osv("PYSEC-0000-1", "requests", "2.20.0"))));
  auto imported = vuln::ImportFeeds(*Env::Default(), *db_, {path});
  ASSERT_TRUE(imported) << imported.error().ToString();
  // The register's half alone: the release's findings filed, no fleet transaction.
  auto text = Env::Default()->ReadFile(dir_ + "/old.cdx.json");
  ASSERT_TRUE(text);
  auto doc = sbom::ReadSbom(AsStringView(*text), "old.cdx.json");
  ASSERT_TRUE(doc) << doc.error().ToString();
  auto findings = vuln::MatchSbom(*doc, *db_);
  ASSERT_TRUE(findings && findings->size() == 1u);
  auto filing = reg_->BeginFiling("Infusion pump", "1.0");
  ASSERT_TRUE(filing) << filing.error().ToString();
  ASSERT_TRUE((*filing)->File(*findings));
  ASSERT_TRUE((*filing)->Commit());

  // A later import concerning the same release (a second advisory on requests) rescans it.
  ReevaluationReport r =
      ImportAndReevaluate("b.json", Osv("PYSEC-0000-4", "requests", "2.21.0"));
  ASSERT_EQ(r.releases_rescanned, 1u);
  ASSERT_EQ(r.new_findings.size(), 2u);  // the unannounced opening and the new one
  EXPECT_EQ(r.new_findings[0].vulnerability, "PYSEC-0000-1");
  EXPECT_EQ(r.new_findings[1].vulnerability, "PYSEC-0000-4");
  // Again: both are announced, nothing is sent twice.
  r = ImportAndReevaluate("c.json", Osv("PYSEC-0000-5", "requests", "2.22.0"));
  ASSERT_EQ(r.new_findings.size(), 1u);
  EXPECT_EQ(r.new_findings[0].vulnerability, "PYSEC-0000-5");

  testing::RecordingTransport sent;
  auto round = fleet().DeliverWebhooks(sent, DeliveryOptions{});
  ASSERT_TRUE(round) << round.error().ToString();
  ASSERT_EQ(sent.bodies.size(), 3u);
  std::vector<std::string> ids;
  for (const std::string& body : sent.bodies) {
    auto event = json::Parse(body, "event");
    ASSERT_TRUE(event);
    ids.push_back((*event)["data"]["vulnerability"].as_string());
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"PYSEC-0000-1", "PYSEC-0000-4", "PYSEC-0000-5"}));
}

TEST_P(ReevaluateTest, AnUnreadableSbomNamesTheRelease) {
  ASSERT_TRUE(fleet().AddRelease({"Infusion pump", "4.0", dir_ + "/missing.json", "", "", "", ""}));
  const std::string path = dir_ + "/a.json";
  ASSERT_TRUE(
      Env::Default()->WriteFileAtomic(path, AsBytes(Osv("PYSEC-0000-1", "requests", "2.20.0"))));
  auto imported = vuln::ImportFeeds(*Env::Default(), *db_, {path});
  ASSERT_TRUE(imported);
  auto r = Reevaluate(fleet(), *db_, *reg_, imported->changed, *Env::Default());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("missing.json"), std::string::npos) << r.error().message();
}

// A release's VEX applies as `vigil scan --vex` applies it: a finding it declares not_affected
// is filed with that decision and not announced; one it does not name is; a statement the
// application cannot use (not_affected without a justification) is reported, and its finding
// stays open and is announced.
TEST_P(ReevaluateTest, TheReleasesVexDecidesWhatItNamesAndNothingItDecidedIsAnnounced) {
  char sbom[512];
  std::snprintf(sbom, sizeof sbom, kSbom, "urllib3", "1.0.0", "urllib3", "1.0.0");
  ASSERT_TRUE(Env::Default()->WriteFileAtomic(dir_ + "/u.cdx.json", AsBytes(sbom)));
  const std::string vex = R"({"@context": "https://openvex.dev/ns/v0.2.0",
    "@id": "https://maker.example/vex/5.0", "author": "Maker PSIRT",
    "timestamp": "2025-01-01T00:00:00Z", "version": 1, "statements": [
    {"vulnerability": {"name": "PYSEC-0000-6"}, "products": [{"@id": "pkg:pypi/urllib3"}],
     "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"},
    {"vulnerability": {"name": "PYSEC-0000-8"}, "products": [{"@id": "pkg:pypi/urllib3"}],
     "status": "not_affected"}]})";
  ASSERT_TRUE(Env::Default()->WriteFileAtomic(dir_ + "/u.vex.json", AsBytes(vex)));
  ASSERT_TRUE(fleet().AddRelease(
      {"Infusion pump", "5.0", dir_ + "/u.cdx.json", dir_ + "/u.vex.json", "", "", ""}));

  ReevaluationReport r = ImportAndReevaluate("u6.json", Osv("PYSEC-0000-6", "urllib3", "2.0.0"));
  EXPECT_EQ(r.releases_rescanned, 1u);
  EXPECT_EQ(r.vex_applied, 1u);
  EXPECT_TRUE(r.new_findings.empty());
  auto rec = reg_->Find({"Infusion pump", "PYSEC-0000-6", "pkg:pypi/urllib3"});
  ASSERT_TRUE(rec && *rec);
  EXPECT_EQ((*rec)->current.decision.status, triage::TriageStatus::kNotAffected);
  EXPECT_EQ((*rec)->current.decision.justification, "vulnerable_code_not_in_execute_path");
  EXPECT_EQ((*rec)->current.decision.reason.rfind("from VEX " + dir_ + "/u.vex.json", 0), 0u)
      << (*rec)->current.decision.reason;

  // Not in the VEX: filed in triage and announced; the decided one is still not announced.
  r = ImportAndReevaluate("u7.json", Osv("PYSEC-0000-7", "urllib3", "2.0.0"));
  ASSERT_EQ(r.new_findings.size(), 1u);
  EXPECT_EQ(r.new_findings[0].vulnerability, "PYSEC-0000-7");
  EXPECT_EQ(r.vex_applied, 1u);  // PYSEC-0000-6 again, carried

  // Named without a justification: reported, and the finding is an opening like any other.
  r = ImportAndReevaluate("u8.json", Osv("PYSEC-0000-8", "urllib3", "2.0.0"));
  ASSERT_EQ(r.vex_problems.size(), 1u);
  EXPECT_NE(r.vex_problems[0].find("not_affected without a justification"), std::string::npos)
      << r.vex_problems[0];
  ASSERT_EQ(r.new_findings.size(), 1u);
  EXPECT_EQ(r.new_findings[0].vulnerability, "PYSEC-0000-8");
}

TEST_P(ReevaluateTest, AnUnreadableVexNamesTheReleaseAndFilesNothingOfIt) {
  char sbom[512];
  std::snprintf(sbom, sizeof sbom, kSbom, "urllib3", "1.0.0", "urllib3", "1.0.0");
  ASSERT_TRUE(Env::Default()->WriteFileAtomic(dir_ + "/u.cdx.json", AsBytes(sbom)));
  ASSERT_TRUE(Env::Default()->WriteFileAtomic(dir_ + "/bad.vex.json", AsBytes("{\"hello\": 1}")));
  ASSERT_TRUE(fleet().AddRelease(
      {"Infusion pump", "5.0", dir_ + "/u.cdx.json", dir_ + "/bad.vex.json", "", "", ""}));
  const std::string path = dir_ + "/u6.json";
  ASSERT_TRUE(Env::Default()->WriteFileAtomic(path, AsBytes(Osv("PYSEC-0000-6", "urllib3", "2"))));
  auto imported = vuln::ImportFeeds(*Env::Default(), *db_, {path});
  ASSERT_TRUE(imported);
  auto r = Reevaluate(fleet(), *db_, *reg_, imported->changed, *Env::Default());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message().rfind(
                "release Infusion pump 5.0: VEX " + dir_ + "/bad.vex.json: $: not a CycloneDX", 0),
            0u)
      << r.error().message();
  auto rec = reg_->Find({"Infusion pump", "PYSEC-0000-6", "pkg:pypi/urllib3"});
  ASSERT_TRUE(rec);
  EXPECT_FALSE(*rec);
}

INSTANTIATE_TEST_SUITE_P(Engines, ReevaluateTest, ::testing::ValuesIn(testing::kEngines),
                         testing::EngineName);

}  // namespace
}  // namespace vigil::fleet
