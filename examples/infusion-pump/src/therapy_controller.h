// The therapy side of the pump: the drug library in force, the infusion, the simulated line
// sensor, and the delivery loop that runs the infusion at a fixed period on its own thread.
//
// Essential performance first: once an infusion runs, nothing a security component does can
// stop or alter it. The delivery loop takes only this controller's mutex, which no security
// component holds; security faults (security_faults.h) are consulted only when a new privileged
// action is asked for (start, change, library load), which they then refuse with an alert.
// Pause, resume, stop and clearing an alarm are never refused: they are the clinician's way to
// make the pump safe.
//
// Thread-safety: thread-safe (one mutex around the therapy state, held briefly per tick).
#ifndef PUMP_THERAPY_CONTROLLER_H_
#define PUMP_THERAPY_CONTROLLER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "delivery_loop.h"
#include "drug_library.h"
#include "infusion.h"
#include "program.h"
#include "security_faults.h"

namespace pump {

// The simulated downstream pressure sensor: a test or the simulator blocks and frees the line.
class LineSensor {
 public:
  void SetOccluded(bool occluded) { occluded_ = occluded; }
  bool occluded() const { return occluded_; }

 private:
  std::atomic<bool> occluded_{false};
};

// What the pump shows: a copy of the therapy state at one instant.
struct TherapyStatus {
  InfusionState state = InfusionState::kIdle;
  Alarm alarm = Alarm::kNone;
  std::string drug_id;  // empty when no program was ever started
  int64_t rate_ul_h = 0;
  int64_t volume_ul = 0;
  int64_t delivered_ul = 0;
  uint64_t running_ticks = 0;
  uint64_t library_version = 0;  // 0 before a library is loaded
};

class TherapyController {
 public:
  // `faults` must outlive the controller. The loop does not run until StartLoop().
  TherapyController(SecurityFaults& faults, std::chrono::microseconds period);
  ~TherapyController();  // stops the loop

  void StartLoop();
  void StopLoop();

  // Privileged: each refused while a security fault is active (PermissionDenied, alert raised).
  // InstallLibrary also refuses a library whose version is not above the one in force
  // (FailedPrecondition: a rollback to older limits). A running infusion keeps its program.
  vigil::Status InstallLibrary(DrugLibrary library);
  // Program::Create's errors; FailedPrecondition without a library or in the wrong state.
  vigil::Status Start(const ProgramRequest& request);
  vigil::Status Change(const ProgramRequest& request);

  // Never refused for security reasons; Infusion's state errors only.
  vigil::Status Pause();
  vigil::Status Resume();
  vigil::Status Stop();
  vigil::Status ClearOcclusion();

  // The software-update restart (update_agent.h): succeeds only while no infusion is under way
  // (idle, completed or stopped) and from then on refuses every Start (FailedPrecondition), so
  // no infusion can begin between this check and the restart. FailedPrecondition naming the
  // state when an infusion is running, paused or occluded. ReleaseHold() undoes it.
  vigil::Status HoldForRestart();
  void ReleaseHold();

  TherapyStatus Status() const;
  JitterStats Jitter() const { return loop_.Stats(); }
  JitterStats JitterSince(uint64_t mark) const { return loop_.StatsSince(mark); }
  std::chrono::microseconds period() const { return loop_.period(); }
  LineSensor& line() { return line_; }

  // One period, as the loop does it (public for tests that step the therapy by hand).
  void Tick(int64_t period_us);

 private:
  vigil::Result<Program> Validate(const ProgramRequest& request) const;  // mu_ held

  SecurityFaults& faults_;
  LineSensor line_;
  mutable std::mutex mu_;
  std::optional<DrugLibrary> library_;
  Infusion infusion_;
  Alarm last_alarm_ = Alarm::kNone;  // to raise each alarm once
  bool held_for_restart_ = false;
  DeliveryLoop loop_;
};

}  // namespace pump

#endif  // PUMP_THERAPY_CONTROLLER_H_
