// The infusion state machine and its exact volume accounting, without clock or thread: the
// delivery loop (delivery_loop.h) calls Tick() once per period, so a test can drive the same
// code tick by tick.
//
//   Idle/Stopped/Completed --Start--> Running <--Pause/Resume--> Paused
//   Running --occlusion--> Occluded --ClearOcclusion--> Paused (resuming is a deliberate act)
//   Running --volume reached--> Completed (end-of-infusion alarm)
//   Running/Paused/Occluded --Stop--> Stopped
//
// Accounting: each running tick adds rate (µL/h) × period (µs) to a remainder counted in
// µL·µs/h; every whole 3.6·10⁹ of it is one µL delivered. After n running ticks of period p the
// delivered volume is exactly floor(rate·n·p / 3.6·10⁹) µL, whatever the tick pattern, never
// more than the programmed volume.
//
// Thread-safety: none; TherapyController serialises access.
#ifndef PUMP_INFUSION_H_
#define PUMP_INFUSION_H_

#include <cstdint>
#include <optional>

#include "program.h"
#include "vigil/core/result.h"

namespace pump {

enum class InfusionState { kIdle, kRunning, kPaused, kOccluded, kCompleted, kStopped };
enum class Alarm { kNone, kOcclusion, kEndOfInfusion };

// "idle", "running", ... and "none", "occlusion", "end-of-infusion" (for status and logs).
const char* StateName(InfusionState state);
const char* AlarmName(Alarm alarm);

class Infusion {
 public:
  // Starts `program` from idle, stopped or completed (FailedPrecondition otherwise: an infusion
  // in progress is changed with Change, or stopped first).
  vigil::Status Start(Program program);
  // Replaces the running or paused program with `program` for the same drug (rate and volume
  // change; what was delivered stays). FailedPrecondition in another state, for another drug, or
  // for a volume not above what was already delivered.
  vigil::Status Change(Program program);
  vigil::Status Pause();   // Running → Paused
  vigil::Status Resume();  // Paused → Running
  vigil::Status Stop();    // Running, Paused or Occluded → Stopped
  // Occluded → Paused, once the line is clear (FailedPrecondition while `occluded` still holds).
  vigil::Status ClearOcclusion(bool occluded);

  // One period of `period_us` µs of the delivery mechanism, `occluded` being the downstream
  // pressure sensor's reading. Does nothing unless running.
  void Tick(int64_t period_us, bool occluded);

  InfusionState state() const { return state_; }
  Alarm alarm() const { return alarm_; }
  int64_t delivered_ul() const { return delivered_ul_; }
  // Ticks spent running since Start.
  uint64_t running_ticks() const { return running_ticks_; }
  const std::optional<Program>& program() const { return program_; }

 private:
  vigil::Status Expect(bool ok, const char* action) const;

  InfusionState state_ = InfusionState::kIdle;
  Alarm alarm_ = Alarm::kNone;
  std::optional<Program> program_;
  int64_t delivered_ul_ = 0;
  int64_t remainder_ = 0;  // µL·µs/h not yet a whole µL
  uint64_t running_ticks_ = 0;
};

}  // namespace pump

#endif  // PUMP_INFUSION_H_
