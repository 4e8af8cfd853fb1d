#include "api_requests.h"

#include <gtest/gtest.h>

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
  auto r = ParseProgramCommand(
      R"({"nonce":"0123456789abcdef0123456789abcdef","counter":1,"drug_id":"heparin-25000u-250ml","rate_ul_h":36000,"volume_ul":1000,"confirm_soft_limit":true})");
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->program.drug_id, "heparin-25000u-250ml");
  EXPECT_EQ(r->program.rate_ul_h, 36000);
  EXPECT_EQ(r->program.duration_s, 0);
  EXPECT_EQ(r->program.volume_ul, 1000);
  EXPECT_TRUE(r->program.confirm_soft_limit);
  EXPECT_EQ(r->tag.nonce, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(r->tag.counter, 1u);
}

// A program command body: a valid tag and `members`.
std::string Tagged(std::string_view members) {
  return R"({"nonce":"0123456789abcdef0123456789abcdef","counter":1,)" + std::string(members) + "}";
}

TEST(ApiRequestsTest, RefusesProgramsOfTheWrongFormOrRange) {
  ExpectRefused(Only(ParseProgramCommand("[]")),
                "request body: $: expected an object, found an array");
  ExpectRefused(
      Only(ParseProgramCommand(Tagged(R"("drug_id":"x","rate_ul_h":1,"volume_ul":1,"bolus":1)"))),
      "request body: $: unknown member \"bolus\" (allowed: nonce, counter, drug_id, "
      "rate_ul_h, duration_s, volume_ul, confirm_soft_limit, patient)");
  ExpectRefused(Only(ParseProgramCommand(Tagged(R"("drug_id":"x","rate_ul_h":-1,"volume_ul":1)"))),
                "request body: $.rate_ul_h: expected an integer >= 1, found -1");
  ExpectRefused(Only(ParseProgramCommand(Tagged(R"("drug_id":"x","rate_ul_h":1.5,"volume_ul":1)"))),
                "request body: $.rate_ul_h: expected an integer >= 1, found a number");
  ExpectRefused(
      Only(ParseProgramCommand(Tagged(R"("drug_id":"x","rate_ul_h":10000001,"volume_ul":1)"))),
      "request body: $.rate_ul_h: expected at most 10000000, found 10000001");
  ExpectRefused(Only(ParseProgramCommand(Tagged(R"("drug_id":"","rate_ul_h":1,"volume_ul":1)"))),
                "request body: $.drug_id: expected 1 to 64 bytes");
  ExpectRefused(Only(ParseProgramCommand(Tagged(R"("drug_id":"x","rate_ul_h":1)"))),
                "request body: $.volume_ul: required field missing");
  ExpectRefused(Only(ParseProgramCommand(
                    Tagged(R"("drug_id":"x","rate_ul_h":1,"volume_ul":1,"confirm_soft_limit":1)"))),
                "request body: $.confirm_soft_limit: expected a boolean, found a number");
  ExpectRefused(Only(ParseProgramCommand(R"({"drug_id":"x","rate_ul_h":1,"volume_ul":1})")),
                "request body: $.nonce: required field missing");
  ExpectRefused(
      Only(ParseProgramCommand(R"({"nonce":"00","counter":1,"drug_id":"x","volume_ul":1})")),
      "request body: $.nonce: expected 32 lower-case hex digits (128 random bits)");
  ExpectRefused(
      Only(ParseProgramCommand(
          R"({"nonce":"0123456789abcdef0123456789abcdef","counter":0,"drug_id":"x","volume_ul":1})")),
      "request body: $.counter: expected an integer >= 1, found 0");
  EXPECT_FALSE(ParseProgramCommand(Tagged(R"("drug_id":[[[[[1]]]]])")));  // too deep
  EXPECT_EQ(ParseProgramCommand(std::string(kMaxBodyBytes + 1, ' ')).error().code(),
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

TEST(ApiRequestsTest, ReadsALibraryUpdate) {
  auto c = ParseLibraryCommand(
      R"({"nonce":"0123456789abcdef0123456789abcdef","counter":3,"library":{"version":2}})");
  ASSERT_TRUE(c) << c.error().ToString();
  EXPECT_EQ(c->library, "{\n  \"version\": 2\n}\n");
  EXPECT_EQ(c->tag.counter, 3u);
  ExpectRefused(
      Only(ParseLibraryCommand(
          R"({"nonce":"0123456789abcdef0123456789abcdef","counter":3,"library":"text"})")),
      "request body: $.library: expected an object, found a string");
}

TEST(ApiRequestsTest, ProgramCommandPatientAndDecommissionCommand) {
  const std::string tag = R"("nonce":"0123456789abcdef0123456789abcdef","counter":2)";
  auto p = ParseProgramCommand("{" + tag +
                               R"(,"drug_id":"d","volume_ul":5,"patient":"Jane Roe MRN-1"})");
  ASSERT_TRUE(p) << p.error().ToString();
  EXPECT_EQ(p->patient, "Jane Roe MRN-1");
  EXPECT_EQ(ParseProgramCommand("{" + tag + R"(,"drug_id":"d","volume_ul":5})")->patient, "");
  ExpectRefused(
      Only(ParseProgramCommand("{" + tag + R"(,"drug_id":"d","volume_ul":5,"patient":"a\tb"})")),
      "request body: $.patient: expected 1 to 128 bytes, no control characters");
  auto d = ParseDecommissionCommand("{" + tag + R"(,"device_id":"PUMP-1"})");
  ASSERT_TRUE(d) << d.error().ToString();
  EXPECT_EQ(d->device_id, "PUMP-1");
  EXPECT_EQ(d->tag.counter, 2u);
  EXPECT_FALSE(ParseDecommissionCommand(R"({"device_id":"PUMP-1"})"));  // no nonce
  EXPECT_FALSE(ParseDecommissionCommand("{" + tag + R"(,"device_id":"PUMP-1","force":true})"));
}

TEST(ApiRequestsTest, UpdateCommandNamesAPlainTargetPath) {
  const std::string tag = R"("nonce":"0123456789abcdef0123456789abcdef","counter":4)";
  auto u = ParseUpdateCommand("{" + tag + R"(,"target":"pumpd/pumpd-2"})");
  ASSERT_TRUE(u) << u.error().ToString();
  EXPECT_EQ(u->target, "pumpd/pumpd-2");
  EXPECT_EQ(u->tag.counter, 4u);
  const std::string refusal =
      "request body: $.target: expected a target path: 1 to 128 of [A-Za-z0-9._/-], no empty, . "
      "or .. segment";
  for (const char* bad :
       {"", "../etc/passwd", "pumpd//x", "/pumpd", "pumpd/", "a/./b", "a b", "pumpd?x=1"}) {
    ExpectRefused(Only(ParseUpdateCommand("{" + tag + R"(,"target":")" + bad + "\"}")), refusal);
  }
  ExpectRefused(
      Only(ParseUpdateCommand("{" + tag + R"(,"target":")" + std::string(129, 'a') + "\"}")),
      refusal);
  EXPECT_FALSE(ParseUpdateCommand(R"({"target":"pumpd/pumpd-2"})"));  // no nonce
  EXPECT_FALSE(ParseUpdateCommand("{" + tag + R"(,"target":"p","force":true})"));
}

TEST(ApiRequestsTest, BreakGlassAndReviewClose) {
  auto r = ParseBreakGlassRequest(R"({"account":"bob","password":"pw","reason":"no phone"})");
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->account, "bob");
  EXPECT_EQ(r->reason, "no phone");
  ExpectRefused(Only(ParseBreakGlassRequest(R"({"account":"bob","password":"pw","reason":""})")),
                "request body: $.reason: expected 1 to 256 bytes of printable ASCII");
  EXPECT_FALSE(ParseBreakGlassRequest(R"({"account":"bob","password":"pw"})"));
  EXPECT_EQ(*ParseReviewClose(R"({"review":3})"), 3u);
  EXPECT_FALSE(ParseReviewClose(R"({"review":0})"));
  EXPECT_FALSE(ParseReviewClose(R"({"review":"3"})"));
}

}  // namespace
}  // namespace pump
