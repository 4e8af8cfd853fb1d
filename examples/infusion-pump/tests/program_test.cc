#include "program.h"

#include <gtest/gtest.h>

#include "test_library.h"

namespace pump {
namespace {

using vigil::ErrorCode;

ProgramRequest Heparin(int64_t rate, int64_t volume) {
  ProgramRequest r;
  r.drug_id = "heparin-25000u-250ml";  // hard 500..50000, soft 2000..40000 µL/h, max 250000 µL
  r.rate_ul_h = rate;
  r.volume_ul = volume;
  return r;
}

void ExpectRefused(const ProgramRequest& request, ErrorCode code, std::string_view message) {
  auto program = Program::Create(testing::ExampleLibrary(), request);
  ASSERT_FALSE(program) << message;
  EXPECT_EQ(program.error().code(), code) << program.error().ToString();
  EXPECT_EQ(program.error().message(), message);
}

TEST(ProgramTest, AcceptsARateWithinTheSoftLimits) {
  auto program = Program::Create(testing::ExampleLibrary(), Heparin(10000, 250000));
  ASSERT_TRUE(program) << program.error().ToString();
  EXPECT_EQ(program->drug_id(), "heparin-25000u-250ml");
  EXPECT_EQ(program->rate_ul_h(), 10000);
  EXPECT_EQ(program->volume_ul(), 250000);
  EXPECT_EQ(program->duration_s(), 25 * 3600);
  EXPECT_EQ(program->library_version(), 1u);
  EXPECT_FALSE(program->soft_limit_overridden());
  // Limits are inclusive.
  EXPECT_TRUE(Program::Create(testing::ExampleLibrary(), Heparin(2000, 1)));
  EXPECT_TRUE(Program::Create(testing::ExampleLibrary(), Heparin(40000, 1)));
}

TEST(ProgramTest, DurationRoundsUpAndARateCanComeFromADuration) {
  auto odd = Program::Create(testing::ExampleLibrary(), Heparin(7000, 1000));
  ASSERT_TRUE(odd);
  EXPECT_EQ(odd->duration_s(), 515);  // 514.28... s
  ProgramRequest by_time = Heparin(0, 5000);
  by_time.duration_s = 3600;
  auto program = Program::Create(testing::ExampleLibrary(), by_time);
  ASSERT_TRUE(program) << program.error().ToString();
  EXPECT_EQ(program->rate_ul_h(), 5000);
  EXPECT_EQ(program->duration_s(), 3600);
}

TEST(ProgramTest, HardLimitsCannotBeOverridden) {
  ProgramRequest high = Heparin(50001, 1000);
  high.confirm_soft_limit = true;
  ExpectRefused(high, ErrorCode::kInvalidArgument,
                "program: rate_ul_h: 50001 µL/h is above the hard limit 50000 µL/h of "
                "\"heparin-25000u-250ml\"");
  ProgramRequest low = Heparin(499, 1000);
  low.confirm_soft_limit = true;
  ExpectRefused(low, ErrorCode::kInvalidArgument,
                "program: rate_ul_h: 499 µL/h is below the hard limit 500 µL/h of "
                "\"heparin-25000u-250ml\"");
  ExpectRefused(Heparin(10000, 250001), ErrorCode::kInvalidArgument,
                "program: volume_ul: 250001 µL is above the maximum 250000 µL of "
                "\"heparin-25000u-250ml\"");
}

TEST(ProgramTest, SoftLimitsNeedConfirmation) {
  ExpectRefused(Heparin(45000, 1000), ErrorCode::kFailedPrecondition,
                "program: rate_ul_h: 45000 µL/h is above the soft limit 40000 µL/h of "
                "\"heparin-25000u-250ml\": confirm to override");
  ExpectRefused(Heparin(1000, 1000), ErrorCode::kFailedPrecondition,
                "program: rate_ul_h: 1000 µL/h is below the soft limit 2000 µL/h of "
                "\"heparin-25000u-250ml\": confirm to override");
  ProgramRequest confirmed = Heparin(45000, 1000);
  confirmed.confirm_soft_limit = true;
  auto program = Program::Create(testing::ExampleLibrary(), confirmed);
  ASSERT_TRUE(program) << program.error().ToString();
  EXPECT_TRUE(program->soft_limit_overridden());
}

TEST(ProgramTest, RefusesMalformedRequests) {
  ProgramRequest unknown = Heparin(1000, 1000);
  unknown.drug_id = "propofol";
  ExpectRefused(unknown, ErrorCode::kNotFound,
                "program: drug \"propofol\": not in drug library version 1");
  ProgramRequest both = Heparin(10000, 1000);
  both.duration_s = 60;
  ExpectRefused(both, ErrorCode::kInvalidArgument,
                "program: expected exactly one of rate_ul_h and duration_s, found both");
  ExpectRefused(Heparin(0, 1000), ErrorCode::kInvalidArgument,
                "program: expected exactly one of rate_ul_h and duration_s, found neither");
  ExpectRefused(Heparin(-5, 1000), ErrorCode::kInvalidArgument,
                "program: rate_ul_h: expected 1..10000000, found -5");
  ExpectRefused(Heparin(10000, 0), ErrorCode::kInvalidArgument,
                "program: volume_ul: expected 1..10000000, found 0");
  ExpectRefused(Heparin(10000, -1), ErrorCode::kInvalidArgument,
                "program: volume_ul: expected 1..10000000, found -1");
  ProgramRequest slow = Heparin(0, 1);
  slow.duration_s = 7200;
  ExpectRefused(slow, ErrorCode::kInvalidArgument,
                "program: duration_s: 7200 s for 1 µL is a rate below 1 µL/h");
  ProgramRequest long_time = Heparin(0, 1000);
  long_time.duration_s = 31LL * 24 * 3600;
  ExpectRefused(long_time, ErrorCode::kInvalidArgument,
                "program: duration_s: expected 1..2592000, found 2678400");
}

}  // namespace
}  // namespace pump
