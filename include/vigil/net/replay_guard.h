// Anti-replay for critical commands (FDA premarket guidance AUTH-6): on the reference pump,
// starting or changing therapy, updating the drug library or the software and decommissioning
// each carry a fresh nonce (128 random bits, hex) and a counter that must rise within the session
// that sends it. A command is accepted once: sending the same bytes again —
// on the same connection, on a new TLS session, or inside another session — finds its nonce
// already used or its counter not above the session's last, and is refused.
//
// Memory is bounded: at most kMaxNonces nonces are remembered (the oldest forgotten first) and
// a session's counter is dropped at logout. A forgotten nonce is still refused within its
// session by the counter; across sessions it would need the attacker to hold a session of
// their own, which the access policy already judges.
//
// Thread-safety: thread-safe (one mutex).
#ifndef VIGIL_NET_REPLAY_GUARD_H_
#define VIGIL_NET_REPLAY_GUARD_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <unordered_set>

#include "vigil/core/result.h"

namespace vigil::net {

// What a critical command carries besides its content.
struct CommandTag {
  std::string nonce;     // 32 lower-case hex digits
  uint64_t counter = 0;  // >= 1
};

class ReplayGuard {
 public:
  static constexpr size_t kMaxNonces = 65536;

  // Accepts `tag` for `session_id` and remembers it, or refuses a replay with
  // PermissionDenied "replayed command: ..." saying whether the nonce or the counter gave it away.
  // The tag's form (hex digits, counter >= 1) is the caller's parser's to check.
  Status Accept(const std::string& session_id, const CommandTag& tag);
  // The session ended: its counter is no longer needed.
  void Forget(const std::string& session_id);

 private:
  std::mutex mu_;
  std::map<std::string, uint64_t> counters_;  // session → last accepted counter
  std::unordered_set<std::string> nonces_;
  std::deque<std::string> nonce_order_;  // oldest first
};

}  // namespace vigil::net

#endif  // VIGIL_NET_REPLAY_GUARD_H_
