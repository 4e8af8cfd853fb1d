// The server's contract pieces without a network: the OpenAPI document describes exactly the
// routes the server answers (and is the file in the tree), the built-in policy grants each
// route's permission to the roles the README says and nothing to unknown ones, tokens are
// stored as hashes and refused once revoked, and the body parsers name the JSON path they refuse.
#include "vigil/server/server.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <set>

#include "internal/verified_devices.h"
#include "vigil/access/policy.h"
#include "vigil/core/encoding.h"
#include "vigil/core/json.h"
#include "vigil/server/api_requests.h"
#include "vigil/server/operator_tokens.h"

namespace vigil::server {
namespace {

TEST(OpenApiTest, DescribesExactlyTheRoutesTheServerAnswers) {
  auto doc = json::Parse(OpenApiDocument(), "openapi.json");
  ASSERT_TRUE(doc) << doc.error().ToString();
  EXPECT_EQ((*doc)["openapi"].as_string(), "3.1.0");
  std::set<std::string> documented, served;
  for (const auto& [path, item] : (*doc)["paths"].as_object()) {
    for (const auto& [method, op] : item.as_object()) documented.insert(method + " " + path);
  }
  for (const RouteInfo& r : ApiRoutes()) {
    served.insert(std::string(r.method) + " " + std::string(r.path));
  }
  EXPECT_EQ(documented, served);
}

TEST(OpenApiTest, IsTheFileInTheTree) {
  auto file = Env::Default()->ReadFile(std::string(VIGIL_SOURCE_DIR) + "/src/server/openapi.json");
  ASSERT_TRUE(file);
  EXPECT_EQ(AsStringView(*file), OpenApiDocument());
}

TEST(DefaultPolicyTest, GrantsEachRoleItsRoutesAndNothingMore) {
  auto policy = access::Policy::ParseYaml(DefaultPolicy(), "built-in");
  ASSERT_TRUE(policy) << policy.error().ToString();
  std::set<std::string> permissions;
  for (const RouteInfo& r : ApiRoutes()) {
    if (!r.permission.empty()) permissions.insert(std::string(r.permission));
  }
  EXPECT_EQ(permissions, (std::set<std::string>{"fleet.read", "fleet.exposure", "triage.decide",
                                                "fleet.manage"}));
  auto allows = [&](std::string_view role, std::string_view p) {
    return policy->Allows(RoleOf(role), p);
  };
  EXPECT_TRUE(allows("read-only", "fleet.read"));
  EXPECT_TRUE(allows("read-only", "fleet.exposure"));
  EXPECT_FALSE(allows("read-only", "triage.decide"));
  EXPECT_FALSE(allows("read-only", "fleet.manage"));
  EXPECT_TRUE(allows("analyst", "triage.decide"));
  EXPECT_FALSE(allows("analyst", "fleet.manage"));
  for (const std::string& p : permissions) {
    EXPECT_TRUE(allows("admin", p)) << p;
    EXPECT_FALSE(allows("root", p)) << p;
  }
}

class TokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "vigil-serve-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto f = OpenFleetDatabase(dir_ + "/fleet.sqlite", *Env::Default());
    ASSERT_TRUE(f) << f.error().ToString();
    fleet_.emplace(std::move(*f));
  }
  void TearDown() override {
    fleet_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::string dir_;
  std::optional<fleet::Fleet> fleet_;
};

TEST_F(TokenTest, IssuedTokenAuthenticatesUntilRevokedAndOnlyItsHashIsKept) {
  auto issued = IssueToken(*fleet_, "ops.alice", "analyst", *Env::Default());
  ASSERT_TRUE(issued) << issued.error().ToString();
  const std::string token(AsStringView(issued->token.Reveal()));
  EXPECT_TRUE(token.starts_with("vgt_"));
  EXPECT_EQ(token.size(), 4u + 43u);
  EXPECT_EQ(issued->record.hash_hex, TokenHash(token));
  EXPECT_EQ(issued->record.hash_hex.find(token.substr(4)), std::string::npos);
  auto who = Authenticate(*fleet_, token);
  ASSERT_TRUE(who) << who.error().ToString();
  EXPECT_EQ(who->name, "ops.alice");
  EXPECT_EQ(who->role, "analyst");
  std::string wrong = token;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  for (const std::string& bad :
       {wrong, std::string("vgt_"), std::string(""), token + "x", std::string(4096, 'v')}) {
    auto refused = Authenticate(*fleet_, bad);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code(), ErrorCode::kUnauthenticated);
    EXPECT_EQ(refused.error().message(), "invalid or revoked token");
  }
  ASSERT_TRUE(fleet_->RevokeOperatorToken("ops.alice"));
  auto revoked = Authenticate(*fleet_, token);
  ASSERT_FALSE(revoked);
  EXPECT_EQ(revoked.error().message(), "invalid or revoked token");
  auto second = IssueToken(*fleet_, "ops.bob", "admin", *Env::Default());
  ASSERT_TRUE(second);
  EXPECT_NE(AsStringView(second->token.Reveal()), token);
  auto bad_role = IssueToken(*fleet_, "ops.carol", "root", *Env::Default());
  ASSERT_FALSE(bad_role);
  EXPECT_NE(bad_role.error().message().find("token role"), std::string::npos);
}

template <typename T>
Status StatusOf(const Result<T>& r) {
  return r ? OkStatus() : Status(r.error());
}

TEST(ApiRequestsTest, ParsersNameTheFieldTheyRefuse) {
  struct Case {
    Status status;
    const char* expected;
  } cases[] = {
      {StatusOf(ParseProductRequest("{\"name\": 3}", "POST p")), "POST p: $.name: "},
      {StatusOf(ParseProductRequest("{\"name\": \"\"}", "POST p")), "$.name: must not be empty"},
      {StatusOf(ParseProductRequest("{\"name\": \"x\", \"admin\": true}", "POST p")), "admin"},
      {StatusOf(ParseProductRequest("[1]", "POST p")), "POST p: $: "},
      {StatusOf(ParseProductRequest("{\"name\": ", "POST p")), "POST p: malformed JSON"},
      {StatusOf(ParseReleaseRequest("{\"product\": \"P\"}", "POST r")), "$.version"},
      {StatusOf(ParseDeviceRequest("{\"serial\": \"S\", \"product\": \"P\", \"release\": \"1\","
                                   " \"log_key\": \"k\", \"security_counter\": -1}",
                                   "POST d")),
       "$.security_counter"},
      {StatusOf(ParseDeviceRequest("{\"serial\": \"S\", \"product\": \"P\", \"release\": \"1\","
                                   " \"log_key\": \"k\", \"slot\": \"c\"}",
                                   "POST d")),
       "$.slot: expected \"a\" or \"b\""},
      {StatusOf(
           ParseDecisionRequest("{\"product\": \"P\", \"vulnerability\": \"CVE-1\", \"component\":"
                                " \"c\", \"status\": \"maybe\", \"reason\": \"r\"}",
                                "POST t")),
       "$.status: expected in_triage"},
      {StatusOf(ParseDecisionRequest(
           "{\"product\": \"P\", \"vulnerability\": \"CVE-1\", \"component\":"
           " \"c\", \"status\": \"affected\", \"reason\": \"r\", \"harm\": \"x\"}",
           "POST t")),
       "$.harm: expected negligible"},
  };
  for (const Case& c : cases) {
    ASSERT_FALSE(c.status) << c.expected;
    EXPECT_EQ(c.status.error().code(), ErrorCode::kInvalidArgument) << c.expected;
    EXPECT_NE(c.status.error().message().find(c.expected), std::string::npos)
        << c.status.error().message();
  }
  auto d = ParseDeviceRequest(
      "{\"serial\": \"S\", \"product\": \"P\", \"release\": \"1\", \"log_key\": \"k\","
      " \"site\": \"ICU\", \"slot\": \"b\", \"security_counter\": 7}",
      "POST d");
  ASSERT_TRUE(d) << d.error().ToString();
  EXPECT_EQ(d->site, "ICU");
  EXPECT_EQ(d->slot, "b");
  EXPECT_EQ(d->security_counter, 7u);
  auto t = ParseDecisionRequest(
      "{\"product\": \"P\", \"vulnerability\": \"CVE-1\", \"component\": \"c\","
      " \"status\": \"not_affected\", \"reason\": \"r\", \"justification\": "
      "\"code_not_reachable\"}",
      "POST t");
  ASSERT_TRUE(t) << t.error().ToString();
  EXPECT_EQ(t->decision.status, triage::TriageStatus::kNotAffected);
  EXPECT_TRUE(t->decision.actor.empty());
}

VerifiedDevice Verified(const std::string& serial) {
  return {serial, "vkey of " + serial, nullptr};
}

std::optional<std::string> SerialOf(VerifiedDevices& v, const std::string& fp, int64_t now) {
  std::optional<VerifiedDevice> d = v.Find(fp, now);
  return d ? std::optional<std::string>(d->serial) : std::nullopt;
}

TEST(VerifiedDevicesTest, KeepsAVerificationFiveMinutesAndNeverPastNotAfter) {
  VerifiedDevices v;
  EXPECT_FALSE(v.Find("fp1", 1000));
  v.Keep("fp1", Verified("SN-1"), 1000, 1000000);
  EXPECT_EQ(SerialOf(v, "fp1", 1299), std::optional<std::string>("SN-1"));
  EXPECT_EQ(v.Find("fp1", 1299)->log_key, "vkey of SN-1");
  EXPECT_FALSE(v.Find("fp1", 1300));  // five minutes after the verification
  EXPECT_FALSE(v.Find("fp1", 1000));  // and forgotten once expired
  v.Keep("fp2", Verified("SN-2"), 1000, 1010);  // the certificate expires first
  EXPECT_TRUE(v.Find("fp2", 1009));
  EXPECT_FALSE(v.Find("fp2", 1010));
  v.Keep("fp3", Verified("SN-3"), 1000, 0);  // notAfter unreadable: nothing kept
  EXPECT_FALSE(v.Find("fp3", 1000));
  EXPECT_FALSE(v.Find("fp4", 1000));
}

TEST(VerifiedDevicesTest, ForgetDropsEveryCertificateOfTheDeviceAtOnce) {
  VerifiedDevices v;
  v.Keep("fp1", Verified("SN-1"), 1000, 1000000);
  v.Keep("fp1b", Verified("SN-1"), 1000, 1000000);  // a second certificate of the same device
  v.Keep("fp2", Verified("SN-2"), 1000, 1000000);
  v.Forget("SN-1");
  EXPECT_FALSE(v.Find("fp1", 1001));
  EXPECT_FALSE(v.Find("fp1b", 1001));
  EXPECT_EQ(SerialOf(v, "fp2", 1001), std::optional<std::string>("SN-2"));
  v.Forget("SN-404");  // nothing kept for it: nothing changes
  EXPECT_TRUE(v.Find("fp2", 1001));
}

}  // namespace
}  // namespace vigil::server
