// Exposure on every engine of testing/database_engines.h, against a triage register filled by
// Observe as a scan files it: which releases a finding is open on, devices counted per site,
// uncontrolled risks first, the --cve and --site filters, and decisions taking findings out.
// (tests/fleet/cli_fleet_test.sh does the same on a real scan of real advisories.)
#include "vigil/fleet/exposure.h"

#include <gtest/gtest.h>

#include "testing/database_engines.h"
#include "vigil/audit/checkpoint.h"
#include "vigil/core/encoding.h"
#include "vigil/crypto/signature.h"

namespace vigil::fleet {
namespace {

// The example policy of the repository (examples/risk-policy.yaml): high exploitability (CVSS >= 7)
// with minor harm or worse is uncontrolled, medium (>= 4) with serious or worse, low with critical
// or worse; uncontrolled risks are due to customers in 30 days and fixed in 60.
std::string ExamplePolicy() {
  auto text =
      Env::Default()->ReadFile(std::string(VIGIL_SOURCE_DIR) + "/examples/risk-policy.yaml");
  EXPECT_TRUE(text) << text.error().ToString();
  return std::string(AsStringView(*text));
}

// A finding as the matcher reports it: a generic package at a version, with its advisory's score.
vuln::Finding Found(std::string_view cve, std::string_view package, std::string_view version,
                    double cvss) {
  vuln::Finding f;
  f.advisory_id = cve;
  f.component_name = package;
  f.component_version = version;
  f.component_purl = "pkg:generic/" + std::string(package) + "@" + std::string(version);
  f.cvss_score = cvss;
  f.cvss_vector = cvss >= 7 ? "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
                            : "CVSS:3.1/AV:N/AC:H/PR:L/UI:N/S:U/C:L/I:L/A:L";
  f.match_reason = "exposure test";
  return f;
}

class ExposureTest : public testing::FleetEngineTest {
 protected:
  void SetUp() override {
    FleetEngineTest::SetUp();
    triage::RegisterOptions ro;
    ro.path = dir_ + "/register.sqlite";
    ro.create = true;
    auto reg = triage::Register::Open(ro, *Env::Default());
    ASSERT_TRUE(reg) << reg.error().ToString();
    reg_.emplace(std::move(*reg));
    ASSERT_TRUE(reg_->SetPolicy(ExamplePolicy(), "examples/risk-policy.yaml", "qa"));
    // zlib's harm is negligible: its finding is a controlled risk; the others are uncontrolled.
    ASSERT_TRUE(reg_->SetComponentHarm("pump", "pkg:generic/zlib", risk::Harm::kNegligible, "qa",
                                       "compression of logs only"));
    ASSERT_TRUE(reg_->Observe(
        "pump", "1.0",
        std::vector<vuln::Finding>{Found("CVE-2024-0001", "wolfssl", "4.8.1", 9.8),
                                   Found("CVE-2024-0002", "zlib", "1.2.11", 5.0),
                                   Found("CVE-2024-0003", "busybox", "1.35.0", 7.5)}));
    // 1.1 updates wolfssl (still vulnerable) and no longer has the busybox flaw.
    ASSERT_TRUE(
        reg_->Observe("pump", "1.1",
                      std::vector<vuln::Finding>{Found("CVE-2024-0001", "wolfssl", "5.0.0", 9.8),
                                                 Found("CVE-2024-0002", "zlib", "1.2.11", 5.0)}));
    ASSERT_TRUE(fleet().AddProduct({"Infusion pump", "", ""}));
    ASSERT_TRUE(fleet().AddRelease({"Infusion pump", "1.0", "", "", "pump", "1.0", ""}));
    ASSERT_TRUE(fleet().AddRelease({"Infusion pump", "1.1", "", "", "pump", "1.1", ""}));
    ASSERT_TRUE(fleet().AddRelease({"Infusion pump", "2.0", "", "", "pump", "2.0", ""}));
    AddDevices("W", "1.0", "Ward 3", 3);
    AddDevices("I", "1.0", "ICU", 2);
    AddDevices("J", "1.1", "ICU", 4);
    AddDevices("K", "2.0", "ICU", 1);  // a release never scanned: nothing known, nothing listed
  }
  void TearDown() override {
    reg_.reset();
    FleetEngineTest::TearDown();
  }
  void AddDevices(const std::string& prefix, const std::string& release, const std::string& site,
                  int n) {
    for (int i = 0; i < n; ++i) {
      Device d;
      d.serial = prefix + std::to_string(i);
      d.product = "Infusion pump";
      d.release = release;
      d.site = site;
      d.log_key = key_;
      ASSERT_TRUE(fleet().AddDevice(d));
    }
  }
  Exposure Compute(ExposureFilter filter = {}) {
    auto e = ComputeExposure(fleet(), *reg_, filter);
    EXPECT_TRUE(e) << e.error().ToString();
    return *e;
  }
  static std::vector<std::string> Rows(const Exposure& e) {
    std::vector<std::string> rows;
    for (const ExposureRow& r : e.rows) {
      rows.push_back(r.record.key.vulnerability + " " + r.release + " " + r.site + " " +
                     std::to_string(r.devices) + (r.controlled ? " c" : " u") +
                     (r.fixed_in.empty() ? "" : " fixed in " + r.fixed_in));
    }
    return rows;
  }

  std::string key_ = [] {
    auto signer = audit::NoteSigner::Create(
        "pump.example/log", std::move(*crypto::GenerateSigningKey(crypto::AlgorithmId::kEd25519)));
    return (*signer)->VerifierKey();
  }();
  std::optional<triage::Register> reg_;
};

TEST_P(ExposureTest, DevicesTimesOpenFindingsUncontrolledFirst) {
  Exposure e = Compute();
  EXPECT_EQ(Rows(e), (std::vector<std::string>{
                         "CVE-2024-0001 1.0 ICU 2 u", "CVE-2024-0001 1.0 Ward 3 3 u",
                         "CVE-2024-0001 1.1 ICU 4 u",
                         // fixed in 1.1, still open on the devices running 1.0
                         "CVE-2024-0003 1.0 ICU 2 u fixed in 1.1",
                         "CVE-2024-0003 1.0 Ward 3 3 u fixed in 1.1", "CVE-2024-0002 1.0 ICU 2 c",
                         "CVE-2024-0002 1.0 Ward 3 3 c", "CVE-2024-0002 1.1 ICU 4 c"}));
  EXPECT_EQ(e.devices, 9u);
  EXPECT_EQ(e.uncontrolled_devices, 9u);
  ASSERT_EQ(e.sites.size(), 2u);
  EXPECT_EQ(e.sites[0].site, "ICU");
  EXPECT_EQ(e.sites[0].devices, 6u);
  EXPECT_EQ(e.sites[0].findings, 5u);
  EXPECT_EQ(e.sites[1].site, "Ward 3");
  EXPECT_EQ(e.sites[1].devices, 3u);
  // The deadline clocks come from the register: notify within 30 days, fix within 60.
  ASSERT_EQ(e.rows[0].record.deadlines.size(), 2u);
  EXPECT_FALSE(e.rows[0].record.deadlines[0].overdue);
}

TEST_P(ExposureTest, FiltersByVulnerabilityAndSite) {
  Exposure busybox = Compute({"CVE-2024-0003", "", ""});
  EXPECT_EQ(Rows(busybox), (std::vector<std::string>{"CVE-2024-0003 1.0 ICU 2 u fixed in 1.1",
                                                     "CVE-2024-0003 1.0 Ward 3 3 u fixed in 1.1"}));
  EXPECT_EQ(busybox.devices, 5u);
  Exposure icu = Compute({"CVE-2024-0001", "ICU", ""});
  EXPECT_EQ(Rows(icu),
            (std::vector<std::string>{"CVE-2024-0001 1.0 ICU 2 u", "CVE-2024-0001 1.1 ICU 4 u"}));
  EXPECT_EQ(icu.devices, 6u);
  ASSERT_EQ(icu.sites.size(), 1u);
  Exposure none = Compute({"CVE-1999-0001", "", ""});
  EXPECT_TRUE(none.rows.empty());
  EXPECT_EQ(none.devices, 0u);
  // Deadlines as of a date a year on: every clock has run out.
  Exposure late = Compute({"CVE-2024-0001", "", "2099-01-01"});
  ASSERT_FALSE(late.rows.empty());
  EXPECT_TRUE(late.rows[0].record.overdue());
  auto bad = ComputeExposure(fleet(), *reg_, {"", "", "01/01/2099"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
}

TEST_P(ExposureTest, DecisionsTakeFindingsOut) {
  triage::Decision d;
  d.status = triage::TriageStatus::kNotAffected;
  d.justification = "vulnerable_code_not_in_execute_path";
  d.reason = "inflate is never called on untrusted input";
  d.actor = "psirt@maker.example";
  ASSERT_TRUE(reg_->Set({"pump", "CVE-2024-0002", "pkg:generic/zlib"}, "1.1", d));
  Exposure e = Compute();
  for (const ExposureRow& r : e.rows) EXPECT_NE(r.record.key.vulnerability, "CVE-2024-0002");
  EXPECT_EQ(e.rows.size(), 5u);
  // The wolfssl flaw fixed in 2.0: the devices on 1.0 and 1.1 stay exposed.
  triage::Decision fixed;
  fixed.status = triage::TriageStatus::kFixed;
  fixed.fixed_in = "2.0";
  fixed.reason = "wolfssl 5.6.6";
  fixed.actor = "psirt@maker.example";
  ASSERT_TRUE(reg_->Set({"pump", "CVE-2024-0001", "pkg:generic/wolfssl"}, "1.1", fixed));
  Exposure wolfssl = Compute({"CVE-2024-0001", "", ""});
  EXPECT_EQ(wolfssl.devices, 9u);
  EXPECT_EQ(wolfssl.uncontrolled_devices, 9u);
  ASSERT_EQ(wolfssl.rows.size(), 3u);
  EXPECT_EQ(wolfssl.rows[0].fixed_in, "2.0");
  EXPECT_TRUE(wolfssl.rows[0].record.risk.controlled);  // the register's view of the product
}

INSTANTIATE_TEST_SUITE_P(Engines, ExposureTest, ::testing::ValuesIn(testing::kEngines),
                         testing::EngineName);

}  // namespace
}  // namespace vigil::fleet
