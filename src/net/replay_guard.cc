#include "vigil/net/replay_guard.h"

namespace vigil::net {

Status ReplayGuard::Accept(const std::string& session_id, const CommandTag& tag) {
  std::lock_guard lock(mu_);
  if (nonces_.count(tag.nonce) != 0) {
    return PermissionDeniedError("replayed command: nonce " + tag.nonce + " was already used");
  }
  uint64_t& last = counters_[session_id];
  if (tag.counter <= last) {
    return PermissionDeniedError("replayed command: counter " + std::to_string(tag.counter) +
                                 " is not above " + std::to_string(last) +
                                 ", the last this session sent");
  }
  last = tag.counter;
  nonces_.insert(tag.nonce);
  nonce_order_.push_back(tag.nonce);
  if (nonce_order_.size() > kMaxNonces) {
    nonces_.erase(nonce_order_.front());
    nonce_order_.pop_front();
  }
  return OkStatus();
}

void ReplayGuard::Forget(const std::string& session_id) {
  std::lock_guard lock(mu_);
  counters_.erase(session_id);
}

}  // namespace vigil::net
