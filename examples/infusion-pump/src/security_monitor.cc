#include "security_monitor.h"

#include <cstdlib>
#include <map>

namespace pump {

vigil::Status ReportingSink::Record(vigil::audit::Event e) {
  vigil::Status recorded = inner_.Record(std::move(e));
  if (recorded) {
    faults_.Clear("audit");
  } else {
    faults_.Report("audit", "event not recorded: " + recorded.error().message());
  }
  return recorded;
}

SecurityMonitor::SecurityMonitor(vigil::Env& env, SecurityFaults& faults,
                                 std::chrono::seconds clock_tolerance)
    : env_(env),
      faults_(faults),
      tolerance_us_(std::chrono::duration_cast<std::chrono::microseconds>(clock_tolerance).count()),
      last_wall_us_(env.NowUnixMicros()),
      last_mono_ns_(env.NowMonotonicNanos()) {}

void SecurityMonitor::AddProbe(std::string component, Probe probe) {
  probes_.emplace_back(std::move(component), std::move(probe));
}

void SecurityMonitor::CheckOnce() {
  for (const auto& [component, probe] : probes_) {
    vigil::Status ok = probe();
    if (ok) {
      faults_.Clear(component);
    } else if (faults_.Active().count(component) == 0) {  // one alert per fault, not per check
      faults_.Report(component, ok.error().message());
    }
  }
  CheckClock();
}

void SecurityMonitor::CheckClock() {
  const int64_t wall = env_.NowUnixMicros();
  const int64_t mono = env_.NowMonotonicNanos();
  const int64_t drift_us = (wall - last_wall_us_) - (mono - last_mono_ns_) / 1000;
  last_wall_us_ = wall;
  last_mono_ns_ = mono;
  if (std::llabs(drift_us) > tolerance_us_) {
    faults_.Report("clock", "wall clock jumped by " + std::to_string(drift_us / 1'000'000) +
                                " s against the monotonic clock");
  }
}

void SecurityMonitor::AcknowledgeClock() { faults_.Clear("clock"); }

SecurityMonitor::Probe AuditRecoveryProbe(vigil::audit::TileLog& log,
                                          vigil::audit::EventSink& sink, SecurityFaults& faults,
                                          std::string device_id) {
  return [&log, &sink, &faults, device_id = std::move(device_id)]() -> vigil::Status {
    const std::map<std::string, std::string> active = faults.Active();
    const auto fault = active.find("audit");
    if (fault == active.end()) return vigil::OkStatus();
    VIGIL_RETURN_IF_ERROR(log.Recover());
    // The gap is itself a security event: whoever reviews the log learns that it is incomplete
    // between the last event before this one and this one, and why.
    vigil::audit::Event e;
    e.device_id = device_id;
    e.actor_id = "pumpd";
    e.actor_role = vigil::audit::Role::kSystem;
    e.action = vigil::audit::Action::kIntegrityViolation;
    e.outcome = vigil::audit::Outcome::kMinorFailure;
    e.purpose = vigil::audit::Purpose::kSecurity;
    e.interface = vigil::audit::Interface::kInternal;
    e.reason = "audit log resumed; events during the fault were not recorded (" + fault->second +
               ")";
    return sink.Record(std::move(e));
  };
}

}  // namespace pump
