#include "vigil/vuln/scan_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "testing/node_validator.h"
#include "vigil/vuln/vex.h"

namespace vigil::vuln {
namespace {

// Four findings covering every VEX outcome: undecided, suppressed with a justification,
// affected with a fix, fixed; one is in KEV with EPSS, one has only a CPE.
std::vector<Finding> SampleFindings() {
  Finding a;
  a.component_ref = "pkg:golang/golang.org/x/net@v0.7.0";
  a.component_name = "golang.org/x/net";
  a.component_version = "v0.7.0";
  a.component_purl = "pkg:golang/golang.org/x/net@v0.7.0";
  a.advisory_id = "GO-2023-1571";
  a.aliases = {"CVE-2022-41723", "GHSA-vvpx-j8f3-3w6h"};
  a.summary = "Denial of service via crafted HTTP/2 stream in net/http and golang.org/x/net";
  a.severity = Severity::kHigh;
  a.cvss_score = 7.5;
  a.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H";
  a.fixed_versions = {"0.7.0"};
  a.weaknesses = {{"CWE-400", ""}};  // an id no source names
  a.match_reason = "OSV GO-2023-1571 affected[1].ranges[0] SEMVER introduced 0 fixed 0.7.0";
  Finding b = a;
  b.advisory_id = "GO-2022-0969";
  b.aliases = {"CVE-2022-27664"};
  b.vex_status = VexStatus::kNotAffected;
  b.vex_justification = "vulnerable_code_not_in_execute_path";
  b.vex_detail = "The device never serves HTTP/2";
  b.vex_trace = "vex.json: statements[0]";
  Finding c;
  c.component_ref = "openssl";
  c.component_name = "openssl";
  c.component_version = "1.1.1k";
  c.component_cpe = "cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*";
  c.advisory_id = "CVE-2021-3711";
  c.severity = Severity::kCritical;
  c.cvss_score = 9.8;
  c.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
  c.fixed_versions = {"1.1.1l"};
  c.weaknesses = {
      {"CWE-787", ""},
      {"CWE-120", "Buffer Copy without Checking Size of Input ('Classic Buffer Overflow')"}};
  c.kev = true;
  c.kev_due_date = "2022-05-03";
  c.epss_score = 0.01234;
  c.epss_percentile = 0.8;
  c.vex_status = VexStatus::kAffected;
  c.vex_trace = "csaf.json: vulnerabilities[0].product_status.known_affected[0]";
  c.confidence = Confidence::kHigh;
  Finding d = c;
  d.advisory_id = "CVE-2021-3712";
  d.severity = Severity::kMedium;
  d.kev = false;
  d.epss_score.reset();
  d.vex_status = VexStatus::kFixed;
  return {a, b, c, d};
}

ReportContext Context(const sbom::Component* product) {
  ReportContext ctx;
  ctx.sbom_source = "pump.cdx.json";
  ctx.product = product;
  ctx.document_id = "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79";
  ctx.timestamp = "2026-12-03T12:00:00Z";
  ctx.tool_version = "0.1.0";
  return ctx;
}

sbom::Component Pump() {
  sbom::Component p;
  p.type = "device";
  p.name = "infusion-pump";
  p.version = "2.1.0";
  p.purl_text = "pkg:generic/acme/infusion-pump@2.1.0";
  p.purl = *sbom::PackageUrl::Parse(p.purl_text);
  return p;
}

using testing::RunNode;
using testing::WriteTemp;

// Undecided copies of the findings: reading a written VEX back and applying it must restore
// the decisions that were written.
void ExpectRoundTrip(const std::string& json, const std::string& source,
                     const sbom::Component* product) {
  auto doc = ReadVex(json, source);
  ASSERT_TRUE(doc.has_value()) << doc.error().message();
  std::vector<Finding> want = SampleFindings();
  std::vector<Finding> got = want;
  for (Finding& f : got) {
    f.vex_status = VexStatus::kNone;
    f.vex_justification.clear();
  }
  VexApplication app = ApplyVex({&*doc, 1}, product, got);
  EXPECT_TRUE(app.problems.empty()) << app.problems[0];
  for (size_t i = 0; i < want.size(); ++i) {
    VexStatus expected = want[i].vex_status == VexStatus::kNone ? VexStatus::kUnderInvestigation
                                                                : want[i].vex_status;
    if (doc->format == VexFormat::kCycloneDx) expected = want[i].vex_status;  // no analysis
    EXPECT_EQ(got[i].vex_status, expected) << source << " finding " << i;
    EXPECT_EQ(got[i].vex_justification, want[i].vex_justification) << source << " finding " << i;
    EXPECT_EQ(IsSuppressed(got[i]), IsSuppressed(want[i]));
  }
}

TEST(ScanReport, CycloneDxVexValidatesAgainstTheSchemaAndReadsBack) {
  std::vector<Finding> findings = SampleFindings();
  sbom::Component pump = Pump();
  const std::string json = WriteCycloneDxVex(findings, Context(&pump));
  nlohmann::json doc = nlohmann::json::parse(json);
  ASSERT_EQ(doc["vulnerabilities"].size(), 4u);
  EXPECT_EQ(doc["components"].size(), 2u);
  EXPECT_EQ(doc["vulnerabilities"][1]["analysis"]["justification"], "code_not_reachable");
  EXPECT_EQ(doc["vulnerabilities"][2]["ratings"][0]["method"], "CVSSv31");
  EXPECT_FALSE(doc["vulnerabilities"][0].contains("analysis"));
  EXPECT_EQ(doc["vulnerabilities"][2]["cwes"], nlohmann::json::array({787, 120}));
  EXPECT_EQ(doc["vulnerabilities"][0]["cwes"], nlohmann::json::array({400}));
  const std::string schema = VIGIL_DATA_DIR "/sbom/cyclonedx/bom-1.6.schema.json ";
  auto [rc, out] = RunNode("validate-json-schema.js", schema + WriteTemp("vex.cdx.json", json));
  EXPECT_EQ(rc, 0) << out;
  doc["vulnerabilities"][1]["analysis"]["state"] = "probably_fine";
  auto [bad_rc, bad_out] =
      RunNode("validate-json-schema.js", schema + WriteTemp("bad.cdx.json", doc.dump()));
  EXPECT_NE(bad_rc, 0) << "the validator must reject a broken document";
  ExpectRoundTrip(json, "vex.cdx.json", &pump);
}

// Issue 19 item 2: the VEX keeps the SBOM's bom-refs and component types, and a CVE hitting
// two components is one vulnerability with two affects, which Vigil reads back for both.
TEST(ScanReport, CycloneDxVexKeepsTheSbomsRefsAndTypes) {
  Finding a;
  a.component_ref = "openssl@3.0.13";
  a.component_name = "openssl";
  a.component_version = "3.0.13";
  a.component_type = "firmware";
  a.advisory_id = "CVE-2024-13176";
  a.severity = Severity::kMedium;
  a.fixed_versions = {"3.0.16"};
  a.vex_status = VexStatus::kNotAffected;
  a.vex_justification = "vulnerable_code_not_in_execute_path";
  Finding b = a;
  b.component_ref = "openssl@1.1.1w";
  b.component_version = "1.1.1w";
  b.component_type = "library";
  b.fixed_versions = {"1.1.1zb"};
  std::vector<Finding> findings = {a, b};
  sbom::Component pump = Pump();
  pump.ref = "pump-firmware";
  const std::string json = WriteCycloneDxVex(findings, Context(&pump));
  nlohmann::json doc = nlohmann::json::parse(json);
  ASSERT_EQ(doc["components"].size(), 2u);
  EXPECT_EQ(doc["components"][0]["bom-ref"], "openssl@3.0.13");
  EXPECT_EQ(doc["components"][0]["type"], "firmware");
  EXPECT_EQ(doc["components"][1]["bom-ref"], "openssl@1.1.1w");
  EXPECT_EQ(doc["components"][1]["type"], "library");
  EXPECT_EQ(doc["metadata"]["component"]["bom-ref"], "pump-firmware");
  ASSERT_EQ(doc["vulnerabilities"].size(), 1u);
  const auto& affects = doc["vulnerabilities"][0]["affects"];
  ASSERT_EQ(affects.size(), 2u);
  EXPECT_EQ(affects[0]["ref"], "openssl@3.0.13");
  EXPECT_EQ(affects[1]["ref"], "openssl@1.1.1w");
  const std::string schema = VIGIL_DATA_DIR "/sbom/cyclonedx/bom-1.6.schema.json ";
  auto [rc, out] = RunNode("validate-json-schema.js", schema + WriteTemp("two.cdx.json", json));
  EXPECT_EQ(rc, 0) << out;
  auto vex = ReadVex(json, "two.cdx.json");
  ASSERT_TRUE(vex.has_value()) << vex.error().message();
  std::vector<Finding> got = findings;
  for (Finding& f : got) f.vex_status = VexStatus::kNone;
  ApplyVex({&*vex, 1}, &pump, got);
  EXPECT_EQ(got[0].vex_status, VexStatus::kNotAffected);
  EXPECT_EQ(got[1].vex_status, VexStatus::kNotAffected);
  // A component the SBOM gave no bom-ref gets one of Vigil's, unique in the document.
  findings[1].component_ref.clear();
  doc = nlohmann::json::parse(WriteCycloneDxVex(findings, Context(&pump)));
  EXPECT_EQ(doc["components"][1]["bom-ref"], "vigil-c2");
}

TEST(ScanReport, OpenVexHasTheMandatoryFieldsAndReadsBack) {
  std::vector<Finding> findings = SampleFindings();
  sbom::Component pump = Pump();
  for (const sbom::Component* product :
       {static_cast<const sbom::Component*>(nullptr), static_cast<const sbom::Component*>(&pump)}) {
    const std::string json = WriteOpenVex(findings, Context(product));
    nlohmann::json doc = nlohmann::json::parse(json);
    for (const char* field : {"@context", "@id", "author", "timestamp", "version"}) {
      EXPECT_TRUE(doc.contains(field)) << field;
    }
    EXPECT_EQ(doc["@context"], "https://openvex.dev/ns/v0.2.0");
    ASSERT_EQ(doc["statements"].size(), 4u);
    for (const auto& s : doc["statements"]) {
      EXPECT_FALSE(s["vulnerability"]["name"].get<std::string>().empty());
      EXPECT_FALSE(s["products"].empty());
      if (s["status"] == "not_affected") {
        EXPECT_TRUE(s.contains("justification") || s.contains("impact_statement"));
      }
      if (s["status"] == "affected") {
        EXPECT_TRUE(s.contains("action_statement"));
      }
    }
    EXPECT_EQ(doc["statements"][2]["action_statement"], "Upgrade openssl to 1.1.1l or later");
    if (product != nullptr) {
      EXPECT_EQ(doc["statements"][0]["products"][0]["subcomponents"][0]["@id"],
                "pkg:golang/golang.org/x/net@v0.7.0");
    }
    ExpectRoundTrip(json, "vex.openvex.json", product);
  }
}

// Issue 19 item 1: the SBOM names wolfSSL by a version-less purl beside "version": the
// statement's product @id is the versioned purl, so a consumer matching by @id applies it to
// wolfSSL 4.8.1 only; the CPE stays in the identifiers, and Vigil reads the statement back.
TEST(ScanReport, OpenVexProductIdsCarryTheVersion) {
  Finding w;
  w.component_ref = "wolfssl";
  w.component_name = "WolfSSL";
  w.component_version = "4.8.1";
  w.component_purl = "pkg:github/wolfssl/wolfssl";
  w.component_cpe = "cpe:2.3:a:wolfssl:wolfssl:4.8.1:*:*:*:*:*:*:*";
  w.advisory_id = "CVE-2022-25640";
  w.vex_status = VexStatus::kNotAffected;
  w.vex_justification = "vulnerable_code_not_present";
  sbom::Component pump = Pump();
  std::vector<Finding> findings = {w};
  nlohmann::json doc = nlohmann::json::parse(WriteOpenVex(findings, Context(&pump)));
  const auto& product = doc["statements"][0]["products"][0]["subcomponents"][0];
  EXPECT_EQ(product["@id"], "pkg:github/wolfssl/wolfssl@4.8.1");
  EXPECT_EQ(product["identifiers"]["purl"], "pkg:github/wolfssl/wolfssl@4.8.1");
  EXPECT_EQ(product["identifiers"]["cpe23"], w.component_cpe);
  EXPECT_EQ(doc["statements"][0]["products"][0]["@id"], "pkg:generic/acme/infusion-pump@2.1.0");
  auto vex = ReadVex(doc.dump(), "wolfssl.openvex.json");
  ASSERT_TRUE(vex.has_value()) << vex.error().message();
  Finding same = w, newer = w;
  same.vex_status = newer.vex_status = VexStatus::kNone;
  newer.component_version = "4.9.0";
  newer.component_cpe.clear();
  std::vector<Finding> got = {same, newer};
  ApplyVex({&*vex, 1}, &pump, got);
  EXPECT_EQ(got[0].vex_status, VexStatus::kNotAffected);
  EXPECT_EQ(got[1].vex_status, VexStatus::kNone) << "a statement about 4.8.1 decided 4.9.0";
}

TEST(ScanReport, CsafVexPassesTheReferenceValidatorAndReadsBack) {
  std::vector<Finding> findings = SampleFindings();
  sbom::Component pump = Pump();
  const std::string json = WriteCsafVex(findings, Context(&pump));
  nlohmann::json doc = nlohmann::json::parse(json);
  EXPECT_EQ(doc["document"]["category"], "csaf_vex");
  EXPECT_EQ(doc["document"]["tracking"]["id"], "VIGIL-3e671687-395b-41f5-a30f-a58921a69b79");
  ASSERT_EQ(doc["vulnerabilities"].size(), 4u);
  EXPECT_EQ(doc["vulnerabilities"][0]["cve"], "CVE-2022-41723");
  EXPECT_EQ(doc["vulnerabilities"][1]["flags"][0]["label"], "vulnerable_code_not_in_execute_path");
  // Issue 19 item 4: scores for the affected and under-investigation products (optional test
  // 6.2.3 clean), none for the not-affected or fixed ones; the TLP label.
  EXPECT_EQ(doc["document"]["distribution"]["tlp"]["label"], "AMBER");
  EXPECT_EQ(doc["vulnerabilities"][0]["scores"][0]["cvss_v3"]["baseScore"], 7.5);
  EXPECT_EQ(doc["vulnerabilities"][0]["scores"][0]["cvss_v3"]["baseSeverity"], "HIGH");
  EXPECT_EQ(doc["vulnerabilities"][2]["scores"][0]["products"],
            nlohmann::json::array({"CSAFPID-2"}));
  EXPECT_FALSE(doc["vulnerabilities"][1].contains("scores"));
  EXPECT_FALSE(doc["vulnerabilities"][3].contains("scores"));
  // CSAF's one CWE is the first one a source names; an id without a name is left out.
  EXPECT_EQ(
      doc["vulnerabilities"][2]["cwe"],
      nlohmann::json(
          {{"id", "CWE-120"},
           {"name", "Buffer Copy without Checking Size of Input ('Classic Buffer Overflow')"}}));
  EXPECT_FALSE(doc["vulnerabilities"][0].contains("cwe"));
  auto [rc, out] = RunNode("validate-csaf.mjs",
                           "--clean=optionalTest_6_2_3 " + WriteTemp("vex.csaf.json", json));
  EXPECT_EQ(rc, 0) << out;
  // A known_not_affected product without flag or impact breaks mandatory test 6.1.27.9.
  doc["vulnerabilities"][1].erase("flags");
  doc["vulnerabilities"][1].erase("threats");
  auto [bad_rc, bad_out] = RunNode("validate-csaf.mjs", WriteTemp("bad.csaf.json", doc.dump()));
  EXPECT_NE(bad_rc, 0) << "the validator must reject a broken document";
  // A known_affected product without a score: optional test 6.2.3 warns, --clean fails it.
  nlohmann::json unscored = nlohmann::json::parse(json);
  unscored["vulnerabilities"][2].erase("scores");
  auto [unscored_rc, unscored_out] =
      RunNode("validate-csaf.mjs",
              "--clean=optionalTest_6_2_3 " + WriteTemp("unscored.csaf.json", unscored.dump()));
  EXPECT_NE(unscored_rc, 0) << unscored_out;
  ExpectRoundTrip(json, "vex.csaf.json", nullptr);
  ReportContext red = Context(&pump);
  red.tlp = csaf::Tlp::kRed;
  EXPECT_EQ(nlohmann::json::parse(
                WriteCsafVex(findings, red))["document"]["distribution"]["tlp"]["label"],
            "RED");
}

TEST(ScanReport, SarifValidatesAgainstTheSarifSchema) {
  std::vector<Finding> findings = SampleFindings();
  const std::string json = WriteSarif(findings, Context(nullptr));
  nlohmann::json doc = nlohmann::json::parse(json);
  const auto& run = doc["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["rules"].size(), 4u);
  ASSERT_EQ(run["results"].size(), 4u);
  EXPECT_EQ(run["results"][2]["level"], "error");
  EXPECT_EQ(run["results"][3]["level"], "warning");
  EXPECT_FALSE(run["results"][0].contains("suppressions"));
  EXPECT_EQ(run["results"][1]["suppressions"][0]["status"], "accepted");
  EXPECT_TRUE(run["results"][3].contains("suppressions"));  // fixed
  EXPECT_EQ(run["tool"]["driver"]["rules"][2]["properties"]["security-severity"], "9.8");
  EXPECT_EQ(run["tool"]["driver"]["rules"][2]["properties"]["tags"],
            nlohmann::json::array(
                {"security", "vulnerability", "external/cwe/cwe-787", "external/cwe/cwe-120"}));
  auto [rc, out] = RunNode("validate-sarif.js", WriteTemp("scan.sarif", json));
  EXPECT_EQ(rc, 0) << out;
  doc["runs"][0]["results"][0]["level"] = "fatal";
  auto [bad_rc, bad_out] = RunNode("validate-sarif.js", WriteTemp("bad.sarif", doc.dump()));
  EXPECT_NE(bad_rc, 0) << "the validator must reject a broken log";
}

// Issue 19 item 3: the SBOM's artifact URI is relative and percent-encoded (a path with a
// space, '#' and non-ASCII text), resolved through uriBaseId; rules link to the advisory; the
// tool names the documentation installed with it (informationUri, Multitool's SARIF2005).
TEST(ScanReport, SarifLocatesTheSbomByAnEncodedRelativeUri) {
  std::vector<Finding> findings = SampleFindings();
  ReportContext ctx = Context(nullptr);
  EXPECT_FALSE(
      nlohmann::json::parse(WriteSarif(findings, ctx))["runs"][0]["tool"]["driver"].contains(
          "informationUri"));
  ctx.sbom_path = "sboms/my pump #2 \xc3\xa9.cdx.json";
  ctx.sbom_base = "/home/ci/device builds";
  ctx.tool_documentation = "/opt/vigil 0.1/share/doc/vigil/README.md";
  const std::string json = WriteSarif(findings, ctx);
  nlohmann::json doc = nlohmann::json::parse(json);
  const auto& run = doc["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["informationUri"],
            "file:///opt/vigil%200.1/share/doc/vigil/README.md");
  const auto& artifact = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
  EXPECT_EQ(artifact["uri"], "sboms/my%20pump%20%232%20%C3%A9.cdx.json");
  EXPECT_EQ(artifact["uriBaseId"], "SBOMROOT");
  EXPECT_FALSE(run["results"][0]["locations"][0]["physicalLocation"].contains("region"));
  EXPECT_EQ(run["originalUriBaseIds"]["SBOMROOT"]["uri"], "file:///home/ci/device%20builds/");
  EXPECT_EQ(run["tool"]["driver"]["rules"][0]["helpUri"],
            "https://osv.dev/vulnerability/GO-2023-1571");
  EXPECT_EQ(run["tool"]["driver"]["rules"][2]["helpUri"],
            "https://nvd.nist.gov/vuln/detail/CVE-2021-3711");
  auto [rc, out] = RunNode("validate-sarif.js", "--clean=SARIF1001,SARIF1004,SARIF2005 " +
                                                    WriteTemp("space.sarif", json));
  EXPECT_EQ(rc, 0) << out;
  // The raw path is what the schema refuses (a URI has no space).
  doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
      ctx.sbom_path;
  auto [bad_rc, bad_out] = RunNode("validate-sarif.js", WriteTemp("raw.sarif", doc.dump()));
  EXPECT_NE(bad_rc, 0) << "the validator must refuse a raw path with a space";
  // With the components' positions in the SBOM, each result has its region.
  ctx.sbom_positions["openssl"] = {12, 5, 30};
  nlohmann::json placed = nlohmann::json::parse(WriteSarif(findings, ctx));
  EXPECT_EQ(placed["runs"][0]["columnKind"], "unicodeCodePoints");
  EXPECT_EQ(placed["runs"][0]["results"][2]["locations"][0]["physicalLocation"]["region"],
            nlohmann::json::parse(
                R"({"startLine": 12, "startColumn": 5, "endLine": 12, "endColumn": 30})"));
  EXPECT_FALSE(
      placed["runs"][0]["results"][0]["locations"][0]["physicalLocation"].contains("region"));
  ctx.sbom_positions.clear();
  // An absolute path without a base is a file URI.
  ctx.sbom_path = "/srv/sbom files/pump.json";
  ctx.sbom_base.clear();
  doc = nlohmann::json::parse(WriteSarif(findings, ctx));
  EXPECT_EQ(
      doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
      "file:///srv/sbom%20files/pump.json");
  EXPECT_FALSE(doc["runs"][0].contains("originalUriBaseIds"));
}

// Issue 19 item 11: findings of unknown severity come after the known ones, with why, and the
// way to a score for those that name a CVE.
TEST(ScanReport, SummaryPutsUnscoredFindingsLastAndSaysWhy) {
  std::vector<Finding> findings = SampleFindings();
  findings[0].severity = Severity::kUnknown;  // GO-2023-1571, alias CVE-2022-41723
  Finding go = findings[0];
  go.advisory_id = "GO-2020-0001";
  go.aliases = {"GHSA-xxxx-xxxx-xxxx"};  // no CVE
  findings.push_back(go);
  FindingsSummary sum;
  for (const Finding& f : findings) sum.Add(f);
  EXPECT_EQ(sum.unscored_with_cve, 1u);
  EXPECT_EQ(sum.Text(),
            "5 findings: 1 in KEV, 1 critical, 1 high, 1 medium; 2 of unknown severity (no score "
            "or severity in their advisories or in the database's records of their aliases; 1 "
            "names a CVE, which NVD or CVE 5 records imported with vulndb import may score); 2 "
            "suppressed by VEX");
  FindingsSummary only_unknown;
  only_unknown.Add(go);
  EXPECT_EQ(only_unknown.Text(),
            "1 finding: 1 of unknown severity (no score or severity in their advisories or in the "
            "database's records of their aliases)");
}

TEST(ScanReport, TableAndJsonCarryEveryColumn) {
  std::vector<Finding> findings = SampleFindings();
  const std::string table = WriteFindingsTable(findings, Context(nullptr));
  EXPECT_NE(table.find("critical  CVE-2021-3711"), std::string::npos) << table;
  EXPECT_NE(table.find("due 2022-05-03"), std::string::npos);
  EXPECT_NE(table.find("0.01234"), std::string::npos);
  EXPECT_NE(table.find("not_affected (vulnerable_code_not_in_execute_path) suppressed"),
            std::string::npos);
  EXPECT_NE(table.find("why: OSV GO-2023-1571"), std::string::npos);
  // What matters first, zero counts left out.
  EXPECT_NE(table.find("pump.cdx.json: 4 findings: 1 in KEV, 1 critical, 2 high, 1 medium; 2 "
                       "suppressed by VEX\n"),
            std::string::npos)
      << table;
  // The CVE aliases of a GO advisory, and components as name@version.
  EXPECT_NE(table.find("GO-2023-1571         CVE-2022-41723   golang.org/x/net@v0.7.0"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("CVE-2021-3711        -                openssl@1.1.1k"), std::string::npos)
      << table;
  EXPECT_EQ(table.find("GHSA-vvpx"), std::string::npos) << "only CVE aliases in the column";
  nlohmann::json j = nlohmann::json::parse(WriteFindingsJson(findings, Context(nullptr)));
  ASSERT_EQ(j["findings"].size(), 4u);
  EXPECT_EQ(j["findings"][2]["kev_due_date"], "2022-05-03");
  EXPECT_EQ(j["findings"][1]["suppressed"], true);
  EXPECT_EQ(j["findings"][0]["fixed_versions"][0], "0.7.0");
  EXPECT_EQ(j["findings"][0]["cwes"], nlohmann::json::parse(R"([{"id": "CWE-400"}])"));
  EXPECT_EQ(j["findings"][2]["cwes"][1]["name"],
            "Buffer Copy without Checking Size of Input ('Classic Buffer Overflow')");
  EXPECT_EQ(j["findings"][1]["vex"]["trace"], "vex.json: statements[0]");
  EXPECT_EQ(ParseSeverity("high"), Severity::kHigh);
  EXPECT_FALSE(ParseSeverity("severe").has_value());
}

// The streamed report, fed in pieces, is byte for byte the whole-list report, and counts what
// the summary line says.
TEST(ScanReport, StreamedReportIsTheWholeReport) {
  const std::vector<Finding> findings = SampleFindings();
  const std::span<const Finding> all(findings);
  const ReportContext ctx = Context(nullptr);
  for (auto format : {FindingsStreamWriter::Format::kTable, FindingsStreamWriter::Format::kJson}) {
    std::string streamed;
    FindingsStreamWriter w(format, ctx, [&](std::string_view s) { streamed += s; });
    w.Add(all.first(1));
    w.Add({});
    w.Add(all.subspan(1));
    w.Finish();
    EXPECT_EQ(streamed, format == FindingsStreamWriter::Format::kJson
                            ? WriteFindingsJson(findings, ctx)
                            : WriteFindingsTable(findings, ctx));
    EXPECT_EQ(w.summary().total, 4u);
    EXPECT_EQ(w.summary().suppressed, 2u);
    EXPECT_EQ(w.summary().kev, 1u);
    EXPECT_EQ(w.summary().by_severity[static_cast<size_t>(Severity::kHigh)], 2u);
  }
}

// JSON written one finding at a time has exactly the layout of dumping one tree, with and
// without findings and product.
TEST(ScanReport, JsonIsLaidOutAsOneTree) {
  const std::vector<Finding> findings = SampleFindings();
  const sbom::Component pump = Pump();
  for (size_t n : {size_t{0}, size_t{1}, findings.size()}) {
    for (const sbom::Component* product : {static_cast<const sbom::Component*>(nullptr), &pump}) {
      const std::string text =
          WriteFindingsJson(std::span<const Finding>(findings).first(n), Context(product));
      EXPECT_EQ(text, nlohmann::ordered_json::parse(text).dump(2) + "\n") << text;
    }
  }
}

// Issue 13 item 7: a record naming a component without versions is not a finding; every format
// lists it apart, as the format allows, and stays valid.
Finding Unassessed() {
  Finding u;
  u.component_ref = "busybox@1.35.0";
  u.component_name = "busybox";
  u.component_version = "1.35.0";
  u.component_cpe = "cpe:2.3:a:busybox:busybox:1.35.0:*:*:*:*:*:*:*";
  u.advisory_id = "CVE-2023-42363";
  u.summary = "A use-after-free in BusyBox v.1.36.1.";
  u.severity = Severity::kMedium;
  u.match_reason =
      "unassessed: NVD 'Received' without configurations, no CVE 5 record; its "
      "description names 'busybox'";
  u.confidence = Confidence::kLow;
  u.unassessed = true;
  return u;
}

TEST(ScanReport, UnassessedRecordsAreListedApartInEveryFormat) {
  std::vector<Finding> findings = SampleFindings();
  findings.insert(findings.begin() + 1, Unassessed());
  sbom::Component pump = Pump();
  const ReportContext ctx = Context(&pump);

  const std::string table = WriteFindingsTable(findings, ctx);
  const size_t section = table.find("UNASSESSED: ");
  ASSERT_NE(section, std::string::npos) << table;
  EXPECT_GT(table.find("CVE-2023-42363"), section);
  EXPECT_GT(section, table.find("CVE-2021-3712"));
  EXPECT_NE(table.find("4 findings: 1 in KEV, 1 critical, 2 high, 1 medium; 2 suppressed by "
                       "VEX, 1 unassessed"),
            std::string::npos)
      << table;

  nlohmann::json json = nlohmann::json::parse(WriteFindingsJson(findings, ctx));
  EXPECT_EQ(json["findings"].size(), 4u);
  ASSERT_EQ(json["unassessed"].size(), 1u);
  EXPECT_EQ(json["unassessed"][0]["id"], "CVE-2023-42363");

  const std::string cdx = WriteCycloneDxVex(findings, ctx);
  nlohmann::json cdx_doc = nlohmann::json::parse(cdx);
  EXPECT_EQ(cdx_doc["vulnerabilities"][1]["analysis"]["state"], "in_triage");
  auto [cdx_rc, cdx_out] =
      RunNode("validate-json-schema.js", VIGIL_DATA_DIR "/sbom/cyclonedx/bom-1.6.schema.json " +
                                             WriteTemp("unassessed.cdx.json", cdx));
  EXPECT_EQ(cdx_rc, 0) << cdx_out;

  nlohmann::json openvex = nlohmann::json::parse(WriteOpenVex(findings, ctx));
  EXPECT_EQ(openvex["statements"][1]["status"], "under_investigation");
  EXPECT_EQ(openvex["statements"][1]["status_notes"], findings[1].match_reason);

  const std::string csaf = WriteCsafVex(findings, ctx);
  EXPECT_NE(csaf.find("Unassessed: no version data"), std::string::npos);
  auto [csaf_rc, csaf_out] = RunNode("validate-csaf.mjs", WriteTemp("unassessed.csaf.json", csaf));
  EXPECT_EQ(csaf_rc, 0) << csaf_out;

  const std::string sarif = WriteSarif(findings, ctx);
  nlohmann::json sarif_doc = nlohmann::json::parse(sarif);
  const auto& result = sarif_doc["runs"][0]["results"][1];
  EXPECT_EQ(result["level"], "note");
  EXPECT_EQ(result["properties"]["unassessed"], true);
  auto [sarif_rc, sarif_out] = RunNode("validate-sarif.js", WriteTemp("unassessed.sarif", sarif));
  EXPECT_EQ(sarif_rc, 0) << sarif_out;
}

}  // namespace
}  // namespace vigil::vuln
