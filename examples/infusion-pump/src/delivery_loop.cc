#include "delivery_loop.h"

#include <algorithm>

namespace pump {

DeliveryLoop::DeliveryLoop(std::chrono::microseconds period, TickFn tick)
    : period_(period), tick_(std::move(tick)) {
  samples_.reserve(kKeptSamples);
}

DeliveryLoop::~DeliveryLoop() { Stop(); }

void DeliveryLoop::Start() {
  if (running_.exchange(true)) return;
  thread_ = std::thread([this] { Run(); });
}

void DeliveryLoop::Stop() {
  running_ = false;
  if (thread_.joinable()) thread_.join();
}

// Deadlines are start + k·period, never "now + period": sleeping late does not push the
// schedule back, so the number of tick calls equals the number of periods elapsed.
void DeliveryLoop::Run() {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  uint64_t done = 0;  // periods ticked
  while (running_) {
    const auto deadline = start + period_ * static_cast<int64_t>(done + 1);
    std::this_thread::sleep_until(deadline);
    const auto now = Clock::now();
    const uint64_t due = static_cast<uint64_t>((now - start) / period_);
    const uint64_t calls = due > done ? due - done : 1;
    for (uint64_t i = 0; i < calls; ++i) tick_(period_.count());
    done += calls;
    Record(std::chrono::duration_cast<std::chrono::microseconds>(now - deadline).count(), calls);
  }
}

void DeliveryLoop::Record(int64_t lateness_us, uint64_t calls) {
  std::lock_guard lock(mu_);
  if (samples_.size() < kKeptSamples) {
    samples_.push_back(lateness_us);
  } else {
    samples_[next_sample_] = lateness_us;
  }
  next_sample_ = (next_sample_ + 1) % kKeptSamples;
  totals_.wakeups += 1;
  totals_.ticks += calls;
  totals_.late_ticks += calls - 1;
  totals_.max_us = std::max(totals_.max_us, lateness_us);
}

JitterStats DeliveryLoop::Stats() const {
  std::vector<int64_t> sorted;
  JitterStats stats;
  {
    std::lock_guard lock(mu_);
    sorted = samples_;
    stats = totals_;
  }
  if (sorted.empty()) return stats;
  std::sort(sorted.begin(), sorted.end());
  stats.p50_us = sorted[(sorted.size() - 1) / 2];
  stats.p99_us = sorted[(sorted.size() - 1) * 99 / 100];
  return stats;
}

JitterStats DeliveryLoop::StatsSince(uint64_t mark) const {
  std::vector<int64_t> window;
  JitterStats stats;
  {
    std::lock_guard lock(mu_);
    stats = totals_;
    const uint64_t kept = samples_.size();
    const uint64_t from = std::max(mark, stats.wakeups - kept);
    // Wake-up w's lateness sits at w % kKeptSamples of the ring.
    for (uint64_t w = from; w < stats.wakeups; ++w) window.push_back(samples_[w % kKeptSamples]);
  }
  stats.max_us = 0;
  if (window.empty()) return stats;
  std::sort(window.begin(), window.end());
  stats.p50_us = window[(window.size() - 1) / 2];
  stats.p99_us = window[(window.size() - 1) * 99 / 100];
  stats.max_us = window.back();
  return stats;
}

}  // namespace pump
