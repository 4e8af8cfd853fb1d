// CVE JSON 5 records (issue 13 item 7): the reader's fields and errors, and the rules that
// decide a CVE for a component from its NVD and CVE 5 records together (internal::MatchCve).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "vigil/vuln/feeds.h"
#include "internal/match_rules.h"

namespace vigil::vuln {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// A PUBLISHED record whose CNA lists `versions` for acme / widget.
json Record(const json& versions, const std::string& default_status = "unaffected") {
  return {{"dataType", "CVE_RECORD"},
          {"dataVersion", "5.1"},
          {"cveMetadata", {{"cveId", "CVE-2099-0001"}, {"state", "PUBLISHED"}}},
          {"containers",
           {{"cna",
             {{"providerMetadata", {{"orgId", "x"}, {"shortName", "acme"}}},
              {"descriptions", {{{"lang", "en-US"}, {"value", "Overflow in Acme Widget."}}}},
              {"affected",
               {{{"vendor", "Acme"},
                 {"product", "Widget"},
                 {"defaultStatus", default_status},
                 {"versions", versions}}}}}}}}};
}

Advisory Parse(const json& doc) {
  auto adv = ParseCve5Record(doc.dump(), "rec.json");
  EXPECT_TRUE(adv) << adv.error().message();
  return adv ? *adv : Advisory{};
}

TEST(Cve5Reader, ReadsProductsVersionsAndProviders) {
  json doc = Record({{{"version", "1.0"},
                      {"lessThan", "1.4"},
                      {"status", "affected"},
                      {"versionType", "semver"},
                      {"changes", {{{"at", "1.2"}, {"status", "unaffected"}}}}}});
  doc["containers"]["adp"] = {
      {{"providerMetadata", {{"orgId", "y"}, {"shortName", "CISA-ADP"}}},
       {"affected",
        {{{"vendor", "acme"},
          {"product", "widget"},
          {"cpes", {"cpe:2.3:a:acme:widget:*:*:*:*:*:*:*:*"}},
          {"versions", {{{"version", "0"}, {"lessThanOrEqual", "1.3"}, {"status", "affected"}}}}}}},
       {"metrics", {{{"cvssV3_1", {{"vectorString", "CVSS:3.1/AV:N"}, {"baseScore", 7.5}}}}}}}};
  Advisory a = Parse(doc);
  EXPECT_EQ(a.source, AdvisorySource::kCve5);
  EXPECT_EQ(a.id, "CVE-2099-0001");
  EXPECT_EQ(a.status, "PUBLISHED");
  EXPECT_EQ(a.summary, "Overflow in Acme Widget.");
  ASSERT_EQ(a.products.size(), 2u);
  EXPECT_EQ(a.products[0].container, "CNA acme");
  EXPECT_EQ(a.products[0].versions[0].changes[0].status, "unaffected");
  EXPECT_EQ(a.products[0].versions[0].path, "containers.cna.affected[0].versions[0]");
  EXPECT_EQ(a.products[1].container, "ADP CISA-ADP");
  EXPECT_EQ(a.products[1].cpes.size(), 1u);
  ASSERT_EQ(a.severities.size(), 1u);
  EXPECT_EQ(a.severities[0].base_score, 7.5);
}

TEST(Cve5Reader, ARejectedRecordNeedsNoAffectedBlock) {
  Advisory a = Parse({{"cveMetadata", {{"cveId", "CVE-2023-52071"}, {"state", "REJECTED"}}},
                      {"containers", json::object()}});
  EXPECT_TRUE(a.rejected());
}

TEST(Cve5Reader, ErrorsNameFilePathAndProblem) {
  struct Case {
    json doc;
    std::string message;
  } cases[] = {
      {{{"containers", json::object()}}, "rec.json: $: required field 'cveMetadata' is missing"},
      {{{"dataType", "CSAF"}}, "rec.json: dataType: expected CVE_RECORD, got 'CSAF'"},
      {{{"cveMetadata", {{"cveId", "GHSA-1"}, {"state", "PUBLISHED"}}}},
       "rec.json: cveMetadata.cveId: expected a CVE id, got 'GHSA-1'"},
      {{{"cveMetadata", {{"cveId", "CVE-1-2"}, {"state", "RESERVED"}}}},
       "rec.json: cveMetadata.state: expected PUBLISHED or REJECTED, got 'RESERVED'"},
      {{{"cveMetadata", {{"cveId", "CVE-1-2"}, {"state", "PUBLISHED"}}},
        {"containers", json::object()}},
       "rec.json: containers: required field 'cna' is missing"},
      {Record({{{"version", "1.0"}, {"status", "vulnerable"}}}),
       "rec.json: containers.cna.affected[0].versions[0].status: expected affected, unaffected "
       "or unknown, got 'vulnerable'"},
      {Record({{{"status", "affected"}}}),
       "rec.json: containers.cna.affected[0].versions[0]: required field 'version' is missing"},
  };
  for (const Case& c : cases) {
    auto adv = ParseCve5Record(c.doc.dump(), "rec.json");
    ASSERT_FALSE(adv) << c.doc;
    EXPECT_THAT(adv.error().message(), HasSubstr(c.message)) << c.doc;
  }
}

// The component acme:widget at `version`, named "widget" by vendor "acme".
internal::RuleMatch Decide(const Advisory* nvd, const Advisory* cve5, const std::string& version,
                           const std::string& vendor = "acme") {
  sbom::Component c;
  c.name = "widget";
  c.version = version;
  c.cpe = *sbom::Cpe::Parse("cpe:2.3:a:" + vendor + ":widget:" + version + ":*:*:*:*:*:*:*");
  internal::CveComponent component{internal::CpeComponent{*c.cpe, version, 0}, internal::NamesOf(c),
                                   version};
  return internal::MatchCve(nvd, cve5, component, {});
}

TEST(Cve5Match, RangesChangesAndDefaultStatus) {
  Advisory a = Parse(Record({{{"version", "1.0"},
                              {"lessThan", "1.4"},
                              {"status", "affected"},
                              {"changes", {{{"at", "1.2"}, {"status", "unaffected"}}}}}}));
  EXPECT_TRUE(Decide(nullptr, &a, "1.1.9").matched);
  EXPECT_FALSE(Decide(nullptr, &a, "1.2").matched);  // changed to unaffected at 1.2
  EXPECT_FALSE(Decide(nullptr, &a, "1.4").matched);
  EXPECT_FALSE(Decide(nullptr, &a, "0.9").matched);
  EXPECT_FALSE(Decide(nullptr, &a, "0.9").unassessed);  // defaultStatus unaffected decides
  internal::RuleMatch m = Decide(nullptr, &a, "1.0.5");
  EXPECT_EQ(m.confidence, Confidence::kHigh);
  EXPECT_THAT(m.reason, HasSubstr("CVE 5 CVE-2099-0001 CNA acme containers.cna.affected[0]."
                                  "versions[0] 1.0 lessThan 1.4 affected; contains 1.0.5"));
  EXPECT_THAT(m.fixed_versions, ::testing::ElementsAre("1.4"));
}

TEST(Cve5Match, BranchWildcardsAndOpenEnds) {
  // The kernel CNA's shape: affected by default, each stable branch fixed from a release on.
  Advisory a = Parse(Record({{{"version", "6.6.97"},
                              {"lessThanOrEqual", "6.6.*"},
                              {"status", "unaffected"},
                              {"versionType", "semver"}},
                             {{"version", "6.16"},
                              {"lessThanOrEqual", "*"},
                              {"status", "unaffected"},
                              {"versionType", "original_commit_for_fix"}}},
                            "affected"));
  EXPECT_TRUE(Decide(nullptr, &a, "6.6.84").matched);
  EXPECT_FALSE(Decide(nullptr, &a, "6.6.97").matched);
  EXPECT_FALSE(Decide(nullptr, &a, "6.6.120").matched);
  EXPECT_FALSE(Decide(nullptr, &a, "6.17.1").matched);
  EXPECT_TRUE(Decide(nullptr, &a, "6.12.1").matched);
  EXPECT_THAT(Decide(nullptr, &a, "6.12.1").reason, HasSubstr("defaultStatus affected"));
}

TEST(Cve5Match, CommitRangesAndFreeTextAreSkippedAndNoted) {
  Advisory a = Parse(Record({{{"version", "1da177e4c3f4"},
                              {"lessThan", "17e16a66b4f9"},
                              {"status", "affected"},
                              {"versionType", "git"}},
                             {{"version", "3.49.1 < 3.50"}, {"status", "affected"}}}));
  internal::RuleMatch m = Decide(nullptr, &a, "1.0");
  EXPECT_FALSE(m.matched);
  // Nothing evaluable: the record names the component but decides nothing.
  EXPECT_TRUE(m.unassessed);
  EXPECT_THAT(m.reason, HasSubstr("the CNA acme names product 'Widget'"));
  ASSERT_EQ(m.notes.size(), 2u);
  EXPECT_THAT(m.notes[0], HasSubstr("git commit range 1da177e4c3f4 cannot be placed"));
  EXPECT_THAT(m.notes[1], HasSubstr("version '3.49.1 < 3.50' is not a release version"));
  // A 'git' type with release values is ordered as releases; 4.0 == 4.0.0, v prefixes allowed.
  Advisory b = Parse(Record({{{"version", "*"},
                              {"lessThanOrEqual", "v4.0"},
                              {"status", "affected"},
                              {"versionType", "git"}}}));
  EXPECT_TRUE(Decide(nullptr, &b, "4.0.0").matched);
  EXPECT_FALSE(Decide(nullptr, &b, "4.0.1").matched);
}

TEST(Cve5Match, LettersOrderAsOpenSsl) {
  Advisory a = Parse(Record({{{"version", "1.1.1"},
                              {"lessThan", "1.1.1zb"},
                              {"status", "affected"},
                              {"versionType", "custom"}}}));
  EXPECT_TRUE(Decide(nullptr, &a, "1.1.1w").matched);
  EXPECT_TRUE(Decide(nullptr, &a, "1.1.1za").matched);
  EXPECT_FALSE(Decide(nullptr, &a, "1.1.1zb").matched);
  EXPECT_FALSE(Decide(nullptr, &a, "1.1.1zc").matched);
}

TEST(Cve5Match, AnotherVendorIsLowConfidenceAndRejectionWins) {
  Advisory a = Parse(Record({{{"version", "2.0"}, {"status", "affected"}}}));
  internal::RuleMatch m = Decide(nullptr, &a, "2.0", "haxx");
  EXPECT_TRUE(m.matched);
  EXPECT_EQ(m.confidence, Confidence::kLow);
  EXPECT_THAT(m.reason, HasSubstr("vendor 'Acme' in the record is not the SBOM's (haxx)"));
  // NVD Rejected outranks a PUBLISHED CVE 5 snapshot.
  Advisory nvd;
  nvd.source = AdvisorySource::kNvd;
  nvd.id = a.id;
  nvd.status = "Rejected";
  EXPECT_FALSE(Decide(&nvd, &a, "2.0").matched);
  EXPECT_FALSE(Decide(&nvd, &a, "2.0").unassessed);
}

TEST(Cve5Match, NvdBacklogWithoutCve5IsUnassessedByItsDescription) {
  Advisory nvd;
  nvd.source = AdvisorySource::kNvd;
  nvd.id = "CVE-2099-0002";
  nvd.status = "Awaiting Analysis";
  nvd.summary = "A flaw in the Acme widget parser.";
  internal::RuleMatch m = Decide(&nvd, nullptr, "2.0");
  EXPECT_TRUE(m.unassessed);
  EXPECT_THAT(m.reason, HasSubstr("NVD 'Awaiting Analysis' without configurations, no CVE 5 "
                                  "record; its description names 'widget'"));
  nvd.summary = "A flaw in the gadget parser.";
  EXPECT_FALSE(Decide(&nvd, nullptr, "2.0").unassessed);
}

}  // namespace
}  // namespace vigil::vuln
