#include "vigil/update/rollback_counter.h"

#include <gtest/gtest.h>

#include "vigil/core/fault_env.h"

namespace vigil::update {
namespace {

TEST(RollbackCounter, NeverGoesDownAndSurvivesPowerLoss) {
  FaultInjectingEnv env;
  ASSERT_TRUE(env.CreateDir("/dev0").has_value());
  ASSERT_TRUE(env.SyncDir("/").has_value());
  ASSERT_TRUE(RollbackCounter::Provision(&env, "/dev0/c.json", 2).has_value());
  EXPECT_EQ(RollbackCounter::Provision(&env, "/dev0/c.json").error().code(),
            ErrorCode::kAlreadyExists);
  auto c = std::move(RollbackCounter::Open(&env, "/dev0/c.json").value());
  EXPECT_EQ(c.value(), 2u);
  ASSERT_TRUE(c.RaiseTo(1).has_value());
  EXPECT_EQ(c.value(), 2u);
  ASSERT_TRUE(c.RaiseTo(5).has_value());
  env.SimulatePowerLoss();
  EXPECT_EQ(RollbackCounter::Open(&env, "/dev0/c.json").value().value(), 5u);
}

TEST(RollbackCounter, AFailedRaiseKeepsTheOldValueEverywhere) {
  FaultInjectingEnv env;
  ASSERT_TRUE(env.CreateDir("/dev0").has_value());
  ASSERT_TRUE(env.SyncDir("/").has_value());
  ASSERT_TRUE(RollbackCounter::Provision(&env, "/dev0/c.json", 3).has_value());
  for (uint64_t n = 1;; ++n) {
    auto c = std::move(RollbackCounter::Open(&env, "/dev0/c.json").value());
    if (c.value() == 9) break;
    env.CrashAfter(n);
    Status s = c.RaiseTo(9);
    if (!s) {
      EXPECT_EQ(c.value(), 3u);  // memory follows only a durable raise
    }
    env.SimulatePowerLoss();
    uint64_t after = RollbackCounter::Open(&env, "/dev0/c.json").value().value();
    EXPECT_TRUE(after == 3 || after == 9) << after;
    if (s) {
      EXPECT_EQ(after, 9u);
    }
    ASSERT_LT(n, 20u);
  }
}

TEST(RollbackCounter, ParseNamesTheFieldAndMissingFileIsNotZero) {
  EXPECT_EQ(RollbackCounter::Parse(RollbackCounter::Serialize(42), "c").value(), 42u);
  auto bad = RollbackCounter::Parse(
      ToBytes(R"({"format":"vigil-rollback-counter/1","security_version":-1})"), "c.json");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("c.json: $.security_version"), std::string::npos);
  EXPECT_FALSE(
      RollbackCounter::Parse(ToBytes(R"({"format":"x","security_version":1})"), "c").has_value());
  FaultInjectingEnv env;
  EXPECT_EQ(RollbackCounter::Open(&env, "/nowhere/c.json").error().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace vigil::update
