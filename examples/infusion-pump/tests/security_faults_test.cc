#include "security_faults.h"

#include <gtest/gtest.h>

namespace pump {
namespace {

TEST(SecurityFaultsTest, PermitsWhileNothingIsFaulty) {
  SecurityFaults faults;
  EXPECT_TRUE(faults.Permit("infusion start"));
  EXPECT_TRUE(faults.AlertsAfter(0).empty());
}

TEST(SecurityFaultsTest, AFaultRefusesAndAlertsUntilCleared) {
  SecurityFaults faults;
  faults.Report("audit", "disk full");
  faults.Report("vault", "locked");
  auto refused = faults.Permit("infusion start");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), vigil::ErrorCode::kPermissionDenied);
  EXPECT_EQ(refused.error().message(),
            "infusion start refused: security fault active (audit: disk full; vault: locked)");
  faults.Clear("audit");
  faults.Clear("audit");  // no second alert
  faults.Clear("vault");
  EXPECT_TRUE(faults.Permit("infusion start"));
  auto alerts = faults.AlertsAfter(0);
  ASSERT_EQ(alerts.size(), 5u);
  EXPECT_EQ(alerts[0].component, "audit");
  EXPECT_EQ(alerts[0].message, "security fault: disk full");
  EXPECT_EQ(alerts[2].component, "therapy");
  EXPECT_EQ(alerts[2].message, refused.error().message());
  EXPECT_EQ(alerts[3].message, "security fault cleared");
  for (size_t i = 0; i < alerts.size(); ++i) EXPECT_EQ(alerts[i].sequence, i + 1);
  EXPECT_EQ(faults.AlertsAfter(4).size(), 1u);
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

}  // namespace
}  // namespace pump
