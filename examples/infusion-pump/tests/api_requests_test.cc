#include "api_requests.h"

#include <gtest/gtest.h>

#include "rate_limiter.h"

namespace pump {
namespace {

void ExpectRefused(const vigil::Status& status, std::string_view message) {
  ASSERT_FALSE(status) << message;
  EXPECT_EQ(status.error().code(), vigil::ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.error().message(), message);
}

template <typename T>
vigil::Status Only(const vigil::Result<T>& r) {
  return r ? vigil::OkStatus() : vigil::Status(r.error());
}

TEST(ApiRequestsTest, ReadsAProgram) {
  auto r = ParseProgramRequest(
      R"({"drug_id":"heparin-25000u-250ml","rate_ul_h":36000,"volume_ul":1000,"confirm_soft_limit":true})");
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->drug_id, "heparin-25000u-250ml");
  EXPECT_EQ(r->rate_ul_h, 36000);
  EXPECT_EQ(r->duration_s, 0);
  EXPECT_EQ(r->volume_ul, 1000);
  EXPECT_TRUE(r->confirm_soft_limit);
}

TEST(ApiRequestsTest, RefusesProgramsOfTheWrongFormOrRange) {
  ExpectRefused(Only(ParseProgramRequest("[]")),
                "request body: $: expected an object, found an array");
  ExpectRefused(
      Only(ParseProgramRequest(R"({"drug_id":"x","rate_ul_h":1,"volume_ul":1,"bolus":1})")),
      "request body: $: unknown member \"bolus\" (allowed: drug_id, rate_ul_h, duration_s, "
      "volume_ul, confirm_soft_limit)");
  ExpectRefused(Only(ParseProgramRequest(R"({"drug_id":"x","rate_ul_h":-1,"volume_ul":1})")),
                "request body: $.rate_ul_h: expected an integer >= 1, found -1");
  ExpectRefused(Only(ParseProgramRequest(R"({"drug_id":"x","rate_ul_h":1.5,"volume_ul":1})")),
                "request body: $.rate_ul_h: expected an integer >= 1, found a number");
  ExpectRefused(Only(ParseProgramRequest(R"({"drug_id":"x","rate_ul_h":10000001,"volume_ul":1})")),
                "request body: $.rate_ul_h: expected at most 10000000, found 10000001");
  ExpectRefused(Only(ParseProgramRequest(R"({"drug_id":"","rate_ul_h":1,"volume_ul":1})")),
                "request body: $.drug_id: expected 1 to 64 bytes");
  ExpectRefused(Only(ParseProgramRequest(R"({"drug_id":"x","rate_ul_h":1})")),
                "request body: $.volume_ul: required field missing");
  ExpectRefused(Only(ParseProgramRequest(
                    R"({"drug_id":"x","rate_ul_h":1,"volume_ul":1,"confirm_soft_limit":1})")),
                "request body: $.confirm_soft_limit: expected a boolean, found a number");
  auto deep = ParseProgramRequest(R"({"drug_id":[[[[[1]]]]]})");
  ASSERT_FALSE(deep);
  EXPECT_EQ(ParseProgramRequest(std::string(kMaxBodyBytes + 1, ' ')).error().code(),
            vigil::ErrorCode::kInvalidArgument);
}

TEST(ApiRequestsTest, ReadsAndRefusesLoginsAndAccounts) {
  auto login = ParseLoginRequest(R"({"account":"bob","password":"pw","totp":"123456"})");
  ASSERT_TRUE(login);
  EXPECT_EQ(login->account, "bob");
  EXPECT_EQ(login->totp, "123456");
  EXPECT_FALSE(ParseLoginRequest(R"({"account":"bob","password":"pw"})")->totp.has_value());
  ExpectRefused(Only(ParseLoginRequest(R"({"account":"bob","password":"pw","totp":"12ab56"})")),
                "request body: $.totp: expected 6 to 8 digits");
  ExpectRefused(Only(ParseLoginRequest(R"({"account":"b o b","password":"pw"})")),
                "request body: $.account: expected 1 to 64 of [A-Za-z0-9._@-]");
  ExpectRefused(Only(ParseLoginRequest(R"({"account":"bob","password":""})")),
                "request body: $.password: expected 1 to 256 bytes");
  auto account = ParseAccountRequest(R"({"account":"carol","role":"clinician","password":"pw"})");
  ASSERT_TRUE(account);
  EXPECT_EQ(account->role, vigil::audit::Role::kClinician);
  ExpectRefused(Only(ParseAccountRequest(R"({"account":"eve","role":"system","password":"pw"})")),
                "request body: $.role: expected patient, clinician, service-technician, "
                "administrator or manufacturer-service");
  ExpectRefused(Only(ParseConfirmRequest(R"({"account":"bob","code":"1"})")),
                "request body: $.code: expected 6 to 8 digits");
}

TEST(RateLimiterTest, AllowsABurstThenTheRate) {
  RateLimiter limiter(/*per_second=*/2, /*burst=*/3, /*max_sources=*/2);
  int64_t t = 1'000'000'000;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Allow("a", t));
  EXPECT_FALSE(limiter.Allow("a", t));
  EXPECT_TRUE(limiter.Allow("b", t));                // each source its own bucket
  EXPECT_TRUE(limiter.Allow("a", t + 500'000'000));  // one token back after 0.5 s
  EXPECT_FALSE(limiter.Allow("a", t + 500'000'000));
  // A third source makes the limiter forget the one seen longest ago ("b"), not "a".
  EXPECT_TRUE(limiter.Allow("c", t + 500'000'000));
  EXPECT_FALSE(limiter.Allow("a", t + 500'000'000));
}

}  // namespace
}  // namespace pump
