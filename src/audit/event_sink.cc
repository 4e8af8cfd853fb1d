#include "vigil/audit/event_sink.h"

namespace vigil::audit {

Status AuditLogSink::Record(Event e) {
  std::lock_guard l(mu_);
  if (e.time_unix_micros == 0) e.time_unix_micros = env_.NowUnixMicros();
  e.sequence = log_.size();
  VIGIL_ASSIGN_OR_RETURN(Bytes entry, EncodeEvent(e));
  VIGIL_ASSIGN_OR_RETURN(uint64_t index, log_.Append(entry));
  if (index != e.sequence) {
    return InternalError("audit sink: entry landed at index " + std::to_string(index) +
                         " but was numbered " + std::to_string(e.sequence) +
                         " (another writer appends to the same log)");
  }
  return OkStatus();
}

}  // namespace vigil::audit
