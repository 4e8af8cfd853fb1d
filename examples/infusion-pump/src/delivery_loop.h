// The delivery loop: its own thread, waking at a fixed period on the monotonic clock and
// calling the tick function once per period. Wall-clock time is never read, so a clock jump
// cannot speed up, slow down or stop an infusion. A late wake-up (the machine was busy) calls
// the tick function once for every period that passed, so delivered volume follows elapsed
// time; each wake-up's lateness is kept for the jitter figures.
//
// Thread-safety: Start/Stop from one owning thread; Stats() from any thread.
#ifndef PUMP_DELIVERY_LOOP_H_
#define PUMP_DELIVERY_LOOP_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace pump {

struct JitterStats {
  uint64_t ticks = 0;       // tick calls so far
  uint64_t late_ticks = 0;  // of those, calls made for a period already past (catch-up)
  int64_t p50_us = 0;       // lateness of the wake-ups kept (the last kKeptSamples)
  int64_t p99_us = 0;
  int64_t max_us = 0;    // over the whole run (StatsSince: over its window)
  uint64_t wakeups = 0;  // wake-ups so far: the mark StatsSince takes
};

class DeliveryLoop {
 public:
  using TickFn = std::function<void(int64_t period_us)>;
  static constexpr size_t kKeptSamples = 1 << 16;

  // `period` must be positive; `tick` is called on the loop's thread only.
  DeliveryLoop(std::chrono::microseconds period, TickFn tick);
  ~DeliveryLoop();  // stops the thread
  DeliveryLoop(const DeliveryLoop&) = delete;
  DeliveryLoop& operator=(const DeliveryLoop&) = delete;

  void Start();
  void Stop();
  std::chrono::microseconds period() const { return period_; }
  JitterStats Stats() const;
  // The same over the wake-ups after `mark` (an earlier Stats().wakeups) only, as far as the
  // kept samples reach back: lateness percentiles and maximum of that window (ticks and
  // late_ticks stay the run's totals). A window with no wake-up yet gives zeros.
  JitterStats StatsSince(uint64_t mark) const;

 private:
  void Run();
  void Record(int64_t lateness_us, uint64_t calls);

  const std::chrono::microseconds period_;
  const TickFn tick_;
  std::atomic<bool> running_{false};
  std::thread thread_;

  mutable std::mutex mu_;
  std::vector<int64_t> samples_;  // ring of lateness, µs
  size_t next_sample_ = 0;
  JitterStats totals_;
};

}  // namespace pump

#endif  // PUMP_DELIVERY_LOOP_H_
