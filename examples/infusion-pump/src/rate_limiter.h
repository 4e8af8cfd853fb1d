// Per-source token buckets: each source (a client address) may make `burst` requests at once and
// `per_second` a second after that. The number of sources tracked is bounded: when full, the
// source seen longest ago is forgotten (it starts again with a full bucket), so a flood from
// many addresses costs bounded memory.
//
// Thread-safety: thread-safe (one mutex).
#ifndef PUMP_RATE_LIMITER_H_
#define PUMP_RATE_LIMITER_H_

#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace pump {

class RateLimiter {
 public:
  RateLimiter(double per_second, double burst, size_t max_sources = 4096)
      : per_second_(per_second), burst_(burst), max_sources_(max_sources) {}

  // Whether `source` may make a request at monotonic time `now_ns` (and takes a token if so).
  bool Allow(const std::string& source, int64_t now_ns);

 private:
  struct Bucket {
    double tokens;
    int64_t last_ns;
    std::list<std::string>::iterator age;  // position in lru_
  };
  const double per_second_, burst_;
  const size_t max_sources_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::list<std::string> lru_;  // most recently seen first
};

}  // namespace pump

#endif  // PUMP_RATE_LIMITER_H_
