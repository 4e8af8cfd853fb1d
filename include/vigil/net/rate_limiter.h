// Token buckets per key (a client address, an operator token's name, a device serial): `burst`
// requests at once, then `per_second`. A refusal says how long until the next request would
// pass, for a 429's Retry-After. The keys tracked are bounded: when full, the key seen longest
// ago is forgotten (it starts again with a full bucket), so a flood from many addresses costs
// bounded memory and bounded time per request (FDA premarket guidance RES-4/5: a scan or a flood
// must not starve the device's essential function or the server).
//
// Used by the reference pump's management API and the fleet server's listeners; time comes from
// the caller (a monotonic clock, e.g. Env::NowMonotonicNanos), so tests step it.
//
// Thread-safety: thread-safe (one mutex).
#ifndef VIGIL_NET_RATE_LIMITER_H_
#define VIGIL_NET_RATE_LIMITER_H_

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace vigil::net {

class RateLimiter {
 public:
  // Preconditions: per_second > 0, burst >= 1, max_keys >= 1.
  RateLimiter(double per_second, double burst, size_t max_keys = 4096)
      : per_second_(per_second), burst_(burst), max_keys_(max_keys) {}

  // 0 when `key` may make a request at monotonic time `now_ns` (a token is taken); otherwise
  // the whole seconds (at least 1) until it may. Time before the latest seen for `key` counts as
  // no time (no token is earned twice).
  int64_t RetryAfter(const std::string& key, int64_t now_ns);

  // How many keys are tracked now (at most max_keys).
  size_t tracked_keys() const;

 private:
  struct Bucket {
    double tokens;
    int64_t last_ns;
    std::list<std::string>::iterator age;  // position in lru_
  };
  const double per_second_, burst_;
  const size_t max_keys_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::list<std::string> lru_;  // most recently seen first
};

}  // namespace vigil::net

#endif  // VIGIL_NET_RATE_LIMITER_H_
