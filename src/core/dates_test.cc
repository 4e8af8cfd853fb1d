#include "vigil/core/dates.h"

#include <ctime>

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(DatesTest, KnownDayNumbers) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(DaysFromCivil(9999, 12, 31), 2932896);
  EXPECT_EQ(DaysFromCivil(1600, 1, 1), -135140);
}

TEST(DatesTest, MonthLengthsFollowTheGregorianLeapRule) {
  EXPECT_EQ(DaysInMonth(2023, 2), 28u);
  EXPECT_EQ(DaysInMonth(2024, 2), 29u);
  EXPECT_EQ(DaysInMonth(1900, 2), 28u);  // divisible by 100, not by 400
  EXPECT_EQ(DaysInMonth(2000, 2), 29u);  // divisible by 400
  EXPECT_EQ(DaysInMonth(2023, 4), 30u);
  EXPECT_EQ(DaysInMonth(2023, 12), 31u);
}

// Every day from 1600 to 2500: CivilFromDays inverts DaysFromCivil, and consecutive day numbers
// are consecutive calendar days (the month and year roll over exactly at DaysInMonth).
TEST(DatesTest, EveryDayRoundTripsAndFollowsTheDayBefore) {
  CivilDate prev = CivilFromDays(DaysFromCivil(1600, 1, 1) - 1);
  ASSERT_EQ(prev.year, 1599);
  for (int64_t d = DaysFromCivil(1600, 1, 1); d < DaysFromCivil(2500, 1, 1); ++d) {
    const CivilDate c = CivilFromDays(d);
    ASSERT_EQ(DaysFromCivil(c.year, c.month, c.day), d);
    if (prev.day < DaysInMonth(prev.year, prev.month)) {
      ASSERT_TRUE(c.year == prev.year && c.month == prev.month && c.day == prev.day + 1) << d;
    } else if (prev.month < 12) {
      ASSERT_TRUE(c.year == prev.year && c.month == prev.month + 1 && c.day == 1) << d;
    } else {
      ASSERT_TRUE(c.year == prev.year + 1 && c.month == 1 && c.day == 1) << d;
    }
    prev = c;
  }
}

// The C library's timegm is an independent implementation of the same calendar.
TEST(DatesTest, AgreesWithTimegm) {
  for (int year = 1970; year <= 2400; year += 7) {
    for (unsigned month = 1; month <= 12; ++month) {
      std::tm tm{};
      tm.tm_year = year - 1900;
      tm.tm_mon = static_cast<int>(month) - 1;
      tm.tm_mday = static_cast<int>(DaysInMonth(year, month));
      tm.tm_hour = 13;
      const time_t t = timegm(&tm);
      EXPECT_EQ(DaysFromCivil(year, month, DaysInMonth(year, month)), t / 86400);
      EXPECT_EQ(FormatRfc3339Seconds(t).substr(0, 10), FormatDate(t / 86400));
    }
  }
}

TEST(DatesTest, FormatsAndParses) {
  EXPECT_EQ(FormatDate(0), "1970-01-01");
  EXPECT_EQ(FormatDate(-1), "1969-12-31");
  EXPECT_EQ(FormatRfc3339Seconds(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339Seconds(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatRfc3339Seconds(951782400), "2000-02-29T00:00:00Z");
  EXPECT_EQ(ParseDate("2024-02-29"), DaysFromCivil(2024, 2, 29));
  EXPECT_EQ(ParseDate("2023-02-29"), std::nullopt);
  EXPECT_EQ(ParseDate("2024-13-01"), std::nullopt);
  EXPECT_EQ(ParseDate("2024-00-10"), std::nullopt);
  EXPECT_EQ(ParseDate("2024-1-10"), std::nullopt);
  EXPECT_EQ(ParseDate("2024-01-10T08:00:00Z"), std::nullopt);
  EXPECT_EQ(ParseDate("2024-01-10T08:00:00Z", true), DaysFromCivil(2024, 1, 10));
  EXPECT_EQ(ParseDate("2024-01-10X", true), std::nullopt);
}

}  // namespace
}  // namespace vigil
