// The fleet server's operator tokens on every engine: stored by hash, unique names and hashes,
// revocation kept (the name stays taken), malformed fields refused with the field's name.
#include <gtest/gtest.h>

#include "testing/database_engines.h"
#include "vigil/fleet/fleet.h"

namespace vigil::fleet {
namespace {

using testing::FleetEngineTest;

const std::string kHashA(64, 'a');
const std::string kHashB(64, 'b');

class OperatorTokensTest : public FleetEngineTest {};

TEST_P(OperatorTokensTest, AddedFoundByHashListedAndRevoked) {
  auto t = fleet().AddOperatorToken({"ops.alice", "analyst", kHashA, "", ""});
  ASSERT_TRUE(t) << t.error().ToString();
  EXPECT_FALSE(t->created.empty());
  ASSERT_TRUE(fleet().AddOperatorToken({"ops.bob", "read-only", kHashB, "", ""}));
  auto found = fleet().FindOperatorToken(kHashA);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->name, "ops.alice");
  EXPECT_EQ((*found)->role, "analyst");
  EXPECT_TRUE((*found)->revoked.empty());
  auto none = fleet().FindOperatorToken(std::string(64, 'c'));
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  auto revoked = fleet().RevokeOperatorToken("ops.alice");
  ASSERT_TRUE(revoked) << revoked.error().ToString();
  EXPECT_FALSE(revoked->revoked.empty());
  auto again = fleet().RevokeOperatorToken("ops.alice");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), ErrorCode::kFailedPrecondition);
  auto missing = fleet().RevokeOperatorToken("ops.nobody");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  auto all = fleet().OperatorTokens();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "ops.alice");
  EXPECT_FALSE((*all)[0].revoked.empty());
  EXPECT_TRUE((*all)[1].revoked.empty());
}

TEST_P(OperatorTokensTest, NamesAndHashesAreUniqueEvenAfterRevocation) {
  ASSERT_TRUE(fleet().AddOperatorToken({"ops.alice", "admin", kHashA, "", ""}));
  ASSERT_TRUE(fleet().RevokeOperatorToken("ops.alice"));
  auto same_name = fleet().AddOperatorToken({"ops.alice", "admin", kHashB, "", ""});
  ASSERT_FALSE(same_name);
  EXPECT_EQ(same_name.error().code(), ErrorCode::kAlreadyExists);
  auto same_hash = fleet().AddOperatorToken({"ops.carol", "admin", kHashA, "", ""});
  ASSERT_FALSE(same_hash);
  EXPECT_EQ(same_hash.error().code(), ErrorCode::kAlreadyExists);
}

TEST_P(OperatorTokensTest, MalformedFieldsAreRefusedByName) {
  struct Case {
    OperatorToken t;
    const char* expected;
  } cases[] = {
      {{"", "admin", kHashA, "", ""}, "token name: "},
      {{"ops alice", "admin", kHashA, "", ""}, "token name: "},
      {{"ops.alice", "root", kHashA, "", ""}, "token role: expected read-only, analyst or admin"},
      {{"ops.alice", "admin", "abc", "", ""}, "token hash: "},
      {{"ops.alice", "admin", std::string(64, 'A'), "", ""}, "token hash: "},
  };
  for (const Case& c : cases) {
    auto r = fleet().AddOperatorToken(c.t);
    ASSERT_FALSE(r) << c.expected;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message().find(c.expected), std::string::npos) << r.error().message();
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, OperatorTokensTest, ::testing::ValuesIn(testing::kEngines),
                         testing::EngineName);

}  // namespace
}  // namespace vigil::fleet
