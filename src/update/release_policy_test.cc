#include "vigil/update/release_policy.h"

#include <gtest/gtest.h>

namespace vigil::update {
namespace {

// Test documents are written as JSON text.
json::Value J(std::string_view text) { return json::Parse(text, "test").value(); }

TEST(TargetRelease, ReadsCustomVigil) {
  auto r = TargetRelease::FromCustom(
      J(R"({"vigil":{"release":7,"security_version":2,"allow_downgrade_from":9},"other":1})"),
      "fw");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->release, 7u);
  EXPECT_EQ(r->security_version, 2u);
  EXPECT_EQ(r->allow_downgrade_from, 9u);
  struct Case {
    json::Value custom;
    std::string expect;
  } cases[] = {
      {json::Value(), "target \"fw\": custom.vigil: required field missing"},
      {J(R"({"x":1})"), "custom.vigil: required field missing"},
      {J(R"({"vigil":3})"), "custom.vigil: expected an object"},
      {J(R"({"vigil":{"security_version":1}})"), "custom.vigil.release: required field missing"},
      {J(R"({"vigil":{"release":0,"security_version":1}})"), "release: expected an integer >= 1"},
      {J(R"({"vigil":{"release":1,"security_version":"1"}})"), "security_version: expected"},
      {J(R"({"vigil":{"release":1,"security_version":1,"allow_downgrade_from":true}})"),
       "allow_downgrade_from: expected"},
  };
  for (const Case& c : cases) {
    auto bad = TargetRelease::FromCustom(c.custom, "fw");
    ASSERT_FALSE(bad.has_value()) << c.expect;
    EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(bad.error().message().find(c.expect), std::string::npos) << bad.error().message();
  }
}

TEST(CheckInstallAllowed, CounterIsAFloorAndDowngradesNeedCoveringPermission) {
  auto rel = [](uint64_t r, uint64_t sv, std::optional<uint64_t> allow = std::nullopt) {
    return TargetRelease{r, sv, allow};
  };
  EXPECT_TRUE(CheckInstallAllowed(rel(1, 0), "fw", 0, std::nullopt).has_value());
  EXPECT_TRUE(CheckInstallAllowed(rel(5, 3), "fw", 3, 4).has_value());
  EXPECT_TRUE(CheckInstallAllowed(rel(4, 3), "fw", 3, 4).has_value());  // same release
  EXPECT_FALSE(CheckInstallAllowed(rel(5, 2), "fw", 3, 4).has_value());
  EXPECT_FALSE(CheckInstallAllowed(rel(5, 2, 9), "fw", 3, 4).has_value());
  EXPECT_FALSE(CheckInstallAllowed(rel(2, 2, 9), "fw", 3, std::nullopt).has_value());
  EXPECT_FALSE(CheckInstallAllowed(rel(3, 3), "fw", 3, 4).has_value());
  EXPECT_FALSE(CheckInstallAllowed(rel(3, 3, 3), "fw", 3, 4).has_value());
  EXPECT_TRUE(CheckInstallAllowed(rel(3, 3, 4), "fw", 3, 4).has_value());
  EXPECT_TRUE(CheckInstallAllowed(rel(3, 3, 6), "fw", 3, 4).has_value());
  Status s = CheckInstallAllowed(rel(3, 3, 3), "fw", 3, 4);
  EXPECT_EQ(s.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(s.error().message().find("allow_downgrade_from must be >= 4"), std::string::npos);
}

}  // namespace
}  // namespace vigil::update
