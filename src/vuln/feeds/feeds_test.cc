// Feed readers: real OSV (Go JSON, PyPI YAML) and KEV files from the shared data, NVD CVE API
// 2.0 and EPSS documents generated here following their published layouts, and the one-line
// errors malformed input gets.
#include "vigil/vuln/feeds.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "testing/peak_memory.h"
#include "testing/vuln_fixture.h"
#include "testing/yaml_alias_bomb.h"
#include "vigil/core/env.h"

namespace vigil::vuln {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string DataFile(const std::string& rel) {
  auto data = Env::Default()->ReadFile(std::string(VIGIL_DATA_DIR) + "/vuln/" + rel);
  EXPECT_TRUE(data) << rel;
  return data ? std::string(AsStringView(*data)) : std::string();
}

TEST(OsvReader, ReadsARealGoAdvisory) {
  auto adv = ParseOsvJson(DataFile("osv-go/GO-2020-0001.json"), "GO-2020-0001.json");
  ASSERT_TRUE(adv) << adv.error().message();
  EXPECT_EQ(adv->id, "GO-2020-0001");
  EXPECT_THAT(adv->aliases, ElementsAre("CVE-2020-36567", "GHSA-6vm3-jj99-7229"));
  ASSERT_EQ(adv->affected.size(), 1u);
  const AffectedPackage& p = adv->affected[0];
  EXPECT_EQ(p.ecosystem, "Go");
  EXPECT_EQ(p.name, "github.com/gin-gonic/gin");
  ASSERT_EQ(p.ranges.size(), 1u);
  EXPECT_EQ(p.ranges[0].type, "SEMVER");
  EXPECT_EQ(p.ranges[0].path, "affected[0].ranges[0]");
  ASSERT_EQ(p.ranges[0].events.size(), 2u);
  EXPECT_EQ(p.ranges[0].events[1].kind, OsvEvent::Kind::kFixed);
  EXPECT_EQ(p.ranges[0].events[1].version, "1.6.0");
  EXPECT_TRUE(p.hidden_bounds.empty());
}

// GitHub's advisories list their CWEs in database_specific.cwe_ids (ids only, no names).
TEST(OsvReader, ReadsGitHubCweIds) {
  auto adv = ParseOsvJson(R"({"id": "GHSA-aaaa-bbbb-cccc", "modified": "2024-01-01T00:00:00Z",
      "database_specific": {"cwe_ids": ["CWE-79", "CWE-352", "CWE-79", "NVD-CWE-Other"],
                            "severity": "MODERATE", "github_reviewed": true}})",
                          "ghsa.json");
  ASSERT_TRUE(adv) << adv.error().message();
  EXPECT_EQ(adv->weaknesses, (std::vector<Weakness>{{"CWE-79", ""}, {"CWE-352", ""}}));
  EXPECT_EQ(adv->severity_label, "MODERATE");
  auto bad = ParseOsvJson(R"({"id": "GHSA-x", "modified": "2024-01-01T00:00:00Z",
      "database_specific": {"cwe_ids": "CWE-79"}})",
                          "ghsa.json");
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message(), HasSubstr("ghsa.json"));
  EXPECT_THAT(bad.error().message(), HasSubstr("database_specific.cwe_ids"));
}

TEST(Weakness, CweIdsFollowCsafsPattern) {
  EXPECT_TRUE(IsCweId("CWE-1"));
  EXPECT_TRUE(IsCweId("CWE-787"));
  EXPECT_TRUE(IsCweId("CWE-123456"));
  EXPECT_FALSE(IsCweId("CWE-1234567"));
  EXPECT_FALSE(IsCweId("CWE-0787"));
  EXPECT_FALSE(IsCweId("CWE-"));
  EXPECT_FALSE(IsCweId("cwe-79"));
  EXPECT_FALSE(IsCweId("CWE-79a"));
  EXPECT_FALSE(IsCweId("NVD-CWE-noinfo"));
  std::vector<Weakness> list;
  EXPECT_TRUE(AddWeakness(list, "CWE-79", ""));
  EXPECT_TRUE(AddWeakness(list, "CWE-79", "Cross-site Scripting"));  // fills the name
  EXPECT_TRUE(AddWeakness(list, "CWE-79", "another"));               // keeps the first name
  EXPECT_FALSE(AddWeakness(list, "NVD-CWE-Other", ""));
  EXPECT_EQ(list, (std::vector<Weakness>{{"CWE-79", "Cross-site Scripting"}}));
  EXPECT_EQ(CsafWeakness(list), &list[0]);
  EXPECT_EQ(CsafWeakness(std::vector<Weakness>{{"CWE-352", ""}}), nullptr);  // no name stated
  std::vector<Weakness> second{{"CWE-352", ""}, {"CWE-79", "Cross-site Scripting"}};
  EXPECT_EQ(CsafWeakness(second), &second[1]);
}

TEST(OsvReader, YamlScalarsStayStrings) {
  std::string yaml = DataFile("osv-pypi-yaml/apache-skywalking/PYSEC-2020-342.yaml");
  auto json_text = OsvYamlToJson(yaml, "PYSEC-2020-342.yaml");
  ASSERT_TRUE(json_text) << json_text.error().message();
  auto adv = ParseOsvJson(*json_text, "PYSEC-2020-342.yaml");
  ASSERT_TRUE(adv) << adv.error().message();
  EXPECT_EQ(adv->id, "PYSEC-2020-342");
  ASSERT_EQ(adv->affected.size(), 1u);
  EXPECT_EQ(adv->affected[0].versions.size(), 10u);
  EXPECT_EQ(adv->affected[0].versions.back(), "1.0.1");
  ASSERT_EQ(adv->severities.size(), 1u);
  EXPECT_EQ(adv->severities[0].vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
  // A plain 1.10 is the version "1.10", not the float 1.1.
  auto v = OsvYamlToJson(
      "id: X-1\nmodified: 2024-01-01T00:00:00Z\naffected:\n- versions:\n  - 1.10\n  - 2.0\n",
      "v.yaml");
  ASSERT_TRUE(v);
  EXPECT_EQ(json::parse(*v)["affected"][0]["versions"], json({"1.10", "2.0"}));
}

TEST(OsvReader, ErrorsNameFilePathAndProblem) {
  struct Case {
    std::string doc, message;
  } cases[] = {
      {"{", "bad.json: $: malformed JSON"},
      {"[]", "bad.json: $: expected an object, got array"},
      {R"({"modified":"x"})", "bad.json: $: required field 'id' is missing"},
      {R"({"id":"A","modified":"x","affected":[{"ranges":[{"type":"SEMVER","events":[{"introduced":"0","fixed":"1"}]}]}]})",
       "bad.json: affected[0].ranges[0].events[0]: expected exactly one of introduced, fixed, "
       "last_affected, limit, got 2"},
      {R"({"id":"A","modified":"x","affected":[{"ranges":[{"type":"SEMVR","events":[{"introduced":"0"}]}]}]})",
       "bad.json: affected[0].ranges[0].type: expected SEMVER, ECOSYSTEM or GIT, got 'SEMVR'"},
      {R"({"id":"A","modified":"x","affected":[{"package":{"name":"p"}}]})",
       "bad.json: affected[0].package: required field 'ecosystem' is missing"},
      {R"({"id":"A","modified":"x","aliases":[1]})",
       "bad.json: aliases[0]: expected a string, got number"},
  };
  for (const Case& c : cases) {
    auto adv = ParseOsvJson(c.doc, "bad.json");
    ASSERT_FALSE(adv) << c.doc;
    EXPECT_THAT(adv.error().message(), HasSubstr(c.message)) << c.doc;
    EXPECT_EQ(adv.error().message().find('\n'), std::string::npos);
  }
  auto y = OsvYamlToJson("id: [unclosed\n", "bad.yaml");
  ASSERT_FALSE(y);
  EXPECT_THAT(y.error().message(), HasSubstr("bad.yaml:2:1: "));
  EXPECT_THAT(y.error().message(), HasSubstr("malformed YAML"));
  auto list = OsvYamlToJson("- a\n- b\n", "list.yaml");
  ASSERT_FALSE(list);
  EXPECT_THAT(list.error().message(), HasSubstr("list.yaml: $: expected a mapping"));
}

// Fuzzer find: yaml-cpp quoted the character after a bad escape as is, so a control byte or a
// line break went into the message and the error was no longer one line. (libyaml refuses the
// control character itself.)
TEST(OsvReader, YamlErrorWithAControlCharacterStaysOneLine) {
  for (const std::string& yaml :
       {std::string("id: \"x\\\x01\"\n"), std::string("- a/\0\n- b\n", 10)}) {
    auto y = OsvYamlToJson(yaml, "bad.yaml");
    ASSERT_FALSE(y);
    const std::string& m = y.error().message();
    EXPECT_EQ(m.find('\n'), std::string::npos) << m;
    EXPECT_THAT(m, ::testing::StartsWith("bad.yaml:"));
    EXPECT_THAT(m, ::testing::HasSubstr("malformed YAML: control characters are not allowed"));
    for (char c : m) EXPECT_GE(static_cast<unsigned char>(c), 0x20) << m;
  }
}

// Issue 13: aliases let a 1 KB advisory expand to gigabytes when converted; they are refused at
// the first anchor, before anything is expanded.
TEST(OsvReader, YamlAliasBombIsRefusedWithinFourMebibytes) {
  const std::string bomb = "id: X-1\n" + vigil::testing::YamlAliasBomb(6);
  auto mem = vigil::testing::PeakMemoryGrowthOfChild([&] {
    auto y = OsvYamlToJson(bomb, "bomb.yaml");
    return !y && y.error().message() ==
                     "bomb.yaml:2:5: YAML aliases and anchors are not accepted (they let a 1 KB "
                     "file expand to gigabytes)";
  });
  ASSERT_TRUE(mem.has_value());
  EXPECT_TRUE(mem->fn_returned_true);
  EXPECT_LT(mem->growth_kib, 4 * 1024);
  auto big = OsvYamlToJson(std::string((8u << 20) + 1, ' '), "big.yaml");
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code(), ErrorCode::kResourceExhausted);
}

TEST(NvdReader, ReadsAGeneratedCveApiResponse) {
  json cve = testing::NvdCve(
      "CVE-2021-3711",
      {{"operator", "AND"},
       {"nodes",
        {{{"operator", "OR"},
          {"negate", false},
          {"cpeMatch",
           {testing::CpeMatchJson(
               "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*", true,
               {{"versionStartIncluding", "1.1.1"}, {"versionEndExcluding", "1.1.1l"}})}}},
         {{"operator", "OR"},
          {"negate", false},
          {"cpeMatch",
           {testing::CpeMatchJson("cpe:2.3:o:debian:debian_linux:11.0:*:*:*:*:*:*:*", false)}}}}}});
  cve["metrics"]["cvssMetricV40"] = {
      {{"source", "secalert@acme"},
       {"type", "Secondary"},
       {"cvssData",
        {{"version", "4.0"},
         {"vectorString", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"},
         {"baseScore", 9.3},
         {"baseSeverity", "CRITICAL"}}}}};
  cve["metrics"]["cvssMetricV2"] = {
      {{"source", "nvd@nist.gov"},
       {"type", "Primary"},
       {"cvssData",
        {{"version", "2.0"}, {"vectorString", "AV:N/AC:L/Au:N/C:P/I:P/A:P"}, {"baseScore", 7.5}}},
       {"baseSeverity", "HIGH"}}};
  json feed = {{"resultsPerPage", 1},
               {"startIndex", 0},
               {"totalResults", 1},
               {"format", "NVD_CVE"},
               {"version", "2.0"},
               {"timestamp", "2025-08-25T12:00:00.000"},
               {"vulnerabilities", {{{"cve", cve}}}}};
  std::vector<NvdRecord> records;
  Status s = ParseNvdFeed(feed.dump(2), "nvd.json", [&](NvdRecord r) -> Status {
    records.push_back(std::move(r));
    return OkStatus();
  });
  ASSERT_TRUE(s) << s.error().message();
  ASSERT_EQ(records.size(), 1u);
  const Advisory& a = records[0].advisory;
  EXPECT_EQ(a.id, "CVE-2021-3711");
  EXPECT_EQ(a.summary, "test CVE CVE-2021-3711");
  ASSERT_EQ(a.severities.size(), 3u);  // v4.0, v3.1, v2 in that order
  EXPECT_EQ(a.severities[0].type, "CVSS_V4");
  EXPECT_EQ(*a.severities[1].base_score, 9.8);
  EXPECT_EQ(a.severities[2].label, "HIGH");
  ASSERT_EQ(a.configurations.size(), 1u);
  EXPECT_TRUE(a.configurations[0].and_operator);
  ASSERT_EQ(a.configurations[0].nodes.size(), 2u);
  const CpeMatch& m = a.configurations[0].nodes[0].matches[0];
  EXPECT_TRUE(m.vulnerable);
  EXPECT_EQ(m.version_end_excluding, "1.1.1l");
  EXPECT_EQ(m.path, "configurations[0].nodes[0].cpeMatch[0]");
  EXPECT_FALSE(a.configurations[0].nodes[1].matches[0].vulnerable);
  // The stored "cve" object reads back to the same advisory.
  auto again = ParseNvdCve(records[0].cve_json, "stored");
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->configurations[0].nodes[0].matches[0].criteria, m.criteria);
}

// Per-CVE mirrors of the feed (and the shared data) hold one bare "cve" object per file; an
// API item ({"cve": …}) alone reads the same.
TEST(NvdReader, ReadsOneRecordAlone) {
  const std::string bare = DataFile("nvd-cve5/nvd/CVE-2025-6965.json");
  for (const std::string& doc : {bare, "{\"cve\": " + bare + "}"}) {
    std::vector<NvdRecord> records;
    Status s = ParseNvdFeed(doc, "CVE-2025-6965.json", [&](NvdRecord r) -> Status {
      records.push_back(std::move(r));
      return OkStatus();
    });
    ASSERT_TRUE(s) << s.error().message();
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].advisory.id, "CVE-2025-6965");
    EXPECT_FALSE(records[0].advisory.configurations.empty());
    EXPECT_EQ(json::parse(records[0].cve_json), json::parse(bare));
  }
  Status s = ParseNvdFeed(R"({"title": "x"})", "x.json", [](NvdRecord) { return OkStatus(); });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message(),
            "x.json: $: expected an NVD CVE API 2.0 response (vulnerabilities[]), a "
            "vulnerabilities[] item (cve) or a cve object (id)");
}

TEST(NvdReader, ErrorsNameFilePathAndProblem) {
  auto run = [](const std::string& doc) {
    Status s = ParseNvdFeed(doc, "nvd.json", [](NvdRecord) -> Status { return OkStatus(); });
    return s ? std::string() : s.error().message();
  };
  EXPECT_EQ(run(R"({"format":"NVD_CVE"})"),
            "nvd.json: $: required field 'vulnerabilities' is missing");
  EXPECT_EQ(run(R"({"format":"CSAF","vulnerabilities":[]})"),
            "nvd.json: format: expected NVD_CVE, got 'CSAF'");
  EXPECT_EQ(run(R"({"vulnerabilities":[{"cve":{"id":"GHSA-1"}}]})"),
            "nvd.json: vulnerabilities[0].cve.id: expected a CVE id, got 'GHSA-1'");
  EXPECT_EQ(
      run(R"({"vulnerabilities":[{"cve":{"id":"CVE-1-2","configurations":[{"nodes":[{"operator":"XOR"}]}]}}]})"),
      "nvd.json: vulnerabilities[0].cve.configurations[0].nodes[0].operator: expected AND or OR, "
      "got 'XOR'");
  EXPECT_EQ(
      run(R"({"vulnerabilities":[{"cve":{"id":"CVE-1-2","configurations":[{"nodes":[{"cpeMatch":[{"criteria":"cpe:2.3:a:x:y:*:*:*:*:*:*:*:*"}]}]}]}}]})"),
      "nvd.json: vulnerabilities[0].cve.configurations[0].nodes[0].cpeMatch[0]: required field "
      "'vulnerable' is missing");
  EXPECT_THAT(
      run(R"({"vulnerabilities":[{"cve":{"id":"CVE-1-2","configurations":[{"nodes":[{"cpeMatch":[{"vulnerable":true,"criteria":"cpe:2.3:x"}]}]}]}}]})"),
      HasSubstr(
          "nvd.json: vulnerabilities[0].cve.configurations[0].nodes[0].cpeMatch[0].criteria: "));
  EXPECT_EQ(
      run(R"({"vulnerabilities":[{"cve":{"id":"CVE-1-2","metrics":{"cvssMetricV31":[{"cvssData":{"vectorString":"v","baseScore":11}}]}}}]})"),
      "nvd.json: vulnerabilities[0].cve.metrics.cvssMetricV31[0].cvssData.baseScore: expected a "
      "number in [0, 10]");
}

TEST(KevReader, ReadsTheRealCatalogue) {
  auto kev = ParseKev(DataFile("kev/known_exploited_vulnerabilities.json"), "kev.json");
  ASSERT_TRUE(kev) << kev.error().message();
  EXPECT_EQ(kev->catalog_version, "2025.08.25");
  EXPECT_EQ(kev->entries.size(), 1404u);
  EXPECT_EQ(kev->entries[0].cve, "CVE-2025-48384");
  EXPECT_EQ(kev->entries[0].due_date, "2025-09-15");
  size_t ransomware = 0;
  for (const auto& e : kev->entries) ransomware += e.ransomware;
  EXPECT_GT(ransomware, 100u);
  EXPECT_LT(ransomware, kev->entries.size());
}

TEST(KevReader, ErrorsNameFilePathAndProblem) {
  auto run = [](const std::string& doc) {
    auto k = ParseKev(doc, "kev.json");
    return k ? std::string() : k.error().message();
  };
  EXPECT_EQ(run(R"({"vulnerabilities":[]})"),
            "kev.json: $: required field 'catalogVersion' is missing");
  EXPECT_EQ(
      run(R"({"catalogVersion":"1","vulnerabilities":[{"cveID":"CVE-1-1","dateAdded":"2025-1-1","dueDate":"2025-01-01"}]})"),
      "kev.json: vulnerabilities[0].dateAdded: expected a date YYYY-MM-DD, got '2025-1-1'");
  EXPECT_EQ(run(R"({"catalogVersion":"1","vulnerabilities":[{"cveID":7}]})"),
            "kev.json: vulnerabilities[0].cveID: expected a string, got number");
}

TEST(EpssReader, ReadsTheRealLayout) {
  std::string csv =
      "#model_version:v2025.03.14,score_date:2025-08-25T12:55:00Z\n"
      "cve,epss,percentile\n"
      "CVE-1999-0001,0.01297,0.79095\n"
      "CVE-2021-44228,0.94358,0.99961\r\n"
      "CVE-2025-0001,0.00043,0.1\n";
  auto feed = ParseEpssCsv(csv, "epss.csv");
  ASSERT_TRUE(feed) << feed.error().message();
  EXPECT_EQ(feed->model_version, "v2025.03.14");
  EXPECT_EQ(feed->score_date, "2025-08-25T12:55:00Z");
  ASSERT_EQ(feed->scores.size(), 3u);
  EXPECT_EQ(feed->scores[1].cve, "CVE-2021-44228");
  EXPECT_DOUBLE_EQ(feed->scores[1].score, 0.94358);
  EXPECT_DOUBLE_EQ(feed->scores[1].percentile, 0.99961);
}

TEST(EpssReader, ErrorsNameFileLineAndProblem) {
  auto run = [](const std::string& doc) {
    auto e = ParseEpssCsv(doc, "epss.csv");
    return e ? std::string() : e.error().message();
  };
  EXPECT_EQ(run("cve,score\n"),
            "epss.csv: line 1: expected the header 'cve,epss,percentile', got 'cve,score'");
  EXPECT_EQ(run("#model_version:v1\n"), "epss.csv: line 1: no 'cve,epss,percentile' header found");
  EXPECT_EQ(run("cve,epss,percentile\nCVE-2020-1234,x,0.5\n"),
            "epss.csv: line 2: column epss: expected a number in [0, 1], got 'x'");
  EXPECT_EQ(run("cve,epss,percentile\nCVE-2020-1234,0.5,1.5\n"),
            "epss.csv: line 2: column percentile: expected a number in [0, 1], got '1.5'");
  EXPECT_EQ(run("cve,epss,percentile\nCVE-2020-1234,0.5\n"),
            "epss.csv: line 2: expected 3 columns cve,epss,percentile");
  EXPECT_EQ(run("cve,epss,percentile\nGHSA-x,0.5,0.5\n"),
            "epss.csv: line 2: column cve: expected a CVE id, got 'GHSA-x'");
}

}  // namespace
}  // namespace vigil::vuln
