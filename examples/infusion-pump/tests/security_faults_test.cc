#include "security_faults.h"

#include <gtest/gtest.h>

#include <set>

#include "vigil/access/policy.h"

namespace pump {
namespace {

using enum PrivilegedAction;

TEST(SecurityFaultsTest, PermitsWhileNothingIsFaulty) {
  SecurityFaults faults;
  for (PrivilegedAction action : kPrivilegedActions) EXPECT_TRUE(faults.Permit(action));
  EXPECT_TRUE(faults.AlertsAfter(0).empty());
}

// The policy as the README states it, written here independently of kFaultPolicy: each fault
// denies the actions whose security depends on the failed component, and no fault denies an
// infusion's start or change. "keys" is not in the table: an unforeseen fault denies all but
// the essential actions.
TEST(SecurityFaultsTest, EachFaultDeniesExactlyWhatDependsOnIt) {
  const std::map<std::string, std::set<PrivilegedAction>> denied = {
      {"audit", {kDrugLibraryInstall, kSoftwareUpdate}},
      {"vault", {kDrugLibraryInstall, kSoftwareUpdate}},
      {"clock", {kSoftwareUpdate}},
      {"update", {kSoftwareUpdate}},
      {"keys", {kDrugLibraryInstall, kSoftwareUpdate}},
  };
  for (const auto& [component, actions] : denied) {
    SecurityFaults faults;
    faults.Report(component, "failed");
    for (PrivilegedAction action : kPrivilegedActions) {
      const bool expect_denied = actions.count(action) != 0;
      EXPECT_EQ(FaultDenies(component, action), expect_denied)
          << component << " / " << ActionName(action);
      vigil::Status permitted = faults.Permit(action);
      ASSERT_EQ(!permitted, expect_denied) << component << " / " << ActionName(action);
      if (!expect_denied) continue;
      EXPECT_EQ(permitted.error().code(), vigil::ErrorCode::kPermissionDenied);
      EXPECT_EQ(permitted.error().message(), std::string(ActionName(action)) +
                                                 " refused: security fault active (" + component +
                                                 ": failed)");
    }
  }
}

TEST(SecurityFaultsTest, ThePolicyTableIsCompleteAndArgued) {
  std::map<std::string, std::set<PrivilegedAction>> cells;
  for (const FaultRule& rule : FaultPolicy()) {
    EXPECT_TRUE(cells[std::string(rule.component)].insert(rule.action).second)
        << rule.component << " / " << ActionName(rule.action) << " twice";
    EXPECT_GT(rule.why.size(), 20u) << rule.component << " / " << ActionName(rule.action);
    if (IsEssential(rule.action)) {
      EXPECT_FALSE(rule.denied) << rule.component;
    }
  }
  EXPECT_EQ(cells.size(), 4u);
  for (const auto& [component, actions] : cells) {
    EXPECT_EQ(actions.size(), std::size(kPrivilegedActions)) << component;
  }
}

TEST(SecurityFaultsTest, ARefusalNamesOnlyTheFaultsThatDenyIt) {
  SecurityFaults faults;
  faults.Report("audit", "disk full");
  faults.Report("clock", "jumped");
  faults.Report("vault", "locked");
  EXPECT_TRUE(faults.Permit(kInfusionStart));
  EXPECT_TRUE(faults.Permit(kInfusionChange));
  auto refused = faults.Permit(kDrugLibraryInstall);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message(),
            "drug library install refused: security fault active (audit: disk full; vault: "
            "locked)");
  EXPECT_EQ(faults.Permit(kSoftwareUpdate).error().message(),
            "software update refused: security fault active (audit: disk full; clock: jumped; "
            "vault: locked)");
}

TEST(SecurityFaultsTest, AFaultRefusesAndAlertsUntilCleared) {
  SecurityFaults faults;
  faults.Report("audit", "disk full");
  faults.Report("vault", "locked");
  auto refused = faults.Permit(kDrugLibraryInstall);
  ASSERT_FALSE(refused);
  faults.Clear("audit");
  faults.Clear("audit");  // no second alert
  EXPECT_FALSE(faults.Permit(kDrugLibraryInstall));
  faults.Clear("vault");
  EXPECT_TRUE(faults.Permit(kDrugLibraryInstall));
  auto alerts = faults.AlertsAfter(0);
  ASSERT_EQ(alerts.size(), 6u);
  EXPECT_EQ(alerts[0].component, "audit");
  EXPECT_EQ(alerts[0].message, "security fault: disk full");
  EXPECT_EQ(alerts[2].component, "therapy");
  EXPECT_EQ(alerts[2].message, refused.error().message());
  EXPECT_EQ(alerts[3].message, "security fault cleared");
  EXPECT_EQ(alerts[4].message,
            "drug library install refused: security fault active (vault: locked)");
  for (size_t i = 0; i < alerts.size(); ++i) EXPECT_EQ(alerts[i].sequence, i + 1);
  EXPECT_EQ(faults.AlertsAfter(5).size(), 1u);
  EXPECT_TRUE(faults.Active().empty());
}

TEST(SecurityFaultsTest, KeepsABoundedNumberOfAlertsOnOneLineEach) {
  SecurityFaults faults;
  for (size_t i = 0; i < SecurityFaults::kKeptAlerts + 10; ++i)
    faults.Raise("update", "server\ngone");
  auto alerts = faults.AlertsAfter(0);
  ASSERT_EQ(alerts.size(), SecurityFaults::kKeptAlerts);
  EXPECT_EQ(alerts.front().sequence, 11u);
  EXPECT_EQ(alerts.back().message.find('\n'), std::string::npos);
}

// The essential permissions are ones the pump's policy grants to clinicians (a name that does
// not exist would exempt nothing), and no administrative one is among them.
TEST(SecurityFaultsTest, EssentialPermissionsAreTheClinicianTherapyOnes) {
  auto policy =
      vigil::access::Policy::Load(*vigil::Env::Default(), PUMP_SOURCE_DIR "/access-policy.json");
  ASSERT_TRUE(policy) << policy.error().message();
  for (const std::string& permission : EssentialPermissions()) {
    EXPECT_TRUE(policy->Allows(vigil::audit::Role::kClinician, permission)) << permission;
    EXPECT_TRUE(permission.starts_with("therapy.") || permission.starts_with("monitor."))
        << permission;
  }
}

}  // namespace
}  // namespace pump
