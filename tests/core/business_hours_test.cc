#include "core/business_hours.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace rapport {
namespace {

using ::testing::HasSubstr;

TEST(BusinessHoursTest, UnsetHoursMeanMondayToFridayNineToFive) {
  Workspace w;
  const std::vector<WorkingInterval> hours = EffectiveBusinessHours(w);
  ASSERT_EQ(hours.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(hours[static_cast<std::size_t>(i)], (WorkingInterval{i + 1, 540, 1020}));
  EXPECT_EQ(DescribeHours(hours), "Mon 09:00-17:00, Tue 09:00-17:00, Wed 09:00-17:00, Thu 09:00-17:00, Fri 09:00-17:00");
}

TEST(BusinessHoursTest, SetHoursAreUsedAsTheyAre) {
  Workspace w;
  w.business_hours = {{6, 600, 840}};
  EXPECT_EQ(EffectiveBusinessHours(w), w.business_hours);
}

TEST(BusinessHoursTest, ValidatesTheCalendarsRules) {
  EXPECT_TRUE(ValidateWorkingIntervals({{1, 540, 750}, {1, 810, 1050}}, "hours").ok());
  EXPECT_TRUE(ValidateWorkingIntervals({{5, 1320, 360}}, "hours").ok()) << "overnight";
  EXPECT_TRUE(ValidateWorkingIntervals({{0, 0, 1440}}, "hours").ok()) << "whole day";
  EXPECT_TRUE(ValidateWorkingIntervals({}, "hours").ok());
  for (const WorkingInterval& bad : std::vector<WorkingInterval>{
           {7, 540, 600}, {-1, 540, 600}, {1, -1, 600}, {1, 1440, 600}, {1, 540, 0}, {1, 540, 1441}, {1, 600, 600}}) {
    Status s = ValidateWorkingIntervals({{1, 540, 600}, bad}, "hours");
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad.weekday << " " << bad.start_minute << "-" << bad.end_minute;
    EXPECT_EQ(s.field_errors().count("hours"), 1u);
  }
  std::vector<WorkingInterval> many(kMaxWeeklyIntervals + 1, WorkingInterval{1, 540, 600});
  EXPECT_THAT(ValidateWorkingIntervals(many, "hours").message(), HasSubstr("at most"));
}

TEST(BusinessHoursTest, ValidatesHolidayDates) {
  EXPECT_TRUE(ValidateHolidayDate({0, 12, 25, "Christmas"}).ok());
  EXPECT_TRUE(ValidateHolidayDate({0, 2, 29, "Leap day"}).ok()) << "a yearly Feb 29 applies in leap years";
  EXPECT_TRUE(ValidateHolidayDate({2028, 2, 29, "Leap day"}).ok());
  EXPECT_EQ(ValidateHolidayDate({2027, 2, 29, ""}).field_errors().count("day"), 1u);
  EXPECT_EQ(ValidateHolidayDate({2026, 4, 31, ""}).field_errors().count("day"), 1u);
  EXPECT_EQ(ValidateHolidayDate({2026, 13, 1, ""}).field_errors().count("month"), 1u);
  EXPECT_EQ(ValidateHolidayDate({2026, 0, 1, ""}).field_errors().count("month"), 1u);
  EXPECT_EQ(ValidateHolidayDate({-1, 1, 1, ""}).field_errors().count("year"), 1u);
  EXPECT_EQ(ValidateHolidayDate({10000, 1, 1, ""}).field_errors().count("year"), 1u);
}

TEST(BusinessHoursTest, MinuteTextRoundTrips) {
  for (int m = 0; m <= 1440; ++m) EXPECT_EQ(ParseMinuteText(MinuteText(m)), m);
  EXPECT_EQ(ParseMinuteText("9:30"), 570);
  for (const char* bad : {"", "9", "930", "09:60", "24:01", "25:00", "-1:00", "09:3", "09:300", "a9:00", " 9:00", "123:00"}) {
    EXPECT_EQ(ParseMinuteText(bad), std::nullopt) << bad;
  }
}

TEST(BusinessHoursTest, DescribeHoursStartsOnMondayAndGroupsDays) {
  EXPECT_EQ(DescribeHours({{0, 600, 720}, {2, 810, 1050}, {2, 540, 750}, {5, 1320, 360}}),
            "Tue 09:00-12:30 13:30-17:30, Fri 22:00-06:00, Sun 10:00-12:00");
  EXPECT_EQ(DescribeHours({}), "");
}

}  // namespace
}  // namespace rapport
