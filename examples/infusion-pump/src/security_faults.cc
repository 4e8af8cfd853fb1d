#include "security_faults.h"

#include "vigil/core/encoding.h"

namespace pump {
namespace {

using enum PrivilegedAction;

// The fault policy. Reasons say what the action's security needs from the component.
constexpr FaultRule kFaultPolicy[] = {
    {"audit", kInfusionStart, false,
     "essential performance: the start is authenticated, authorised and replay-checked without "
     "the log, and alerted as unrecorded; a full log must not deny care"},
    {"audit", kInfusionChange, false, "essential performance, as a start"},
    {"audit", kDrugLibraryInstall, true,
     "a change of safety-critical settings must be attributable: no record, no change"},
    {"audit", kSoftwareUpdate, true,
     "new software must be attributable, and its trial boot signs an audit checkpoint"},
    {"vault", kInfusionStart, false,
     "therapy needs no vault key; the therapy record not kept is alerted"},
    {"vault", kInfusionChange, false, "therapy needs no vault key"},
    {"vault", kDrugLibraryInstall, true,
     "the library's MAC key is in the vault: an unsealed library would be refused at boot"},
    {"vault", kSoftwareUpdate, true,
     "the trial boot's health check needs the library verified under the vault's key"},
    {"clock", kInfusionStart, false,
     "sessions, limits and the loop run on the monotonic clock, not the wall clock"},
    {"clock", kInfusionChange, false, "as a start: no wall time involved"},
    {"clock", kDrugLibraryInstall, false,
     "the library's integrity is a MAC and its version only rises: no wall time involved"},
    {"clock", kSoftwareUpdate, true,
     "TUF metadata expiry is judged on the wall clock: a clock set back hides a freeze attack"},
    {"update", kInfusionStart, false, "therapy does not use the update client"},
    {"update", kInfusionChange, false, "therapy does not use the update client"},
    {"update", kDrugLibraryInstall, false, "the library does not come through the update client"},
    {"update", kSoftwareUpdate, true,
     "no verified release can be fetched or written while the update client or slots fail"},
};

}  // namespace

std::string_view ActionName(PrivilegedAction action) {
  switch (action) {
    case kInfusionStart:
      return "infusion start";
    case kInfusionChange:
      return "infusion change";
    case kDrugLibraryInstall:
      return "drug library install";
    case kSoftwareUpdate:
      return "software update";
  }
  return "unknown action";
}

bool IsEssential(PrivilegedAction action) {
  return action == kInfusionStart || action == kInfusionChange;
}

std::span<const FaultRule> FaultPolicy() { return kFaultPolicy; }

bool FaultDenies(std::string_view component, PrivilegedAction action) {
  bool listed = false;
  for (const FaultRule& rule : kFaultPolicy) {
    if (rule.component != component) continue;
    if (rule.action == action) return rule.denied;
    listed = true;
  }
  return !listed && !IsEssential(action);  // an unforeseen fault: only therapy goes on
}

std::vector<std::string> EssentialPermissions() {
  return {"therapy.start", "therapy.configure", "therapy.stop", "monitor.therapy"};
}

void SecurityFaults::RaiseLocked(const std::string& component, const std::string& message) {
  alerts_.push_back({next_sequence_++, component, vigil::OneLine(message)});
  if (alerts_.size() > kKeptAlerts) alerts_.erase(alerts_.begin());
}

void SecurityFaults::Report(const std::string& component, const std::string& detail) {
  std::lock_guard lock(mu_);
  active_[component] = vigil::OneLine(detail);
  RaiseLocked(component, "security fault: " + detail);
}

void SecurityFaults::Clear(const std::string& component) {
  std::lock_guard lock(mu_);
  if (active_.erase(component) == 0) return;
  RaiseLocked(component, "security fault cleared");
}

void SecurityFaults::Raise(const std::string& component, const std::string& message) {
  std::lock_guard lock(mu_);
  RaiseLocked(component, message);
}

vigil::Status SecurityFaults::Permit(PrivilegedAction action) {
  std::lock_guard lock(mu_);
  std::string faults;
  for (const auto& [component, detail] : active_) {
    if (!FaultDenies(component, action)) continue;
    faults += (faults.empty() ? "" : "; ") + component + ": " + detail;
  }
  if (faults.empty()) return vigil::OkStatus();
  std::string message =
      std::string(ActionName(action)) + " refused: security fault active (" + faults + ")";
  RaiseLocked("therapy", message);
  return vigil::PermissionDeniedError(std::move(message));
}

std::map<std::string, std::string> SecurityFaults::Active() const {
  std::lock_guard lock(mu_);
  return active_;
}

std::vector<Alert> SecurityFaults::AlertsAfter(uint64_t after) const {
  std::lock_guard lock(mu_);
  std::vector<Alert> out;
  for (const Alert& alert : alerts_) {
    if (alert.sequence > after) out.push_back(alert);
  }
  return out;
}

}  // namespace pump
