#include "vigil/audit/syslog_time.h"

#include <cstdio>

#include "vigil/core/dates.h"

namespace vigil::audit {
namespace {

constexpr int64_t kMicrosPerDay = 86'400'000'000;
constexpr int64_t kMaxDays = 2'932'897;  // 10000-01-01 as days since 1970-01-01

// Reads exactly `n` decimal digits at `pos`; advances pos. -1 when they are not all digits.
int64_t Digits(std::string_view s, size_t& pos, size_t n) {
  if (pos + n > s.size()) return -1;
  int64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  pos += n;
  return v;
}

bool Expect(std::string_view s, size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

Error BadTime(std::string_view text, size_t pos, std::string_view what) {
  return InvalidArgumentError("RFC 3339 timestamp \"" + std::string(text.substr(0, 40)) +
                              "\" at offset " + std::to_string(pos) + ": expected " +
                              std::string(what));
}

// "Z" or ±hh:mm at pos → offset in minutes east of UTC; InvalidArgument otherwise.
Result<int64_t> ParseOffset(std::string_view s, size_t& pos) {
  if (Expect(s, pos, 'Z')) return int64_t{0};
  if (pos >= s.size() || (s[pos] != '+' && s[pos] != '-')) {
    return BadTime(s, pos, "\"Z\" or a +hh:mm/-hh:mm offset");
  }
  const int64_t sign = s[pos++] == '-' ? -1 : 1;
  const int64_t hh = Digits(s, pos, 2);
  if (hh < 0 || hh > 23 || !Expect(s, pos, ':')) return BadTime(s, pos, "offset hours 00-23");
  const int64_t mm = Digits(s, pos, 2);
  if (mm < 0 || mm > 59) return BadTime(s, pos, "offset minutes 00-59");
  return sign * (hh * 60 + mm);
}

}  // namespace

Result<std::string> FormatRfc3339Micros(int64_t unix_micros) {
  if (unix_micros < 0 || unix_micros >= kMaxDays * kMicrosPerDay) {
    return InvalidArgumentError("timestamp: " + std::to_string(unix_micros) +
                                " µs is outside 1970-01-01..9999-12-31");
  }
  const int64_t days = unix_micros / kMicrosPerDay;
  const int64_t in_day = unix_micros % kMicrosPerDay;
  const CivilDate c = CivilFromDays(days);
  const int64_t secs = in_day / 1'000'000;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%06lldZ",
                static_cast<long long>(c.year), c.month, c.day, static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60),
                static_cast<long long>(in_day % 1'000'000));
  return std::string(buf);
}

Result<int64_t> ParseRfc3339Micros(std::string_view s) {
  size_t pos = 0;
  const int64_t year = Digits(s, pos, 4);
  if (year < 1970 || !Expect(s, pos, '-')) return BadTime(s, pos, "a year >= 1970 and '-'");
  const int64_t month = Digits(s, pos, 2);
  if (month < 1 || month > 12 || !Expect(s, pos, '-')) return BadTime(s, pos, "month 01-12");
  const int64_t day = Digits(s, pos, 2);
  if (day < 1 || day > DaysInMonth(year, static_cast<unsigned>(month)) || !Expect(s, pos, 'T')) {
    return BadTime(s, pos, "a day that exists in that month, then 'T'");
  }
  const int64_t hh = Digits(s, pos, 2);
  if (hh < 0 || hh > 23 || !Expect(s, pos, ':')) return BadTime(s, pos, "hour 00-23 and ':'");
  const int64_t mi = Digits(s, pos, 2);
  if (mi < 0 || mi > 59 || !Expect(s, pos, ':')) return BadTime(s, pos, "minute 00-59 and ':'");
  const int64_t ss = Digits(s, pos, 2);
  if (ss < 0 || ss > 59) return BadTime(s, pos, "second 00-59 (no leap seconds)");
  int64_t frac = 0;
  if (Expect(s, pos, '.')) {
    size_t n = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9' && n < 7) {
      frac = frac * 10 + (s[pos++] - '0');
      ++n;
    }
    if (n == 0 || n > 6) return BadTime(s, pos, "1 to 6 fraction digits");
    for (; n < 6; ++n) frac *= 10;
  }
  VIGIL_ASSIGN_OR_RETURN(int64_t offset_min, ParseOffset(s, pos));
  if (pos != s.size()) return BadTime(s, pos, "end of timestamp");
  const int64_t days =
      DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const int64_t micros =
      (days * 86400 + hh * 3600 + mi * 60 + ss - offset_min * 60) * 1'000'000 + frac;
  if (micros < 0) return BadTime(s, 0, "a time not before 1970-01-01T00:00:00Z");
  return micros;
}

}  // namespace vigil::audit
