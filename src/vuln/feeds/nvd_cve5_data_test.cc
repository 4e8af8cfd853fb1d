// Issue 13 item 7 against real records: the 41 NVD and 41 CVE JSON 5 records of
// shared/data/vuln/nvd-cve5/ and its SBOM, read in place. The scan's verdicts must agree with
// the README's table "Does each CVE apply to the SBOM?" wherever NVD or the CNA gives versions,
// and every other record naming an SBOM component must be listed as unassessed. The table is
// encoded below row by row; for its "uncertain" rows the reading chosen is argued beside it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <tuple>

#include "testing/vuln_fixture.h"
#include "vigil/core/env.h"
#include "vigil/sbom/sbom_reader.h"
#include "vigil/vuln/feed_import.h"

namespace vigil::vuln {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string kDir = std::string(VIGIL_DATA_DIR) + "/vuln/nvd-cve5/";

// What the scan must say about one CVE and one SBOM component (by bom-ref).
enum class Expect { kNone, kHigh, kLow, kUnassessed };

struct Row {
  const char* cve;
  const char* component;
  Expect expect;
  const char* source;  // "NVD" / "CVE 5": which record decides (its reason's first word)
};

// clang-format off
constexpr Row kTable[] = {
    {"CVE-2017-14199", "zephyr@4.0.0", Expect::kNone, ""},
    // Mbed OS is not in the SBOM; mbedtls is another product (arm:mbed_tls vs arm:mbed_os).
    {"CVE-2020-12883", "mbedtls@3.5.2", Expect::kNone, ""},
    {"CVE-2020-17529", "nuttx@10.0.0", Expect::kHigh, "NVD"},
    {"CVE-2020-19909", "curl@8.11.1", Expect::kNone, ""},
    // Uncertain: the criteria version is NA ('-'). Vigil reports an NA/ANY version without bounds
    // as a low-confidence match (Dependency-Track#3268: never hidden, never a plain hit): the
    // record names lwIP with no version it could exclude 2.1.2 by, and its description says "git
    // head", which every release up to then contains. A person decides; the finding says so.
    {"CVE-2020-22283", "lwip@2.1.2", Expect::kLow, "NVD"},
    {"CVE-2020-22284", "lwip@2.1.2", Expect::kHigh, "NVD"},
    // Uncertain: the CNA writes 'v1.14.0' lessThan 'unspecified', which is no bound at all (the
    // entry is skipped and noted); NVD analysed the same product, >= 1.14.0 < 2.6.0, and NVD's
    // analysis of the component's own CPE decides. The advisory fixes it in 2.6.
    {"CVE-2021-3430", "zephyr@4.0.0", Expect::kNone, ""},
    {"CVE-2021-43523", "uclibc-ng@1.0.39", Expect::kNone, ""},
    {"CVE-2022-0934", "dnsmasq@2.89", Expect::kNone, ""},
    {"CVE-2022-28391", "busybox@1.35.0", Expect::kHigh, "NVD"},
    {"CVE-2022-30065", "busybox@1.35.0", Expect::kHigh, "NVD"},
    {"CVE-2022-30295", "uclibc-ng@1.0.39", Expect::kHigh, "NVD"},
    // Uncertain: the SBOM names patch layer 6 in the CPE update field; NVD lists 6.9.4.12 with
    // update '-' and layers 1 to 5 only, and its range ends before 6.9.4.12. CPE 2.3 name
    // matching compares the update attribute, so no listed entry covers RCPL6: not a finding.
    {"CVE-2022-38767", "vxworks@6.9.4.12", Expect::kNone, ""},
    {"CVE-2022-39176", "bluez@5.66", Expect::kNone, ""},
    {"CVE-2022-48174", "busybox@1.35.0", Expect::kHigh, "NVD"},
    // NVD Rejected is authoritative over the stale PUBLISHED CVE 5 snapshot.
    {"CVE-2022-48736", "linux-kernel@6.6.84", Expect::kNone, ""},
    {"CVE-2023-27349", "bluez@5.66", Expect::kHigh, "CVE 5"},
    {"CVE-2023-28450", "dnsmasq@2.89", Expect::kHigh, "NVD"},
    {"CVE-2023-3725", "zephyr@4.0.0", Expect::kNone, ""},
    {"CVE-2023-42363", "busybox@1.35.0", Expect::kUnassessed, ""},
    {"CVE-2023-45853", "zlib@1.3", Expect::kHigh, "NVD"},
    {"CVE-2023-52071", "curl@8.11.1", Expect::kNone, ""},
    {"CVE-2023-5678", "openssl@3.0.13", Expect::kNone, ""},
    {"CVE-2023-5678", "openssl@1.1.1w", Expect::kHigh, "NVD"},
    {"CVE-2024-13176", "openssl@3.0.13", Expect::kHigh, "CVE 5"},
    {"CVE-2024-13176", "openssl@1.1.1w", Expect::kHigh, "CVE 5"},
    {"CVE-2024-23170", "mbedtls@3.5.2", Expect::kNone, ""},
    {"CVE-2024-25062", "libxml2@2.12.5", Expect::kUnassessed, ""},
    {"CVE-2024-45159", "mbedtls@3.5.2", Expect::kUnassessed, ""},
    {"CVE-2024-6135", "zephyr@4.0.0", Expect::kNone, ""},
    {"CVE-2024-6197", "curl@8.11.1", Expect::kNone, ""},
    {"CVE-2024-6443", "zephyr@4.0.0", Expect::kNone, ""},
    // The CNA is vendor 'curl'; the SBOM's CPE says vendor 'haxx' and its purl has no namespace:
    // the product name alone identifies it, which the finding reports at low confidence.
    {"CVE-2025-0665", "curl@8.11.1", Expect::kLow, "CVE 5"},
    {"CVE-2025-10148", "curl@8.11.1", Expect::kLow, "CVE 5"},
    {"CVE-2025-1674", "zephyr@4.0.0", Expect::kHigh, "NVD"},
    // Uncertain: versionType 'git' but the values are releases ('*' lessThanOrEqual '4.0'), not
    // commits, so they are ordered as releases, where 4.0 == 4.0.0: affected, as NVD says of the
    // twin CVE-2025-1674.
    {"CVE-2025-1675", "zephyr@4.0.0", Expect::kHigh, "CVE 5"},
    {"CVE-2025-21969", "linux-kernel@6.6.84", Expect::kNone, ""},
    {"CVE-2025-24928", "libxml2@2.12.5", Expect::kHigh, "CVE 5"},
    {"CVE-2025-38250", "linux-kernel@6.6.84", Expect::kHigh, "CVE 5"},
    {"CVE-2025-6965", "sqlite@3.41.2", Expect::kHigh, "NVD"},
    {"CVE-2025-7458", "sqlite@3.41.2", Expect::kNone, ""},
    // Uncertain: the CNA names product FTS5 (an SQLite extension the SBOM says is not built) with
    // the free-text version '3.49.1 < 3.50'. The CNA block names a product, and it is not the
    // SBOM's sqlite, so the record concerns no SBOM component: neither a finding nor unassessed.
    {"CVE-2025-7709", "sqlite@3.41.2", Expect::kNone, ""},
    {"CVE-2025-9230", "openssl@3.0.13", Expect::kHigh, "CVE 5"},
    {"CVE-2025-9230", "openssl@1.1.1w", Expect::kHigh, "CVE 5"},
};
// clang-format on

std::string Read(const std::string& path) {
  auto data = Env::Default()->ReadFileLimited(path, 1 << 20, "test record");
  EXPECT_TRUE(data) << data.error().message();
  return data ? std::string(AsStringView(*data)) : std::string();
}

class NvdCve5DataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = AdvisoryDb::Open(*vigil::Env::Default(), dir_.File("vulndb.sqlite"));
    ASSERT_TRUE(db) << db.error().message();
    db_.emplace(std::move(*db));
  }

  // Each nvd/ file is one bare NVD "cve" object.
  void ImportNvd() {
    size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(kDir + "nvd")) {
      std::string text = Read(e.path().string());
      auto adv = ParseNvdCve(text, e.path().string());
      ASSERT_TRUE(adv) << adv.error().message();
      auto put = db_->PutNvd(NvdRecord{*adv, text});
      ASSERT_TRUE(put) << put.error().message();
      ++n;
    }
    EXPECT_EQ(n, 41u);
  }

  void ImportCve5() {
    auto report = ImportFeeds(*Env::Default(), *db_, {kDir + "cve5"});
    ASSERT_TRUE(report) << report.error().message();
    EXPECT_EQ(report->cve5.added, 41u);
  }

  std::vector<Finding> Scan() {
    std::string text = Read(kDir + "sbom.cdx.json");
    auto sbom = sbom::ReadSbom(text, "sbom.cdx.json");
    EXPECT_TRUE(sbom) << sbom.error().message();
    if (!sbom) return {};
    EXPECT_EQ(sbom->components.size(), 16u);
    MatchOptions options;
    options.notes = &notes_;
    auto findings = MatchSbom(*sbom, *db_, options);
    EXPECT_TRUE(findings) << findings.error().message();
    return findings ? *findings : std::vector<Finding>();
  }

  testing::TempDir dir_;
  std::optional<AdvisoryDb> db_;
  std::vector<std::string> notes_;
};

}  // namespace

void PrintTo(const Weakness& w, std::ostream* os) { *os << w.id << " \"" << w.name << "\""; }

namespace {

Expect KindOf(const Finding& f) {
  if (f.unassessed) return Expect::kUnassessed;
  return f.confidence == Confidence::kHigh ? Expect::kHigh : Expect::kLow;
}

TEST_F(NvdCve5DataTest, VerdictsAgreeWithTheReadmeTableRowByRow) {
  ImportNvd();
  ImportCve5();
  std::vector<Finding> findings = Scan();
  std::map<std::pair<std::string, std::string>, const Finding*> got;
  for (const Finding& f : findings) {
    EXPECT_TRUE(got.emplace(std::pair(f.advisory_id, f.component_ref), &f).second)
        << "two findings for " << f.advisory_id << " on " << f.component_ref;
  }
  std::set<std::pair<std::string, std::string>> in_table;
  for (const Row& row : kTable) {
    SCOPED_TRACE(std::string(row.cve) + " on " + row.component);
    in_table.emplace(row.cve, row.component);
    auto it = got.find({row.cve, row.component});
    if (row.expect == Expect::kNone) {
      EXPECT_EQ(it, got.end()) << "unexpected: " << it->second->match_reason;
      continue;
    }
    ASSERT_NE(it, got.end()) << "missing";
    const Finding& f = *it->second;
    EXPECT_EQ(KindOf(f), row.expect) << f.match_reason;
    if (row.expect == Expect::kUnassessed) {
      EXPECT_THAT(f.match_reason, StartsWith("unassessed: "));
    } else {
      EXPECT_THAT(f.match_reason, StartsWith(std::string(row.source) + " " + row.cve));
    }
  }
  // Nothing beyond the table: no other record names an SBOM component.
  for (const Finding& f : findings) {
    EXPECT_TRUE(in_table.contains({f.advisory_id, f.component_ref}))
        << f.advisory_id << " on " << f.component_ref << ": " << f.match_reason;
  }
  auto stats = db_->Stats();
  ASSERT_TRUE(stats) << stats.error().message();
  EXPECT_EQ(stats->nvd_advisories, 41u);
  EXPECT_EQ(stats->cve5_records, 41u);
  // CVE-2023-42363, CVE-2024-25062, CVE-2024-45159: no configurations, CNA "n/a"; and
  // CVE-2025-7709, whose only version is the free text '3.49.1 < 3.50' (for FTS5, which names
  // no SBOM component, so the scan lists it against nothing).
  EXPECT_EQ(stats->unassessed_cves, 4u);
}

// The CVE 5 findings carry their source and the entry that decided, the stale snapshot's CNA
// kernel ranges are noted as unevaluable git ranges, and letter suffixes order as OpenSSL's.
TEST_F(NvdCve5DataTest, Cve5FindingsSayWhichEntryDecided) {
  ImportNvd();
  ImportCve5();
  std::vector<Finding> findings = Scan();
  auto find = [&](std::string_view id, std::string_view ref) -> const Finding* {
    for (const Finding& f : findings) {
      if (f.advisory_id == id && f.component_ref == ref) return &f;
    }
    return nullptr;
  };
  const Finding* letter = find("CVE-2024-13176", "openssl@1.1.1w");
  ASSERT_NE(letter, nullptr);
  EXPECT_THAT(letter->match_reason,
              HasSubstr("CNA openssl containers.cna.affected[0].versions[5] custom 1.1.1 "
                        "lessThan 1.1.1zb affected; contains 1.1.1w"));
  EXPECT_THAT(letter->fixed_versions, ::testing::ElementsAre("1.1.1zb"));
  const Finding* kernel = find("CVE-2025-38250", "linux-kernel@6.6.84");
  ASSERT_NE(kernel, nullptr);
  EXPECT_THAT(kernel->match_reason, HasSubstr("containers.cna.affected[1] defaultStatus affected"));
  EXPECT_THAT(notes_, ::testing::Contains(HasSubstr(
                          "CVE-2025-38250 containers.cna.affected[0].versions[0]: git commit "
                          "range bf18c7118cf83ad4b9aa476354b4a06bcb9d0c4f cannot be placed")));
  const Finding* unassessed = find("CVE-2024-45159", "mbedtls@3.5.2");
  ASSERT_NE(unassessed, nullptr);
  EXPECT_THAT(unassessed->match_reason, HasSubstr("its description names 'mbed tls'"));
  EXPECT_THAT(unassessed->match_reason, HasSubstr("NVD 'Received' without configurations"));
}

// Only NVD's records imported: every backlog record whose description names a component is
// unassessed (the CNA's versions are not there to decide). OpenSSL's own descriptions do not
// name OpenSSL ("Issue summary: …"), so CVE-2024-13176 and CVE-2025-9230 name nothing here.
TEST_F(NvdCve5DataTest, NvdAloneListsItsBacklogAsUnassessed) {
  ImportNvd();
  std::vector<Finding> findings = Scan();
  std::set<std::pair<std::string, std::string>> unassessed;
  for (const Finding& f : findings) {
    if (f.unassessed) unassessed.emplace(f.advisory_id, f.component_ref);
  }
  for (const auto& [cve, ref] : std::vector<std::pair<std::string, std::string>>{
           {"CVE-2023-42363", "busybox@1.35.0"},
           {"CVE-2024-25062", "libxml2@2.12.5"},
           {"CVE-2024-45159", "mbedtls@3.5.2"},
           {"CVE-2025-24928", "libxml2@2.12.5"},
           {"CVE-2024-6443", "zephyr@4.0.0"},
           {"CVE-2025-0665", "curl@8.11.1"},  // "libcurl", the SBOM CPE's product
           {"CVE-2025-38250", "linux-kernel@6.6.84"}}) {
    EXPECT_TRUE(unassessed.contains({cve, ref})) << cve << " on " << ref;
  }
  auto stats = db_->Stats();
  ASSERT_TRUE(stats);
  EXPECT_GE(stats->unassessed_cves, 13u);
}

// CWE weaknesses: NVD numbers them, the CVE 5 record's problemTypes also name them, and the
// finding carries both merged; NVD's "NVD-CWE-noinfo" and a CNA's "n/a" are no weakness, but
// CVE-2022-28391's secondary weakness (CISA's CWE-88, which no CVE 5 container names) is.
TEST_F(NvdCve5DataTest, FindingsCarryTheCweOfNvdNamedByTheCve5Record) {
  ImportNvd();
  auto weaknesses_of = [](const std::vector<Finding>& findings, std::string_view id,
                          std::string_view ref) -> std::vector<Weakness> {
    for (const Finding& f : findings) {
      if (f.advisory_id == id && f.component_ref == ref) return f.weaknesses;
    }
    ADD_FAILURE() << "no finding " << id << " on " << ref;
    return {};
  };
  std::vector<Finding> nvd_only = Scan();
  EXPECT_EQ(weaknesses_of(nvd_only, "CVE-2020-17529", "nuttx@10.0.0"),
            (std::vector<Weakness>{{"CWE-787", ""}}));
  ImportCve5();
  std::vector<Finding> both = Scan();
  EXPECT_EQ(weaknesses_of(both, "CVE-2020-17529", "nuttx@10.0.0"),
            (std::vector<Weakness>{{"CWE-787", "Out-of-bounds Write"}}));
  EXPECT_EQ(weaknesses_of(both, "CVE-2025-9230", "openssl@3.0.13"),
            (std::vector<Weakness>{{"CWE-125", "Out-of-bounds Read"},
                                   {"CWE-787", "Out-of-bounds Write"}}));
  EXPECT_EQ(weaknesses_of(both, "CVE-2022-28391", "busybox@1.35.0"),
            (std::vector<Weakness>{{"CWE-88", ""}}));
}

}  // namespace
}  // namespace vigil::vuln
