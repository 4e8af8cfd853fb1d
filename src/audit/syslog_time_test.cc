#include "vigil/audit/syslog_time.h"

#include <gtest/gtest.h>

namespace vigil::audit {
namespace {

TEST(Rfc3339, FormatsUtcWithMicroseconds) {
  EXPECT_EQ(FormatRfc3339Micros(0).value(), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(FormatRfc3339Micros(951'782'400'000'001).value(), "2000-02-29T00:00:00.000001Z");
  EXPECT_EQ(FormatRfc3339Micros(253'402'300'799'999'999).value(), "9999-12-31T23:59:59.999999Z");
  EXPECT_FALSE(FormatRfc3339Micros(-1).has_value());
  EXPECT_FALSE(FormatRfc3339Micros(253'402'300'800'000'000).has_value());
}

TEST(Rfc3339, RoundTripsAcrossCalendarEdges) {
  for (int64_t t : {int64_t{0}, int64_t{68'169'600'000'000}, int64_t{951'868'799'999'999},
                    int64_t{4'107'542'400'000'000}, int64_t{1'795'000'000'123'456}}) {
    auto s = FormatRfc3339Micros(t);
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(ParseRfc3339Micros(*s).value(), t) << *s;
  }
}

TEST(Rfc3339, ParsesOffsetsAndShortFractions) {
  EXPECT_EQ(ParseRfc3339Micros("1970-01-01T01:00:00+01:00").value(), 0);
  EXPECT_EQ(ParseRfc3339Micros("1970-01-01T00:30:00.5+00:30").value(), 500'000);
  EXPECT_EQ(ParseRfc3339Micros("2003-10-11T22:14:15.003Z").value(), 1'065'910'455'003'000);
}

TEST(Rfc3339, RejectsInvalidDates) {
  for (const char* bad :
       {"", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
        "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z", "2026-01-01T00:00:60Z",
        "2026-01-01T00:00:00", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234567Z",
        "2026-01-01 00:00:00Z", "2026-01-01T00:00:00+24:00", "2026-01-01T00:00:00Zx",
        "1969-12-31T23:59:59Z", "2026-1-01T00:00:00Z", "-"}) {
    auto r = ParseRfc3339Micros(bad);
    EXPECT_FALSE(r.has_value()) << bad;
    if (!r) {
      EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    }
  }
}

}  // namespace
}  // namespace vigil::audit
