// Group commit of device check-ins (internal/checkin_batcher.h).
#include "internal/checkin_batcher.h"

namespace vigil::server {

Result<fleet::CheckinResult> CheckinBatcher::Checkin(fleet::DeviceCheckin checkin) {
  Slot slot{std::move(checkin), std::nullopt, false, {}};
  std::unique_lock lock(mu_);
  queue_.push_back(&slot);
  if (leading_) slot.wake.wait(lock, [&] { return slot.out || slot.lead; });
  if (slot.out) return std::move(*slot.out);
  // Lead one batch: everything queued, this slot included.
  leading_ = true;
  std::vector<Slot*> batch;
  batch.swap(queue_);
  lock.unlock();
  std::vector<Result<fleet::CheckinResult>> results = Run(batch);
  lock.lock();
  // Each waiter of the batch is woken alone (its slot lives on its stack: notified before the
  // lock is released, never after it may have returned).
  for (size_t i = 0; i < batch.size(); ++i) {
    batch[i]->out.emplace(std::move(results[i]));
    if (batch[i] != &slot) batch[i]->wake.notify_one();
  }
  // What queued meanwhile is led by its first check-in, so this one answers now.
  if (queue_.empty()) {
    leading_ = false;
  } else {
    queue_.front()->lead = true;
    queue_.front()->wake.notify_one();
  }
  return std::move(*slot.out);
}

std::vector<Result<fleet::CheckinResult>> CheckinBatcher::Run(const std::vector<Slot*>& batch) {
  std::vector<fleet::DeviceCheckin> checkins;
  checkins.reserve(batch.size());
  for (Slot* s : batch) checkins.push_back(std::move(s->in));
  Result<std::vector<Result<fleet::CheckinResult>>> many = [&] {
    std::lock_guard lock(fleet_mu_);
    return fleet_.CheckinMany(checkins);
  }();
  if (many) return std::move(*many);
  // The commit failed: nothing of the batch was recorded, each check-in answers the error.
  return std::vector<Result<fleet::CheckinResult>>(batch.size(), many.error());
}

}  // namespace vigil::server
