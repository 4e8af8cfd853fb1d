#include "therapy_controller.h"

namespace pump {

TherapyController::TherapyController(SecurityFaults& faults, std::chrono::microseconds period)
    : faults_(faults), loop_(period, [this](int64_t period_us) { Tick(period_us); }) {}

TherapyController::~TherapyController() { loop_.Stop(); }

void TherapyController::StartLoop() { loop_.Start(); }
void TherapyController::StopLoop() { loop_.Stop(); }

// Alarms go to the alert board after the therapy mutex is released: the board has its own lock,
// and the loop never waits for anything but this controller.
void TherapyController::Tick(int64_t period_us) {
  Alarm raised = Alarm::kNone;
  {
    std::lock_guard lock(mu_);
    infusion_.Tick(period_us, line_.occluded());
    if (infusion_.alarm() != last_alarm_) {
      last_alarm_ = infusion_.alarm();
      raised = last_alarm_;
    }
  }
  if (raised != Alarm::kNone) faults_.Raise("therapy", std::string("alarm: ") + AlarmName(raised));
}

vigil::Status TherapyController::InstallLibrary(DrugLibrary library) {
  VIGIL_RETURN_IF_ERROR(faults_.Permit(PrivilegedAction::kDrugLibraryInstall));
  std::lock_guard lock(mu_);
  if (library_ && library.version() <= library_->version()) {
    return vigil::FailedPreconditionError(
        "drug library: version " + std::to_string(library.version()) + " is not above version " +
        std::to_string(library_->version()) +
        " in force: refused (a library is never rolled back)");
  }
  library_ = std::move(library);
  return vigil::OkStatus();
}

vigil::Result<Program> TherapyController::Validate(const ProgramRequest& request) const {
  if (!library_) return vigil::FailedPreconditionError("program: no drug library is installed");
  return Program::Create(*library_, request);
}

vigil::Status TherapyController::Start(const ProgramRequest& request) {
  VIGIL_RETURN_IF_ERROR(faults_.Permit(PrivilegedAction::kInfusionStart));
  std::lock_guard lock(mu_);
  if (held_for_restart_) {
    return vigil::FailedPreconditionError(
        "infusion start: the pump is restarting into a software update; try again in a moment");
  }
  VIGIL_ASSIGN_OR_RETURN(Program program, Validate(request));
  VIGIL_RETURN_IF_ERROR(infusion_.Start(std::move(program)));
  last_alarm_ = Alarm::kNone;
  return vigil::OkStatus();
}

vigil::Status TherapyController::Change(const ProgramRequest& request) {
  VIGIL_RETURN_IF_ERROR(faults_.Permit(PrivilegedAction::kInfusionChange));
  std::lock_guard lock(mu_);
  VIGIL_ASSIGN_OR_RETURN(Program program, Validate(request));
  return infusion_.Change(std::move(program));
}

vigil::Status TherapyController::Pause() {
  std::lock_guard lock(mu_);
  return infusion_.Pause();
}

vigil::Status TherapyController::Resume() {
  std::lock_guard lock(mu_);
  return infusion_.Resume();
}

vigil::Status TherapyController::Stop() {
  std::lock_guard lock(mu_);
  return infusion_.Stop();
}

vigil::Status TherapyController::ClearOcclusion() {
  std::lock_guard lock(mu_);
  VIGIL_RETURN_IF_ERROR(infusion_.ClearOcclusion(line_.occluded()));
  last_alarm_ = Alarm::kNone;
  return vigil::OkStatus();
}

vigil::Status TherapyController::HoldForRestart() {
  std::lock_guard lock(mu_);
  const InfusionState state = infusion_.state();
  if (state == InfusionState::kRunning || state == InfusionState::kPaused ||
      state == InfusionState::kOccluded) {
    return vigil::FailedPreconditionError(std::string("an infusion is ") + StateName(state));
  }
  held_for_restart_ = true;
  return vigil::OkStatus();
}

void TherapyController::ReleaseHold() {
  std::lock_guard lock(mu_);
  held_for_restart_ = false;
}

TherapyStatus TherapyController::Status() const {
  std::lock_guard lock(mu_);
  TherapyStatus s;
  s.state = infusion_.state();
  s.alarm = infusion_.alarm();
  if (const auto& p = infusion_.program()) {
    s.drug_id = p->drug_id();
    s.rate_ul_h = p->rate_ul_h();
    s.volume_ul = p->volume_ul();
  }
  s.delivered_ul = infusion_.delivered_ul();
  s.running_ticks = infusion_.running_ticks();
  s.library_version = library_ ? library_->version() : 0;
  return s;
}

}  // namespace pump
