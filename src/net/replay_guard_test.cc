#include "vigil/net/replay_guard.h"

#include <gtest/gtest.h>

namespace vigil::net {
namespace {

CommandTag Tag(int n, uint64_t counter) {
  char nonce[33];
  std::snprintf(nonce, sizeof nonce, "%032x", n);
  return {nonce, counter};
}

TEST(ReplayGuardTest, AcceptsEachCommandOnce) {
  ReplayGuard guard;
  EXPECT_TRUE(guard.Accept("s1", Tag(1, 1)));
  Status again = guard.Accept("s1", Tag(1, 1));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(again.error().message(),
            "replayed command: nonce 00000000000000000000000000000001 was already used");
  EXPECT_TRUE(guard.Accept("s1", Tag(2, 2)));
}

TEST(ReplayGuardTest, ANonceIsRefusedInAnotherSessionToo) {
  ReplayGuard guard;
  ASSERT_TRUE(guard.Accept("s1", Tag(1, 1)));
  EXPECT_FALSE(guard.Accept("s2", Tag(1, 1)));  // a captured command sent from a new login
  EXPECT_TRUE(guard.Accept("s2", Tag(2, 1)));   // counters are per session
}

TEST(ReplayGuardTest, TheCounterMustRiseWithinASession) {
  ReplayGuard guard;
  ASSERT_TRUE(guard.Accept("s1", Tag(1, 5)));
  Status old = guard.Accept("s1", Tag(2, 5));
  ASSERT_FALSE(old);
  EXPECT_EQ(old.error().message(),
            "replayed command: counter 5 is not above 5, the last this session sent");
  EXPECT_FALSE(guard.Accept("s1", Tag(3, 4)));
  EXPECT_TRUE(guard.Accept("s1", Tag(4, 9)));  // gaps are fine: a lost reply costs nothing
  // A refused command used nothing up: its fresh nonce is accepted with a good counter.
  EXPECT_TRUE(guard.Accept("s1", Tag(3, 10)));
}

TEST(ReplayGuardTest, ForgettingASessionDropsOnlyItsCounter) {
  ReplayGuard guard;
  ASSERT_TRUE(guard.Accept("s1", Tag(1, 7)));
  guard.Forget("s1");
  EXPECT_TRUE(guard.Accept("s1", Tag(2, 1)));   // the counter starts again
  EXPECT_FALSE(guard.Accept("s1", Tag(1, 2)));  // the nonce is still remembered
}

TEST(ReplayGuardTest, RemembersABoundedNumberOfNoncesOldestForgottenFirst) {
  ReplayGuard guard;
  for (size_t i = 1; i <= ReplayGuard::kMaxNonces + 1; ++i) {
    ASSERT_TRUE(guard.Accept("s1", Tag(static_cast<int>(i), i)));
  }
  // Nonce 1 is forgotten; within its session the counter still refuses it.
  EXPECT_FALSE(guard.Accept("s1", Tag(1, 1)));
  EXPECT_FALSE(guard.Accept("s2", Tag(2, 1)));  // nonce 2 is still remembered
  EXPECT_TRUE(guard.Accept("s2", Tag(1, 1)));   // the documented limit of the bound
}

}  // namespace
}  // namespace vigil::net
