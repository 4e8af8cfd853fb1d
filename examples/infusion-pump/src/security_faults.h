// The pump's security fault board. A security component that fails (the audit log's disk is
// full, the vault is locked, the clock jumped, the update server is gone, a key file cannot be
// read) reports it here. The board never touches therapy: the delivery loop does not read it.
// What it changes is the answer to new privileged actions, through the fault policy below, and
// it raises an alert for each fault and each refusal, so the clinician and the hospital see why
// (FDA premarket guidance, resiliency RES-1/3/4: fail safe, keep essential performance).
//
// The fault policy (kFaultPolicy in security_faults.cc; README "Fault policy"): a fault denies
// exactly the privileged actions whose security depends on the failed component, each cell with
// its reason. Essential performance comes first: starting and changing an infusion depend on
// authentication (sessions on the monotonic clock), the access policy, the replay guard and the
// drug library verified at load, none of which a listed fault breaks, so no listed fault denies
// them; an audit fault leaves them unrecorded and alerted instead (an attacker who can fill the
// log must not thereby deny care). A fault of a component the table does not list (e.g. "keys")
// denies every action but the essential ones: what was not foreseen fails closed, except therapy.
//
// Thread-safety: thread-safe (one internal mutex, held only to copy small values).
#ifndef PUMP_SECURITY_FAULTS_H_
#define PUMP_SECURITY_FAULTS_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/result.h"

namespace pump {

struct Alert {
  uint64_t sequence = 0;  // 1, 2, ... in the order raised
  std::string component;  // "audit", "vault", "clock", "update", "keys", "therapy"
  std::string message;    // one line, no patient data
};

// The privileged actions the board judges.
enum class PrivilegedAction {
  kInfusionStart,       // therapy.start (and resume)
  kInfusionChange,      // therapy.configure
  kDrugLibraryInstall,  // drug_library.update, and installing the library at boot
  kSoftwareUpdate,      // service.firmware_update
};
inline constexpr PrivilegedAction kPrivilegedActions[] = {
    PrivilegedAction::kInfusionStart, PrivilegedAction::kInfusionChange,
    PrivilegedAction::kDrugLibraryInstall, PrivilegedAction::kSoftwareUpdate};

// "infusion start", "infusion change", "drug library install", "software update".
std::string_view ActionName(PrivilegedAction action);
// The pump's essential performance: an infusion's start and change.
bool IsEssential(PrivilegedAction action);

// One cell of the fault policy: while `component` is faulty, `action` is denied or not, and why.
struct FaultRule {
  std::string_view component;  // "audit", "vault", "clock", "update"
  PrivilegedAction action;
  bool denied;
  std::string_view why;
};
// Every cell, one per (listed component, action).
std::span<const FaultRule> FaultPolicy();
// Whether a fault of `component` denies `action` (the table, or for an unlisted component:
// every action but the essential ones).
bool FaultDenies(std::string_view component, PrivilegedAction action);

// The access-policy permissions of essential performance, whose decisions stand when the audit
// log cannot record them (vigil::access::AccessControl's `essential`): starting, changing,
// stopping and watching therapy.
std::vector<std::string> EssentialPermissions();

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
  // naming the active faults that deny `action` under the fault policy; a refusal raises an
  // alert too.
  vigil::Status Permit(PrivilegedAction action);

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
