// Business-hours arithmetic with expectations worked out by hand (UTC offsets and transition
// instants of 2026 from the tz database: New York 8 Mar 07:00Z and 1 Nov 06:00Z, London 29 Mar and
// 25 Oct 01:00Z, Lord Howe 4 Apr 15:00Z and 3 Oct 15:30Z, Chatham 4 Apr and 26 Sep 14:00Z).
// The property test (business_calendar_property_test.cc) compares against a minute-by-minute
// reference on random calendars.

#include "core/business_calendar.h"

#include <gtest/gtest.h>

#include "support/instant_literal.h"

#include "app/zone_rules_loader.h"
#include "core/business_hours.h"
#include "core/time.h"

namespace rapport {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

using rapport::testing::At;

ZoneRules Zone(const char* name) {
  Result<ZoneRules> zone = LoadZoneRules(name);
  EXPECT_TRUE(zone.ok()) << name;
  return zone.ok() ? zone.value() : ZoneRules();
}

BusinessCalendar Calendar(std::vector<WorkingInterval> week, std::vector<Holiday> holidays = {},
                          ZoneRules zone = ZoneRules()) {
  Result<BusinessCalendar> calendar = BusinessCalendar::Make(std::move(week), std::move(holidays), std::move(zone));
  EXPECT_TRUE(calendar.ok()) << calendar.status().ToString();
  return calendar.ok() ? calendar.value() : BusinessCalendar::AlwaysOpen();
}

std::vector<WorkingInterval> Weekdays(int start_minute, int end_minute) {
  std::vector<WorkingInterval> week;
  for (int d = 1; d <= 5; ++d) week.push_back({d, start_minute, end_minute});
  return week;
}

// Monday to Friday 09:00-12:00 and 13:00-17:00 in New York.
BusinessCalendar NewYorkWithLunch(std::vector<Holiday> holidays = {}) {
  std::vector<WorkingInterval> week = Weekdays(9 * 60, 12 * 60);
  for (const WorkingInterval& afternoon : Weekdays(13 * 60, 17 * 60)) week.push_back(afternoon);
  return Calendar(std::move(week), std::move(holidays), Zone("America/New_York"));
}

// One interval on Sundays, to look at a transition night.
BusinessCalendar Sundays(int start_minute, int end_minute, const char* zone) {
  return Calendar({{0, start_minute, end_minute}}, {}, Zone(zone));
}

std::optional<Instant> Due(const BusinessCalendar& c, const char* from, seconds amount) {
  return c.Add(At(from), amount);
}

TEST(ZoneRules, DefaultIsUtc) {
  const ZoneRules utc;
  EXPECT_EQ(utc.OffsetAt(At("2026-11-23T12:00:00Z")), seconds(0));
  EXPECT_EQ(utc.spans().size(), 1U);
  EXPECT_EQ(utc.SpanEnd(0), Instant::max());
}

TEST(ZoneRules, FindsTheSpanByBinarySearchAndAppliesTheFirstBeforeItsBegin) {
  const ZoneRules z("test", {{At("2026-01-01T00:00:00Z"), hours(1)},
                             {At("2026-06-01T00:00:00Z"), hours(2)},
                             {At("2026-09-01T00:00:00Z"), hours(1)}});
  EXPECT_EQ(z.OffsetAt(At("1999-01-01T00:00:00Z")), hours(1));
  EXPECT_EQ(z.OffsetAt(At("2026-05-31T23:59:59Z")), hours(1));
  EXPECT_EQ(z.OffsetAt(At("2026-06-01T00:00:00Z")), hours(2));
  EXPECT_EQ(z.OffsetAt(At("2026-09-01T00:00:00Z")), hours(1));
  EXPECT_EQ(z.SpanIndexAt(At("2026-07-01T00:00:00Z")), 1U);
  EXPECT_EQ(z.SpanEnd(1), At("2026-09-01T00:00:00Z"));
  EXPECT_EQ(z.SpanIndexAt(At("2030-01-01T00:00:00Z")), 2U);
  EXPECT_EQ(z.SpanEnd(2), Instant::max());
}

TEST(ZoneRules, MergesEqualNeighboursSortsAndNeverIsEmpty) {
  const ZoneRules z("test", {{At("2026-06-01T00:00:00Z"), hours(2)},
                             {At("2026-01-01T00:00:00Z"), hours(1)},
                             {At("2026-03-01T00:00:00Z"), hours(1)}});
  ASSERT_EQ(z.spans().size(), 2U);
  EXPECT_EQ(z.spans()[0], (OffsetSpan{At("2026-01-01T00:00:00Z"), hours(1)}));
  EXPECT_EQ(z.spans()[1], (OffsetSpan{At("2026-06-01T00:00:00Z"), hours(2)}));
  const ZoneRules empty("empty", {});
  EXPECT_EQ(empty.spans().size(), 1U);
  EXPECT_EQ(empty.OffsetAt(At("2026-06-01T00:00:00Z")), seconds(0));
  EXPECT_EQ(ZoneRules::Fixed("IST", hours(5) + minutes(30)).OffsetAt(Instant{}), hours(5) + minutes(30));
}

TEST(LoadZoneRules, ReadsTheTzDatabase) {
  const ZoneRules ny = Zone("America/New_York");
  EXPECT_EQ(ny.name(), "America/New_York");
  EXPECT_EQ(ny.OffsetAt(At("2026-03-08T06:59:59Z")), hours(-5));
  EXPECT_EQ(ny.OffsetAt(At("2026-03-08T07:00:00Z")), hours(-4));
  EXPECT_EQ(ny.OffsetAt(At("2026-11-01T05:59:59Z")), hours(-4));
  EXPECT_EQ(ny.OffsetAt(At("2026-11-01T06:00:00Z")), hours(-5));
  EXPECT_EQ(Zone("Pacific/Chatham").OffsetAt(At("2026-07-01T00:00:00Z")), hours(12) + minutes(45));
  EXPECT_EQ(Zone("Asia/Kolkata").OffsetAt(At("2026-07-01T00:00:00Z")), hours(5) + minutes(30));
  // The cache answers the second call with the same rules.
  EXPECT_EQ(Zone("America/New_York").spans(), ny.spans());
}

TEST(LoadZoneRules, RejectsUnknownZonesOnTheTimeZoneField) {
  for (const char* bad : {"Mars/Olympus_Mons", "", "america/new_york", "../../etc/passwd"}) {
    const Result<ZoneRules> zone = LoadZoneRules(bad);
    ASSERT_FALSE(zone.ok()) << bad;
    EXPECT_EQ(zone.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(zone.status().field_errors().count("time_zone"), 1U) << bad;
  }
  EXPECT_FALSE(LoadZoneRules(std::string(5000, 'x')).ok());
}

TEST(PersonCalendar, UsesTheirHoursAndZoneOrWeekdaysNineToFive) {
  User user;
  user.time_zone = "Europe/London";
  const Result<BusinessCalendar> usual = PersonCalendar(user, {});
  ASSERT_TRUE(usual.ok()) << usual.status().ToString();
  EXPECT_EQ(usual->hours(), Weekdays(9 * 60, 17 * 60));
  // Monday 23 Nov 2026 in London (GMT): 09:00-17:00 is 8 hours.
  EXPECT_EQ(usual->Between(At("2026-11-23T00:00:00Z"), At("2026-11-24T00:00:00Z")), hours(8));

  user.working_hours = {{2, 10 * 60, 14 * 60}};
  user.time_zone = "Asia/Kolkata";
  const Result<BusinessCalendar> own = PersonCalendar(user, {{2026, 11, 24, "day off"}});
  ASSERT_TRUE(own.ok());
  // Tuesday the 24th is off, so the 4 hours are Tuesday 1 Dec 10:00-14:00 IST.
  EXPECT_EQ(own->Add(At("2026-11-23T12:00:00+05:30"), hours(4)), At("2026-12-01T14:00:00+05:30"));

  user.time_zone = "Nowhere/Special";
  EXPECT_EQ(PersonCalendar(user, {}).status().field_errors().count("time_zone"), 1U);
}

TEST(BusinessCalendar, AddsWithinADayAndIntoTheNext) {
  const BusinessCalendar c = Calendar(Weekdays(9 * 60, 17 * 60));  // UTC
  EXPECT_EQ(Due(c, "2026-11-23T10:00:00Z", hours(4)), At("2026-11-23T14:00:00Z"));
  EXPECT_EQ(Due(c, "2026-11-23T15:00:00Z", hours(4)), At("2026-11-24T11:00:00Z"));
  // Ending exactly at the close gives the close, not the next opening.
  EXPECT_EQ(Due(c, "2026-11-23T09:00:00Z", hours(8)), At("2026-11-23T17:00:00Z"));
  // Before opening: the clock starts at 09:00.
  EXPECT_EQ(Due(c, "2026-11-23T03:00:00Z", seconds(90)), At("2026-11-23T09:01:30Z"));
  EXPECT_EQ(c.Between(At("2026-11-23T10:00:00Z"), At("2026-11-24T11:00:00Z")), hours(9));
  EXPECT_EQ(c.Between(At("2026-11-23T10:00:00Z"), At("2026-11-23T10:00:07Z")), seconds(7));
}

TEST(BusinessCalendar, SkipsTheLunchBreak) {
  const BusinessCalendar c = NewYorkWithLunch();
  EXPECT_EQ(Due(c, "2026-11-23T11:00:00-05:00", hours(2)), At("2026-11-23T14:00:00-05:00"));
  EXPECT_EQ(Due(c, "2026-11-23T12:30:00-05:00", hours(1)), At("2026-11-23T14:00:00-05:00"));
  EXPECT_EQ(Due(c, "2026-11-23T11:00:00-05:00", hours(1)), At("2026-11-23T12:00:00-05:00"));
  EXPECT_EQ(c.Between(At("2026-11-23T11:00:00-05:00"), At("2026-11-23T14:00:00-05:00")), hours(2));
  EXPECT_EQ(c.Between(At("2026-11-23T00:00:00-05:00"), At("2026-11-24T00:00:00-05:00")), hours(7));
}

TEST(BusinessCalendar, SkipsTheWeekend) {
  const BusinessCalendar c = NewYorkWithLunch();
  EXPECT_EQ(Due(c, "2026-11-20T16:00:00-05:00", hours(2)), At("2026-11-23T10:00:00-05:00"));
  EXPECT_EQ(c.Between(At("2026-11-20T16:00:00-05:00"), At("2026-11-23T10:00:00-05:00")), hours(2));
  // A whole week holds 5 x 7 hours.
  EXPECT_EQ(c.Between(At("2026-11-23T00:00:00-05:00"), At("2026-11-30T00:00:00-05:00")), hours(35));
}

TEST(BusinessCalendar, AddOfZeroAndEmptyRanges) {
  const BusinessCalendar c = NewYorkWithLunch();
  const Instant saturday = At("2026-11-21T03:00:00-05:00");
  EXPECT_EQ(c.Add(saturday, seconds(0)), saturday);
  EXPECT_EQ(c.Add(saturday, seconds(-1)), std::nullopt);
  EXPECT_EQ(c.Between(At("2026-11-23T14:00:00-05:00"), At("2026-11-23T10:00:00-05:00")), seconds(0));
  EXPECT_EQ(c.Between(At("2026-11-23T10:00:00-05:00"), At("2026-11-23T10:00:00-05:00")), seconds(0));
}

TEST(BusinessCalendar, OneOffAndYearlyHolidays) {
  const BusinessCalendar c = NewYorkWithLunch({{2026, 11, 26, "Thanksgiving"}, {0, 12, 25, "Christmas"},
                                               {0, 2, 29, "Leap day"}});
  // Thursday 26 Nov 2026 is off.
  EXPECT_EQ(Due(c, "2026-11-25T16:00:00-05:00", hours(2)), At("2026-11-27T10:00:00-05:00"));
  EXPECT_FALSE(c.IsOpen(At("2026-11-26T10:00:00-05:00")));
  // Thanksgiving was one-off: Thursday 25 Nov 2027 is a working day.
  EXPECT_TRUE(c.IsOpen(At("2027-11-25T10:00:00-05:00")));
  // Christmas is yearly: Friday 25 Dec 2026 off, then the weekend.
  EXPECT_EQ(Due(c, "2026-12-24T16:00:00-05:00", hours(2)), At("2026-12-28T10:00:00-05:00"));
  EXPECT_FALSE(c.IsOpen(At("2031-12-25T10:00:00-05:00")));  // a Thursday
  // Leap day: Tuesday 29 Feb 2028 is off.
  EXPECT_EQ(Due(c, "2028-02-28T16:00:00-05:00", hours(2)), At("2028-03-01T10:00:00-05:00"));
  // In 2027 there is no 29 Feb, and Monday 1 Mar is a working day.
  EXPECT_EQ(Due(c, "2027-02-26T16:00:00-05:00", hours(2)), At("2027-03-01T10:00:00-05:00"));
}

TEST(BusinessCalendar, OvernightIntervalAndAHolidayOnItsMorning) {
  const std::vector<WorkingInterval> friday_night = {{5, 22 * 60, 6 * 60}};
  const BusinessCalendar plain = Calendar(friday_night);
  EXPECT_EQ(plain.Between(At("2026-11-27T21:00:00Z"), At("2026-11-28T07:00:00Z")), hours(8));
  EXPECT_TRUE(plain.IsOpen(At("2026-11-28T05:59:59Z")));
  EXPECT_FALSE(plain.IsOpen(At("2026-11-28T06:00:00Z")));
  EXPECT_EQ(Due(plain, "2026-11-27T23:00:00Z", hours(2)), At("2026-11-28T01:00:00Z"));

  // Saturday 28 Nov off: only Friday's 22:00-24:00 is left of that night.
  const BusinessCalendar saturday_off = Calendar(friday_night, {{2026, 11, 28, "off"}});
  EXPECT_EQ(saturday_off.Between(At("2026-11-27T21:00:00Z"), At("2026-11-28T07:00:00Z")), hours(2));
  EXPECT_EQ(Due(saturday_off, "2026-11-27T23:00:00Z", hours(2)), At("2026-12-04T23:00:00Z"));
  // Friday 27 Nov off: Saturday's 00:00-06:00 is still worked.
  const BusinessCalendar friday_off = Calendar(friday_night, {{2026, 11, 27, "off"}});
  EXPECT_EQ(friday_off.Between(At("2026-11-27T21:00:00Z"), At("2026-11-28T07:00:00Z")), hours(6));
  EXPECT_EQ(friday_off.NextOpen(At("2026-11-27T21:00:00Z")), At("2026-11-28T00:00:00Z"));
}

TEST(BusinessCalendar, WholeDays) {
  const BusinessCalendar c = Calendar({{6, 0, 1440}, {0, 0, 1440}, {5, 9 * 60, 17 * 60}});
  EXPECT_EQ(c.Between(At("2026-11-28T00:00:00Z"), At("2026-11-30T00:00:00Z")), hours(48));
  // Friday 12:00-17:00 is 5 hours, Saturday 24, Sunday 1.
  EXPECT_EQ(Due(c, "2026-11-27T12:00:00Z", hours(30)), At("2026-11-29T01:00:00Z"));
  EXPECT_TRUE(c.IsOpen(At("2026-11-29T23:59:59Z")));
  EXPECT_FALSE(c.IsOpen(At("2026-11-30T00:00:00Z")));
}

TEST(BusinessCalendar, OverlappingAndTouchingIntervalsCountOnce) {
  const BusinessCalendar c = Calendar({{1, 9 * 60, 13 * 60}, {1, 11 * 60, 17 * 60}, {1, 10 * 60, 12 * 60},
                                       {2, 9 * 60, 12 * 60}, {2, 12 * 60, 17 * 60}});
  EXPECT_EQ(c.Between(At("2026-11-23T00:00:00Z"), At("2026-11-24T00:00:00Z")), hours(8));
  EXPECT_EQ(c.Between(At("2026-11-24T00:00:00Z"), At("2026-11-25T00:00:00Z")), hours(8));
  EXPECT_EQ(Due(c, "2026-11-24T11:00:00Z", hours(2)), At("2026-11-24T13:00:00Z"));
  // An overnight interval overlapping the next day's morning.
  const BusinessCalendar night = Calendar({{1, 20 * 60, 8 * 60}, {2, 7 * 60, 9 * 60}});
  EXPECT_EQ(night.Between(At("2026-11-23T00:00:00Z"), At("2026-11-25T00:00:00Z")), hours(13));
}

TEST(BusinessCalendar, NewYorkSpringForwardSkipsTheMissingHour) {
  // Sunday 8 Mar 2026: 01:00-02:00 EST is 06:00-07:00Z, then the clocks jump to 03:00 EDT.
  const BusinessCalendar one_to_three = Sundays(60, 180, "America/New_York");
  EXPECT_EQ(one_to_three.Between(At("2026-03-08T00:00:00Z"), At("2026-03-09T00:00:00Z")), hours(1));
  EXPECT_EQ(Due(one_to_three, "2026-03-08T06:30:00Z", hours(1)), At("2026-03-15T01:30:00-04:00"));
  const BusinessCalendar one_to_four = Sundays(60, 240, "America/New_York");
  EXPECT_EQ(one_to_four.Between(At("2026-03-08T00:00:00Z"), At("2026-03-09T00:00:00Z")), hours(2));
  EXPECT_EQ(Due(one_to_four, "2026-03-08T06:30:00Z", hours(1)), At("2026-03-08T07:30:00Z"));
  EXPECT_EQ(one_to_four.NextOpen(At("2026-03-08T05:00:00Z")), At("2026-03-08T06:00:00Z"));
}

TEST(BusinessCalendar, NewYorkFallBackCountsTheRepeatedHourTwice) {
  // Sunday 1 Nov 2026: 01:00-02:00 EDT is 05:00-06:00Z, then 01:00-03:00 EST is 06:00-08:00Z.
  const BusinessCalendar c = Sundays(60, 180, "America/New_York");
  EXPECT_EQ(c.Between(At("2026-11-01T00:00:00Z"), At("2026-11-02T00:00:00Z")), hours(3));
  EXPECT_EQ(Due(c, "2026-11-01T04:00:00Z", minutes(150)), At("2026-11-01T07:30:00Z"));
  EXPECT_TRUE(c.IsOpen(At("2026-11-01T05:30:00Z")));
  EXPECT_TRUE(c.IsOpen(At("2026-11-01T06:30:00Z")));
  EXPECT_FALSE(c.IsOpen(At("2026-11-01T08:00:00Z")));
  EXPECT_FALSE(c.IsOpen(At("2026-11-01T04:59:59Z")));
}

TEST(BusinessCalendar, LondonTransitions) {
  // Sunday 29 Mar 2026 at 01:00Z: 01:00 GMT becomes 02:00 BST. 00:30-02:30 local holds an hour.
  const BusinessCalendar spring = Sundays(30, 150, "Europe/London");
  EXPECT_EQ(spring.Between(At("2026-03-28T12:00:00Z"), At("2026-03-29T12:00:00Z")), hours(1));
  EXPECT_EQ(Due(spring, "2026-03-29T00:45:00Z", minutes(30)), At("2026-03-29T01:15:00Z"));
  // Sunday 25 Oct 2026 at 01:00Z: 02:00 BST becomes 01:00 GMT. 01:00-03:00 local holds 3 hours.
  const BusinessCalendar autumn = Sundays(60, 180, "Europe/London");
  EXPECT_EQ(autumn.Between(At("2026-10-24T12:00:00Z"), At("2026-10-25T12:00:00Z")), hours(3));
  EXPECT_EQ(Due(autumn, "2026-10-24T12:00:00Z", hours(3)), At("2026-10-25T03:00:00Z"));
}

TEST(BusinessCalendar, LordHoweHalfHourShift) {
  // Sunday 5 Apr 2026: 02:00 +11:00 becomes 01:30 +10:30 (15:00Z); 01:00-03:00 holds 2.5 hours.
  const BusinessCalendar c = Sundays(60, 180, "Australia/Lord_Howe");
  EXPECT_EQ(c.Between(At("2026-04-04T00:00:00Z"), At("2026-04-05T00:00:00Z")), minutes(150));
  EXPECT_EQ(Due(c, "2026-04-04T14:00:00Z", hours(2)), At("2026-04-05T02:30:00+10:30"));
  // Sunday 4 Oct 2026: 02:00 +10:30 becomes 02:30 +11:00 (15:30Z); 01:00-03:00 holds 1.5 hours.
  EXPECT_EQ(c.Between(At("2026-10-03T00:00:00Z"), At("2026-10-04T00:00:00Z")), minutes(90));
  EXPECT_TRUE(c.IsOpen(At("2026-10-03T15:29:59Z")));  // 01:59:59 +10:30
  EXPECT_EQ(c.Between(At("2026-10-03T15:30:00Z"), At("2026-10-03T17:00:00Z")), minutes(30));
  EXPECT_FALSE(c.IsOpen(At("2026-10-04T03:00:00+11:00")));
}

TEST(BusinessCalendar, ChathamQuarterHourOffsets) {
  // Sunday 5 Apr 2026: 03:45 +13:45 becomes 02:45 +12:45 (14:00Z); 02:00-04:00 holds 3 hours.
  const BusinessCalendar c = Sundays(120, 240, "Pacific/Chatham");
  EXPECT_EQ(c.Between(At("2026-04-04T00:00:00Z"), At("2026-04-05T00:00:00Z")), hours(3));
  // Sunday 27 Sep 2026: 02:45 +12:45 becomes 03:45 +13:45 (14:00Z); 02:00-04:00 holds 1 hour.
  EXPECT_EQ(c.Between(At("2026-09-26T00:00:00Z"), At("2026-09-27T00:00:00Z")), hours(1));
  EXPECT_EQ(Due(c, "2026-09-26T13:30:00Z", minutes(40)), At("2026-09-27T03:55:00+13:45"));
  const BusinessCalendar weekdays = Calendar(Weekdays(9 * 60, 17 * 60), {}, Zone("Pacific/Chatham"));
  EXPECT_EQ(Due(weekdays, "2026-11-23T09:00:00+13:45", hours(4)), At("2026-11-23T13:00:00+13:45"));
}

TEST(BusinessCalendar, NoHoursAtAllNeverComesDue) {
  const BusinessCalendar none = Calendar({});
  const Instant t = At("2026-11-23T10:00:00Z");
  EXPECT_EQ(none.Add(t, seconds(1)), std::nullopt);
  EXPECT_EQ(none.Add(t, seconds(0)), t);
  EXPECT_EQ(none.NextOpen(t), std::nullopt);
  EXPECT_FALSE(none.IsOpen(t));
  EXPECT_EQ(none.Between(t, t + hours(24 * 365)), seconds(0));
}

TEST(BusinessCalendar, EveryDayAHolidayNeverComesDue) {
  std::vector<Holiday> every_day;
  for (unsigned m = 1; m <= 12; ++m) {
    for (unsigned d = 1; std::chrono::year_month_day(std::chrono::year{2000}, std::chrono::month{m},
                                                     std::chrono::day{d}).ok();
         ++d) {
      every_day.push_back({0, int(m), int(d), "off"});
    }
  }
  ASSERT_EQ(every_day.size(), 366U);
  const BusinessCalendar c = Calendar({{0, 0, 1440}, {1, 9 * 60, 17 * 60}}, every_day, Zone("Europe/London"));
  EXPECT_EQ(c.Add(At("2026-11-23T10:00:00Z"), hours(1)), std::nullopt);
  EXPECT_EQ(c.NextOpen(At("2026-11-23T10:00:00Z")), std::nullopt);
  EXPECT_FALSE(c.IsOpen(At("2026-11-23T10:00:00Z")));
}

TEST(BusinessCalendar, NextOpenAndIsOpen) {
  const BusinessCalendar c = NewYorkWithLunch();
  EXPECT_EQ(c.NextOpen(At("2026-11-21T10:00:00-05:00")), At("2026-11-23T09:00:00-05:00"));
  EXPECT_EQ(c.NextOpen(At("2026-11-23T12:15:00-05:00")), At("2026-11-23T13:00:00-05:00"));
  EXPECT_EQ(c.NextOpen(At("2026-11-23T10:15:00-05:00")), At("2026-11-23T10:15:00-05:00"));
  EXPECT_EQ(c.NextOpen(At("2026-11-23T17:00:00-05:00")), At("2026-11-24T09:00:00-05:00"));
  EXPECT_TRUE(c.IsOpen(At("2026-11-23T09:00:00-05:00")));
  EXPECT_TRUE(c.IsOpen(At("2026-11-23T11:59:59-05:00")));
  EXPECT_FALSE(c.IsOpen(At("2026-11-23T12:00:00-05:00")));
  EXPECT_FALSE(c.IsOpen(At("2026-11-23T17:00:00-05:00")));
  EXPECT_FALSE(c.IsOpen(At("2026-11-22T10:00:00-05:00")));  // Sunday
}

TEST(BusinessCalendar, AlwaysOpenIsRealTime) {
  const BusinessCalendar c = BusinessCalendar::AlwaysOpen();
  const Instant t = At("2026-11-21T03:17:00Z");
  EXPECT_EQ(c.Add(t, hours(100)), t + hours(100));
  EXPECT_EQ(c.Between(t, t + hours(100)), hours(100));
  EXPECT_TRUE(c.IsOpen(t));
}

TEST(BusinessCalendar, ExtremeInstantsDoNotOverflow) {
  const BusinessCalendar c = NewYorkWithLunch();
  EXPECT_EQ(c.Add(Instant::max(), hours(1)), std::nullopt);
  EXPECT_EQ(c.Add(Instant::min(), hours(1)), std::nullopt);
  EXPECT_EQ(c.NextOpen(Instant::max()), std::nullopt);
  EXPECT_FALSE(c.IsOpen(Instant::min()));
  // 1 Jan of the year 1 was a Monday; New York (EST before 1900 too) works 5 x 7 hours that week.
  EXPECT_EQ(c.Between(Instant::min(), At("0001-01-08T00:00:00Z")), hours(35));
  EXPECT_EQ(c.Add(At("2026-11-23T10:00:00Z"), seconds::max()), std::nullopt);
}

TEST(BusinessCalendar, MakeRejectsBadHours) {
  const std::vector<std::vector<WorkingInterval>> bad = {
      {{7, 540, 1020}}, {{-1, 540, 1020}}, {{1, 1440, 1020}}, {{1, -5, 1020}},
      {{1, 540, 0}},    {{1, 540, 1441}},  {{1, 600, 600}},   {{1, 0, 0}}};
  for (const auto& week : bad) {
    const Result<BusinessCalendar> c = BusinessCalendar::Make(week, {}, ZoneRules());
    ASSERT_FALSE(c.ok()) << week[0].weekday << " " << week[0].start_minute << " " << week[0].end_minute;
    EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(c.status().field_errors().count("hours"), 1U);
  }
  EXPECT_TRUE(BusinessCalendar::Make({{0, 0, 1440}, {6, 1439, 1}, {3, 0, 1}}, {}, ZoneRules()).ok());
  const std::vector<WorkingInterval> too_many(kMaxWeeklyIntervals + 1, WorkingInterval{1, 540, 1020});
  EXPECT_EQ(BusinessCalendar::Make(too_many, {}, ZoneRules()).status().field_errors().count("hours"), 1U);
}

TEST(BusinessCalendar, MakeRejectsBadHolidays) {
  const std::vector<Holiday> bad = {{2026, 13, 1, ""}, {2026, 0, 1, ""},   {2026, 2, 30, ""}, {2027, 2, 29, ""},
                                    {0, 4, 31, ""},    {-1, 1, 1, ""},     {2026, 1, 0, ""},  {10000, 1, 1, ""},
                                    {2026, 1, 300, ""}, {2026, -3, 1, ""}};
  for (const Holiday& h : bad) {
    const Result<BusinessCalendar> c = BusinessCalendar::Make(Weekdays(540, 1020), {h}, ZoneRules());
    ASSERT_FALSE(c.ok()) << h.year << "-" << h.month << "-" << h.day;
    EXPECT_EQ(c.status().field_errors().count("holidays"), 1U);
  }
  EXPECT_TRUE(BusinessCalendar::Make(Weekdays(540, 1020), {{0, 2, 29, ""}, {2028, 2, 29, ""}}, ZoneRules()).ok());
  // Both fields at once.
  const Result<BusinessCalendar> both = BusinessCalendar::Make({{9, 0, 1}}, {{2026, 13, 1, ""}}, ZoneRules());
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.status().field_errors().size(), 2U);
}

}  // namespace
}  // namespace rapport
