#include "vigil/vuln/vex.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace vigil::vuln {
namespace {

Finding MakeFinding(std::string id, std::string purl, std::string version,
                    std::vector<std::string> aliases = {}) {
  Finding f;
  f.advisory_id = std::move(id);
  f.aliases = std::move(aliases);
  f.component_purl = std::move(purl);
  f.component_version = std::move(version);
  f.component_name = "comp";
  f.severity = Severity::kHigh;
  return f;
}

std::string ReadData(const std::string& rel) {
  std::ifstream in(std::string(VIGIL_DATA_DIR) + "/" + rel);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// An OpenVEX document around the given statements.
std::string OpenVex(const std::string& statements, const std::string& ts = "2024-01-01T00:00:00Z") {
  return R"({"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex-1",
    "author": "Device Maker PSIRT", "timestamp": ")" +
         ts + R"(", "version": 1,
    "statements": [)" +
         statements + "]}";
}

VexDocument MustRead(const std::string& json, const std::string& source) {
  auto doc = ReadVex(json, source);
  EXPECT_TRUE(doc.has_value()) << (doc ? "" : doc.error().message());
  return doc ? *doc : VexDocument{};
}

TEST(OpenVex, NotAffectedWithJustificationSuppressesAndTraces) {
  VexDocument doc = MustRead(OpenVex(R"(
    {"vulnerability": {"name": "CVE-2023-1000"},
     "products": [{"@id": "pkg:npm/left-pad@1.3.0"}],
     "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path",
     "impact_statement": "pad() is never called"})"),
                             "vex.json");
  std::vector<Finding> findings = {MakeFinding("CVE-2023-1000", "pkg:npm/left-pad@1.3.0", "1.3.0")};
  VexApplication app = ApplyVex({&doc, 1}, nullptr, findings);
  EXPECT_EQ(app.applied, 1u);
  EXPECT_EQ(app.suppressed, 1u);
  EXPECT_TRUE(app.problems.empty());
  EXPECT_EQ(findings[0].vex_status, VexStatus::kNotAffected);
  EXPECT_EQ(findings[0].vex_justification, "vulnerable_code_not_in_execute_path");
  EXPECT_EQ(findings[0].vex_detail, "pad() is never called");
  EXPECT_EQ(findings[0].vex_trace, "vex.json: $.statements[0]");
  EXPECT_TRUE(IsSuppressed(findings[0]));
}

TEST(OpenVex, NotAffectedWithoutJustificationIsReportedAndDoesNotSuppress) {
  VexDocument doc = MustRead(OpenVex(R"(
    {"vulnerability": {"name": "CVE-2023-1000"}, "products": [{"@id": "pkg:npm/left-pad"}],
     "status": "not_affected", "impact_statement": "we think it is fine"})"),
                             "vex.json");
  std::vector<Finding> findings = {MakeFinding("CVE-2023-1000", "pkg:npm/left-pad@1.3.0", "1.3.0")};
  VexApplication app = ApplyVex({&doc, 1}, nullptr, findings);
  EXPECT_EQ(app.applied, 0u);
  ASSERT_EQ(app.problems.size(), 1u);
  EXPECT_NE(app.problems[0].find("vex.json: $.statements[0]: not_affected without a justification"),
            std::string::npos)
      << app.problems[0];
  EXPECT_NE(app.problems[0].find("CVE-2023-1000 on pkg:npm/left-pad@1.3.0 stays open"),
            std::string::npos);
  EXPECT_EQ(findings[0].vex_status, VexStatus::kNone);
  EXPECT_FALSE(IsSuppressed(findings[0]));
}

TEST(OpenVex, LatestStatementWinsWithinAndAcrossDocuments) {
  VexDocument a = MustRead(OpenVex(R"(
    {"vulnerability": {"name": "CVE-2023-2"}, "products": [{"@id": "pkg:npm/a"}],
     "status": "under_investigation", "timestamp": "2024-01-01T00:00:00Z"},
    {"vulnerability": {"name": "CVE-2023-2"}, "products": [{"@id": "pkg:npm/a"}],
     "status": "not_affected", "justification": "component_not_present",
     "timestamp": "2024-03-01T00:00:00Z"},
    {"vulnerability": {"name": "CVE-2023-2"}, "products": [{"@id": "pkg:npm/a"}],
     "status": "affected", "action_statement": "update", "timestamp": "2024-02-01T00:00:00Z"})"),
                           "a.json");
  std::vector<Finding> findings = {MakeFinding("CVE-2023-2", "pkg:npm/a@1.0.0", "1.0.0")};
  ApplyVex({&a, 1}, nullptr, findings);
  EXPECT_EQ(findings[0].vex_status, VexStatus::kNotAffected);
  EXPECT_EQ(findings[0].vex_trace, "a.json: $.statements[1]");
  // A later document (inherited document timestamp) overrides it.
  VexDocument b = MustRead(OpenVex(R"(
    {"vulnerability": {"name": "CVE-2023-2"}, "products": [{"@id": "pkg:npm/a"}],
     "status": "affected", "action_statement": "update to 1.0.1"})",
                                   "2024-04-01T10:00:00+02:00"),
                           "b.json");
  std::vector<VexDocument> docs = {a, b};
  findings = {MakeFinding("CVE-2023-2", "pkg:npm/a@1.0.0", "1.0.0")};
  ApplyVex(docs, nullptr, findings);
  EXPECT_EQ(findings[0].vex_status, VexStatus::kAffected);
  EXPECT_EQ(findings[0].vex_detail, "update to 1.0.1");
  EXPECT_EQ(findings[0].vex_trace, "b.json: $.statements[0]");
}

TEST(OpenVex, PurlWithoutVersionCarriesAcrossSbomVersionsPurlWithVersionDoesNot) {
  VexDocument doc = MustRead(OpenVex(R"(
    {"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:pypi/requests"}],
     "status": "not_affected", "justification": "vulnerable_code_not_present"},
    {"vulnerability": {"name": "CVE-2"}, "products": [{"@id": "pkg:pypi/requests@2.30.0"}],
     "status": "not_affected", "justification": "vulnerable_code_not_present"})"),
                             "v.json");
  std::vector<Finding> findings = {MakeFinding("CVE-1", "pkg:pypi/requests@2.31.0", "2.31.0"),
                                   MakeFinding("CVE-2", "pkg:pypi/requests@2.31.0", "2.31.0"),
                                   MakeFinding("CVE-2", "pkg:pypi/requests@2.30.0", "2.30.0"),
                                   MakeFinding("CVE-1", "pkg:pypi/urllib3@2.0.0", "2.0.0")};
  ApplyVex({&doc, 1}, nullptr, findings);
  EXPECT_TRUE(IsSuppressed(findings[0]));
  EXPECT_FALSE(IsSuppressed(findings[1]));
  EXPECT_TRUE(IsSuppressed(findings[2]));
  EXPECT_FALSE(IsSuppressed(findings[3]));
}

TEST(OpenVex, MatchesByAliasAndCpeIdentifier) {
  VexDocument doc = MustRead(OpenVex(R"(
    {"vulnerability": {"name": "GHSA-xxxx-yyyy-zzzz", "aliases": ["CVE-2021-3711"]},
     "products": [{"@id": "urn:example:openssl",
                   "identifiers": {"cpe23": "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*"}}],
     "status": "fixed"})"),
                             "v.json");
  Finding f = MakeFinding("cve-2021-3711", "", "1.1.1k");
  f.component_cpe = "cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*";
  Finding other = f;
  other.component_cpe = "cpe:2.3:a:libressl:libressl:1.1.1k:*:*:*:*:*:*:*";
  std::vector<Finding> findings = {f, other};
  ApplyVex({&doc, 1}, nullptr, findings);
  EXPECT_EQ(findings[0].vex_status, VexStatus::kFixed);
  EXPECT_TRUE(IsSuppressed(findings[0]));
  EXPECT_EQ(findings[1].vex_status, VexStatus::kNone);
}

TEST(OpenVex, SubcomponentsApplyOnlyInsideTheNamedProduct) {
  VexDocument doc = MustRead(OpenVex(R"(
    {"vulnerability": {"name": "CVE-3"},
     "products": [{"@id": "pkg:generic/acme/infusion-pump",
                   "subcomponents": [{"@id": "pkg:deb/debian/openssl"}]}],
     "status": "not_affected", "justification": "inline_mitigations_already_exist"})"),
                             "v.json");
  auto pump = sbom::PackageUrl::Parse("pkg:generic/acme/infusion-pump@2.1.0");
  auto monitor = sbom::PackageUrl::Parse("pkg:generic/acme/monitor@1.0.0");
  sbom::Component product;
  product.name = "infusion-pump";
  product.purl = *pump;
  std::vector<Finding> findings = {MakeFinding("CVE-3", "pkg:deb/debian/openssl@3.0.11", "3.0.11")};
  ApplyVex({&doc, 1}, &product, findings);
  EXPECT_TRUE(IsSuppressed(findings[0]));
  product.purl = *monitor;
  findings = {MakeFinding("CVE-3", "pkg:deb/debian/openssl@3.0.11", "3.0.11")};
  ApplyVex({&doc, 1}, &product, findings);
  EXPECT_FALSE(IsSuppressed(findings[0]));
}

TEST(OpenVex, MalformedDocumentsFailWithFileJsonPathAndProblem) {
  struct Case {
    std::string json, want;
  } cases[] = {
      {"{not json", "bad.json: malformed JSON at byte 1"},
      {"[]", "bad.json: $: expected an object, found an array"},
      {OpenVex(R"({"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a"}],
                   "status": "unaffected"})"),
       "bad.json: $.statements[0].status: expected one of not_affected, affected, fixed, "
       "under_investigation, got 'unaffected'"},
      {OpenVex(R"({"vulnerability": {}, "products": [{"@id": "pkg:npm/a"}], "status": "fixed"})"),
       "bad.json: $.statements[0].vulnerability.name: required field missing"},
      {OpenVex(R"({"vulnerability": {"name": "CVE-1"}, "status": "fixed"})"),
       "bad.json: $.statements[0].products: a statement must name at least one product"},
      {OpenVex(R"({"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:"}],
                   "status": "fixed"})"),
       "bad.json: $.statements[0].products[0][\"@id\"]: "},
      {OpenVex(R"({"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a"}],
                   "status": "not_affected", "justification": "it_is_fine"})"),
       "bad.json: $.statements[0].justification: expected one of component_not_present"},
      {OpenVex(R"({"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a"}],
                   "status": "fixed", "timestamp": "yesterday"})"),
       "bad.json: $.statements[0].timestamp: expected an RFC 3339 date-time"},
      {OpenVex("", "2024-13-01T00:00:00Z"), "bad.json: $.timestamp: expected an RFC 3339"},
      {R"({"@context": "https://openvex.dev/ns/v0.2.0", "@id": "x", "author": "a",
           "timestamp": "2024-01-01T00:00:00Z", "version": 1})",
       "bad.json: $.statements: required field missing"},
      {R"({"hello": 1})", "bad.json: $: not a CycloneDX, OpenVEX or CSAF VEX document"},
  };
  for (const Case& c : cases) {
    auto doc = ReadVex(c.json, "bad.json");
    ASSERT_FALSE(doc.has_value()) << c.json;
    EXPECT_EQ(doc.error().message().rfind(c.want, 0), 0u) << doc.error().message();
    EXPECT_EQ(doc.error().message().find('\n'), std::string::npos);
  }
}

TEST(CycloneDxVex, ReadsTheCycloneDxVulnerabilityTestFile) {
  const std::string json = ReadData("sbom/cyclonedx/tests/valid-vulnerability-1.6.json");
  ASSERT_FALSE(json.empty());
  auto doc = ReadCycloneDxVex(json, "valid-vulnerability-1.6.json");
  ASSERT_TRUE(doc.has_value()) << doc.error().message();
  ASSERT_EQ(doc->statements.size(), 1u);
  const VexStatement& s = doc->statements[0];
  EXPECT_EQ(s.vulnerability, "SNYK-JAVA-COMFASTERXMLJACKSONCORE-32111");
  EXPECT_EQ(s.aliases, std::vector<std::string>{"CVE-2018-7489"});
  EXPECT_EQ(s.status, VexStatus::kNotAffected);
  EXPECT_EQ(s.justification, "vulnerable_code_not_in_execute_path");  // code_not_reachable
  EXPECT_EQ(s.responses, (std::vector<std::string>{"will_not_fix", "update"}));
  EXPECT_EQ(s.timestamp, "2022-02-01T00:00:00.000Z");  // analysis.lastUpdated
  EXPECT_EQ(s.trace, "valid-vulnerability-1.6.json: $.vulnerabilities[0]");
  ASSERT_EQ(s.products.size(), 1u);
  EXPECT_EQ(s.products[0].id.ranges.size(), 3u);

  // Applied through the CVE alias to the component the document describes: 2.9.4 lies in
  // "vers:semver/2.9.0|<2.9.5"; 2.9.5 (a later SBOM) lies in none of the ranges.
  const std::string purl = "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.4";
  std::vector<Finding> findings = {MakeFinding("CVE-2018-7489", purl, "2.9.4"),
                                   MakeFinding("CVE-2018-7489",
                                               "pkg:maven/com.fasterxml.jackson.core/"
                                               "jackson-databind@2.9.5",
                                               "2.9.5")};
  findings[0].component_ref = purl;
  VexApplication app = ApplyVex({&*doc, 1}, nullptr, findings);
  EXPECT_TRUE(IsSuppressed(findings[0]));
  EXPECT_EQ(findings[0].vex_detail,
            "An optional explanation of why the application is not affected by the vulnerable "
            "component.");
  EXPECT_FALSE(IsSuppressed(findings[1]));
  EXPECT_EQ(app.suppressed, 1u);
}

std::string CdxVex(const std::string& vulns) {
  return R"({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
    "metadata": {"timestamp": "2024-05-01T00:00:00Z"},
    "components": [{"type": "library", "bom-ref": "c1", "name": "zlib", "version": "1.2.11",
                    "purl": "pkg:generic/zlib@1.2.11"}],
    "vulnerabilities": [)" +
         vulns + "]}";
}

TEST(CycloneDxVex, StatesVersionsAndFalsePositive) {
  VexDocument doc = MustRead(CdxVex(R"(
    {"id": "CVE-2022-37434", "analysis": {"state": "false_positive"},
     "affects": [{"ref": "pkg:generic/zlib", "versions": [{"version": "1.2.11"},
                                                          {"range": "vers:generic/>=1.2.12|<1.2.13"}]}]},
    {"id": "CVE-2018-25032", "analysis": {"state": "resolved_with_pedigree"},
     "affects": [{"ref": "c1"}]},
    {"id": "CVE-2023-45853", "analysis": {"state": "exploitable", "response": ["update"]},
     "affects": [{"ref": "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#c1"}]},
    {"id": "CVE-2016-9840", "description": "no analysis: a listing, not a statement",
     "affects": [{"ref": "c1"}]})"),
                             "cdx.json");
  ASSERT_EQ(doc.statements.size(), 3u);
  EXPECT_EQ(doc.statements[0].justification, "false_positive");
  EXPECT_EQ(doc.statements[0].timestamp, "2024-05-01T00:00:00Z");
  auto finding = [](std::string id, std::string version) {
    Finding f = MakeFinding(std::move(id), "pkg:generic/zlib@" + version, version);
    f.component_ref = "c1";
    return f;
  };
  std::vector<Finding> findings = {
      finding("CVE-2022-37434", "1.2.11"), finding("CVE-2022-37434", "1.2.12"),
      finding("CVE-2022-37434", "1.2.13"), finding("CVE-2018-25032", "1.2.11"),
      finding("CVE-2023-45853", "1.2.11")};
  ApplyVex({&doc, 1}, nullptr, findings);
  EXPECT_TRUE(IsSuppressed(findings[0]));
  EXPECT_TRUE(IsSuppressed(findings[1]));
  EXPECT_FALSE(IsSuppressed(findings[2]));
  EXPECT_EQ(findings[3].vex_status, VexStatus::kFixed);
  EXPECT_EQ(findings[4].vex_status, VexStatus::kAffected);
  EXPECT_FALSE(IsSuppressed(findings[4]));
}

TEST(CycloneDxVex, MalformedStatementsFailWithPath) {
  struct Case {
    std::string vulns, want;
  } cases[] = {
      {R"({"id": "CVE-1", "analysis": {"state": "maybe"}, "affects": [{"ref": "c1"}]})",
       "cdx.json: $.vulnerabilities[0].analysis.state: expected one of resolved"},
      {R"({"id": "CVE-1", "analysis": {"state": "not_affected", "justification": "trust_me"},
           "affects": [{"ref": "c1"}]})",
       "cdx.json: $.vulnerabilities[0].analysis.justification: expected a CycloneDX justification"},
      {R"({"id": "CVE-1", "analysis": {"state": "not_affected"}})",
       "cdx.json: $.vulnerabilities[0].affects: a VEX statement must name what it affects"},
      {R"({"id": "CVE-1", "analysis": {"state": "in_triage"},
           "affects": [{"ref": "c1", "versions": [{"range": "vers:nosuch/<1"}]}]})",
       "cdx.json: $.vulnerabilities[0].affects[0].versions[0].range: vers range 'vers:nosuch/<1': "
       "unknown scheme 'nosuch'"},
      {R"({"id": "CVE-1", "analysis": {"state": "in_triage"},
           "affects": [{"ref": "c1", "versions": [{"version": "1", "range": "vers:npm/<2"}]}]})",
       "cdx.json: $.vulnerabilities[0].affects[0].versions[0]: expected exactly one of version and "
       "range"},
      {R"({"analysis": {"state": "in_triage"}, "affects": [{"ref": "c1"}]})",
       "cdx.json: $.vulnerabilities[0].id: required field missing"},
  };
  for (const Case& c : cases) {
    auto doc = ReadVex(CdxVex(c.vulns), "cdx.json");
    ASSERT_FALSE(doc.has_value()) << c.vulns;
    EXPECT_EQ(doc.error().message().rfind(c.want, 0), 0u) << doc.error().message();
  }
  auto old = ReadVex(R"({"bomFormat": "CycloneDX", "specVersion": "1.3"})", "cdx.json");
  ASSERT_FALSE(old.has_value());
  EXPECT_EQ(old.error().message(),
            "cdx.json: $.specVersion: expected 1.4, 1.5 or 1.6 (VEX), got '1.3'");
}

// A CSAF VEX document: a device (product_name/product_version branches) with OpenSSL and
// zlib as components (relationships), one vulnerability per status kind.
std::string Csaf(const std::string& vulnerabilities) {
  return R"({
  "document": {"category": "csaf_vex", "csaf_version": "2.0",
    "publisher": {"category": "vendor", "name": "Acme PSIRT", "namespace": "https://acme.example"},
    "title": "Acme pump VEX",
    "tracking": {"id": "ACME-VEX-1", "status": "final", "version": "1",
                 "initial_release_date": "2024-06-01T00:00:00Z",
                 "current_release_date": "2024-06-02T00:00:00Z",
                 "revision_history": [{"date": "2024-06-01T00:00:00Z", "number": "1", "summary": "x"}]}},
  "product_tree": {
    "branches": [{"category": "vendor", "name": "Acme", "branches": [
      {"category": "product_name", "name": "Infusion Pump", "branches": [
        {"category": "product_version", "name": "2.1.0",
         "product": {"product_id": "PUMP-2.1.0", "name": "Acme Infusion Pump 2.1.0"}}]}]},
      {"category": "vendor", "name": "OpenSSL", "branches": [
        {"category": "product_name", "name": "openssl", "branches": [
          {"category": "product_version_range", "name": "vers:deb/>=3.0.0|<3.0.12",
           "product": {"product_id": "OPENSSL-3.0", "name": "OpenSSL 3.0 before 3.0.12",
                       "product_identification_helper": {"purl": "pkg:deb/debian/openssl"}}}]}]}],
    "full_product_names": [{"product_id": "ZLIB", "name": "zlib 1.2.13",
      "product_identification_helper": {"cpe": "cpe:2.3:a:zlib:zlib:1.2.13:*:*:*:*:*:*:*"}}],
    "relationships": [
      {"category": "default_component_of", "product_reference": "OPENSSL-3.0",
       "relates_to_product_reference": "PUMP-2.1.0",
       "full_product_name": {"product_id": "PUMP-OPENSSL", "name": "OpenSSL in the pump"}}],
    "product_groups": [{"group_id": "G1", "product_ids": ["PUMP-OPENSSL"]}]},
  "vulnerabilities": [)" +
         vulnerabilities + "]}";
}

TEST(CsafVex, ProductTreeStatusesFlagsAndThreats) {
  VexDocument doc = MustRead(Csaf(R"(
    {"cve": "CVE-2023-5678", "ids": [{"system_name": "Acme", "text": "ACME-2023-7"}],
     "product_status": {"known_not_affected": ["PUMP-OPENSSL"]},
     "flags": [{"label": "vulnerable_code_not_in_execute_path", "group_ids": ["G1"]}],
     "threats": [{"category": "impact", "details": "DH not used", "product_ids": ["PUMP-OPENSSL"]}]},
    {"cve": "CVE-2022-37434",
     "product_status": {"known_not_affected": ["ZLIB"]},
     "threats": [{"category": "impact", "details": "inflateGetHeader unused", "product_ids": ["ZLIB"]}]},
    {"cve": "CVE-2023-45853", "product_status": {"known_affected": ["ZLIB"]},
     "remediations": [{"category": "vendor_fix", "details": "Update to pump 2.2", "product_ids": ["ZLIB"]}]})"),
                             "csaf.json");
  EXPECT_EQ(doc.format, VexFormat::kCsaf);
  EXPECT_EQ(doc.id, "ACME-VEX-1");
  ASSERT_EQ(doc.statements.size(), 3u);
  EXPECT_EQ(doc.statements[0].trace,
            "csaf.json: $.vulnerabilities[0].product_status.known_not_affected[0]");
  EXPECT_EQ(doc.statements[0].aliases, std::vector<std::string>{"ACME-2023-7"});

  sbom::Component pump;
  pump.name = "Infusion Pump";
  pump.version = "2.1.0";
  std::vector<Finding> findings = {
      MakeFinding("CVE-2023-5678", "pkg:deb/debian/openssl@3.0.11", "3.0.11"),
      MakeFinding("CVE-2023-5678", "pkg:deb/debian/openssl@3.0.13", "3.0.13"),
      MakeFinding("CVE-2022-37434", "", "1.2.13"), MakeFinding("CVE-2023-45853", "", "1.2.13")};
  findings[2].component_cpe = "cpe:2.3:a:zlib:zlib:1.2.13:*:*:*:*:*:*:*";
  findings[3].component_cpe = findings[2].component_cpe;
  VexApplication app = ApplyVex({&doc, 1}, &pump, findings);
  EXPECT_TRUE(IsSuppressed(findings[0]));  // in range, flagged through the product group
  EXPECT_EQ(findings[0].vex_detail, "DH not used");
  EXPECT_FALSE(IsSuppressed(findings[1]));  // 3.0.13 is outside the version range
  EXPECT_FALSE(IsSuppressed(findings[2]));  // impact statement but no flag: invalid
  ASSERT_EQ(app.problems.size(), 1u);
  EXPECT_NE(
      app.problems[0].find("csaf.json: $.vulnerabilities[1].product_status.known_not_affected[0]: "
                           "not_affected without a justification"),
      std::string::npos)
      << app.problems[0];
  EXPECT_EQ(findings[3].vex_status, VexStatus::kAffected);
  EXPECT_EQ(findings[3].vex_detail, "Update to pump 2.2");

  // The same OpenSSL finding in another device is not covered by the relationship.
  sbom::Component monitor;
  monitor.name = "Monitor";
  monitor.version = "2.1.0";
  findings = {MakeFinding("CVE-2023-5678", "pkg:deb/debian/openssl@3.0.11", "3.0.11")};
  ApplyVex({&doc, 1}, &monitor, findings);
  EXPECT_FALSE(IsSuppressed(findings[0]));
}

TEST(CsafVex, MalformedDocumentsFailWithPath) {
  struct Case {
    std::string json, want;
  } cases[] = {
      {Csaf(R"({"cve": "CVE-1", "product_status": {"fixed": ["NOPE"]}})"),
       "csaf.json: $.vulnerabilities[0].product_status.fixed[0]: unknown product_id 'NOPE'"},
      {Csaf(R"({"product_status": {"fixed": ["ZLIB"]}})"),
       "csaf.json: $.vulnerabilities[0]: a vulnerability needs a cve or ids"},
      {Csaf(R"({"cve": "CVE-1", "product_status": {"known_not_affected": ["ZLIB"]},
                "flags": [{"label": "not_my_problem", "product_ids": ["ZLIB"]}]})"),
       "csaf.json: $.vulnerabilities[0].flags: unknown flag label 'not_my_problem'"},
      {Csaf(
           R"({"cve": "CVE-1", "flags": [{"label": "component_not_present", "group_ids": ["G9"]}]})"),
       "csaf.json: $.vulnerabilities[0].flags[0].group_ids: unknown group_id 'G9'"},
      {Csaf(""), "csaf.json: $.vulnerabilities: the CSAF VEX profile requires at least one"},
      {R"({"document": {"csaf_version": "1.2", "category": "csaf_vex"}})",
       "csaf.json: $.document.csaf_version: expected '2.0', got '1.2'"},
  };
  for (const Case& c : cases) {
    auto doc = ReadVex(c.json, "csaf.json");
    ASSERT_FALSE(doc.has_value()) << c.json;
    EXPECT_EQ(doc.error().message().rfind(c.want, 0), 0u) << doc.error().message();
  }
}

TEST(Vers, ContainmentFollowsTheVersAlgorithm) {
  struct Case {
    std::string range, version;
    bool in;
  } cases[] = {
      {"vers:npm/>=1.0.0|<2.0.0", "1.5.0", true},
      {"vers:npm/>=1.0.0|<2.0.0", "2.0.0", false},
      {"vers:npm/>=1.0.0|<2.0.0", "0.9.0", false},
      {"vers:npm/<1.0.0|>=2.0.0|<3.0.0", "2.5.0", true},
      {"vers:npm/<1.0.0|>=2.0.0|<3.0.0", "1.5.0", false},
      {"vers:npm/<1.0.0|>=2.0.0|<3.0.0", "0.1.0", true},
      {"vers:npm/1.2.3", "1.2.3", true},
      {"vers:npm/!=1.2.3|>=1.0.0", "1.2.3", false},
      {"vers:npm/!=1.2.3|>=1.0.0", "1.2.4", true},
      {"vers:generic/*", "anything", true},
      {"vers:semver/2.7.0|<2.8.11.1", "2.8.11", true},  // Maven-style 4 parts: generic order
      // Read literally, as vers defines it: "= 2.7.0" or "< 2.8.11.1" (the CycloneDX example
      // file meant ">=2.7.0"; Vigil does not guess).
      {"vers:semver/2.7.0|<2.8.11.1", "2.6.0", true},
      {"vers:semver/>=2.7.0|<2.8.11.1", "2.6.0", false},
      {"vers:deb/>=3.0.0|<3.0.12", "3.0.11-1~deb12u2", true},
      {"vers:pypi/>=2.0|<2.0.1", "2.0.1rc1", true},
      {"vers:pypi/>= 2.0 | < 2.0.1", "2.0.1", false},
  };
  for (const Case& c : cases) {
    auto in = VersInRange(c.range, c.version);
    ASSERT_TRUE(in.has_value()) << c.range << ": " << in.error().message();
    EXPECT_EQ(*in, c.in) << c.range << " " << c.version;
  }
  EXPECT_FALSE(VersInRange("npm/<1", "1").has_value());
  EXPECT_FALSE(VersInRange("vers:npm", "1").has_value());
  EXPECT_FALSE(VersInRange("vers:npm/<1||", "1").has_value());
  EXPECT_FALSE(VersInRange("vers:what/<1", "1").has_value());
}

TEST(Justifications, CycloneDxLabelsMapToCanonicalAndBack) {
  for (std::string_view cdx :
       {"code_not_present", "code_not_reachable", "requires_configuration", "requires_dependency",
        "requires_environment", "protected_by_compiler", "protected_at_runtime",
        "protected_at_perimeter", "protected_by_mitigating_control"}) {
    auto canonical = CycloneDxJustificationToCanonical(cdx);
    ASSERT_TRUE(canonical.has_value()) << cdx;
    EXPECT_TRUE(IsCanonicalJustification(*canonical));
    // Writing back gives a label that maps to the same canonical one.
    EXPECT_EQ(CycloneDxJustificationToCanonical(CanonicalJustificationToCycloneDx(*canonical)),
              canonical);
  }
  EXPECT_FALSE(CycloneDxJustificationToCanonical("vulnerable_code_not_present").has_value());
}

}  // namespace
}  // namespace vigil::vuln
