// libFuzzer target for the strict RFC 5424 parser, the event reader on top of it and the RFC 3339
// timestamp parser. Properties: no crash or sanitizer report; every accepted line re-serialises
// to the same bytes; every accepted event line is what ToSyslog5424 writes for that event; every
// accepted timestamp formats and parses back to the same instant.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vigil/audit/syslog_message.h"
#include "vigil/audit/syslog_time.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);  // NOLINT: fuzz bytes
  using namespace vigil::audit;                                          // NOLINT: fuzz target
  if (auto m = ParseSyslog5424(in); m.has_value()) {
    auto again = FormatSyslog5424(*m);
    if (!again.has_value() || *again != in) std::abort();
    if (auto e = EventFromSyslog5424(in); e.has_value()) {
      auto line = ToSyslog5424(*e, SyslogOptions{m->proc_id});
      if (!line.has_value() || *line != in) std::abort();
    }
  }
  if (auto t = ParseRfc3339Micros(in); t.has_value()) {
    auto s = FormatRfc3339Micros(*t);
    if (!s.has_value()) std::abort();
    auto back = ParseRfc3339Micros(*s);
    if (!back.has_value() || *back != *t) std::abort();
  }
  return 0;
}
