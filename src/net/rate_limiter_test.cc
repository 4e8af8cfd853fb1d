#include "vigil/net/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace vigil::net {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

TEST(RateLimiterTest, ABurstPassesThenTheNextWaitsForItsToken) {
  RateLimiter limiter(/*per_second=*/2, /*burst=*/3);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.RetryAfter("10.0.0.1", 0), 0) << i;
  EXPECT_EQ(limiter.RetryAfter("10.0.0.1", 0), 1);
  EXPECT_EQ(limiter.RetryAfter("10.0.0.1", kSecond / 4), 1);  // half a token so far
  EXPECT_EQ(limiter.RetryAfter("10.0.0.1", kSecond / 2), 0);  // a whole one
  EXPECT_EQ(limiter.RetryAfter("10.0.0.1", kSecond / 2), 1);
}

TEST(RateLimiterTest, RetryAfterIsTheWholeSecondsUntilTheNextToken) {
  RateLimiter slow(/*per_second=*/0.1, /*burst=*/1);
  EXPECT_EQ(slow.RetryAfter("token:ci", 0), 0);
  EXPECT_EQ(slow.RetryAfter("token:ci", 0), 10);
  EXPECT_EQ(slow.RetryAfter("token:ci", 5 * kSecond), 5);
  EXPECT_EQ(slow.RetryAfter("token:ci", 10 * kSecond), 0);
}

TEST(RateLimiterTest, KeysHaveTheirOwnBucketsAndAFullBucketIsTheCap) {
  RateLimiter limiter(1, 2);
  EXPECT_EQ(limiter.RetryAfter("a", 0), 0);
  EXPECT_EQ(limiter.RetryAfter("a", 0), 0);
  EXPECT_GT(limiter.RetryAfter("a", 0), 0);
  EXPECT_EQ(limiter.RetryAfter("b", 0), 0);  // a's flood costs b nothing
  // An hour idle refills to the burst, not to 3600 tokens.
  EXPECT_EQ(limiter.RetryAfter("a", 3600 * kSecond), 0);
  EXPECT_EQ(limiter.RetryAfter("a", 3600 * kSecond), 0);
  EXPECT_GT(limiter.RetryAfter("a", 3600 * kSecond), 0);
}

TEST(RateLimiterTest, AClockGoingBackGivesNoTokens) {
  RateLimiter limiter(1, 1);
  EXPECT_EQ(limiter.RetryAfter("a", 100 * kSecond), 0);
  EXPECT_GT(limiter.RetryAfter("a", 0), 0);
  EXPECT_GT(limiter.RetryAfter("a", 50 * kSecond), 0);  // not 50 s after the step back
  EXPECT_GT(limiter.RetryAfter("a", 100 * kSecond), 0);
  EXPECT_EQ(limiter.RetryAfter("a", 101 * kSecond), 0);  // a second after the token was taken
}

TEST(RateLimiterTest, ForgetsTheKeySeenLongestAgoWhenFull) {
  RateLimiter limiter(1, 1, /*max_keys=*/2);
  EXPECT_EQ(limiter.RetryAfter("a", 0), 0);
  EXPECT_EQ(limiter.RetryAfter("b", 0), 0);
  EXPECT_GT(limiter.RetryAfter("a", 0), 0);  // a is now the most recent, b the oldest
  EXPECT_EQ(limiter.RetryAfter("c", 0), 0);  // b forgotten
  EXPECT_EQ(limiter.tracked_keys(), 2u);
  EXPECT_GT(limiter.RetryAfter("a", 0), 0);  // a kept its empty bucket
  EXPECT_EQ(limiter.RetryAfter("b", 0), 0);  // b starts again full; c is forgotten now
  EXPECT_EQ(limiter.tracked_keys(), 2u);
}

TEST(RateLimiterTest, AFloodFromManyAddressesKeepsMemoryBounded) {
  RateLimiter limiter(1, 1, /*max_keys=*/64);
  for (int i = 0; i < 10'000; ++i) {
    EXPECT_EQ(limiter.RetryAfter("192.0.2." + std::to_string(i), 0), 0);
  }
  EXPECT_EQ(limiter.tracked_keys(), 64u);
}

TEST(RateLimiterTest, ConcurrentCallersShareOneBucketExactly) {
  RateLimiter limiter(1, 100);
  std::atomic<int> passed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        if (limiter.RetryAfter("shared", 0) == 0) ++passed;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(passed.load(), 100);
}

}  // namespace
}  // namespace vigil::net
