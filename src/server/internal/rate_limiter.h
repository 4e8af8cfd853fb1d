// Token buckets per key (a token's name, a client address, a device serial): `burst` requests at
// once, then `per_second`. A refusal says how long until the next request would pass, for the
// 429's Retry-After. The keys tracked are bounded: when full, the key seen longest ago is
// forgotten (it starts again with a full bucket), so a flood from many addresses costs bounded
// memory.
//
// Thread-safety: thread-safe (one mutex).
#ifndef VIGIL_SERVER_INTERNAL_RATE_LIMITER_H_
#define VIGIL_SERVER_INTERNAL_RATE_LIMITER_H_

#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace vigil::server {

class RateLimiter {
 public:
  RateLimiter(double per_second, double burst, size_t max_keys = 4096)
      : per_second_(per_second), burst_(burst), max_keys_(max_keys) {}

  // 0 when `key` may make a request at monotonic time `now_ns` (a token is taken); otherwise
  // the whole seconds (at least 1) until it may.
  int64_t RetryAfter(const std::string& key, int64_t now_ns);

 private:
  struct Bucket {
    double tokens;
    int64_t last_ns;
    std::list<std::string>::iterator age;  // position in lru_
  };
  const double per_second_, burst_;
  const size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::list<std::string> lru_;  // most recently seen first
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_INTERNAL_RATE_LIMITER_H_
