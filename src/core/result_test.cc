#include "vigil/core/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace vigil {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return InvalidArgumentError("x: expected an even number, found " + std::to_string(x));
  return x / 2;
}

Result<int> Quarter(int x) {
  VIGIL_ASSIGN_OR_RETURN(int h, Half(x));
  VIGIL_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

Status CheckPositive(int x) {
  if (x <= 0) return FailedPreconditionError("not positive");
  return OkStatus();
}

Status Both(int a, int b) {
  VIGIL_RETURN_IF_ERROR(CheckPositive(a));
  VIGIL_RETURN_IF_ERROR(CheckPositive(b));
  return OkStatus();
}

TEST(Result, ValueAndError) {
  Result<int> ok = Half(8);
  ASSERT_TRUE(ok.has_value());
  EXPECT_TRUE(static_cast<bool>(ok));
  EXPECT_EQ(*ok, 4);
  EXPECT_EQ(ok.value_or(-1), 4);
  Result<int> bad = Half(3);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().message(), "x: expected an even number, found 3");
  EXPECT_EQ(bad.value_or(-1), -1);
}

TEST(Result, MacrosPropagateTheFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_EQ(Quarter(6).error().message(), "x: expected an even number, found 3");
  EXPECT_TRUE(Both(1, 2).has_value());
  EXPECT_EQ(Both(1, -2).error().code(), ErrorCode::kFailedPrecondition);
}

TEST(Result, MoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 5);
  Result<std::string> s = std::string("abc");
  EXPECT_EQ(s->size(), 3U);
}

TEST(Error, ContextAndNames) {
  Error e = DataLossError("entry 7: checksum mismatch").WithContext("log/entries/000");
  EXPECT_EQ(e.message(), "log/entries/000: entry 7: checksum mismatch");
  EXPECT_EQ(e.ToString(), "data_loss: log/entries/000: entry 7: checksum mismatch");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kUnauthenticated), "unauthenticated");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kResourceExhausted), "resource_exhausted");
  EXPECT_EQ(e, DataLossError("log/entries/000: entry 7: checksum mismatch"));
}

TEST(ResultDeathTest, ValueOfAFailureAbortsWithTheMessage) {
  EXPECT_DEATH({ (void)Half(3).value(); }, "expected an even number, found 3");
  EXPECT_DEATH({ (void)Half(4).error(); }, "error\\(\\) of a successful Result");
  Status s = CheckPositive(0);
  EXPECT_DEATH({ s.value(); }, "not positive");
}

}  // namespace
}  // namespace vigil
