// Group commit of device check-ins (internal/checkin_batcher.h).
#include "internal/checkin_batcher.h"

namespace vigil::server {

Result<fleet::CheckinResult> CheckinBatcher::Checkin(fleet::DeviceCheckin checkin) {
  Slot slot{std::move(checkin), std::nullopt};
  std::unique_lock lock(mu_);
  queue_.push_back(&slot);
  while (!slot.out) {
    if (leading_) {
      done_.wait(lock);
      continue;
    }
    // Lead: run what is queued (this slot included), then what queued meanwhile.
    leading_ = true;
    while (!queue_.empty()) {
      std::vector<Slot*> batch;
      batch.swap(queue_);
      lock.unlock();
      std::vector<Result<fleet::CheckinResult>> results = Run(batch);
      lock.lock();
      for (size_t i = 0; i < batch.size(); ++i) batch[i]->out.emplace(std::move(results[i]));
      done_.notify_all();
    }
    leading_ = false;
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
