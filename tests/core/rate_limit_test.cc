#include "core/rate_limit.h"

#include <gtest/gtest.h>

namespace rapport {
namespace {

using std::chrono::seconds;

const Instant kStart = InstantFromUnix(1'800'000'000);

TEST(RateLimiter, AllowsUpToTheLimitWithinTheWindow) {
  RateLimiter limiter(3, seconds(60));
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(limiter.Exceeded("ann", kStart + seconds(i)));
    limiter.Record("ann", kStart + seconds(i));
  }
  EXPECT_TRUE(limiter.Exceeded("ann", kStart + seconds(3)));
}

TEST(RateLimiter, KeysAreIndependent) {
  RateLimiter limiter(1, seconds(60));
  limiter.Record("ann", kStart);
  EXPECT_TRUE(limiter.Exceeded("ann", kStart));
  EXPECT_FALSE(limiter.Exceeded("bob", kStart));
}

TEST(RateLimiter, EventsExpireAfterTheWindow) {
  RateLimiter limiter(2, seconds(60));
  limiter.Record("k", kStart);
  limiter.Record("k", kStart + seconds(30));
  EXPECT_TRUE(limiter.Exceeded("k", kStart + seconds(59)));
  // The first event leaves the window exactly `window` after it happened.
  EXPECT_FALSE(limiter.Exceeded("k", kStart + seconds(60)));
  limiter.Record("k", kStart + seconds(60));
  EXPECT_TRUE(limiter.Exceeded("k", kStart + seconds(61)));
  EXPECT_FALSE(limiter.Exceeded("k", kStart + seconds(121)));
}

TEST(RateLimiter, SlidingNotFixedWindow) {
  RateLimiter limiter(2, seconds(10));
  limiter.Record("k", kStart + seconds(9));
  limiter.Record("k", kStart + seconds(11));
  // A fixed window [10, 20) would hold only one event at 12; a sliding one holds both.
  EXPECT_TRUE(limiter.Exceeded("k", kStart + seconds(12)));
  EXPECT_FALSE(limiter.Exceeded("k", kStart + seconds(19)));
}

TEST(RateLimiter, ResetForgetsAKey) {
  RateLimiter limiter(1, seconds(60));
  limiter.Record("k", kStart);
  limiter.Reset("k");
  EXPECT_FALSE(limiter.Exceeded("k", kStart));
}

}  // namespace
}  // namespace rapport
