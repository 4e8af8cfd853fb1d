#include "vigil/core/serial_worker.h"

#include <utility>

namespace vigil {

SerialWorker::~SerialWorker() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    queue_.clear();
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Status SerialWorker::Post(Job job) {
  {
    std::unique_lock lock(mu_);
    if (max_waiting_ > 0) {
      changed_.wait(lock, [&] { return queue_.size() < max_waiting_ || !status_; });
    }
    if (!status_) return status_;
    queue_.push_back(std::move(job));
    if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
  }
  changed_.notify_all();
  return OkStatus();
}

Status SerialWorker::Sync() {
  std::unique_lock lock(mu_);
  // A failure empties the queue, so this also waits out the job running when one failed (jobs
  // may share what the caller uses next, such as a database connection).
  changed_.wait(lock, [&] { return queue_.empty() && !running_; });
  return status_;
}

void SerialWorker::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    changed_.wait(lock, [&] { return !queue_.empty() || stop_; });
    if (queue_.empty()) return;
    Job job = std::move(queue_.front());
    queue_.pop_front();
    running_ = true;
    lock.unlock();
    changed_.notify_all();  // a bounded Post may go on
    Status s = job();
    lock.lock();
    running_ = false;
    if (!s && status_) {
      status_ = std::move(s);
      queue_.clear();
    }
    changed_.notify_all();
  }
}

}  // namespace vigil
