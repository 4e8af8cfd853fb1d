// Calendar dates for deadlines and reports: proleptic Gregorian days since 1970-01-01 (UTC), the
// YYYY-MM-DD form, and RFC 3339 UTC timestamps to the second. No time zones: every date Vigil
// writes or compares is UTC.
//
// Thread-safety: pure functions.
#ifndef VIGIL_CORE_DATES_H_
#define VIGIL_CORE_DATES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil {

struct CivilDate {
  int64_t year;
  unsigned month;  // 1-12
  unsigned day;    // 1-31
};

// Days since 1970-01-01 of a valid date (month 1-12, day within the month).
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);
// The date of a day number (inverse of DaysFromCivil).
CivilDate CivilFromDays(int64_t days);
// 28-31: the length of `month` (1-12) in `year`, leap years included.
unsigned DaysInMonth(int64_t year, unsigned month);
// "YYYY-MM-DD" of a day number.
std::string FormatDate(int64_t days);
// A valid "YYYY-MM-DD" (also the date part of an RFC 3339 timestamp when `allow_time`), as days.
std::optional<int64_t> ParseDate(std::string_view text, bool allow_time = false);
// "YYYY-MM-DDTHH:MM:SSZ" of a Unix time in seconds.
std::string FormatRfc3339Seconds(int64_t unix_seconds);

}  // namespace vigil

#endif  // VIGIL_CORE_DATES_H_
