#include "infusion.h"

#include <string>

namespace pump {
namespace {

constexpr int64_t kUlMicrosPerHour = 3'600'000'000;  // µs in an hour

}  // namespace

const char* StateName(InfusionState state) {
  switch (state) {
    case InfusionState::kIdle:
      return "idle";
    case InfusionState::kRunning:
      return "running";
    case InfusionState::kPaused:
      return "paused";
    case InfusionState::kOccluded:
      return "occluded";
    case InfusionState::kCompleted:
      return "completed";
    case InfusionState::kStopped:
      return "stopped";
  }
  return "unknown";
}

const char* AlarmName(Alarm alarm) {
  switch (alarm) {
    case Alarm::kNone:
      return "none";
    case Alarm::kOcclusion:
      return "occlusion";
    case Alarm::kEndOfInfusion:
      return "end-of-infusion";
  }
  return "unknown";
}

vigil::Status Infusion::Expect(bool ok, const char* action) const {
  if (ok) return vigil::OkStatus();
  return vigil::FailedPreconditionError(std::string("infusion: cannot ") + action + " while " +
                                        StateName(state_));
}

vigil::Status Infusion::Start(Program program) {
  VIGIL_RETURN_IF_ERROR(Expect(state_ == InfusionState::kIdle ||
                                   state_ == InfusionState::kStopped ||
                                   state_ == InfusionState::kCompleted,
                               "start"));
  program_ = std::move(program);
  delivered_ul_ = 0;
  remainder_ = 0;
  running_ticks_ = 0;
  alarm_ = Alarm::kNone;
  state_ = InfusionState::kRunning;
  return vigil::OkStatus();
}

vigil::Status Infusion::Change(Program program) {
  VIGIL_RETURN_IF_ERROR(
      Expect(state_ == InfusionState::kRunning || state_ == InfusionState::kPaused, "change"));
  if (program.drug_id() != program_->drug_id()) {
    return vigil::FailedPreconditionError("infusion: cannot change drug \"" + program_->drug_id() +
                                          "\" to \"" + program.drug_id() +
                                          "\" mid-infusion: stop and start a new program");
  }
  if (program.volume_ul() <= delivered_ul_) {
    return vigil::FailedPreconditionError(
        "infusion: volume_ul: " + std::to_string(program.volume_ul()) + " µL is not above the " +
        std::to_string(delivered_ul_) + " µL already delivered");
  }
  program_ = std::move(program);
  return vigil::OkStatus();
}

vigil::Status Infusion::Pause() {
  VIGIL_RETURN_IF_ERROR(Expect(state_ == InfusionState::kRunning, "pause"));
  state_ = InfusionState::kPaused;
  return vigil::OkStatus();
}

vigil::Status Infusion::Resume() {
  VIGIL_RETURN_IF_ERROR(Expect(state_ == InfusionState::kPaused, "resume"));
  state_ = InfusionState::kRunning;
  return vigil::OkStatus();
}

vigil::Status Infusion::Stop() {
  VIGIL_RETURN_IF_ERROR(Expect(state_ == InfusionState::kRunning ||
                                   state_ == InfusionState::kPaused ||
                                   state_ == InfusionState::kOccluded,
                               "stop"));
  state_ = InfusionState::kStopped;
  return vigil::OkStatus();
}

vigil::Status Infusion::ClearOcclusion(bool occluded) {
  VIGIL_RETURN_IF_ERROR(Expect(state_ == InfusionState::kOccluded, "clear an occlusion"));
  if (occluded) {
    return vigil::FailedPreconditionError("infusion: the line is still occluded");
  }
  alarm_ = Alarm::kNone;
  state_ = InfusionState::kPaused;
  return vigil::OkStatus();
}

void Infusion::Tick(int64_t period_us, bool occluded) {
  if (state_ != InfusionState::kRunning) return;
  if (occluded) {  // the mechanism stops pushing against a blocked line
    state_ = InfusionState::kOccluded;
    alarm_ = Alarm::kOcclusion;
    return;
  }
  ++running_ticks_;
  remainder_ += program_->rate_ul_h() * period_us;
  delivered_ul_ += remainder_ / kUlMicrosPerHour;
  remainder_ %= kUlMicrosPerHour;
  if (delivered_ul_ >= program_->volume_ul()) {
    delivered_ul_ = program_->volume_ul();
    remainder_ = 0;
    state_ = InfusionState::kCompleted;
    alarm_ = Alarm::kEndOfInfusion;
  }
}

}  // namespace pump
