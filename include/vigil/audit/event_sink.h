// Where security events go. Device modules (identity, access, vault, update) take an EventSink
// and record every security-relevant decision through it; production wires it to the
// tamper-evident log (AuditLogSink), tests may capture events in memory.
//
// Thread-safety: implementations must be thread-safe.
#ifndef VIGIL_AUDIT_EVENT_SINK_H_
#define VIGIL_AUDIT_EVENT_SINK_H_

#include <mutex>
#include <string>

#include "vigil/audit/event.h"
#include "vigil/audit/tile_log.h"
#include "vigil/core/env.h"

namespace vigil::audit {

class EventSink {
 public:
  virtual ~EventSink() = default;
  // Records `e` durably or fails; callers treat a failure as "not audited" and must not
  // proceed with a security-relevant action that requires auditing (fail closed).
  // The sink assigns the sequence number, and the time when e.time_unix_micros is 0.
  virtual Status Record(Event e) = 0;
};

// Appends events to a TileLog: validates, assigns sequence = log index and the wall time,
// encodes canonically and waits until the entry is durable.
class AuditLogSink final : public EventSink {
 public:
  AuditLogSink(TileLog& log, Env& env) : log_(log), env_(env) {}
  Status Record(Event e) override;

 private:
  TileLog& log_;
  Env& env_;
  std::mutex mu_;  // sequence assignment and append happen together
};

}  // namespace vigil::audit

#endif  // VIGIL_AUDIT_EVENT_SINK_H_
