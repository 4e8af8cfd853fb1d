#include "security_faults.h"

#include "vigil/core/encoding.h"

namespace pump {

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

vigil::Status SecurityFaults::Permit(const std::string& action) {
  std::lock_guard lock(mu_);
  if (active_.empty()) return vigil::OkStatus();
  std::string faults;
  for (const auto& [component, detail] : active_) {
    faults += (faults.empty() ? "" : "; ") + component + ": " + detail;
  }
  std::string message = action + " refused: security fault active (" + faults + ")";
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
