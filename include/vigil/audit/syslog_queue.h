// SyslogQueue: the bounded, durable, first-in-first-out queue of syslog lines waiting to be
// forwarded off the device (RFC 5425 forwarder, syslog_tls_forwarder.h).
//
// Guarantees (through vigil::Env's durability contract, proven with FaultInjectingEnv):
//  - Enqueue returns OK only after the line is appended and fsynced: a power cut afterwards does
//    not lose it. When the queue is full (Options.max_lines or max_bytes) Enqueue returns
//    ResourceExhausted and queues nothing; it never drops a line silently, old or new.
//  - Lines come out in Enqueue order. Pop(n) removes the n oldest durably (an atomic head-file
//    replace) — call it only once the lines were delivered.
//  - After a crash, Open reloads every acknowledged line that was not popped. A line whose Pop
//    had not completed is delivered again: the forwarder is at-least-once, and a collector may
//    see a duplicate after a crash (the seq parameter of the line identifies it). A line whose
//    Enqueue had not returned may or may not be present; a torn tail record is detected
//    (length + CRC-32) and cut off.
//
// On disk, in `dir`: "queue-<gen>.log" (records: u32 length, u32 CRC-32 of the line, line; all
// little-endian) and "head" ("vigil-syslog-queue 1 <gen> <offset>", replaced atomically) naming
// the live file and the offset of its first unpopped record. When the popped prefix grows past
// Options.compact_bytes the rest is copied to queue-<gen+1>.log and the head switched over.
//
// Thread-safety: all methods are thread-safe (one mutex); Enqueue may be called from any thread
// while the forwarder peeks and pops.
#ifndef VIGIL_AUDIT_SYSLOG_QUEUE_H_
#define VIGIL_AUDIT_SYSLOG_QUEUE_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/env.h"
#include "vigil/core/result.h"

namespace vigil::audit {

class SyslogQueue {
 public:
  struct Options {
    size_t max_lines = 100'000;        // pending lines at most
    uint64_t max_bytes = 64ull << 20;  // pending line bytes at most
    uint64_t compact_bytes = 1 << 20;  // rewrite the file once this much was popped
    size_t max_line_bytes = 64 << 10;  // longest accepted line
  };

  // Opens (creating if needed) the queue in `dir` and reloads what is pending. `env` must outlive
  // the queue. DataLoss when the head file is corrupt or names a missing file; Unavailable on I/O
  // errors. Bytes cut from a torn tail are reported by recovered_torn_bytes().
  static Result<std::unique_ptr<SyslogQueue>> Open(Env* env, std::string dir, Options options);
  static Result<std::unique_ptr<SyslogQueue>> Open(Env* env, std::string dir) {
    return Open(env, std::move(dir), Options());
  }

  ~SyslogQueue();
  SyslogQueue(const SyslogQueue&) = delete;
  SyslogQueue& operator=(const SyslogQueue&) = delete;

  // Durably appends `line`. InvalidArgument when it is empty or longer than max_line_bytes;
  // ResourceExhausted when the queue is full (the message says how full); Unavailable when the
  // write or fsync failed (the line is then not queued; a later call first repairs the file).
  Status Enqueue(std::string_view line);

  // Copies of the up to `n` oldest pending lines (not removed).
  std::vector<std::string> Peek(size_t n) const;

  // Durably removes the `n` oldest lines. InvalidArgument when fewer are pending; Unavailable on
  // I/O errors (nothing is removed then).
  Status Pop(size_t n);

  size_t size() const;
  uint64_t pending_bytes() const;
  uint64_t recovered_torn_bytes() const { return torn_bytes_; }

 private:
  SyslogQueue(Env* env, std::string dir, Options options);
  Status Load();
  Status Repair();
  Status WriteHead(uint64_t gen, uint64_t offset);
  Status Compact(size_t n);
  std::string LogPath(uint64_t gen) const;

  Env* const env_;
  const std::string dir_;
  const Options options_;
  mutable std::mutex mu_;
  std::unique_ptr<WritableFile> file_;
  bool broken_ = false;       // a failed append may have left a partial record
  uint64_t gen_ = 0;          // live file generation
  uint64_t head_offset_ = 0;  // offset of the first pending record in the live file
  uint64_t file_size_ = 0;    // end of the last good record
  std::deque<std::string> pending_;
  uint64_t pending_bytes_ = 0;
  uint64_t torn_bytes_ = 0;
};

}  // namespace vigil::audit

#endif  // VIGIL_AUDIT_SYSLOG_QUEUE_H_
