// The compiled advisory form: every field survives the round trip, damaged bytes are refused
// with a message naming the field, and a schema-1 database (documents only) is upgraded in
// place when opened.
#include "internal/advisory_codec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "testing/vuln_fixture.h"
#include "vigil/vuln/advisory_db.h"
#include "vigil/vuln/feeds.h"

namespace vigil::vuln::internal {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Every field set to something other than its default.
Advisory Populated() {
  Advisory a;
  a.source = AdvisorySource::kNvd;
  a.id = "CVE-2021-3711";
  a.modified = "2024-11-21T06:22:17.000";
  a.published = "2021-08-24T15:15:09.383";
  a.withdrawn = "2022-01-01T00:00:00Z";
  a.summary = "SM2 decryption buffer overflow \xe2\x80\x94 \"quoted\"\n";
  a.aliases = {"GHSA-x", "OSV-y"};
  a.severities = {{"CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "CRITICAL",
                   "nvd@nist.gov", "Primary"},
                  {"CVSS_V2", "AV:N/AC:L/Au:N/C:P/I:P/A:P", std::nullopt, "", "", ""}};
  a.severity_label = "HIGH";
  AffectedPackage p;
  p.ecosystem = "Debian:12";
  p.name = "openssl";
  p.purl = "pkg:deb/debian/openssl";
  p.ranges = {{"ECOSYSTEM",
               "",
               {{OsvEvent::Kind::kIntroduced, "0"},
                {OsvEvent::Kind::kFixed, "1.1.1k-1"},
                {OsvEvent::Kind::kLastAffected, "1.1.1j"},
                {OsvEvent::Kind::kLimit, "*"}},
               "affected[0].ranges[0]"},
              {"GIT", "https://github.com/openssl/openssl", {}, "affected[0].ranges[1]"}};
  p.versions = {"1.1.1a", "1.1.1b"};
  p.hidden_bounds = {"database_specific.last_known_affected_version_range: <= 1.1.1j"};
  p.path = "affected[0]";
  a.affected = {p, AffectedPackage{}};
  CpeMatch m;
  m.criteria = "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*";
  m.vulnerable = true;
  m.version_start_including = "1.1.1";
  m.version_start_excluding = "1.0";
  m.version_end_including = "1.1.1k";
  m.version_end_excluding = "1.1.1l";
  m.path = "configurations[0].nodes[0].cpeMatch[0]";
  CpeNode n{true, true, {m, CpeMatch{}}};
  a.configurations = {{true, true, {n, CpeNode{}}}, CpeConfiguration{}};
  a.status = "Awaiting Analysis";
  Cve5Product prod;
  prod.container = "CNA openssl";
  prod.vendor = "OpenSSL";
  prod.product = "OpenSSL";
  prod.default_status = "unaffected";
  prod.cpes = {"cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*"};
  prod.versions = {{"1.1.1",
                    "1.1.1zb",
                    "",
                    "custom",
                    "affected",
                    {{"1.1.1k", "unaffected"}},
                    "containers.cna.affected[0].versions[0]"},
                   {"3.0.0", "", "3.0.*", "semver", "unknown", {}, "x"}};
  prod.path = "containers.cna.affected[0]";
  a.products = {prod, Cve5Product{}};
  a.weaknesses = {{"CWE-787", "Out-of-bounds Write"}, {"CWE-79", ""}};
  return a;
}

TEST(AdvisoryCodec, EveryFieldRoundTrips) {
  const Advisory a = Populated();
  auto back = DecodeAdvisory(EncodeAdvisory(a), "db: advisory CVE-2021-3711");
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(*back, a);
  auto empty = DecodeAdvisory(EncodeAdvisory(Advisory{}), "x");
  ASSERT_TRUE(empty) << empty.error().message();
  EXPECT_EQ(*empty, Advisory{});
  // Any one field changed is a different encoding (no field is left out).
  Advisory b = a;
  b.configurations[0].nodes[0].matches[0].version_start_excluding = "1.0.1";
  EXPECT_NE(EncodeAdvisory(a), EncodeAdvisory(b));
  Advisory c = a;
  c.products[0].versions[0].changes[0].status = "affected";
  EXPECT_NE(EncodeAdvisory(a), EncodeAdvisory(c));
  Advisory cve5 = a;
  cve5.source = AdvisorySource::kCve5;
  auto back5 = DecodeAdvisory(EncodeAdvisory(cve5), "x");
  ASSERT_TRUE(back5) << back5.error().message();
  EXPECT_EQ(*back5, cve5);
}

// Decoding into an advisory that held another (a scan reuses one per thread) leaves nothing of
// the other: every field is set, lists shrink and grow, older forms clear what they lack.
TEST(AdvisoryCodec, DecodingIntoAnotherAdvisoryReplacesEveryField) {
  const Advisory full = Populated();
  Advisory small;
  small.id = "GO-2024-0001";
  small.affected = {AffectedPackage{}};
  Advisory out = full;
  ASSERT_TRUE(DecodeAdvisoryInto(EncodeAdvisory(small), "x", out));
  EXPECT_EQ(out, small);
  ASSERT_TRUE(DecodeAdvisoryInto(EncodeAdvisory(full), "x", out));
  EXPECT_EQ(out, full);
  Advisory old = full;
  old.weaknesses.clear();
  std::string v3 = EncodeAdvisory(old);
  v3.pop_back();  // the empty weaknesses list
  v3[0] = 3;
  out = full;
  ASSERT_TRUE(DecodeAdvisoryInto(v3, "x", out));
  EXPECT_EQ(out, old);
}

// A version-3 form (before the weaknesses) still decodes, without them; the database recompiles
// it on the next import (advisory_db.cc).
TEST(AdvisoryCodec, VersionThreeDecodesWithoutWeaknesses) {
  Advisory a = Populated();
  a.weaknesses.clear();
  std::string v3 = EncodeAdvisory(a);
  ASSERT_EQ(v3.back(), '\0');  // the empty weaknesses list
  v3.pop_back();
  v3[0] = 3;
  auto back = DecodeAdvisory(v3, "x");
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(*back, a);
  v3[0] = 5;
  auto future = DecodeAdvisory(v3, "x");
  ASSERT_FALSE(future);
  EXPECT_THAT(future.error().message(), HasSubstr("expected version 2 to 4, got 5"));
}

// A scan's decoding (affected[] as views into the bytes, the rest into a reused advisory)
// accepts and refuses exactly what the full decoding does, with the same message, and views
// what the full decoding copies.
TEST(AdvisoryCodec, SplitDecodingAgreesWithTheFullDecoding) {
  const Advisory full = Populated();
  const std::string good = EncodeAdvisory(full);
  Advisory rest = full;
  OsvView view;
  ASSERT_TRUE(DecodeAdvisorySplit(good, "x", rest, view));
  Advisory without_affected = full;
  without_affected.affected.clear();
  EXPECT_EQ(rest, without_affected);
  OsvView expected;
  ViewOf(full, expected);
  EXPECT_EQ(view, expected);
  EXPECT_EQ(view.events.size(), 4u);
  EXPECT_EQ(view.id, "CVE-2021-3711");
  for (size_t n = 0; n <= good.size() + 1; ++n) {
    const std::string bytes = n <= good.size() ? good.substr(0, n) : good + "x";
    auto whole = DecodeAdvisory(bytes, "d");
    Status split = DecodeAdvisorySplit(bytes, "d", rest, view);
    ASSERT_EQ(split.has_value(), whole.has_value()) << n << " bytes";
    if (!whole) {
      EXPECT_EQ(split.error().message(), whole.error().message());
    }
  }
}

TEST(AdvisoryCodec, DamagedBytesAreRefusedNamingTheField) {
  const std::string good = EncodeAdvisory(Populated());
  // Every truncation.
  for (size_t n = 0; n < good.size(); ++n) {
    auto r = DecodeAdvisory(good.substr(0, n), "db.sqlite: advisory CVE-2021-3711");
    ASSERT_FALSE(r) << "prefix of " << n << " bytes accepted";
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(r.error().message(),
                StartsWith("db.sqlite: advisory CVE-2021-3711: compiled advisory, field "));
  }
  auto trailing = DecodeAdvisory(good + "x", "d");
  ASSERT_FALSE(trailing);
  EXPECT_THAT(trailing.error().message(), HasSubstr("field end at byte"));
  EXPECT_THAT(trailing.error().message(), HasSubstr("1 trailing bytes"));

  std::string version = good;
  version[0] = 9;
  EXPECT_THAT(DecodeAdvisory(version, "d").error().message(),
              HasSubstr("field format at byte 1: expected version 2 to 4, got 9"));
  std::string source = good;
  source[1] = 7;
  EXPECT_THAT(DecodeAdvisory(source, "d").error().message(),
              HasSubstr("field source at byte 2: enumerator 7 out of range"));
  // A base score that is not a number (the fuzzer's first find: NaN != NaN broke round trips).
  Advisory scored;
  scored.severities = {{"CVSS_V3", "v", 1.0, "", "", ""}};
  std::string nan = EncodeAdvisory(scored);
  // The 8 score bytes come before label, source, role, severity_label, the two list counts,
  // status, the products count and the weaknesses count (1 byte each).
  size_t at = nan.size() - 8 - 9;
  ASSERT_EQ(nan[at - 1], 1);  // presence byte
  for (size_t i = at; i < at + 8; ++i) nan[i] = '\xff';
  EXPECT_THAT(DecodeAdvisory(nan, "d").error().message(),
              HasSubstr("field severity.base_score at byte"));
  EXPECT_THAT(DecodeAdvisory(nan, "d").error().message(), HasSubstr("expected a finite number"));
  // A length far beyond the data.
  std::string huge = good.substr(0, 2) + "\xff\xff\xff\xff\x0f";
  EXPECT_THAT(DecodeAdvisory(huge, "d").error().message(), HasSubstr("field id"));
  EXPECT_THAT(DecodeAdvisory(huge, "d").error().message(), HasSubstr("exceeds the 0 bytes left"));
}

// Index rows are deleted through the old compiled form (there is no index by advisory id):
// a changed advisory must leave nothing of its old packages, products and aliases behind.
TEST(AdvisoryDbIndex, AChangedAdvisoryLeavesNoIndexRowsOfItsOldVersion) {
  testing::TempDir dir;
  auto db = AdvisoryDb::Open(*vigil::Env::Default(), dir.File("db.sqlite"));
  ASSERT_TRUE(db) << db.error().message();
  auto put = [&](const std::string& package, const std::string& alias) {
    std::string doc = R"({"id":"GO-2024-0009","modified":"2024-01-01T00:00:00Z","aliases":[")" +
                      alias + R"("],"affected":[{"package":{"ecosystem":"Go","name":")" + package +
                      R"("},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]})";
    auto adv = ParseOsvJson(doc, "doc");
    ASSERT_TRUE(adv) << adv.error().message();
    ASSERT_TRUE(db->PutOsv(*adv, doc));
  };
  put("example.com/old", "CVE-2024-1");
  put("example.com/new", "CVE-2024-2");
  auto old_rows = db->PackageAdvisories("Go", "example.com/old");
  ASSERT_TRUE(old_rows);
  EXPECT_TRUE(old_rows->empty());
  auto new_rows = db->PackageAdvisories("Go", "example.com/new");
  ASSERT_TRUE(new_rows);
  ASSERT_EQ(new_rows->size(), 1u);
  EXPECT_EQ(new_rows->front().aliases, std::vector<std::string>{"CVE-2024-2"});
  auto st = db->Stats();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->osv_advisories, 1u);
  EXPECT_EQ(st->affected_packages, 1u);
  EXPECT_EQ(st->aliases, 1u);
}

// A damaged compiled form in the file is DataLoss naming the file, the advisory and the field,
// both where a scan reads a package's advisories and where it loads one by id.
TEST(AdvisoryDbIndex, ADamagedCompiledAdvisoryIsDataLossNamingIt) {
  testing::TempDir dir;
  const std::string path = dir.File("db.sqlite");
  {
    auto db = AdvisoryDb::Open(*vigil::Env::Default(), path);
    ASSERT_TRUE(db) << db.error().message();
    std::string doc = R"({"id":"GO-2024-0010","modified":"2024-01-01T00:00:00Z","affected":[)"
                      R"({"package":{"ecosystem":"Go","name":"example.com/m"},"ranges":[)"
                      R"({"type":"SEMVER","events":[{"introduced":"0"}]}]}]})";
    auto adv = ParseOsvJson(doc, "doc");
    ASSERT_TRUE(adv) << adv.error().message();
    ASSERT_TRUE(db->PutOsv(*adv, doc));
  }
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
  // Cut after the format and source bytes: the id's length runs past the end.
  ASSERT_EQ(sqlite3_exec(raw, "UPDATE advisories SET compiled = substr(compiled, 1, 3)", nullptr,
                         nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(raw);
  sqlite3_close(raw);
  auto db = AdvisoryDb::Open(*vigil::Env::Default(), path, OpenMode::kReadOnly);
  ASSERT_TRUE(db) << db.error().message();
  const std::string where = path + ": advisory GO-2024-0010: compiled advisory, field ";
  auto listed = db->PackageAdvisories("Go", "example.com/m");
  ASSERT_FALSE(listed);
  EXPECT_EQ(listed.error().code(), ErrorCode::kDataLoss);
  EXPECT_THAT(listed.error().message(), StartsWith(where));
  auto loaded = db->Load("GO-2024-0010");
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code(), ErrorCode::kDataLoss);
  EXPECT_THAT(loaded.error().message(), StartsWith(where));
  // The statements were reset: an undamaged lookup still answers.
  auto none = db->PackageAdvisories("Go", "example.com/other");
  ASSERT_TRUE(none) << none.error().message();
  EXPECT_TRUE(none->empty());
}

// A database as Vigil wrote it before compiled forms existed (schema 1).
void WriteSchemaOneDatabase(const std::string& path, const std::string& id,
                            const std::string& doc) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  std::string sql = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE advisories(id TEXT PRIMARY KEY, source TEXT NOT NULL,
  modified TEXT NOT NULL, hash BLOB NOT NULL, doc TEXT NOT NULL);
CREATE TABLE packages(ecosystem TEXT NOT NULL, name TEXT NOT NULL,
  advisory_id TEXT NOT NULL, PRIMARY KEY(ecosystem, name, advisory_id)) WITHOUT ROWID;
CREATE INDEX packages_by_advisory ON packages(advisory_id);
CREATE TABLE cpe_products(vendor TEXT NOT NULL, product TEXT NOT NULL,
  advisory_id TEXT NOT NULL, PRIMARY KEY(vendor, product, advisory_id)) WITHOUT ROWID;
CREATE INDEX cpe_products_by_advisory ON cpe_products(advisory_id);
CREATE TABLE aliases(alias TEXT NOT NULL, advisory_id TEXT NOT NULL,
  PRIMARY KEY(alias, advisory_id)) WITHOUT ROWID;
CREATE INDEX aliases_by_advisory ON aliases(advisory_id);
CREATE TABLE kev(cve TEXT PRIMARY KEY, vendor TEXT, product TEXT, name TEXT,
  date_added TEXT, due_date TEXT, ransomware INTEGER) WITHOUT ROWID;
CREATE TABLE epss(cve TEXT PRIMARY KEY, score TEXT, percentile TEXT) WITHOUT ROWID;
INSERT INTO meta VALUES ('schema_version', '1');
INSERT INTO packages VALUES ('Go', 'example.com/m', ')sql" +
                    id + R"sql(');
)sql";
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_stmt* put = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(
                db, "INSERT INTO advisories VALUES (?, 'osv', '2024-01-01T00:00:00Z', x'00', ?)",
                -1, &put, nullptr),
            SQLITE_OK);
  sqlite3_bind_text(put, 1, id.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(put, 2, doc.c_str(), -1, SQLITE_TRANSIENT);
  ASSERT_EQ(sqlite3_step(put), SQLITE_DONE);
  sqlite3_finalize(put);
  sqlite3_close(db);
}

TEST(AdvisoryDbUpgrade, SchemaOneDatabaseIsCompiledInPlaceOnOpen) {
  testing::TempDir dir;
  const std::string doc =
      R"({"id":"GO-2024-0001","modified":"2024-01-01T00:00:00Z","aliases":["CVE-2024-1"],)"
      R"("affected":[{"package":{"ecosystem":"Go","name":"example.com/m"},)"
      R"("ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.2.0"}]}]}]})";
  WriteSchemaOneDatabase(dir.File("v1.sqlite"), "GO-2024-0001", doc);
  auto expected = ParseOsvJson(doc, "doc");
  ASSERT_TRUE(expected) << expected.error().message();

  auto db = AdvisoryDb::Open(*vigil::Env::Default(), dir.File("v1.sqlite"), OpenMode::kReadWrite);
  ASSERT_TRUE(db) << db.error().message();
  auto loaded = db->Load("GO-2024-0001");
  ASSERT_TRUE(loaded && *loaded) << (loaded ? "absent" : loaded.error().message());
  EXPECT_EQ(**loaded, *expected);
  auto by_package = db->PackageAdvisories("Go", "example.com/m");
  ASSERT_TRUE(by_package) << by_package.error().message();
  ASSERT_EQ(by_package->size(), 1u);
  EXPECT_EQ(by_package->front(), *expected);
  auto aliases = db->Stats();
  ASSERT_TRUE(aliases);
  EXPECT_EQ(aliases->affected_packages, 1u);

  // Opened again: already schema 3, nothing to redo; a newer schema is refused.
  db = AdvisoryDb::Open(*vigil::Env::Default(), dir.File("v1.sqlite"), OpenMode::kReadWrite);
  ASSERT_TRUE(db) << db.error().message();
  ASSERT_TRUE(db->SetMeta("schema_version", "4"));
  auto newer = AdvisoryDb::Open(*vigil::Env::Default(), dir.File("v1.sqlite"), OpenMode::kReadWrite);
  ASSERT_FALSE(newer);
  EXPECT_EQ(newer.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_THAT(newer.error().message(), HasSubstr("schema 4, this Vigil reads schema 3"));
}

// Schema 2 (issue 13 item 7): its compiled forms lack NVD's vulnStatus, so an upgraded database
// must compile its documents again: a Rejected NVD record stays rejected, and a backlog record
// is indexed by its description words and counted as unassessed.
TEST(AdvisoryDbUpgrade, SchemaTwoDatabaseIsRecompiledInPlaceOnOpen) {
  testing::TempDir dir;
  const std::string path = dir.File("v2.sqlite");
  const std::string rejected =
      R"({"id":"CVE-2022-48736","vulnStatus":"Rejected","descriptions":[{"lang":"en",)"
      R"("value":"Rejected reason: duplicate."}]})";
  const std::string backlog =
      R"({"id":"CVE-2023-42363","vulnStatus":"Received","descriptions":[{"lang":"en",)"
      R"("value":"A use-after-free in BusyBox v.1.36.1."}]})";
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
  const char* schema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE advisories(rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL, modified TEXT NOT NULL, hash BLOB NOT NULL, compiled BLOB NOT NULL);
CREATE TABLE documents(rid INTEGER PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE packages(ecosystem TEXT NOT NULL, name TEXT NOT NULL,
  advisory_id TEXT NOT NULL, advisory_rid INTEGER NOT NULL,
  PRIMARY KEY(ecosystem, name, advisory_id)) WITHOUT ROWID;
CREATE TABLE cpe_products(vendor TEXT NOT NULL, product TEXT NOT NULL,
  advisory_id TEXT NOT NULL, PRIMARY KEY(vendor, product, advisory_id)) WITHOUT ROWID;
CREATE TABLE aliases(alias TEXT NOT NULL, advisory_id TEXT NOT NULL,
  PRIMARY KEY(alias, advisory_id)) WITHOUT ROWID;
CREATE TABLE kev(cve TEXT PRIMARY KEY, vendor TEXT, product TEXT, name TEXT,
  date_added TEXT, due_date TEXT, ransomware INTEGER) WITHOUT ROWID;
CREATE TABLE epss(cve TEXT PRIMARY KEY, score TEXT, percentile TEXT) WITHOUT ROWID;
INSERT INTO meta VALUES ('schema_version', '2');
)sql";
  ASSERT_EQ(sqlite3_exec(raw, schema, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(raw);
  int rid = 1;
  for (const std::string* doc : {&rejected, &backlog}) {
    auto adv = ParseNvdCve(*doc, "doc");
    ASSERT_TRUE(adv) << adv.error().message();
    // A schema-2 compiled form: codec version 1, which this Vigil no longer decodes.
    std::string sql = "INSERT INTO advisories VALUES (" + std::to_string(rid) + ", '" + adv->id +
                      "', 'nvd', '', x'00', x'01'); INSERT INTO documents VALUES (" +
                      std::to_string(rid) + ", '" + *doc + "');";
    ASSERT_EQ(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(raw);
    ++rid;
  }
  sqlite3_close(raw);

  auto db = AdvisoryDb::Open(*vigil::Env::Default(), path, OpenMode::kReadWrite);
  ASSERT_TRUE(db) << db.error().message();
  auto loaded = db->Load("CVE-2022-48736");
  ASSERT_TRUE(loaded && *loaded) << (loaded ? "absent" : loaded.error().message());
  EXPECT_TRUE((*loaded)->rejected());
  auto named = db->AdvisoriesForProductName("busybox");
  ASSERT_TRUE(named) << named.error().message();
  EXPECT_THAT(*named, ::testing::ElementsAre("CVE-2023-42363"));
  auto stats = db->Stats();
  ASSERT_TRUE(stats) << stats.error().message();
  EXPECT_EQ(stats->nvd_advisories, 2u);
  EXPECT_EQ(stats->unassessed_cves, 1u);
}

TEST(AdvisoryDbUpgrade, AnUnreadableSchemaOneDocumentFailsTheUpgradeAndChangesNothing) {
  testing::TempDir dir;
  WriteSchemaOneDatabase(dir.File("v1.sqlite"), "GO-2024-0002", R"({"id": 5})");
  auto db = AdvisoryDb::Open(*vigil::Env::Default(), dir.File("v1.sqlite"), OpenMode::kReadWrite);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code(), ErrorCode::kDataLoss);
  EXPECT_THAT(db.error().message(), HasSubstr("advisory GO-2024-0002"));
  // Rolled back: still schema 1 with its packages table as it was.
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(dir.File("v1.sqlite").c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(raw, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &s,
                               nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "1");
  sqlite3_finalize(s);
  EXPECT_EQ(sqlite3_exec(raw, "SELECT data FROM packages", nullptr, nullptr, nullptr),
            SQLITE_ERROR);
  sqlite3_close(raw);
}

}  // namespace
}  // namespace vigil::vuln::internal
