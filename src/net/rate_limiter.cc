#include "vigil/net/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace vigil::net {

int64_t RateLimiter::RetryAfter(const std::string& key, int64_t now_ns) {
  std::lock_guard lock(mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) {
      buckets_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.push_front(key);
    it = buckets_.emplace(key, Bucket{burst_, now_ns, lru_.begin()}).first;
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.age);
  }
  Bucket& b = it->second;
  const double elapsed = static_cast<double>(std::max<int64_t>(0, now_ns - b.last_ns)) / 1e9;
  b.tokens = std::min(burst_, b.tokens + elapsed * per_second_);
  b.last_ns = std::max(b.last_ns, now_ns);  // a step back must not earn the same time twice
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil((1.0 - b.tokens) / per_second_)));
}

size_t RateLimiter::tracked_keys() const {
  std::lock_guard lock(mu_);
  return buckets_.size();
}

}  // namespace vigil::net
