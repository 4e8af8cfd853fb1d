#include "vigil/audit/event.h"

#include <gtest/gtest.h>

namespace vigil::audit {
namespace {

Event Sample() {
  Event e;
  e.sequence = 7;
  e.time_unix_micros = 1763840000123456;
  e.device_id = "pump-SN1234";
  e.actor_id = "clin.jdoe";
  e.actor_role = Role::kClinician;
  e.action = Action::kBreakGlassOpen;
  e.outcome = Outcome::kSuccess;
  e.purpose = Purpose::kBreakGlass;
  e.reason = "second factor unavailable, code blue";
  e.interface = Interface::kLocalUi;
  e.source = "ui:bedside";
  e.object_ids = {"therapy.configure", "session:4f2a"};
  return e;
}

TEST(EventTest, EncodeDecodeRoundTripsEveryCode) {
  for (int a = 0; a < kActionCount; ++a) {
    Event e = Sample();
    e.action = static_cast<Action>(a);
    auto enc = EncodeEvent(e);
    ASSERT_TRUE(enc.has_value()) << enc.error().message();
    auto dec = DecodeEvent(*enc);
    ASSERT_TRUE(dec.has_value()) << dec.error().message();
    EXPECT_EQ(*dec, e);
    EXPECT_EQ(*ParseActionCode(ActionCode(e.action)), e.action);
  }
  for (int r = 0; r < 9; ++r) EXPECT_EQ(*ParseRoleCode(RoleCode(static_cast<Role>(r))), Role(r));
  for (int o = 0; o < 4; ++o) {
    EXPECT_EQ(*ParseOutcomeCode(OutcomeCode(static_cast<Outcome>(o))), Outcome(o));
  }
  EXPECT_FALSE(ParseActionCode("auth.backdoor").has_value());
}

TEST(EventTest, EncodingIsCanonicalJson) {
  auto enc = EncodeEvent(Sample());
  ASSERT_TRUE(enc.has_value());
  std::string s(enc->begin(), enc->end());
  EXPECT_EQ(s.substr(0, 30), R"({"action":"emergency.open","ac)");
  EXPECT_EQ(s.find(' ', 0) == std::string::npos, false);  // spaces only inside the reason
  EXPECT_EQ(s.find('\n'), std::string::npos);
}

// The bytes of an encoded event are what the log hashes: they must never change, whatever JSON
// code writes them (this exact text was written by the nlohmann-based encoder before the move to
// the core JSON layer).
TEST(EventTest, EncodingIsByteForByteStable) {
  Event e = Sample();
  e.reason = R"(a "quoted" \ reason)";
  auto enc = EncodeEvent(e);
  ASSERT_TRUE(enc.has_value()) << enc.error().message();
  EXPECT_EQ(std::string(enc->begin(), enc->end()),
            R"({"action":"emergency.open","actor":"clin.jdoe","device":"pump-SN1234",)"
            R"("interface":"local-ui","objects":["therapy.configure","session:4f2a"],)"
            R"("outcome":"success","purpose":"break-glass","reason":"a \"quoted\" \\ reason",)"
            R"("role":"clinician","seq":7,"source":"ui:bedside","time":1763840000123456})");
  auto dec = DecodeEvent(*enc);
  ASSERT_TRUE(dec.has_value()) << dec.error().message();
  EXPECT_EQ(*dec, e);
}

TEST(EventTest, ValidationNamesTheField) {
  Event e = Sample();
  e.actor_id = "Jane Doe";  // a name, not an identifier
  auto s = ValidateEvent(e);
  ASSERT_FALSE(s.has_value());
  EXPECT_NE(s.error().message().find("actor_id"), std::string::npos);

  e = Sample();
  e.reason = "";
  EXPECT_NE(ValidateEvent(e).error().message().find("break-glass"), std::string::npos);
  e = Sample();
  e.purpose = Purpose::kTreatment;
  EXPECT_FALSE(ValidateEvent(e).has_value());  // emergency.open without break-glass purpose
  e = Sample();
  e.reason = "line\nbreak";
  EXPECT_FALSE(ValidateEvent(e).has_value());
  e = Sample();
  e.reason = std::string(257, 'x');
  EXPECT_FALSE(ValidateEvent(e).has_value());
  e = Sample();
  e.object_ids.assign(17, "x");
  EXPECT_FALSE(ValidateEvent(e).has_value());
  e = Sample();
  e.device_id = std::string(129, 'a');
  EXPECT_FALSE(ValidateEvent(e).has_value());
  e = Sample();
  e.time_unix_micros = -1;
  EXPECT_FALSE(ValidateEvent(e).has_value());
  e = Sample();
  e.action = static_cast<Action>(kActionCount);
  EXPECT_FALSE(ValidateEvent(e).has_value());
  EXPECT_FALSE(EncodeEvent(e).has_value());

  e = Sample();
  e.actor_id = "";
  e.actor_role = Role::kNone;  // failed login for an unknown account
  e.action = Action::kLogin;
  e.purpose = Purpose::kNone;
  e.reason = "";
  EXPECT_TRUE(ValidateEvent(e).has_value());
  e.actor_role = Role::kClinician;
  EXPECT_FALSE(ValidateEvent(e).has_value());
}

TEST(EventTest, DecodeRejectsEverythingButTheCanonicalForm) {
  auto enc = EncodeEvent(Sample());
  ASSERT_TRUE(enc.has_value());
  std::string good(enc->begin(), enc->end());
  auto dec = [](std::string s) { return DecodeEvent(ToBytes(s)); };
  EXPECT_TRUE(dec(good).has_value());
  EXPECT_FALSE(dec(good + " ").has_value());
  EXPECT_FALSE(dec(" " + good).has_value());
  EXPECT_FALSE(dec("").has_value());
  EXPECT_FALSE(dec("[]").has_value());
  EXPECT_FALSE(dec(good.substr(0, good.size() - 1)).has_value());
  std::string extra = good;
  extra.insert(1, R"("zz":1,)");
  EXPECT_FALSE(dec(extra).has_value());
  std::string wrong_type = good;
  wrong_type.replace(wrong_type.find("\"seq\":7"), 7, "\"seq\":\"7\"");
  auto r = dec(wrong_type);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("seq"), std::string::npos);
  EXPECT_EQ(r.error().code(), ErrorCode::kDataLoss);
  std::string bad_code = good;
  bad_code.replace(bad_code.find("clinician"), 9, "superuser");
  EXPECT_FALSE(dec(bad_code).has_value());
  std::string escaped = good;  // same value, non-canonical escape
  escaped.replace(escaped.find("pump"), 1, "\\u0070");
  EXPECT_FALSE(dec(escaped).has_value());
}

}  // namespace
}  // namespace vigil::audit
