// Test support for the vuln module: a fresh advisory database in a temporary directory,
// documents added from nlohmann::json values, SBOM components built from purls and CPEs.
#ifndef VIGIL_VULN_TESTING_VULN_FIXTURE_H_
#define VIGIL_VULN_TESTING_VULN_FIXTURE_H_

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "vigil/vuln/advisory_db.h"
#include "vigil/vuln/feeds.h"
#include "vigil/vuln/matcher.h"

namespace vigil::vuln::testing {

// A temporary directory removed with its contents at destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "vigil-vuln-XXXXXX").string();
    path_ = mkdtemp(tmpl.data()) != nullptr ? tmpl : "";
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string File(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

class VulnDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    auto db = AdvisoryDb::Open(*vigil::Env::Default(), dir_.File("vulndb.sqlite"));
    ASSERT_TRUE(db) << db.error().message();
    db_.emplace(std::move(*db));
  }

  AdvisoryDb& db() { return *db_; }

  void AddOsv(const nlohmann::json& doc) {
    std::string text = doc.dump();
    auto adv = ParseOsvJson(text, "test-osv.json");
    ASSERT_TRUE(adv) << adv.error().message();
    auto put = db_->PutOsv(*adv, text);
    ASSERT_TRUE(put) << put.error().message();
  }

  // `cve` is one NVD "cve" object; it is wrapped in a CVE API 2.0 response.
  void AddNvd(const nlohmann::json& cve) {
    nlohmann::json feed = {{"resultsPerPage", 1},
                           {"startIndex", 0},
                           {"totalResults", 1},
                           {"format", "NVD_CVE"},
                           {"version", "2.0"},
                           {"timestamp", "2025-08-25T12:00:00.000"},
                           {"vulnerabilities", {{{"cve", cve}}}}};
    Status s = ParseNvdFeed(feed.dump(), "test-nvd.json", [&](NvdRecord r) -> Status {
      auto put = db_->PutNvd(r);
      if (!put) return put.error();
      return OkStatus();
    });
    ASSERT_TRUE(s) << s.error().message();
  }

  static sbom::Component Purl(const std::string& purl) {
    sbom::Component c;
    auto p = sbom::PackageUrl::Parse(purl);
    EXPECT_TRUE(p) << purl;
    if (p) {
      c.purl = *p;
      c.name = p->name();
      c.version = p->version().value_or("");
    }
    c.purl_text = purl;
    c.ref = purl;
    return c;
  }

  static sbom::Component CpeComponent(const std::string& cpe, const std::string& version = "") {
    sbom::Component c;
    auto p = sbom::Cpe::Parse(cpe);
    EXPECT_TRUE(p) << cpe;
    if (p) c.cpe = *p;
    c.cpe_text = cpe;
    c.ref = cpe;
    c.name = p ? p->product().unescaped() : cpe;
    c.version = version.empty() && p ? p->version().unescaped() : version;
    return c;
  }

  std::vector<Finding> Match(std::vector<sbom::Component> components, MatchOptions options = {}) {
    sbom::Sbom s;
    s.components = std::move(components);
    notes_.clear();
    if (options.notes == nullptr) options.notes = &notes_;
    auto findings = MatchSbom(s, *db_, options);
    EXPECT_TRUE(findings) << findings.error().message();
    return findings ? *findings : std::vector<Finding>();
  }

  static std::vector<std::string> Ids(const std::vector<Finding>& findings) {
    std::vector<std::string> ids;
    for (const Finding& f : findings) ids.push_back(f.advisory_id);
    return ids;
  }

  TempDir dir_;
  std::optional<AdvisoryDb> db_;
  std::vector<std::string> notes_;
};

// A minimal OSV advisory with one affected package and one range.
inline nlohmann::json OsvAdvisory(const std::string& id, const std::string& ecosystem,
                                  const std::string& name, const std::string& range_type,
                                  const nlohmann::json& events) {
  return {{"schema_version", "1.6.0"},
          {"id", id},
          {"modified", "2025-01-01T00:00:00Z"},
          {"summary", "test advisory " + id},
          {"affected",
           {{{"package", {{"ecosystem", ecosystem}, {"name", name}}},
             {"ranges", {{{"type", range_type}, {"events", events}}}}}}}};
}

// An NVD cve object with one configuration.
inline nlohmann::json NvdCve(const std::string& id, const nlohmann::json& configuration) {
  return {{"id", id},
          {"sourceIdentifier", "cve@mitre.org"},
          {"published", "2024-01-01T00:00:00.000"},
          {"lastModified", "2024-02-01T00:00:00.000"},
          {"vulnStatus", "Analyzed"},
          {"descriptions", {{{"lang", "en"}, {"value", "test CVE " + id}}}},
          {"metrics",
           {{"cvssMetricV31",
             {{{"source", "nvd@nist.gov"},
               {"type", "Primary"},
               {"cvssData",
                {{"version", "3.1"},
                 {"vectorString", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
                 {"baseScore", 9.8},
                 {"baseSeverity", "CRITICAL"}}},
               {"exploitabilityScore", 3.9},
               {"impactScore", 5.9}}}}}},
          {"configurations", {configuration}}};
}

inline nlohmann::json CpeMatchJson(const std::string& criteria, bool vulnerable,
                                   const nlohmann::json& bounds = nlohmann::json::object()) {
  nlohmann::json m = {{"vulnerable", vulnerable},
                      {"criteria", criteria},
                      {"matchCriteriaId", "5A1B2C3D-0000-4000-8000-000000000000"}};
  for (auto& [k, v] : bounds.items()) m[k] = v;
  return m;
}

}  // namespace vigil::vuln::testing

#endif  // VIGIL_VULN_TESTING_VULN_FIXTURE_H_
