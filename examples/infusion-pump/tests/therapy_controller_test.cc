#include "therapy_controller.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "delivery_loop.h"
#include "test_library.h"

namespace pump {
namespace {

using std::chrono::microseconds;
using vigil::ErrorCode;

constexpr microseconds kPeriod{10000};

ProgramRequest Heparin(int64_t rate, int64_t volume) {
  ProgramRequest r;
  r.drug_id = "heparin-25000u-250ml";
  r.rate_ul_h = rate;
  r.volume_ul = volume;
  return r;
}

DrugLibrary LibraryVersion(uint64_t version) {
  std::string text = testing::ExampleLibraryText();
  text.replace(text.find("\"version\": 1"), 12, "\"version\": " + std::to_string(version));
  return *DrugLibrary::Parse(text, "lib.json");
}

TEST(TherapyControllerTest, NeedsALibraryAndNeverRollsItBack) {
  SecurityFaults faults;
  TherapyController therapy(faults, kPeriod);
  EXPECT_EQ(therapy.Start(Heparin(10000, 1000)).error().message(),
            "program: no drug library is installed");
  ASSERT_TRUE(therapy.InstallLibrary(LibraryVersion(2)));
  for (uint64_t old : {1, 2}) {
    auto refused = therapy.InstallLibrary(LibraryVersion(old));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code(), ErrorCode::kFailedPrecondition);
    EXPECT_EQ(refused.error().message(),
              "drug library: version " + std::to_string(old) +
                  " is not above version 2 in force: refused (a library is never rolled back)");
  }
  ASSERT_TRUE(therapy.InstallLibrary(LibraryVersion(3)));
  EXPECT_EQ(therapy.Status().library_version, 3u);
}

// The software-update restart waits for no infusion to be under way, and once held no infusion
// can start before the restart; releasing the hold allows starts again.
TEST(TherapyControllerTest, HoldsForARestartOnlyWhenNoInfusionIsUnderWay) {
  SecurityFaults faults;
  TherapyController therapy(faults, kPeriod);
  ASSERT_TRUE(therapy.InstallLibrary(LibraryVersion(1)));
  ASSERT_TRUE(therapy.Start(Heparin(36000, 100000)));
  EXPECT_EQ(therapy.HoldForRestart().error().message(), "an infusion is running");
  ASSERT_TRUE(therapy.Pause());
  EXPECT_EQ(therapy.HoldForRestart().error().message(), "an infusion is paused");
  therapy.line().SetOccluded(true);
  ASSERT_TRUE(therapy.Resume());
  therapy.Tick(kPeriod.count());
  EXPECT_EQ(therapy.HoldForRestart().error().message(), "an infusion is occluded");
  therapy.line().SetOccluded(false);
  ASSERT_TRUE(therapy.Stop());
  ASSERT_TRUE(therapy.HoldForRestart());
  auto start = therapy.Start(Heparin(36000, 1000));
  ASSERT_FALSE(start);
  EXPECT_EQ(start.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(start.error().message(),
            "infusion start: the pump is restarting into a software update; try again in a moment");
  therapy.ReleaseHold();
  EXPECT_TRUE(therapy.Start(Heparin(36000, 1000)));
}

// Essential performance: the same ticks deliver the same volume whether or not every security
// component fails mid-infusion; the faults refuse new privileged actions and raise alerts, and
// the clinician can still pause, resume and stop.
TEST(TherapyControllerTest, SecurityFaultsNeverAlterARunningInfusion) {
  SecurityFaults calm_faults, faults;
  TherapyController calm(calm_faults, kPeriod), faulty(faults, kPeriod);
  for (TherapyController* t : {&calm, &faulty}) {
    ASSERT_TRUE(t->InstallLibrary(LibraryVersion(1)));
    ASSERT_TRUE(t->Start(Heparin(36000, 100000)));
  }
  const std::pair<const char*, const char*> failures[] = {
      {"audit", "log disk full"},
      {"vault", "locked"},
      {"clock", "wall clock jumped back 3 days"},
      {"update", "server unreachable"},
      {"keys", "key file unreadable"}};
  for (int i = 0; i < 5000; ++i) {
    if (i % 1000 == 500) faults.Report(failures[i / 1000].first, failures[i / 1000].second);
    calm.Tick(kPeriod.count());
    faulty.Tick(kPeriod.count());
    ASSERT_EQ(faulty.Status().delivered_ul, calm.Status().delivered_ul) << i;
  }
  EXPECT_EQ(faulty.Status().delivered_ul, 500);  // 50 s at 10 µL/s
  EXPECT_EQ(faulty.Status().state, InfusionState::kRunning);
  EXPECT_EQ(faults.Active().size(), 5u);

  // The fault policy: the essential actions go on, the drug library install is refused.
  EXPECT_EQ(faulty.InstallLibrary(LibraryVersion(2)).error().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(faulty.Status().rate_ul_h, 36000);
  ASSERT_TRUE(faulty.Change(Heparin(18000, 100000)));
  EXPECT_EQ(faulty.Status().rate_ul_h, 18000);
  ASSERT_TRUE(faulty.Pause());
  ASSERT_TRUE(faulty.Resume());
  ASSERT_TRUE(faulty.Stop());
  ASSERT_TRUE(faulty.Start(Heparin(10000, 1000)));

  auto alerts = faults.AlertsAfter(0);
  ASSERT_EQ(alerts.size(), 6u);  // five faults, one refusal
  for (int i = 0; i < 5; ++i) EXPECT_EQ(alerts[i].component, failures[i].first);
  EXPECT_EQ(alerts[5].message,
            "drug library install refused: security fault active (audit: log disk full; keys: "
            "key file unreadable; vault: locked)");

  for (const auto& [component, detail] : failures) faults.Clear(component);
  EXPECT_TRUE(faulty.InstallLibrary(LibraryVersion(2)));
}

TEST(TherapyControllerTest, AlarmsAreRaisedOnceEach) {
  SecurityFaults faults;
  TherapyController therapy(faults, kPeriod);
  ASSERT_TRUE(therapy.InstallLibrary(LibraryVersion(1)));
  ASSERT_TRUE(therapy.Start(Heparin(36000, 20)));
  therapy.Tick(kPeriod.count());
  therapy.line().SetOccluded(true);
  for (int i = 0; i < 10; ++i) therapy.Tick(kPeriod.count());
  EXPECT_EQ(therapy.ClearOcclusion().error().message(), "infusion: the line is still occluded");
  therapy.line().SetOccluded(false);
  ASSERT_TRUE(therapy.ClearOcclusion());
  ASSERT_TRUE(therapy.Resume());
  for (int i = 0; i < 300; ++i) therapy.Tick(kPeriod.count());
  EXPECT_EQ(therapy.Status().state, InfusionState::kCompleted);
  EXPECT_EQ(therapy.Status().delivered_ul, 20);
  auto alerts = faults.AlertsAfter(0);
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0].message, "alarm: occlusion");
  EXPECT_EQ(alerts[1].message, "alarm: end-of-infusion");
}

// The loop on its own thread: one tick per elapsed period (late wake-ups catch up), and the
// volume is the exact function of the ticks. A fault reported while it runs changes nothing.
TEST(TherapyControllerTest, TheLoopTicksOncePerElapsedPeriod) {
  SecurityFaults faults;
  TherapyController therapy(faults, kPeriod);
  ASSERT_TRUE(therapy.InstallLibrary(LibraryVersion(1)));
  ASSERT_TRUE(therapy.Start(Heparin(36000, 100000)));
  const auto t0 = std::chrono::steady_clock::now();
  therapy.StartLoop();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  faults.Report("clock", "wall clock jumped forward 1 hour");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto t1 = std::chrono::steady_clock::now();
  therapy.StopLoop();
  const auto t2 = std::chrono::steady_clock::now();
  const TherapyStatus s = therapy.Status();
  const auto periods = [](auto d) { return static_cast<int64_t>(d / kPeriod); };
  EXPECT_LE(static_cast<int64_t>(s.running_ticks), periods(t2 - t0));
  // Allow a few periods for the thread to start on a loaded machine.
  EXPECT_GE(static_cast<int64_t>(s.running_ticks), periods(t1 - t0) - 5);
  EXPECT_EQ(s.delivered_ul, static_cast<int64_t>(s.running_ticks) / 10);  // 0.1 µL per tick
  EXPECT_EQ(s.state, InfusionState::kRunning);
  const JitterStats j = therapy.Jitter();
  EXPECT_EQ(j.ticks, s.running_ticks);
  EXPECT_LE(j.p50_us, j.p99_us);
  EXPECT_LE(j.p99_us, j.max_us);
}

// StatsSince: the window after a mark holds a stall made after it, and no more than it.
TEST(DeliveryLoopTest, StatsSinceCoversTheWindowAfterItsMark) {
  std::atomic<bool> stall{false};
  DeliveryLoop loop(std::chrono::milliseconds(2), [&](int64_t) {
    if (stall.exchange(false)) std::this_thread::sleep_for(std::chrono::milliseconds(30));
  });
  loop.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const JitterStats mark = loop.Stats();
  ASSERT_GT(mark.wakeups, 0u);
  const JitterStats future = loop.StatsSince(mark.wakeups + 1'000'000);
  EXPECT_EQ(future.max_us, 0);
  EXPECT_EQ(future.p99_us, 0);
  stall = true;
  std::this_thread::sleep_for(std::chrono::milliseconds(80));
  const JitterStats window = loop.StatsSince(mark.wakeups);
  loop.Stop();
  EXPECT_GT(window.wakeups, mark.wakeups);
  EXPECT_GE(window.max_us, 20'000);  // the wake-up after the 30 ms tick
  EXPECT_LE(window.p50_us, window.p99_us);
  EXPECT_LE(window.p99_us, window.max_us);
}

}  // namespace
}  // namespace pump
