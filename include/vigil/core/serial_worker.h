// Runs jobs on one thread of their own, in the order posted, beside the thread that posts them.
#ifndef VIGIL_CORE_SERIAL_WORKER_H_
#define VIGIL_CORE_SERIAL_WORKER_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "vigil/core/result.h"

namespace vigil {

// A queue of jobs run in the order posted on one thread, started by the first Post. The first
// failure is kept: Post and Sync return it, and the jobs posted after it are dropped. With
// `max_waiting` > 0, Post waits while that many jobs wait (bounding what the queue holds while
// the poster runs ahead); 0 leaves the queue unbounded.
//
// Used by one posting thread. The destructor drops the jobs not started and joins the thread
// (after the one running returns); call Sync first to have every job run.
// (triage's row writer and `vigil scan`'s filing pipe.)
class SerialWorker {
 public:
  using Job = std::function<Status()>;

  explicit SerialWorker(size_t max_waiting = 0) : max_waiting_(max_waiting) {}
  ~SerialWorker();
  SerialWorker(const SerialWorker&) = delete;
  SerialWorker& operator=(const SerialWorker&) = delete;

  // Queues `job`; the error of an earlier job, if one failed (then `job` is dropped).
  Status Post(Job job);
  // Waits until every posted job ran; the first failure among them, if any.
  Status Sync();

 private:
  void Run();

  const size_t max_waiting_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<Job> queue_;
  bool running_ = false;  // a job taken from the queue has not returned yet
  bool stop_ = false;
  Status status_;
  std::thread thread_;
};

}  // namespace vigil

#endif  // VIGIL_CORE_SERIAL_WORKER_H_
