// The words of the automatic mail to clients (core/auto_followup_text.h): the promised time in the
// client's zone, across daylight-saving changes and date lines, and the texts with and without a promise.
#include "core/auto_followup_text.h"

#include <gtest/gtest.h>

#include "app/zone_rules_loader.h"
#include "support/instant_literal.h"

namespace rapport {
namespace {

ZoneRules Zone(const std::string& name) {
  Result<ZoneRules> zone = LoadZoneRules(name);
  EXPECT_TRUE(zone.ok()) << name;
  return zone.ok() ? zone.value() : ZoneRules();
}

using rapport::testing::At;

TEST(FormatPromiseTime, SameInstantInSeveralZones) {
  const Instant t = At("2026-11-24T15:00:00Z");
  EXPECT_EQ(FormatPromiseTime(t, Zone("Europe/London")), "Tuesday, November 24, 3:00 PM");
  EXPECT_EQ(FormatPromiseTime(t, Zone("America/New_York")), "Tuesday, November 24, 10:00 AM");
  EXPECT_EQ(FormatPromiseTime(t, Zone("Asia/Kolkata")), "Tuesday, November 24, 8:30 PM");
  // New Zealand summer time (+13): already the next day.
  EXPECT_EQ(FormatPromiseTime(t, Zone("Pacific/Auckland")), "Wednesday, November 25, 4:00 AM");
  EXPECT_EQ(FormatPromiseTime(t, Zone("Pacific/Chatham")), "Wednesday, November 25, 4:45 AM");
  EXPECT_EQ(FormatPromiseTime(t, ZoneRules()), "Tuesday, November 24, 3:00 PM");
}

TEST(FormatPromiseTime, NoonMidnightAndMinutes) {
  const ZoneRules utc;
  EXPECT_EQ(FormatPromiseTime(At("2026-01-01T00:05:00Z"), utc), "Thursday, January 1, 12:05 AM");
  EXPECT_EQ(FormatPromiseTime(At("2026-01-01T12:00:00Z"), utc), "Thursday, January 1, 12:00 PM");
  EXPECT_EQ(FormatPromiseTime(At("2026-12-31T23:59:59Z"), utc), "Thursday, December 31, 11:59 PM");
}

TEST(FormatPromiseTime, UsesTheOffsetInForceOnTheDay) {
  const ZoneRules london = Zone("Europe/London");
  // Clocks go forward at 01:00 UTC on Sunday 29 March 2026: before, GMT; after, BST (+1).
  EXPECT_EQ(FormatPromiseTime(At("2026-03-29T00:30:00Z"), london), "Sunday, March 29, 12:30 AM");
  EXPECT_EQ(FormatPromiseTime(At("2026-03-29T01:30:00Z"), london), "Sunday, March 29, 2:30 AM");
  EXPECT_EQ(FormatPromiseTime(At("2026-03-30T14:00:00Z"), london), "Monday, March 30, 3:00 PM");
  const ZoneRules new_york = Zone("America/New_York");
  // Clocks go back at 06:00 UTC on Sunday 1 November 2026: 1:30 AM happens twice.
  EXPECT_EQ(FormatPromiseTime(At("2026-11-01T05:30:00Z"), new_york), "Sunday, November 1, 1:30 AM");
  EXPECT_EQ(FormatPromiseTime(At("2026-11-01T06:30:00Z"), new_york), "Sunday, November 1, 1:30 AM");
  EXPECT_EQ(FormatPromiseTime(At("2026-11-02T14:00:00Z"), new_york), "Monday, November 2, 9:00 AM");
  // Lord Howe moves by 30 minutes (+11 in summer, +10:30 in winter, from 4 April 2026 at 15:00 UTC).
  const ZoneRules lord_howe = Zone("Australia/Lord_Howe");
  EXPECT_EQ(FormatPromiseTime(At("2026-04-04T14:00:00Z"), lord_howe), "Sunday, April 5, 1:00 AM");
  EXPECT_EQ(FormatPromiseTime(At("2026-04-04T22:00:00Z"), lord_howe), "Sunday, April 5, 8:30 AM");
}

TEST(AcknowledgementText, NamesTheTimeAndTheZone) {
  const std::string text =
      AcknowledgementText(123, "Ada Lovelace", At("2026-11-24T15:00:00Z"), Zone("Europe/London"));
  EXPECT_EQ(text.rfind("Hello Ada Lovelace,\n\n", 0), 0u) << text;
  EXPECT_NE(text.find("We have received your request (#123) and will reply by Tuesday, November 24, 3:00 PM "
                      "(Europe/London time)."),
            std::string::npos)
      << text;
}

TEST(AcknowledgementText, WithoutAPromiseNamesNoTime) {
  const std::string text = AcknowledgementText(7, "", std::nullopt, Zone("America/New_York"));
  EXPECT_EQ(text.rfind("Hello,\n\n", 0), 0u) << text;
  EXPECT_NE(text.find("We have received your request (#7)"), std::string::npos) << text;
  EXPECT_EQ(text.find("reply by"), std::string::npos) << text;
  EXPECT_EQ(text.find("America/New_York"), std::string::npos) << text;
  EXPECT_EQ(text.find(" AM"), std::string::npos) << text;
  EXPECT_EQ(text.find(" PM"), std::string::npos) << text;
}

TEST(NudgeText, FirstChecksInLastWarnsOfClosing) {
  const std::string first = NudgeText(123, "Ada", 1, 2);
  EXPECT_NE(first.find("Just checking in on #123"), std::string::npos) << first;
  EXPECT_EQ(first.find("close"), std::string::npos) << first;
  const std::string last = NudgeText(123, "Ada", 2, 2);
  EXPECT_EQ(last.find("Just checking in"), std::string::npos) << last;
  EXPECT_NE(last.find("#123"), std::string::npos) << last;
  EXPECT_NE(last.find("we will close this request"), std::string::npos) << last;
}

TEST(ClosingNoteText, SaysItIsClosedAndHowToReopen) {
  const std::string text = ClosingNoteText(42, "Ada");
  EXPECT_NE(text.find("closing #42"), std::string::npos) << text;
  EXPECT_NE(text.find("just reply to this email"), std::string::npos) << text;
}

}  // namespace
}  // namespace rapport
