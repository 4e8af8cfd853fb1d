// Device certificates already verified (internal/verified_devices.h).
#include "internal/verified_devices.h"

#include <algorithm>

namespace vigil::server {

std::optional<VerifiedDevice> VerifiedDevices::Find(const std::string& fingerprint, int64_t now) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(fingerprint);
  if (it == entries_.end()) return std::nullopt;
  if (now >= it->second.until) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.device;
}

void VerifiedDevices::Keep(const std::string& fingerprint, VerifiedDevice device, int64_t now,
                           int64_t not_after) {
  std::lock_guard lock(mu_);
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_[fingerprint] = {std::move(device), std::min(now + kVerifiedSeconds, not_after)};
}

void VerifiedDevices::Forget(std::string_view serial) {
  // A scan: deregistering is rare, and a device may hold several certificates.
  std::lock_guard lock(mu_);
  std::erase_if(entries_, [&](const auto& e) { return e.second.device.serial == serial; });
}

}  // namespace vigil::server
