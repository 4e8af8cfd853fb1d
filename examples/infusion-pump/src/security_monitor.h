// Watches the security components and reports their failures to the fault board
// (security_faults.h), where they refuse new privileged actions and raise alerts; therapy is
// never consulted or touched.
//
//  - ReportingSink wraps the audit EventSink: a record that fails (the log's disk is full, the
//    log is damaged) reports an "audit" fault; the next one that succeeds clears it.
//  - AuditRecoveryProbe: a log stops appending after a failed write, so nothing would succeed
//    again before a restart; the probe recovers it in place once a second while the fault lasts
//    and records in it that events went unrecorded, which clears the fault once durable.
//  - SecurityMonitor::CheckOnce runs each probe (e.g. "vault": the secure element holding the
//    vault's key answers) and reports or clears its component; and it compares how far the wall
//    clock and the monotonic clock moved since the last check: a difference over
//    `clock_tolerance` is a clock jump, reported as a "clock" fault that stays until
//    AcknowledgeClock() (certificates, sessions and audit times depend on the wall clock).
//
// Thread-safety: ReportingSink is thread-safe if the wrapped sink is; SecurityMonitor's methods
// are called from one thread (the pump's monitor thread, or a test).
#ifndef PUMP_SECURITY_MONITOR_H_
#define PUMP_SECURITY_MONITOR_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "security_faults.h"
#include "vigil/audit/event_sink.h"
#include "vigil/audit/tile_log.h"
#include "vigil/core/env.h"

namespace pump {

class ReportingSink final : public vigil::audit::EventSink {
 public:
  ReportingSink(vigil::audit::EventSink& inner, SecurityFaults& faults)
      : inner_(inner), faults_(faults) {}
  vigil::Status Record(vigil::audit::Event e) override;

 private:
  vigil::audit::EventSink& inner_;
  SecurityFaults& faults_;
};

class SecurityMonitor {
 public:
  using Probe = std::function<vigil::Status()>;

  // `env` gives both clocks; it and `faults` must outlive the monitor.
  SecurityMonitor(vigil::Env& env, SecurityFaults& faults,
                  std::chrono::seconds clock_tolerance = std::chrono::seconds(5));

  void AddProbe(std::string component, Probe probe);
  void CheckOnce();
  void AcknowledgeClock();

 private:
  void CheckClock();

  vigil::Env& env_;
  SecurityFaults& faults_;
  const int64_t tolerance_us_;
  std::vector<std::pair<std::string, Probe>> probes_;
  int64_t last_wall_us_, last_mono_ns_;
};

// The "audit" probe: OK while no audit fault is active; otherwise TileLog::Recover on `log`, then
// an integrity event through `sink` (the log's own sink, not a ReportingSink) saying that events
// went unrecorded during the fault; OK once that event is durable. `log`, `sink` and `faults`
// must outlive the probe.
SecurityMonitor::Probe AuditRecoveryProbe(vigil::audit::TileLog& log,
                                          vigil::audit::EventSink& sink, SecurityFaults& faults,
                                          std::string device_id);

}  // namespace pump

#endif  // PUMP_SECURITY_MONITOR_H_
