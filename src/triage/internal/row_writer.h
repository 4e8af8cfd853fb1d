// Runs a filing's row inserts on a thread of their own, beside the filing that decides them.
#ifndef VIGIL_TRIAGE_INTERNAL_ROW_WRITER_H_
#define VIGIL_TRIAGE_INTERNAL_ROW_WRITER_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "vigil/core/result.h"

namespace vigil::triage {

// A queue of writes (each a function that binds and runs statements on the filing's connection)
// run in the order posted on one thread, started by the first Post. Filing a scan's findings
// into a new register is mostly SQLite inserting rows (about half of the filing thread's
// instructions for the 10k-component bench SBOM); here that runs beside the deciding of the next
// findings' records and the report's writing, on the core the matcher leaves free.
//
// The connection is used by one thread at a time: a caller that uses it itself calls Sync first,
// which waits until every posted write ran, and posts nothing until it is done. The data a write
// binds must stay unchanged until then. The first failure is kept: Post and Sync return it and
// the writes posted after it are dropped.
//
// Thread-safe for one posting thread; the destructor waits for the posted writes (or drops
// those not started once a write failed) and joins the thread.
class RowWriter {
 public:
  using Write = std::function<Status()>;

  RowWriter() = default;
  ~RowWriter();
  RowWriter(const RowWriter&) = delete;
  RowWriter& operator=(const RowWriter&) = delete;

  // Queues `write`; the error of an earlier write, if one failed (then `write` is dropped).
  Status Post(Write write);
  // Waits until every posted write ran; the first failure among them, if any.
  Status Sync();

 private:
  void Run();

  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<Write> queue_;
  bool running_ = false;  // a write taken from the queue has not returned yet
  bool stop_ = false;
  Status status_;
  std::thread thread_;
};

}  // namespace vigil::triage

#endif  // VIGIL_TRIAGE_INTERNAL_ROW_WRITER_H_
