// RFC 3339 timestamps for the audit exports (syslog TIMESTAMP, RFC 5424 §6.2.3, and FHIR
// `instant`, which is the same profile of RFC 3339 with a mandatory time zone).
//
// Vigil always writes UTC ("Z") with exactly six fraction digits, so one event has one string and
// lines sort by time. The parser is strict on the shape the syslog grammar allows
// (FULL-DATE "T" FULL-TIME, 1-6 fraction digits, "Z" or ±hh:mm) and converts to UTC.
//
// Thread-safety: pure functions.
#ifndef VIGIL_AUDIT_SYSLOG_TIME_H_
#define VIGIL_AUDIT_SYSLOG_TIME_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/core/result.h"

namespace vigil::audit {

// "YYYY-MM-DDThh:mm:ss.uuuuuuZ" for microseconds since the Unix epoch. InvalidArgument when the
// time is before 1970 or after 9999-12-31 (outside what both syslog and FHIR can express here).
Result<std::string> FormatRfc3339Micros(int64_t unix_micros);

// Inverse for any valid RFC 5424 TIMESTAMP except NILVALUE: microseconds since the epoch (UTC).
// InvalidArgument naming the position when the text is not a valid date-time (month 13, day 31
// of a 30-day month, hour 24, leap second 60, more than 6 fraction digits, missing offset, year
// before 1970).
Result<int64_t> ParseRfc3339Micros(std::string_view text);

}  // namespace vigil::audit

#endif  // VIGIL_AUDIT_SYSLOG_TIME_H_
