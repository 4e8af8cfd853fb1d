#include "vigil/access/policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/peak_memory.h"
#include "testing/sparse_file.h"
#include "testing/yaml_alias_bomb.h"
#include "vigil/core/fault_env.h"

namespace vigil::access {
namespace {

using audit::Role;

constexpr char kPolicy[] = R"({
  "version": 1,
  "roles": {
    "patient": ["therapy.view", "monitor.*"],
    "clinician": ["therapy.start", "therapy.stop", "therapy.configure", "therapy.view", "monitor.*"],
    "service-technician": ["service.*", "device.selftest"],
    "administrator": ["account.*", "audit.export", "access.policy_load"],
    "manufacturer-service": ["service.firmware_update", "device.decommission"]
  },
  "break_glass": {"permissions": ["therapy.start", "therapy.stop", "monitor.vitals"], "max_minutes": 30}
})";

class CapturingSink final : public audit::EventSink {
 public:
  Status Record(audit::Event e) override {
    if (fail) return UnavailableError("log disk full");
    events.push_back(std::move(e));
    return OkStatus();
  }
  std::vector<audit::Event> events;
  bool fail = false;
};

TEST(PolicyTest, DenyByDefaultAndWildcards) {
  auto p = Policy::ParseJson(kPolicy, "policy.json");
  ASSERT_TRUE(p.has_value()) << p.error().message();
  EXPECT_TRUE(p->Allows(Role::kClinician, "therapy.configure"));
  EXPECT_FALSE(p->Allows(Role::kPatient, "therapy.configure"));
  EXPECT_TRUE(p->Allows(Role::kPatient, "monitor.vitals"));
  EXPECT_FALSE(p->Allows(Role::kPatient, "monitor"));  // "monitor.*" is below monitor only
  EXPECT_TRUE(p->Allows(Role::kServiceTechnician, "service.firmware_update"));
  EXPECT_FALSE(p->Allows(Role::kServiceTechnician, "therapy.start"));
  EXPECT_FALSE(p->Allows(Role::kClinician, "drug_library.update"));  // never granted
  EXPECT_FALSE(p->Allows(Role::kNone, "therapy.view"));
  EXPECT_FALSE(p->Allows(Role::kSystem, "therapy.view"));
  EXPECT_FALSE(p->Allows(Role::kClinician, "therapy.*"));  // requests are exact names
  EXPECT_FALSE(p->Allows(Role::kClinician, ""));
  EXPECT_TRUE(p->AllowsBreakGlass("therapy.start"));
  EXPECT_FALSE(p->AllowsBreakGlass("therapy.configure"));
  EXPECT_EQ(p->break_glass_max_minutes(), 30);
}

TEST(PolicyTest, RefusesPoliciesThatBreakLeastPrivilege) {
  struct Case {
    const char* json;
    const char* expect;
  };
  const Case cases[] = {
      {R"({"version":1,"roles":{"patient":["therapy.configure"]}})", "roles.patient[0]"},
      {R"({"version":1,"roles":{"patient":["service.*"]}})", "FDA AUTHZ-5"},
      {R"({"version":1,"roles":{"patient":["therapy.*"]}})", "therapy.configure"},
      {R"({"version":1,"roles":{"patient":["drug_library.update"]}})", "drug_library"},
      {R"({"version":1,"roles":{"patient":["account.create"]}})", "account"},
      {R"({"version":1,"roles":{"clinician":["therapy.start"]},"break_glass":{"permissions":["therapy.configure"]}})",
       "outside what emergency access may do"},
      {R"({"version":1,"roles":{},"break_glass":{"max_minutes":600}})", "break_glass.max_minutes"},
      {R"({"version":1,"roles":{"superuser":["therapy.start"]}})", "unknown role"},
      {R"({"version":1,"roles":{"clinician":["Therapy.Start"]}})", "roles.clinician[0]"},
      {R"({"version":1,"roles":{"clinician":"therapy.start"}})", "expected a list"},
      {R"({"version":2,"roles":{}})", "version"},
      {R"({"version":1,"roles":{},"extra":1})", "unknown member \"extra\""},
      {R"({"version":1,"roles":{"clinician":["therapy..start"]}})", "roles.clinician[0]"},
      {R"({"version":1,)", "malformed JSON"},
      {R"({"version":1,"version":1,"roles":{}})", "duplicate object key \"version\""},
  };
  for (const auto& c : cases) {
    auto p = Policy::ParseJson(c.json, "bad.json");
    ASSERT_FALSE(p.has_value()) << c.json;
    EXPECT_NE(p.error().message().find(c.expect), std::string::npos) << p.error().message();
    EXPECT_EQ(p.error().message().rfind("bad.json: ", 0), 0u) << p.error().message();
  }
}

TEST(PolicyTest, YamlHasTheSameMeaning) {
  FaultInjectingEnv env;
  ASSERT_TRUE(env.CreateDir("/etc").has_value());
  ASSERT_TRUE(env.WriteFileAtomic("/etc/policy.yaml", AsBytes(R"(version: 1
roles:
  clinician: [therapy.start, therapy.stop]
  patient:
    - monitor.*
break_glass:
  permissions: [therapy.start]
  max_minutes: 20
)"))
                  .has_value());
  auto p = Policy::Load(env, "/etc/policy.yaml");
  ASSERT_TRUE(p.has_value()) << p.error().message();
  EXPECT_TRUE(p->Allows(Role::kClinician, "therapy.stop"));
  EXPECT_TRUE(p->Allows(Role::kPatient, "monitor.rate"));
  EXPECT_EQ(p->break_glass_max_minutes(), 20);
  ASSERT_TRUE(env.WriteFileAtomic("/etc/bad.yaml", AsBytes("roles: [unclosed")).has_value());
  auto bad = Policy::Load(env, "/etc/bad.yaml");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("/etc/bad.yaml"), std::string::npos);
  ASSERT_TRUE(env.WriteFileAtomic("/etc/patient.yml",
                                  AsBytes("version: 1\nroles:\n  patient: [service.login]\n"))
                  .has_value());
  EXPECT_FALSE(Policy::Load(env, "/etc/patient.yml").has_value());
}

// Issue 13: a 1 KB policy of nested aliases grew `vigil access validate` to 3 GB, and the
// device's policy loader reads the same format. 10^7 strings expanded cost the old reader
// hundreds of MB; refused at the first anchor, the bomb costs almost nothing.
TEST(PolicyTest, AnAliasBombIsRefusedInOneLineWithinFourMebibytes) {
  const std::string bomb = "version: 1\n" + testing::YamlAliasBomb(6, "therapy.start");
  ASSERT_LT(bomb.size(), 1024u);
  auto mem = testing::PeakMemoryGrowthOfChild([&] {
    auto p = Policy::ParseYaml(bomb, "bomb.yaml");
    return !p && p.error().code() == ErrorCode::kInvalidArgument &&
           p.error().message() ==
               "bomb.yaml:2:5: YAML aliases and anchors are not accepted (they let a 1 KB file "
               "expand to gigabytes)";
  });
  ASSERT_TRUE(mem.has_value());
  EXPECT_TRUE(mem->fn_returned_true);
  EXPECT_LT(mem->growth_kib, 4 * 1024);
  auto merge =
      Policy::ParseYaml("version: 1\nroles:\n  <<: {clinician: [therapy.start]}\n", "m.yaml");
  ASSERT_FALSE(merge);
  EXPECT_EQ(merge.error().message(),
            "m.yaml:3:3: YAML merge keys (<<) are not accepted (they copy an aliased mapping)");
}

// Issue 13: a 200 MB policy cost 830 MB (JSON) and 1.24 GB (YAML) to refuse. Now a policy over
// 1 MiB is refused before it is read; 64 MiB files (sparse, so the test is cheap) show it.
TEST(PolicyTest, AnOversizedPolicyIsRefusedUnreadWithinFourMebibytes) {
  for (const char* name : {"huge.json", "huge.yaml"}) {
    testing::ScopedSparseFile file(name, 64 << 20);
    const std::string& path = file.path();
    auto mem = testing::PeakMemoryGrowthOfChild([&] {
      auto p = Policy::Load(*Env::Default(), path);
      return !p && p.error().code() == ErrorCode::kResourceExhausted &&
             p.error().message() ==
                 path + ": 67108864 bytes, over the 1 MiB limit for an access policy";
    });
    ASSERT_TRUE(mem.has_value()) << path;
    EXPECT_TRUE(mem->fn_returned_true) << path;
    EXPECT_LT(mem->growth_kib, 4 * 1024) << path;
  }
  // The same limit holds for text already in memory.
  const std::string text(Policy::kMaxFileBytes + 1, ' ');
  for (auto parse : {&Policy::ParseJson, &Policy::ParseYaml}) {
    auto p = parse(text, "big.policy");
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().code(), ErrorCode::kResourceExhausted) << p.error().message();
  }
}

// Fuzzer find: an unknown key was quoted as is, so a key holding a line break split the error.
TEST(PolicyTest, AKeyWithALineBreakStaysOnOneLineInTheError) {
  auto json = Policy::ParseJson(R"({"version": 1, "roles": {}, "x\ny": 1})", "p.json");
  ASSERT_FALSE(json);
  EXPECT_EQ(json.error().message(),
            "p.json: $: unknown member \"x\\x0ay\" (allowed: version, roles, break_glass)");
  auto yaml = Policy::ParseYaml("version: 1\nroles:\n  \"a\\x01\\nb\": []\n", "p.yaml");
  ASSERT_FALSE(yaml);
  EXPECT_EQ(yaml.error().message().find('\n'), std::string::npos) << yaml.error().message();
  EXPECT_THAT(yaml.error().message(),
              ::testing::StartsWith("p.yaml:3: roles[\"a\\u0001\\nb\"]: unknown role"));
}

TEST(AccessControlTest, EveryDecisionIsAuditedAndUnauditableMeansDeny) {
  CapturingSink sink;
  AccessControl ac(*Policy::ParseJson(kPolicy, "p"), sink, "pump-1");
  Subject clin{"clin.1", Role::kClinician, false, audit::Interface::kLocalUi};
  EXPECT_TRUE(ac.Decide(clin, "therapy.start").allowed);
  Decision d = ac.Decide(clin, "service.firmware_update");
  EXPECT_FALSE(d.allowed);
  EXPECT_NE(d.reason.find("deny by default"), std::string::npos);
  Subject bg{"clin.2", Role::kClinician, true, audit::Interface::kLocalUi};
  EXPECT_TRUE(ac.Decide(bg, "therapy.stop").allowed);
  EXPECT_FALSE(ac.Decide(bg, "therapy.configure").allowed);  // emergency scope only
  ASSERT_EQ(sink.events.size(), 4u);
  EXPECT_EQ(sink.events[0].action, audit::Action::kAccessDecision);
  EXPECT_EQ(sink.events[0].outcome, audit::Outcome::kSuccess);
  EXPECT_EQ(sink.events[1].outcome, audit::Outcome::kMinorFailure);
  EXPECT_EQ(sink.events[1].object_ids, std::vector<std::string>{"service.firmware_update"});
  EXPECT_EQ(sink.events[2].purpose, audit::Purpose::kBreakGlass);
  for (const auto& e : sink.events) EXPECT_TRUE(audit::ValidateEvent(e).has_value());
  sink.fail = true;
  d = ac.Decide(clin, "therapy.start");
  EXPECT_FALSE(d.allowed);
  EXPECT_NE(d.reason.find("could not be audited"), std::string::npos);
  EXPECT_FALSE(d.recorded);
}

TEST(AccessControlTest, EssentialDecisionsStandWhenTheLogCannotRecordThem) {
  CapturingSink sink;
  AccessControl ac(*Policy::ParseJson(kPolicy, "p"), sink, "pump-1",
                   {"therapy.start", "therapy.stop"});
  Subject clin{"clin.1", Role::kClinician, false, audit::Interface::kLocalUi};
  Subject admin{"admin.1", Role::kAdministrator, false, audit::Interface::kLocalUi};
  Decision d = ac.Decide(clin, "therapy.stop");
  EXPECT_TRUE(d.allowed);
  EXPECT_TRUE(d.recorded);
  sink.fail = true;
  d = ac.Decide(clin, "therapy.stop");
  EXPECT_TRUE(d.allowed);
  EXPECT_FALSE(d.recorded);
  EXPECT_EQ(d.reason,
            "granted to role clinician; the decision could not be audited (log disk full)");
  // The policy still decides: an essential permission the role lacks stays denied.
  d = ac.Decide(admin, "therapy.start");
  EXPECT_FALSE(d.allowed);
  EXPECT_FALSE(d.recorded);
  // Other permissions fail closed, wildcards in the essential list match nothing.
  d = ac.Decide(clin, "therapy.configure");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, "denied: the decision could not be audited (log disk full)");
  EXPECT_EQ(sink.events.size(), 1u);
}

}  // namespace
}  // namespace vigil::access
