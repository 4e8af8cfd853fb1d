// Device certificates already verified (internal/verified_devices.h).
#include "internal/verified_devices.h"

#include <algorithm>

namespace vigil::server {

std::optional<std::string> VerifiedDevices::Find(const std::string& fingerprint, int64_t now) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(fingerprint);
  if (it == entries_.end()) return std::nullopt;
  if (now >= it->second.until) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.serial;
}

void VerifiedDevices::Keep(const std::string& fingerprint, std::string serial, int64_t now,
                           int64_t not_after) {
  std::lock_guard lock(mu_);
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_[fingerprint] = {std::move(serial), std::min(now + kVerifiedSeconds, not_after)};
}

}  // namespace vigil::server
