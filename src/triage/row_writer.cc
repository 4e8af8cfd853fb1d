#include "internal/row_writer.h"

#include <utility>

namespace vigil::triage {

RowWriter::~RowWriter() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    queue_.clear();  // a filing left without Commit: its transaction rolls back what ran
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Status RowWriter::Post(Write write) {
  {
    std::lock_guard lock(mu_);
    if (!status_) return status_;
    queue_.push_back(std::move(write));
    if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
  }
  changed_.notify_all();
  return OkStatus();
}

Status RowWriter::Sync() {
  std::unique_lock lock(mu_);
  changed_.wait(lock, [&] { return (queue_.empty() && !running_) || !status_; });
  // After a failure the thread may still be in a write: wait for it (the connection is shared).
  changed_.wait(lock, [&] { return !running_; });
  return status_;
}

// Stops once asked to (the destructor empties the queue: a filing that ends without Commit rolls
// back what ran with its transaction, after the join).
void RowWriter::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    changed_.wait(lock, [&] { return !queue_.empty() || stop_; });
    if (queue_.empty()) return;
    Write write = std::move(queue_.front());
    queue_.pop_front();
    running_ = true;
    lock.unlock();
    Status s = write();
    lock.lock();
    running_ = false;
    if (!s && status_) {
      status_ = std::move(s);
      queue_.clear();
    }
    changed_.notify_all();
  }
}

}  // namespace vigil::triage
