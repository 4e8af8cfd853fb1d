#include "vigil/audit/syslog_message.h"

#include <gtest/gtest.h>

namespace vigil::audit {
namespace {

Event Sample() {
  Event e;
  e.sequence = 42;
  e.time_unix_micros = 1'795'000'000'123'456;
  e.device_id = "pump-0042";
  e.actor_id = "nurse.ann";
  e.actor_role = Role::kClinician;
  e.action = Action::kLogin;
  e.outcome = Outcome::kMinorFailure;
  e.interface = Interface::kNetwork;
  e.source = "192.0.2.7";
  e.object_ids = {"account:nurse.ann", "perm/x"};
  return e;
}

TEST(Syslog5424, WritesEveryField) {
  auto line = ToSyslog5424(Sample(), {"1234"});
  ASSERT_TRUE(line.has_value()) << line.error().ToString();
  EXPECT_EQ(*line,
            "<84>1 2026-11-18T11:06:40.123456Z pump-0042 vigil 1234 auth.login "
            "[vigil@32473 seq=\"42\" actor=\"nurse.ann\" role=\"clinician\" "
            "outcome=\"minor-failure\" purpose=\"none\" iface=\"network\" src=\"192.0.2.7\" "
            "obj=\"account:nurse.ann\" obj=\"perm/x\"] "
            "auth.login minor-failure by nurse.ann (clinician) via network");
}

TEST(Syslog5424, PriFromOutcomeWithAuthprivFacility) {
  Event e = Sample();
  const std::pair<Outcome, std::string> cases[] = {{Outcome::kSuccess, "<86>"},
                                                   {Outcome::kMinorFailure, "<84>"},
                                                   {Outcome::kSeriousFailure, "<83>"},
                                                   {Outcome::kMajorFailure, "<82>"}};
  for (const auto& [o, pri] : cases) {
    e.outcome = o;
    EXPECT_EQ(ToSyslog5424(e).value().substr(0, 4), pri);
    EXPECT_EQ(ParseSyslog5424(ToSyslog5424(e).value()).value().pri / 8, kSyslogFacility);
  }
}

TEST(Syslog5424, EscapesQuoteBackslashAndBracket) {
  Event e = Sample();
  e.action = Action::kBreakGlassOpen;
  e.purpose = Purpose::kBreakGlass;
  e.reason = R"(code "blue" \ bed [4])";
  e.actor_id = "";
  e.actor_role = Role::kNone;
  e.source = "";
  e.object_ids = {};
  const std::string line = ToSyslog5424(e).value();
  EXPECT_NE(line.find(R"(reason="code \"blue\" \\ bed [4\]")"), std::string::npos) << line;
  EXPECT_EQ(line.find("actor="), std::string::npos);
  EXPECT_EQ(line.find("src="), std::string::npos);
  EXPECT_NE(line.find("by unauthenticated actor (none) via network for break-glass"),
            std::string::npos);
  auto m = ParseSyslog5424(line);
  ASSERT_TRUE(m.has_value()) << m.error().ToString();
  EXPECT_EQ(m->structured_data[0].params[4].first, "reason");
  EXPECT_EQ(m->structured_data[0].params[4].second, e.reason);
  EXPECT_EQ(EventFromSyslog5424(line).value(), e);
}

TEST(Syslog5424, EveryActionOutcomePurposeRoundTrips) {
  int n = 0;
  for (int a = 0; a < kActionCount; ++a) {
    for (int o = 0; o < 4; ++o) {
      for (int p = 0; p < 5; ++p) {
        Event e = Sample();
        e.action = static_cast<Action>(a);
        e.outcome = static_cast<Outcome>(o);
        e.purpose = static_cast<Purpose>(p);
        e.reason = p == 2 ? "emergency ]\"\\" : "";
        if (e.action == Action::kBreakGlassOpen && e.purpose != Purpose::kBreakGlass) continue;
        auto line = ToSyslog5424(e, {"77"});
        ASSERT_TRUE(line.has_value()) << line.error().ToString();
        auto m = ParseSyslog5424(*line);
        ASSERT_TRUE(m.has_value()) << m.error().ToString() << "\n" << *line;
        EXPECT_EQ(m->msg_id, ActionCode(e.action));
        EXPECT_EQ(m->hostname, "pump-0042");
        EXPECT_EQ(m->app_name, "vigil");
        EXPECT_EQ(m->proc_id, "77");
        EXPECT_EQ(FormatSyslog5424(*m).value(), *line);
        auto back = EventFromSyslog5424(*line);
        ASSERT_TRUE(back.has_value()) << back.error().ToString();
        EXPECT_EQ(*back, e);
        ++n;
      }
    }
  }
  EXPECT_EQ(n, kActionCount * 20 - 16);  // emergency.open needs break-glass
}

TEST(Syslog5424, ParsesRfcExamples) {
  // RFC 5424 §6.5 examples 1, 3 and 4 (example 2 is written with a BOM, left out; 4 has no MSG).
  auto ex1 = ParseSyslog5424(
      "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - 'su root' failed for "
      "lonvick on /dev/pts/8");
  ASSERT_TRUE(ex1.has_value()) << ex1.error().ToString();
  EXPECT_EQ(ex1->pri, 34);
  EXPECT_EQ(ex1->proc_id, "-");
  EXPECT_TRUE(ex1->structured_data.empty());
  EXPECT_EQ(ex1->msg, "'su root' failed for lonvick on /dev/pts/8");
  auto ex3 = ParseSyslog5424(
      "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 "
      "iut=\"3\" eventSource=\"Application\" eventID=\"1011\"] An application event log entry...");
  ASSERT_TRUE(ex3.has_value()) << ex3.error().ToString();
  ASSERT_EQ(ex3->structured_data.size(), 1u);
  EXPECT_EQ(ex3->structured_data[0].id, "exampleSDID@32473");
  EXPECT_EQ(ex3->structured_data[0].params.size(), 3u);
  const std::string ex4_line =
      "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 "
      "iut=\"3\" eventSource=\"Application\" eventID=\"1011\"][examplePriority@32473 "
      "class=\"high\"]";
  auto ex4 = ParseSyslog5424(ex4_line);
  ASSERT_TRUE(ex4.has_value()) << ex4.error().ToString();
  EXPECT_EQ(ex4->structured_data.size(), 2u);
  EXPECT_TRUE(ex4->msg.empty());
  EXPECT_EQ(FormatSyslog5424(*ex4).value(), ex4_line);
}

TEST(Syslog5424, RejectsMalformedLines) {
  const std::string ok = "<86>1 2026-11-18T11:06:40.123456Z h a p m [x@1 k=\"v\"] msg";
  ASSERT_TRUE(ParseSyslog5424(ok).has_value());
  for (const char* bad : {
           "",
           "<86>",
           "86>1 - h a p m -",
           "<192>1 - h a p m -",
           "<086>1 - h a p m -",
           "<>1 - h a p m -",
           "<86>2 - h a p m -",
           "<86>1  h a p m -",
           "<86>1 2026-13-18T11:06:40Z h a p m -",
           "<86>1 2026-11-18 h a p m -",
           "<86>1 - h a p m",
           "<86>1 - h a p m - ",
           "<86>1 - h a p m x",
           "<86>1 - h a p mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm -",
           "<86>1 - h a p m [x@1 k=\"v]",
           "<86>1 - h a p m [x@1 k=\"v\"",
           "<86>1 - h a p m [x@1 k=\"a]b\"]",
           "<86>1 - h a p m [x@1 k=\"a\\nb\"]",
           "<86>1 - h a p m [x@1 k=v]",
           "<86>1 - h a p m [x@1  k=\"v\"]",
           "<86>1 - h a p m [x@1][x@1]",
           "<86>1 - h a p m [x@1 k=\"\xff\"]",
           "<86>1 - h a p m []",
           "<86>1 - h\ta p m -",
       }) {
    auto r = ParseSyslog5424(bad);
    EXPECT_FALSE(r.has_value()) << "accepted: " << bad;
    if (!r) {
      EXPECT_NE(r.error().message().find("at offset"), std::string::npos);
    }
  }
}

TEST(Syslog5424, EventFromForeignOrEditedLinesFails) {
  const std::string line = ToSyslog5424(Sample()).value();
  auto edit = [&](std::string_view from, std::string_view to) {
    std::string s = line;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  for (const std::string& bad : {
           edit("<84>", "<86>"),                      // PRI does not match the outcome
           edit(" vigil ", " other "),                // APP-NAME
           edit("seq=\"42\"", "seq=\"042\""),         // non-canonical number
           edit("seq=\"42\" ", ""),                   // no seq
           edit("role=", "rank="),                    // unknown parameter
           edit("role=\"clinician\"", "role=\"x\""),  // unknown code
           edit("auth.login [", "no.such ["),         // unknown action
           edit("via network", "via wire"),           // summary edited
           edit("[vigil@32473", "[other@1"),          // foreign SD-ID
           edit("pump-0042", "bad!host"),             // not an identifier (ValidateEvent)
       }) {
    EXPECT_FALSE(EventFromSyslog5424(bad).has_value()) << bad;
  }
}

TEST(Syslog5424, RefusesInvalidEventsAndOptions) {
  Event e = Sample();
  e.reason = std::string(300, 'x');
  EXPECT_EQ(ToSyslog5424(e).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ToSyslog5424(Sample(), {"has space"}).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ToSyslog5424(Sample(), {""}).error().code(), ErrorCode::kInvalidArgument);
  SyslogMessage m;
  m.pri = 200;
  EXPECT_FALSE(FormatSyslog5424(m).has_value());
}

}  // namespace
}  // namespace vigil::audit
