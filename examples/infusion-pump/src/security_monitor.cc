#include "security_monitor.h"

#include <cstdlib>

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

}  // namespace pump
