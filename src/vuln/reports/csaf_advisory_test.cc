#include "vigil/vuln/csaf_advisory.h"

#include <gtest/gtest.h>

#include <functional>
#include <iostream>

#include "testing/node_validator.h"
#include "vigil/core/json.h"
#include "vigil/vuln/vex.h"

namespace vigil::vuln::csaf {
namespace {

using vuln::testing::RunNode;
using vuln::testing::WriteTemp;

// An infusion pump's advisory: releases 1.0 and 1.1; a wolfSSL flaw affecting 1.0 and fixed in
// 1.1; a KEV-listed libwebp flaw in both with a mitigation; an OpenSSL flaw that does not
// apply because the pump has no OpenSSL.
Vulnerability WolfSsl() {
  Vulnerability v;
  v.cve = "CVE-2022-42905";
  v.title = "wolfSSL buffer over-read in TLS 1.3 session handling";
  v.description =
      "The wolfSSL library in the pump's communication module reads past a buffer while "
      "handling a crafted TLS 1.3 ClientHello, which can disclose memory or stop the module.";
  v.cwe = Cwe{"CWE-125", "Out-of-bounds Read"};
  v.discovery_date = "2026-10-20T00:00:00Z";
  v.release_date = "2022-10-31T00:00:00Z";
  v.cvss_vectors = {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H",
                    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:H/SC:N/SI:N/SA:N"};
  v.product_status = {{"1.0", ProductStatus::kKnownAffected, std::nullopt},
                      {"1.1", ProductStatus::kFixed, std::nullopt},
                      {"1.1", ProductStatus::kRecommended, std::nullopt}};
  v.remediations = {{RemediationCategory::kVendorFix,
                     "Update the pump to release 1.1, which carries wolfSSL 5.5.2.",
                     "2026-12-01T09:00:00Z",
                     "https://psirt.acme-medical.example/updates/1.1",
                     {"1.0"}}};
  v.threats = {{ThreatCategory::kImpact,
                "An attacker on the clinical network can stop the pump's communication module; "
                "an infusion in progress continues as programmed.",
                "",
                {"1.0"}}};
  v.acknowledgments = {
      {{"Jane Doe"}, "St. Example Hospital, Clinical Engineering", "for reporting the issue", {}}};
  v.references = {{"https://nvd.nist.gov/vuln/detail/CVE-2022-42905", "NVD entry"}};
  return v;
}

Vulnerability LibWebp() {
  Vulnerability v;
  v.cve = "CVE-2023-4863";
  v.ids = {{"Acme PSIRT", "ACME-VULN-0042"}};
  v.title = "libwebp heap buffer overflow in the service web interface";
  v.description =
      "The service web interface decodes uploaded WebP images with a libwebp "
      "version that writes out of bounds on a crafted image.";
  v.cwe = Cwe{"CWE-787", "Out-of-bounds Write"};
  v.cvss_vectors = {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H"};
  v.product_status = {{"1.0", ProductStatus::kKnownAffected, std::nullopt},
                      {"1.1", ProductStatus::kKnownAffected, std::nullopt}};
  v.remediations = {{RemediationCategory::kMitigation,
                     "Disable image upload in the service web interface (Settings > Service > "
                     "Image upload) and reach the interface only from the biomedical VLAN.",
                     "",
                     "",
                     {"1.0", "1.1"}}};
  v.kev = KevListing{"2023-09-13", "2023-10-04",
                     "Apply mitigations per vendor instructions or discontinue use of the "
                     "product if mitigations are unavailable."};
  return v;
}

Vulnerability OpenSsl() {
  Vulnerability v;
  v.cve = "CVE-2022-3602";
  v.title = "OpenSSL X.509 email address buffer overflow";
  v.description = "A buffer overrun in OpenSSL 3.0's X.509 name constraint checking.";
  v.cvss_vectors = {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"};
  v.product_status = {
      {"1.0", ProductStatus::kKnownNotAffected, Justification::kComponentNotPresent},
      {"1.1", ProductStatus::kKnownNotAffected, Justification::kComponentNotPresent}};
  return v;
}

Advisory PumpAdvisory() {
  Advisory a;
  a.publisher = {"Acme Medical Devices", "https://psirt.acme-medical.example",
                 "psirt@acme-medical.example", ""};
  a.tracking.id = "ACME-SA-2026-0007";
  a.tracking.status = DocumentStatus::kFinal;
  a.tracking.initial_release_date = "2026-12-01T09:00:00Z";
  a.tracking.current_release_date = "2026-12-01T09:00:00Z";
  a.tracking.version = 1;
  a.tracking.revision_history = {{1, "2026-12-01T09:00:00Z", "Initial release."}};
  a.title = "Acme Infusion Pump: vulnerabilities in TLS and web components";
  a.canonical_url = "https://psirt.acme-medical.example/csaf/2026/acme-sa-2026-0007.json";
  a.summary =
      "Two vulnerabilities affect the Acme Infusion Pump's network functions; "
      "release 1.1 fixes one, a mitigation covers the other.";
  a.general = "Drug delivery does not depend on the network functions.";
  a.legal_disclaimer = "Provided as is, without warranty of any kind.";
  a.acknowledgments = {{{}, "Acme Product Security", "for coordinating the disclosure", {}}};
  a.product = {"Acme Medical Devices",
               "Acme Infusion Pump",
               {{"1.0", "pkg:generic/acme-medical/infusion-pump@1.0",
                 "cpe:2.3:h:acme-medical:infusion_pump:1.0:*:*:*:*:*:*:*"},
                {"1.1", "pkg:generic/acme-medical/infusion-pump@1.1", ""}}};
  a.vulnerabilities = {WolfSsl(), LibWebp(), OpenSsl()};
  a.tool_version = "0.1.0";
  return a;
}

json::Value Parsed(const std::string& text) {
  auto doc = json::Parse(text, "advisory.json");
  EXPECT_TRUE(doc.has_value()) << doc.error().message();
  return doc ? *doc : json::Value();
}

// Runs the reference validator (schema, mandatory and optional tests) and prints its report:
// optional warnings are shown, never failures.
std::pair<int, std::string> Validate(const std::string& name, const std::string& text) {
  auto result = RunNode("validate-csaf.mjs", "--optional " + WriteTemp(name, text));
  std::cout << result.second;
  return result;
}

std::string ErrorOf(const Advisory& a) {
  auto out = WriteCsafAdvisory(a);
  if (out) return "(no error)";
  EXPECT_EQ(out.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(out.error().message().find('\n'), std::string::npos) << "one line";
  return out.error().message();
}

TEST(CsafAdvisory, PumpAdvisoryPassesEveryMandatoryAndOptionalTest) {
  auto text = WriteCsafAdvisory(PumpAdvisory());
  ASSERT_TRUE(text.has_value()) << text.error().message();
  auto [rc, out] = Validate("acme-sa-2026-0007.json", *text);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("1 valid, 0 invalid"), std::string::npos) << out;
  EXPECT_NE(out.find("optional tests: 0 of 20 warned (none)"), std::string::npos) << out;
}

TEST(CsafAdvisory, WritesTheDescribedDocument) {
  json::Value doc = Parsed(*WriteCsafAdvisory(PumpAdvisory()));
  const json::Value& d = doc["document"];
  EXPECT_EQ(d["category"].as_string(), "csaf_security_advisory");
  EXPECT_EQ(d["tracking"]["version"].as_string(), "1");
  EXPECT_EQ(d["distribution"]["tlp"]["label"].as_string(), "WHITE");
  const json::Value& versions =
      doc["product_tree"]["branches"].as_array()[0]["branches"].as_array()[0]["branches"];
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions.as_array()[1]["product"]["product_id"].as_string(), "acme_infusion_pump-1.1");
  const json::Array& vulns = doc["vulnerabilities"].as_array();
  ASSERT_EQ(vulns.size(), 3u);
  // wolfSSL: v3.1 scored for 1.0 only, v4.0 carried as a note.
  const json::Value& cvss = vulns[0]["scores"].as_array()[0]["cvss_v3"];
  EXPECT_EQ(cvss["baseScore"].as_double(), 9.1);
  EXPECT_EQ(cvss["baseSeverity"].as_string(), "CRITICAL");
  EXPECT_EQ(vulns[0]["scores"].as_array()[0]["products"].as_array()[0].as_string(),
            "acme_infusion_pump-1.0");
  const json::Value& v4 = vulns[0]["notes"].as_array()[1];
  EXPECT_EQ(v4["title"].as_string(), "CVSS v4.0");
  EXPECT_NE(v4["text"].as_string().find("8.8 (high, CVSS-B)"), std::string::npos);
  EXPECT_NE(v4["text"].as_string().find("Releases scored: 1.0."), std::string::npos);
  EXPECT_EQ(vulns[0]["product_status"]["recommended"].as_array()[0].as_string(),
            "acme_infusion_pump-1.1");
  // KEV → exploit_status threat for the affected releases.
  const json::Value& kev = vulns[1]["threats"].as_array()[0];
  EXPECT_EQ(kev["category"].as_string(), "exploit_status");
  EXPECT_EQ(kev["date"].as_string(), "2023-09-13T00:00:00Z");
  EXPECT_EQ(kev["product_ids"].size(), 2u);
  // Not affected: a flag per justification, no score, the vector as a note.
  EXPECT_EQ(vulns[2]["flags"].as_array()[0]["label"].as_string(), "component_not_present");
  EXPECT_EQ(vulns[2].Find("scores"), nullptr);
  EXPECT_EQ(vulns[2]["notes"].as_array()[1]["title"].as_string(), "CVSS v3.1");
}

TEST(CsafAdvisory, EqualInputGivesEqualBytes) {
  EXPECT_EQ(*WriteCsafAdvisory(PumpAdvisory()), *WriteCsafAdvisory(PumpAdvisory()));
}

TEST(CsafAdvisory, ReissueAddsARevisionAndKeepsProductIds) {
  Advisory a = PumpAdvisory();
  a.product.releases.push_back({"1.2", "pkg:generic/acme-medical/infusion-pump@1.2", ""});
  Vulnerability& webp = a.vulnerabilities[1];
  webp.product_status.push_back({"1.2", ProductStatus::kFixed, std::nullopt});
  webp.remediations.push_back({RemediationCategory::kVendorFix,
                               "Update the pump to release 1.2.",
                               "2026-12-15T09:00:00Z",
                               "",
                               {"1.0", "1.1"}});
  for (Vulnerability& v : a.vulnerabilities) {
    if (v.cve == "CVE-2022-3602") {
      v.product_status.push_back(
          {"1.2", ProductStatus::kKnownNotAffected, Justification::kComponentNotPresent});
    }
  }
  a.vulnerabilities[0].product_status.push_back({"1.2", ProductStatus::kFixed, std::nullopt});
  AddRevision(a.tracking, "2026-12-15T09:00:00Z", "Release 1.2 fixes CVE-2023-4863.");
  auto text = WriteCsafAdvisory(a);
  ASSERT_TRUE(text.has_value()) << text.error().message();
  json::Value doc = Parsed(*text);
  const json::Value& tracking = doc["document"]["tracking"];
  EXPECT_EQ(tracking["version"].as_string(), "2");
  EXPECT_EQ(tracking["current_release_date"].as_string(), "2026-12-15T09:00:00Z");
  EXPECT_EQ(tracking["initial_release_date"].as_string(), "2026-12-01T09:00:00Z");
  ASSERT_EQ(tracking["revision_history"].size(), 2u);
  EXPECT_EQ(tracking["revision_history"].as_array()[1]["number"].as_string(), "2");
  EXPECT_NE(text->find("\"acme_infusion_pump-1.0\""), std::string::npos);
  auto [rc, out] = Validate("acme-sa-2026-0007-r2.json", *text);
  EXPECT_EQ(rc, 0) << out;
}

TEST(CsafAdvisory, InconsistentRevisionsAreRefused) {
  Advisory a = PumpAdvisory();
  a.tracking.version = 2;
  EXPECT_EQ(ErrorOf(a), "tracking.version: expected 1, the last revision's number, got 2");
  a = PumpAdvisory();
  a.tracking.current_release_date = "2026-12-02T09:00:00Z";
  EXPECT_EQ(ErrorOf(a),
            "tracking.current_release_date: expected 2026-12-01T09:00:00Z, the last revision's "
            "date, got \"2026-12-02T09:00:00Z\"");
  a = PumpAdvisory();
  a.tracking.revision_history.push_back({3, "2026-12-02T09:00:00Z", "Update."});
  EXPECT_EQ(ErrorOf(a),
            "tracking.revision_history[1].number: expected 2 (revisions are numbered 1, 2, 3, … "
            "without gaps), got 3");
  a = PumpAdvisory();
  AddRevision(a.tracking, "2026-11-30T09:00:00Z", "Back in time.");
  EXPECT_EQ(ErrorOf(a),
            "tracking.revision_history[1].date: 2026-11-30T09:00:00Z is before the previous "
            "revision's 2026-12-01T09:00:00Z");
  a = PumpAdvisory();
  a.tracking.initial_release_date = "2026-12-01";
  EXPECT_EQ(ErrorOf(a),
            "tracking.initial_release_date: expected 2026-12-01T09:00:00Z, the first revision's "
            "date, got \"2026-12-01\"");
}

TEST(CsafAdvisory, UnknownReleaseIsRefused) {
  Advisory a = PumpAdvisory();
  a.vulnerabilities[1].product_status[0].release = "2.0";
  EXPECT_EQ(ErrorOf(a),
            "vulnerabilities[1].product_status[0].release: \"2.0\" is not a release of Acme "
            "Infusion Pump (1.0, 1.1)");
  a = PumpAdvisory();
  a.vulnerabilities[0].remediations[0].releases = {"0.9"};
  EXPECT_EQ(ErrorOf(a),
            "vulnerabilities[0].remediations[0].releases[0]: \"0.9\" is not a release of Acme "
            "Infusion Pump (1.0, 1.1)");
}

TEST(CsafAdvisory, InvalidCvssVectorIsRefused) {
  Advisory a = PumpAdvisory();
  a.vulnerabilities[2].cvss_vectors = {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:X"};
  std::string error = ErrorOf(a);
  EXPECT_EQ(error.rfind("vulnerabilities[2].cvss_vectors[0]: ", 0), 0u) << error;
  EXPECT_NE(error.find("\"A\""), std::string::npos) << error;
  a = PumpAdvisory();
  a.vulnerabilities[0].cvss_vectors.push_back("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H");
  EXPECT_EQ(ErrorOf(a), "vulnerabilities[0].cvss_vectors[2]: a second CVSS v3 vector");
}

TEST(CsafAdvisory, OtherInputErrorsNameTheField) {
  Advisory a = PumpAdvisory();
  a.vulnerabilities[0].product_status.push_back({"1.0", ProductStatus::kFixed, std::nullopt});
  EXPECT_EQ(ErrorOf(a),
            "vulnerabilities[0].product_status[3].status: release \"1.0\" already has a status "
            "that contradicts this one");
  a = PumpAdvisory();
  a.vulnerabilities[0].product_status[0].justification = Justification::kComponentNotPresent;
  EXPECT_EQ(ErrorOf(a),
            "vulnerabilities[0].product_status[0].justification: only a "
            "known_not_affected release has one");
  a = PumpAdvisory();
  a.vulnerabilities[1].remediations[0].releases.clear();
  EXPECT_EQ(ErrorOf(a), "vulnerabilities[1].remediations[0].releases: name at least one release");
  a = PumpAdvisory();
  a.vulnerabilities[1].ids[0].text = "CVE-2023-5129";
  EXPECT_EQ(ErrorOf(a), "vulnerabilities[1].ids[0].text: a CVE id belongs in cve, not ids");
  a = PumpAdvisory();
  a.vulnerabilities[2].cve = "CVE-2022-42905";
  EXPECT_EQ(ErrorOf(a),
            "vulnerabilities[2].cve: CVE-2022-42905 is already an earlier vulnerability");
  a = PumpAdvisory();
  a.vulnerabilities[1].kev->date_added = "13/09/2023";
  EXPECT_EQ(ErrorOf(a),
            "vulnerabilities[1].kev.date_added: expected YYYY-MM-DD, got \"13/09/2023\"");
  a = PumpAdvisory();
  a.canonical_url = "https://psirt.acme-medical.example/csaf/advisory.json";
  EXPECT_EQ(ErrorOf(a),
            "canonical_url: expected an https URL ending in /acme-sa-2026-0007.json, got "
            "\"https://psirt.acme-medical.example/csaf/advisory.json\"");
  a = PumpAdvisory();
  a.product.releases[1].purl = "not a purl";
  EXPECT_EQ(ErrorOf(a).rfind("product.releases[1].purl: ", 0), 0u);
  a = PumpAdvisory();
  a.vulnerabilities[0].description.clear();
  EXPECT_EQ(ErrorOf(a), "vulnerabilities[0].description: required, got an empty string");
}

// The statuses, categories and CVSS versions the pump example does not use: a draft under
// TLP GREEN, CVSS v2.0, first/last affected, first fixed, under investigation, workaround,
// no_fix_planned and none_available remediations, a target threat.
TEST(CsafAdvisory, EveryStatusAndCategoryPassesTheMandatoryTests) {
  Advisory a = PumpAdvisory();
  a.tracking.status = DocumentStatus::kDraft;
  a.tlp = Tlp::kGreen;
  a.lang = "en-US";
  a.canonical_url.clear();
  a.product.releases.push_back(
      {"1.2", "", "cpe:2.3:h:acme-medical:infusion_pump:1.2:*:*:*:*:*:*:*"});
  Vulnerability v;
  v.ids = {{"Acme PSIRT", "ACME-VULN-0050"}};
  v.description = "The pump's legacy maintenance service accepts unauthenticated commands.";
  v.cvss_vectors = {"AV:A/AC:L/Au:N/C:P/I:P/A:C"};
  v.product_status = {{"1.0", ProductStatus::kFirstAffected, std::nullopt},
                      {"1.1", ProductStatus::kLastAffected, std::nullopt},
                      {"1.2", ProductStatus::kFirstFixed, std::nullopt}};
  v.remediations = {
      {RemediationCategory::kWorkaround,
       "Block UDP port 4000 at the bedside switch.",
       "",
       "",
       {"1.0", "1.1"}},
      {RemediationCategory::kNoFixPlanned, "Release 1.0 is out of support.", "", "", {"1.0"}},
      {RemediationCategory::kVendorFix,
       "Update to release 1.2.",
       "2026-12-01T09:00:00Z",
       "",
       {"1.1"}}};
  v.threats = {{ThreatCategory::kTargetSet, "Pumps reachable from the guest network.", "", {}}};
  Vulnerability open = LibWebp();
  open.cve.clear();
  open.ids = {{"Acme PSIRT", "ACME-VULN-0051"}};
  open.kev.reset();
  open.product_status = {{"1.2", ProductStatus::kUnderInvestigation, std::nullopt}};
  open.remediations = {
      {RemediationCategory::kNoneAvailable, "No fix yet; analysis continues.", "", "", {"1.2"}}};
  a.vulnerabilities.push_back(v);
  a.vulnerabilities.push_back(open);
  a.vulnerabilities[0].product_status.push_back({"1.2", ProductStatus::kFixed, std::nullopt});
  a.vulnerabilities[1].product_status.push_back({"1.2", ProductStatus::kFixed, std::nullopt});
  a.vulnerabilities[2].product_status.push_back(
      {"1.2", ProductStatus::kKnownNotAffected, Justification::kComponentNotPresent});
  auto text = WriteCsafAdvisory(a);
  ASSERT_TRUE(text.has_value()) << text.error().message();
  json::Value doc = Parsed(*text);
  const json::Value& v2 = doc["vulnerabilities"].as_array()[3]["scores"].as_array()[0];
  EXPECT_EQ(v2["cvss_v2"]["version"].as_string(), "2.0");
  EXPECT_EQ(v2["products"].size(), 2u) << "first and last affected, not first fixed";
  auto [rc, out] = Validate("acme-sa-2026-0007-draft.json", *text);
  EXPECT_EQ(rc, 0) << out;
  // Without a canonical URL optional test 6.2.11 warns: reported, not a failure.
  EXPECT_NE(out.find("optional tests: 1 of 20 warned (optionalTest_6_2_11)"), std::string::npos)
      << out;
}

TEST(CsafAdvisory, FlagLabelsAreTheVexJustifications) {
  for (Justification j :
       {Justification::kComponentNotPresent, Justification::kVulnerableCodeNotPresent,
        Justification::kVulnerableCodeCannotBeControlledByAdversary,
        Justification::kVulnerableCodeNotInExecutePath,
        Justification::kInlineMitigationsAlreadyExist}) {
    EXPECT_TRUE(IsCanonicalJustification(JustificationLabel(j))) << JustificationLabel(j);
  }
}

// Every other rule of the check, each broken once: the field named, the problem said.
TEST(CsafAdvisory, EveryCheckNamesItsField) {
  struct Case {
    std::function<void(Advisory&)> breaks;
    std::string error;
  };
  const std::vector<Case> cases = {
      {[](Advisory& a) { a.publisher.name.clear(); }, "publisher.name: required"},
      {[](Advisory& a) { a.publisher.namespace_url = "acme.example"; },
       "publisher.namespace_url: expected an http(s) URL, got \"acme.example\""},
      {[](Advisory& a) { a.tracking.id = " ACME"; }, "tracking.id: must not begin or end"},
      {[](Advisory& a) { a.tracking.revision_history.clear(); },
       "tracking.revision_history: at least one revision"},
      {[](Advisory& a) { a.tracking.revision_history[0].summary.clear(); },
       "tracking.revision_history[0].summary: required"},
      {[](Advisory& a) { a.tracking.revision_history[0].date = "2026-12-01T09:00:00+01:00"; },
       "tracking.revision_history[0].date: expected an RFC 3339 UTC date"},
      {[](Advisory& a) { a.title.clear(); }, "title: required"},
      {[](Advisory& a) { a.lang.clear(); }, "lang: expected a BCP 47 language tag"},
      {[](Advisory& a) { a.lang = "english (US)"; },
       "lang: expected a BCP 47 language tag like \"en\", got \"english (US)\""},
      {[](Advisory& a) { a.product.releases[1].version = "1.1 and later"; },
       "product.releases[1].version: expected one version, got a range \"1.1 and later\""},
      {[](Advisory& a) { a.product.releases[1].version = "<1.2"; },
       "product.releases[1].version: expected one version, got a range"},
      {[](Advisory& a) {
         a.references = {{"ftp://x", "x"}};
       },
       "references[0].url: expected an http(s) URL"},
      {[](Advisory& a) {
         a.references = {{"https://x.example", ""}};
       },
       "references[0].summary: required"},
      {[](Advisory& a) { a.acknowledgments = {{}}; },
       "acknowledgments[0]: names, organization, summary or urls"},
      {[](Advisory& a) { a.product.vendor.clear(); }, "product.vendor: required"},
      {[](Advisory& a) { a.product.name.clear(); }, "product.name: required"},
      {[](Advisory& a) { a.product.releases.clear(); }, "product.releases: at least one release"},
      {[](Advisory& a) {
         a.product.releases[0].version = "1 0";
         a.product.releases[1].version = "1_0";
       },
       "product.releases[1].version: \"1_0\" gives the same product id as release \"1 0\""},
      {[](Advisory& a) { a.product.releases[0].cpe = "cpe:nonsense"; },
       "product.releases[0].cpe: "},
      {[](Advisory& a) { a.vulnerabilities.clear(); }, "vulnerabilities: at least one"},
      {[](Advisory& a) { a.vulnerabilities[0].cve = "CVE-22-1"; },
       "vulnerabilities[0].cve: expected CVE-YYYY-NNNN…, got \"CVE-22-1\""},
      {[](Advisory& a) { a.vulnerabilities[1].ids[0].system_name.clear(); },
       "vulnerabilities[1].ids[0].system_name: required"},
      {[](Advisory& a) { a.vulnerabilities[0].cwe->id = "CWE-0125"; },
       "vulnerabilities[0].cwe.id: expected CWE-N, got \"CWE-0125\""},
      {[](Advisory& a) { a.vulnerabilities[0].cwe->name.clear(); },
       "vulnerabilities[0].cwe.name: required"},
      {[](Advisory& a) { a.vulnerabilities[0].discovery_date = "2026-10-20"; },
       "vulnerabilities[0].discovery_date: expected an RFC 3339 UTC date"},
      {[](Advisory& a) { a.vulnerabilities[0].release_date = "yesterday"; },
       "vulnerabilities[0].release_date: expected an RFC 3339 UTC date"},
      {[](Advisory& a) { a.vulnerabilities[0].product_status.clear(); },
       "vulnerabilities[0].product_status: at least one release's status"},
      {[](Advisory& a) {
         a.vulnerabilities[1].product_status.push_back(
             {"1.0", ProductStatus::kFirstAffected, std::nullopt});
       },
       "vulnerabilities[1].product_status[2].status: release \"1.0\" already has a status of "
       "the same kind"},
      {[](Advisory& a) { a.vulnerabilities[0].remediations[0].details.clear(); },
       "vulnerabilities[0].remediations[0].details: required"},
      {[](Advisory& a) { a.vulnerabilities[0].remediations[0].date = "2026-12-01"; },
       "vulnerabilities[0].remediations[0].date: expected an RFC 3339 UTC date"},
      {[](Advisory& a) { a.vulnerabilities[0].remediations[0].url = "updates/1.1"; },
       "vulnerabilities[0].remediations[0].url: expected an http(s) URL"},
      {[](Advisory& a) { a.vulnerabilities[0].threats[0].details.clear(); },
       "vulnerabilities[0].threats[0].details: required"},
      {[](Advisory& a) { a.vulnerabilities[0].threats[0].date = "now"; },
       "vulnerabilities[0].threats[0].date: expected an RFC 3339 UTC date"},
      {[](Advisory& a) {
         a.vulnerabilities[0].threats[0].releases = {"1.0", "3"};
       },
       "vulnerabilities[0].threats[0].releases[1]: \"3\" is not a release"},
      {[](Advisory& a) { a.vulnerabilities[1].kev->due_date = "soon"; },
       "vulnerabilities[1].kev.due_date: expected YYYY-MM-DD, got \"soon\""},
      {[](Advisory& a) { a.vulnerabilities[0].references[0].url = "nvd"; },
       "vulnerabilities[0].references[0].url: expected an http(s) URL"},
      {[](Advisory& a) { a.vulnerabilities[0].acknowledgments = {{}}; },
       "vulnerabilities[0].acknowledgments[0]: names, organization, summary or urls"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    Advisory a = PumpAdvisory();
    cases[i].breaks(a);
    std::string error = ErrorOf(a);
    EXPECT_EQ(error.rfind(cases[i].error, 0), 0u) << "case " << i << ": " << error;
  }
}

TEST(CsafAdvisory, FileNameFollowsCsafSection51) {
  EXPECT_EQ(CsafFileName("ACME-SA-2026-0007"), "acme-sa-2026-0007.json");
  EXPECT_EQ(CsafFileName("Example Company // PSIRT 2022-1"), "example_company_psirt_2022-1.json");
}

// Negative control: the validator run above can fail. A score that does not match its vector
// breaks mandatory test 6.1.9; a product id nothing defines breaks 6.1.1.
TEST(CsafAdvisory, TheValidatorRefusesACorruptedDocument) {
  json::Value doc = Parsed(*WriteCsafAdvisory(PumpAdvisory()));
  doc["vulnerabilities"].as_array()[0]["scores"].as_array()[0]["cvss_v3"]["baseScore"] = 5.0;
  doc["vulnerabilities"].as_array()[1]["product_status"]["known_affected"].as_array()[0] =
      "acme_infusion_pump-9.9";
  auto [rc, out] = Validate("corrupted.json", json::Write(doc, 2));
  EXPECT_NE(rc, 0) << "the validator must refuse a corrupted document";
  EXPECT_NE(out.find("0 valid, 1 invalid"), std::string::npos) << out;
  EXPECT_NE(out.find("mandatoryTest_6_1_1"), std::string::npos) << out;
  EXPECT_NE(out.find("mandatoryTest_6_1_9"), std::string::npos) << out;
}

}  // namespace
}  // namespace vigil::vuln::csaf
