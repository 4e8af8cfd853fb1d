#include "rate_limiter.h"

#include <algorithm>

namespace pump {

bool RateLimiter::Allow(const std::string& source, int64_t now_ns) {
  std::lock_guard lock(mu_);
  auto it = buckets_.find(source);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_sources_) {
      buckets_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.push_front(source);
    it = buckets_.emplace(source, Bucket{burst_, now_ns, lru_.begin()}).first;
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.age);
  }
  Bucket& b = it->second;
  const double elapsed_s = static_cast<double>(std::max<int64_t>(now_ns - b.last_ns, 0)) / 1e9;
  b.tokens = std::min(burst_, b.tokens + elapsed_s * per_second_);
  b.last_ns = now_ns;
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
}

}  // namespace pump
