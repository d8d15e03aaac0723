#include "core/time.h"

#include <gtest/gtest.h>

namespace rapport {
namespace {

std::int64_t Parse(std::string_view s) {
  auto t = ParseRfc3339(s);
  EXPECT_TRUE(t.has_value()) << "rejected '" << s << "'";
  return t ? ToUnix(*t) : -1;
}

TEST(FormatRfc3339, WritesUtcWithZ) {
  EXPECT_EQ(FormatRfc3339(InstantFromUnix(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(InstantFromUnix(1'795'359'845)), "2026-11-22T15:04:05Z");
  EXPECT_EQ(FormatRfc3339(InstantFromUnix(1'709'164'800)), "2024-02-29T00:00:00Z");  // leap day
  EXPECT_EQ(FormatRfc3339(InstantFromUnix(-1)), "1969-12-31T23:59:59Z");
}

TEST(FormatBasicUtc, WritesTheIcalendarForm) {
  EXPECT_EQ(FormatBasicUtc(InstantFromUnix(0)), "19700101T000000Z");
  EXPECT_EQ(FormatBasicUtc(InstantFromUnix(1'795'359'845)), "20261122T150405Z");
  EXPECT_EQ(FormatBasicUtc(InstantFromUnix(-1)), "19691231T235959Z");
}

TEST(ParseRfc3339, ReadsZulu) {
  EXPECT_EQ(Parse("2026-11-22T15:04:05Z"), 1'795'359'845);
  EXPECT_EQ(Parse("2026-11-22t15:04:05z"), 1'795'359'845);
  EXPECT_EQ(Parse("2026-11-22 15:04:05Z"), 1'795'359'845);
}

TEST(ParseRfc3339, AppliesNumericOffsets) {
  EXPECT_EQ(Parse("2026-11-22T17:04:05+02:00"), 1'795'359'845);
  EXPECT_EQ(Parse("2026-11-22T09:34:05-05:30"), 1'795'359'845);
  EXPECT_EQ(Parse("2026-11-22T15:04:05+00:00"), 1'795'359'845);
  EXPECT_EQ(Parse("2026-11-22T15:04:05-00:00"), 1'795'359'845);
  // An offset can move the instant to another day.
  EXPECT_EQ(FormatRfc3339(*ParseRfc3339("2026-11-22T01:00:00+03:00")), "2026-11-21T22:00:00Z");
}

TEST(ParseRfc3339, TruncatesFractions) {
  EXPECT_EQ(Parse("2026-11-22T15:04:05.999999Z"), 1'795'359'845);
  EXPECT_EQ(Parse("2026-11-22T15:04:05.1+01:00"), 1'795'359'845 - 3600);
}

TEST(ParseRfc3339, ReadsPlainDatesAsMidnightUtc) {
  EXPECT_EQ(Parse("2026-11-22"), 1'795'305'600);
  EXPECT_EQ(Parse("2024-02-29"), 1'709'164'800);
}

TEST(ParseRfc3339, RoundTripsWithFormat) {
  for (std::int64_t t : {0LL, 1'795'359'845LL, 951'782'400LL, 4'102'444'799LL}) {
    EXPECT_EQ(ToUnix(*ParseRfc3339(FormatRfc3339(InstantFromUnix(t)))), t);
  }
}

TEST(ParseRfc3339, RejectsBadInput) {
  for (const char* bad : {"", "2026", "2026-11", "2026-13-01", "2026-00-10", "2026-02-29", "2026-04-31",
                          "2026-11-22T", "2026-11-22T15:04Z", "2026-11-22T15:04:05", "2026-11-22T24:00:00Z",
                          "2026-11-22T15:60:00Z", "2026-11-22T15:04:61Z", "2026-11-22T15:04:05+0200",
                          "2026-11-22T15:04:05+02", "2026-11-22T15:04:05+24:00", "2026-11-22T15:04:05.Z",
                          "2026-11-22T15:04:05Zjunk", "2026-11-22x", "26-11-22", "2026/11/22",
                          "2026-11-22T15:04:05 Z", "yesterday", "2026-11-22T15:04:05+02:60"}) {
    EXPECT_FALSE(ParseRfc3339(bad).has_value()) << "accepted '" << bad << "'";
  }
}

TEST(ParseRfc3339, NeverReadsPastTheEndOfShortInput) {
  // Prefixes of a valid stamp: each must be rejected or accepted without reading beyond its end
  // (the sanitizer build would catch an overread).
  const std::string full = "2026-11-22T15:04:05.123+02:00";
  for (std::size_t n = 0; n < full.size(); ++n) {
    const std::string prefix = full.substr(0, n);
    auto t = ParseRfc3339(prefix);
    if (n != 10) {
      EXPECT_FALSE(t.has_value()) << prefix;
    }
  }
}

}  // namespace
}  // namespace rapport
