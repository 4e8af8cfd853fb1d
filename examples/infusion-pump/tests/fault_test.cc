// The fault test (issue 17): while an infusion runs on its delivery loop, the audit log's disk
// fills, the vault's key store stops answering, the wall clock jumps and the update server goes
// away (reported as the update agent reports it). Each is reported as a fault with an alert; the
// fault policy (security_faults.h) refuses exactly what depends on a failed component — the
// drug library install and the software update — while the infusion goes on, may be changed and
// a new one started (essential performance first). Its delivered volume is exactly what its ticks
// make and its ticks follow elapsed time.
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "device.h"
#include "security_monitor.h"
#include "simulated_secure_element.h"
#include "test_library.h"
#include "therapy_controller.h"
#include "vigil/audit/tile_log.h"
#include "vigil/core/fault_env.h"

namespace pump {
namespace {

using std::chrono::microseconds;

vigil::audit::Event AnEvent() {
  vigil::audit::Event e;
  e.device_id = "PUMP-FAULT";
  e.actor_id = "bob";
  e.actor_role = vigil::audit::Role::kClinician;
  e.action = vigil::audit::Action::kAccessDecision;
  return e;
}

TEST(FaultTest, EachSecurityFaultIsReportedAndTheInfusionRunsOn) {
  vigil::FaultInjectingEnv env;  // the audit log's storage and the clocks
  auto log = vigil::audit::TileLog::Open(env, "/audit");
  ASSERT_TRUE(log) << log.error().ToString();
  vigil::audit::AuditLogSink log_sink(**log, env);
  SecurityFaults faults;
  ReportingSink audit(log_sink, faults);
  ASSERT_TRUE(audit.Record(AnEvent()));

  char tmpl[] = "/tmp/pump_fault_test.XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  SimulatedSecureElement se(*vigil::Env::Default(), std::string(tmpl) + "/se");
  ASSERT_TRUE(se.WriteKey(kVaultKekSlot, vigil::crypto::SecretBytes(32)));
  SecurityMonitor monitor(env, faults);
  monitor.AddProbe("vault", [&]() -> vigil::Status {
    auto kek = se.ReadKey(kVaultKekSlot);
    if (!kek) return kek.error();
    return vigil::OkStatus();
  });
  monitor.AddProbe("audit", AuditRecoveryProbe(**log, log_sink, faults, "PUMP-FAULT"));
  monitor.CheckOnce();
  EXPECT_TRUE(faults.Active().empty());

  const microseconds period{10000};
  TherapyController therapy(faults, period);
  std::string text = testing::ExampleLibraryText();
  ASSERT_TRUE(therapy.InstallLibrary(*DrugLibrary::Parse(text, "lib.json")));
  ProgramRequest program{"heparin-25000u-250ml", 36000, 100000, 0, false};
  ASSERT_TRUE(therapy.Start(program));
  const auto t0 = std::chrono::steady_clock::now();
  therapy.StartLoop();

  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  env.SetDiskCapacity(1);  // the audit log's disk is full
  EXPECT_FALSE(audit.Record(AnEvent()));
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  se.Lock(true);  // the vault's key store stops answering
  monitor.CheckOnce();
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  env.JumpWallClock(-3 * 86400 * 1'000'000LL);  // three days back
  monitor.CheckOnce();
  monitor.CheckOnce();  // a fault already reported is not alerted again
  faults.Report("update", "update server unreachable: connection refused");

  // Essential performance goes on: the infusion may be changed (here its volume, so that the
  // delivered volume below stays a function of the ticks alone).
  ProgramRequest longer = program;
  longer.volume_ul += 1000;
  EXPECT_TRUE(therapy.Change(longer));
  EXPECT_TRUE(faults.Permit(PrivilegedAction::kInfusionStart));
  // What depends on a failed component is refused, naming only the faults that deny it.
  vigil::Status library = therapy.InstallLibrary(*DrugLibrary::Parse(text, "lib.json"));
  ASSERT_FALSE(library);
  EXPECT_EQ(library.error().code(), vigil::ErrorCode::kPermissionDenied);
  EXPECT_EQ(library.error().message().rfind("drug library install refused: security fault active "
                                            "(audit: event not recorded: ",
                                            0),
            0u)
      << library.error().message();
  EXPECT_EQ(library.error().message().find("clock"), std::string::npos);
  vigil::Status update = faults.Permit(PrivilegedAction::kSoftwareUpdate);
  ASSERT_FALSE(update);
  for (const char* component : {"audit: ", "clock: ", "update: ", "vault: "}) {
    EXPECT_NE(update.error().message().find(component), std::string::npos) << component;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  const auto t1 = std::chrono::steady_clock::now();
  therapy.StopLoop();
  const auto t2 = std::chrono::steady_clock::now();

  const TherapyStatus s = therapy.Status();
  EXPECT_EQ(s.state, InfusionState::kRunning);
  EXPECT_EQ(s.rate_ul_h, 36000);
  const auto periods = [&](auto d) { return static_cast<int64_t>(d / period); };
  EXPECT_LE(static_cast<int64_t>(s.running_ticks), periods(t2 - t0));
  EXPECT_GE(static_cast<int64_t>(s.running_ticks), periods(t1 - t0) - 5);
  EXPECT_EQ(s.delivered_ul, static_cast<int64_t>(s.running_ticks) / 10);  // 0.1 µL a tick

  EXPECT_EQ(s.volume_ul, 101000);
  auto active = faults.Active();
  ASSERT_EQ(active.size(), 4u);
  EXPECT_EQ(active["audit"].rfind("event not recorded: ", 0), 0u) << active["audit"];
  EXPECT_EQ(active["vault"], se.Name() + ": the secure element does not answer (locked)");
  EXPECT_EQ(active["clock"], "wall clock jumped by -259200 s against the monotonic clock");
  std::vector<std::string> alerted;
  for (const Alert& a : faults.AlertsAfter(0)) alerted.push_back(a.component);
  EXPECT_EQ(alerted,
            (std::vector<std::string>{"audit", "vault", "clock", "update", "therapy", "therapy"}));

  // With every fault still active, the infusion is stopped and a new one started.
  ASSERT_TRUE(therapy.Stop());
  EXPECT_TRUE(therapy.Start(program));

  // Recovery: space is freed, the key store answers, the clock is acknowledged. The monitor
  // recovers the audit log in place and records the gap in it; the faults clear and privileged
  // actions are allowed again.
  const uint64_t before = (*log)->size();
  env.SetDiskCapacity(0);
  se.Lock(false);
  monitor.CheckOnce();
  monitor.AcknowledgeClock();
  ASSERT_EQ((*log)->size(), before + 1);
  auto gap = vigil::audit::DecodeEvent(*(*log)->Entry(before));
  ASSERT_TRUE(gap) << gap.error().ToString();
  EXPECT_EQ(gap->action, vigil::audit::Action::kIntegrityViolation);
  EXPECT_EQ(gap->reason.rfind("audit log resumed; events during the fault were not recorded "
                              "(event not recorded: ",
                              0),
            0u)
      << gap->reason;
  EXPECT_TRUE(audit.Record(AnEvent()));
  faults.Clear("update");  // the agent's next poll reaches the server
  EXPECT_TRUE(faults.Active().empty());
  for (PrivilegedAction action : kPrivilegedActions) EXPECT_TRUE(faults.Permit(action));
  std::filesystem::remove_all(tmpl);
}

}  // namespace
}  // namespace pump
