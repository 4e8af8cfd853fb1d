#include "infusion.h"

#include <gtest/gtest.h>

#include "test_library.h"

namespace pump {
namespace {

using vigil::ErrorCode;

Program Make(std::string drug, int64_t rate, int64_t volume) {
  ProgramRequest r;
  r.drug_id = std::move(drug);
  r.rate_ul_h = rate;
  r.volume_ul = volume;
  r.confirm_soft_limit = true;
  return *Program::Create(testing::ExampleLibrary(), r);
}

Program Heparin(int64_t rate, int64_t volume) { return Make("heparin-25000u-250ml", rate, volume); }

// floor(rate · ticks · period / 3.6e9): what must have been delivered, in exact arithmetic.
int64_t Expected(int64_t rate, uint64_t ticks, int64_t period_us) {
  return rate * static_cast<int64_t>(ticks) * period_us / 3600000000LL;  // < 2^63 here
}

TEST(InfusionTest, DeliveredVolumeIsExactAfterEveryTick) {
  for (auto [rate, period] :
       {std::pair<int64_t, int64_t>{5000, 10000}, {7919, 333}, {49999, 997}}) {
    Infusion infusion;
    ASSERT_TRUE(infusion.Start(Heparin(rate, 250000)));
    for (uint64_t n = 1; n <= 200000; ++n) {
      infusion.Tick(period, false);
      ASSERT_EQ(infusion.delivered_ul(), Expected(rate, n, period))
          << rate << " " << period << " " << n;
    }
    EXPECT_EQ(infusion.state(), InfusionState::kRunning);
    EXPECT_EQ(infusion.running_ticks(), 200000u);
  }
}

TEST(InfusionTest, EndOfInfusionStopsAtTheProgrammedVolume) {
  Infusion infusion;
  ASSERT_TRUE(infusion.Start(Heparin(36000, 10)));  // 10 µL/s: 1 s, i.e. 100 ticks of 10 ms
  for (int i = 0; i < 99; ++i) infusion.Tick(10000, false);
  EXPECT_EQ(infusion.state(), InfusionState::kRunning);
  EXPECT_EQ(infusion.delivered_ul(), 9);
  infusion.Tick(10000, false);
  EXPECT_EQ(infusion.state(), InfusionState::kCompleted);
  EXPECT_EQ(infusion.alarm(), Alarm::kEndOfInfusion);
  EXPECT_EQ(infusion.delivered_ul(), 10);
  infusion.Tick(10000, false);
  EXPECT_EQ(infusion.delivered_ul(), 10);
  EXPECT_EQ(infusion.running_ticks(), 100u);
  // A completed infusion can be followed by a new one, which starts from zero.
  ASSERT_TRUE(infusion.Start(Heparin(36000, 10)));
  EXPECT_EQ(infusion.delivered_ul(), 0);
  EXPECT_EQ(infusion.alarm(), Alarm::kNone);
}

TEST(InfusionTest, NothingIsDeliveredWhilePaused) {
  Infusion infusion;
  ASSERT_TRUE(infusion.Start(Heparin(36000, 1000)));
  for (int i = 0; i < 50; ++i) infusion.Tick(10000, false);
  EXPECT_EQ(infusion.delivered_ul(), 5);
  ASSERT_TRUE(infusion.Pause());
  for (int i = 0; i < 500; ++i) infusion.Tick(10000, false);
  EXPECT_EQ(infusion.delivered_ul(), 5);
  ASSERT_TRUE(infusion.Resume());
  for (int i = 0; i < 50; ++i) infusion.Tick(10000, false);
  EXPECT_EQ(infusion.delivered_ul(), 10);
  ASSERT_TRUE(infusion.Stop());
  infusion.Tick(10000, false);
  EXPECT_EQ(infusion.delivered_ul(), 10);
  EXPECT_EQ(infusion.state(), InfusionState::kStopped);
}

TEST(InfusionTest, OcclusionStopsDeliveryUntilClearedAndResumed) {
  Infusion infusion;
  ASSERT_TRUE(infusion.Start(Heparin(36000, 1000)));
  for (int i = 0; i < 30; ++i) infusion.Tick(10000, false);
  infusion.Tick(10000, true);
  EXPECT_EQ(infusion.state(), InfusionState::kOccluded);
  EXPECT_EQ(infusion.alarm(), Alarm::kOcclusion);
  const int64_t at_occlusion = infusion.delivered_ul();
  EXPECT_EQ(at_occlusion, 3);
  for (int i = 0; i < 100; ++i) infusion.Tick(10000, false);
  EXPECT_EQ(infusion.delivered_ul(), at_occlusion);
  auto still = infusion.ClearOcclusion(true);
  ASSERT_FALSE(still);
  EXPECT_EQ(still.error().message(), "infusion: the line is still occluded");
  ASSERT_TRUE(infusion.ClearOcclusion(false));
  EXPECT_EQ(infusion.state(), InfusionState::kPaused);  // resuming is the clinician's act
  EXPECT_EQ(infusion.alarm(), Alarm::kNone);
  ASSERT_TRUE(infusion.Resume());
  for (int i = 0; i < 70; ++i) infusion.Tick(10000, false);
  EXPECT_EQ(infusion.delivered_ul(), 10);
}

TEST(InfusionTest, RefusesActionsOutOfState) {
  Infusion infusion;
  auto pause = infusion.Pause();
  ASSERT_FALSE(pause);
  EXPECT_EQ(pause.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(pause.error().message(), "infusion: cannot pause while idle");
  EXPECT_FALSE(infusion.Resume());
  EXPECT_FALSE(infusion.Stop());
  EXPECT_FALSE(infusion.Change(Heparin(10000, 1000)));
  EXPECT_EQ(infusion.ClearOcclusion(false).error().message(),
            "infusion: cannot clear an occlusion while idle");
  ASSERT_TRUE(infusion.Start(Heparin(10000, 1000)));
  EXPECT_EQ(infusion.Start(Heparin(10000, 1000)).error().message(),
            "infusion: cannot start while running");
  EXPECT_FALSE(infusion.Resume());
}

TEST(InfusionTest, ChangeKeepsWhatWasDelivered) {
  Infusion infusion;
  ASSERT_TRUE(infusion.Start(Heparin(36000, 1000)));
  for (int i = 0; i < 100; ++i) infusion.Tick(10000, false);
  EXPECT_EQ(infusion.delivered_ul(), 10);
  ASSERT_TRUE(infusion.Change(Heparin(18000, 1000)));
  for (int i = 0; i < 100; ++i) infusion.Tick(10000, false);
  EXPECT_EQ(infusion.delivered_ul(), 15);
  EXPECT_EQ(infusion.Change(Make("morphine-1mg-ml", 1000, 100)).error().message(),
            "infusion: cannot change drug \"heparin-25000u-250ml\" to \"morphine-1mg-ml\" "
            "mid-infusion: stop and start a new program");
  EXPECT_EQ(infusion.Change(Heparin(18000, 15)).error().message(),
            "infusion: volume_ul: 15 µL is not above the 15 µL already delivered");
  EXPECT_EQ(infusion.program()->rate_ul_h(), 18000);
}

TEST(InfusionTest, NamesStatesAndAlarms) {
  EXPECT_STREQ(StateName(InfusionState::kOccluded), "occluded");
  EXPECT_STREQ(StateName(InfusionState::kCompleted), "completed");
  EXPECT_STREQ(AlarmName(Alarm::kEndOfInfusion), "end-of-infusion");
  EXPECT_STREQ(AlarmName(Alarm::kOcclusion), "occlusion");
}

}  // namespace
}  // namespace pump
