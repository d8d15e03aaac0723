// Zone lookup and formatting of app/local_time.h, all through the one lookup of app/zone_lookup.h:
// datetime-local values, the readable form with the zone named, and unknown zones falling back to UTC.
#include "app/local_time.h"

#include <gtest/gtest.h>

#include "support/instant_literal.h"

namespace rapport::app {
namespace {

using rapport::testing::At;

TEST(FormatLocalDateTime, WritesTheWallTimeOfTheZone) {
  const Instant t = At("2026-11-24T15:00:00Z");
  EXPECT_EQ(FormatLocalDateTime(t, "America/New_York"), "2026-11-24T10:00");
  EXPECT_EQ(FormatLocalDateTime(t, "Asia/Kolkata"), "2026-11-24T20:30");
  EXPECT_EQ(FormatLocalDateTime(t, ""), "2026-11-24T15:00");
  EXPECT_EQ(FormatLocalDateTime(t, "Not/AZone"), "2026-11-24T15:00") << "an unknown zone writes UTC";
}

TEST(FormatReadableDateTime, NamesTheZone) {
  const Instant t = At("2026-11-24T15:00:00Z");
  EXPECT_EQ(FormatReadableDateTime(t, "Europe/London"), "Tue 24 Nov 2026, 15:00 (Europe/London)");
  EXPECT_EQ(FormatReadableDateTime(t, "Pacific/Auckland"), "Wed 25 Nov 2026, 04:00 (Pacific/Auckland)");
  const std::string unknown = FormatReadableDateTime(t, "Not/AZone");
  EXPECT_EQ(unknown.substr(0, 24), "Tue 24 Nov 2026, 15:00 (") << unknown;
  EXPECT_NE(unknown.find("UTC"), std::string::npos) << unknown;
}

TEST(ParseLocalDateTime, ReadsInTheZoneAndRejectsUnknownZones) {
  Result<Instant> ny = ParseLocalDateTime("2026-11-24T10:00", "America/New_York", "due");
  ASSERT_TRUE(ny.ok());
  EXPECT_EQ(ny.value(), At("2026-11-24T15:00:00Z"));
  Result<Instant> utc = ParseLocalDateTime("2026-11-24 10:00:30", "", "due");
  ASSERT_TRUE(utc.ok());
  EXPECT_EQ(utc.value(), At("2026-11-24T10:00:30Z"));
  Result<Instant> unknown = ParseLocalDateTime("2026-11-24T10:00", "Not/AZone", "due");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().field_errors().count("due"), 1u);
}

}  // namespace
}  // namespace rapport::app
