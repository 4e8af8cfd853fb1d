// The pump's security fault board. A security component that fails (the audit log's disk is
// full, the vault is locked, the clock jumped, the update server is gone, a key file cannot be
// read) reports it here. The board never touches therapy: the delivery loop does not read it.
// What it changes is the answer to new privileged actions (TherapyController refuses them while a
// fault is active), and it raises an alert for each fault and each refusal, so the clinician and
// the hospital see why (FDA premarket guidance, resiliency RES-1/3/4: fail safe, keep essential
// performance).
//
// Thread-safety: thread-safe (one internal mutex, held only to copy small values).
#ifndef PUMP_SECURITY_FAULTS_H_
#define PUMP_SECURITY_FAULTS_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "vigil/core/result.h"

namespace pump {

struct Alert {
  uint64_t sequence = 0;  // 1, 2, ... in the order raised
  std::string component;  // "audit", "vault", "clock", "update", "keys", "therapy"
  std::string message;    // one line, no patient data
};

class SecurityFaults {
 public:
  // Marks `component` faulty with `detail` and raises an alert. A second report of the same
  // component updates the detail and raises another alert.
  void Report(const std::string& component, const std::string& detail);
  // The fault of `component` is over; raises an alert saying so. No-op if it was not faulty.
  void Clear(const std::string& component);
  // Raises an alert without marking a fault (e.g. a refused action).
  void Raise(const std::string& component, const std::string& message);

  // OkStatus, or PermissionDenied "ACTION refused: security fault active (audit: disk full; ...)"
  // if any fault is active; a refusal raises an alert too.
  vigil::Status Permit(const std::string& action);

  // Component → detail of each active fault.
  std::map<std::string, std::string> Active() const;
  // Alerts with sequence > `after`, oldest first (at most the last kKeptAlerts are kept).
  std::vector<Alert> AlertsAfter(uint64_t after) const;

  static constexpr size_t kKeptAlerts = 1000;

 private:
  void RaiseLocked(const std::string& component, const std::string& message);

  mutable std::mutex mu_;
  std::map<std::string, std::string> active_;
  std::vector<Alert> alerts_;
  uint64_t next_sequence_ = 1;
};

}  // namespace pump

#endif  // PUMP_SECURITY_FAULTS_H_
