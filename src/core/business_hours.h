#pragma once
// The workspace's business hours as the settings store them, and the checks every writer of weekly
// hours and holidays applies (the settings use cases, and BusinessCalendar::Make for the same rules).
//
// Workspace::business_hours empty means "not set yet": the workspace then works Monday to Friday,
// 09:00-17:00 in its time zone. EffectiveBusinessHours is the one place that says so; every reader
// of the hours (the calendar, the settings pages, the API) goes through it.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/business_calendar.h"
#include "core/entities.h"
#include "core/status.h"

namespace rapport {

// Monday to Friday, 09:00-17:00.
std::vector<WorkingInterval> DefaultBusinessHours();

// The hours the workspace works: its own, or DefaultBusinessHours() when none are set.
std::vector<WorkingInterval> EffectiveBusinessHours(const Workspace& w);

// BusinessCalendar's rules for weekly hours (core/business_calendar.h): weekday 0..6, 0 <= start <
// 1440, 0 < end <= 1440, start != end (end < start runs overnight). At most kMaxWeeklyIntervals.
// kInvalidArgument with a field error on `field` naming the first interval that breaks a rule.
inline constexpr std::size_t kMaxWeeklyIntervals = 7 * 8;
Status ValidateWorkingIntervals(const std::vector<WorkingInterval>& hours, const std::string& field);

// A holiday's date: month 1..12, day valid for the month (Feb 29 only in a leap year, or yearly),
// year 0 (every year) or 1..9999. The name is not checked here. kInvalidArgument with a field error
// on "year", "month" or "day".
Status ValidateHolidayDate(const Holiday& h);

// "Mon 09:00-17:00, Tue 09:00-12:30 13:30-17:00": for audit trails and summaries, in weekday order
// starting on Monday. Empty hours give "".
std::string DescribeHours(const std::vector<WorkingInterval>& hours);

// "09:00" for minute 540; 1440 gives "24:00".
std::string MinuteText(int minute);
// The reverse: "HH:MM" (or "H:MM") from "0:00" to "24:00"; nullopt for anything else.
std::optional<int> ParseMinuteText(std::string_view text);

}  // namespace rapport
