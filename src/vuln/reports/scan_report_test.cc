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
  const std::string schema = VIGIL_DATA_DIR "/sbom/cyclonedx/bom-1.6.schema.json ";
  auto [rc, out] = RunNode("validate-json-schema.js", schema + WriteTemp("vex.cdx.json", json));
  EXPECT_EQ(rc, 0) << out;
  doc["vulnerabilities"][1]["analysis"]["state"] = "probably_fine";
  auto [bad_rc, bad_out] =
      RunNode("validate-json-schema.js", schema + WriteTemp("bad.cdx.json", doc.dump()));
  EXPECT_NE(bad_rc, 0) << "the validator must reject a broken document";
  ExpectRoundTrip(json, "vex.cdx.json", &pump);
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
  auto [rc, out] = RunNode("validate-csaf.mjs", WriteTemp("vex.csaf.json", json));
  EXPECT_EQ(rc, 0) << out;
  // A known_not_affected product without flag or impact breaks mandatory test 6.1.27.9.
  doc["vulnerabilities"][1].erase("flags");
  doc["vulnerabilities"][1].erase("threats");
  auto [bad_rc, bad_out] = RunNode("validate-csaf.mjs", WriteTemp("bad.csaf.json", doc.dump()));
  EXPECT_NE(bad_rc, 0) << "the validator must reject a broken document";
  ExpectRoundTrip(json, "vex.csaf.json", nullptr);
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
  auto [rc, out] = RunNode("validate-sarif.js", WriteTemp("scan.sarif", json));
  EXPECT_EQ(rc, 0) << out;
  doc["runs"][0]["results"][0]["level"] = "fatal";
  auto [bad_rc, bad_out] = RunNode("validate-sarif.js", WriteTemp("bad.sarif", doc.dump()));
  EXPECT_NE(bad_rc, 0) << "the validator must reject a broken log";
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
