#include "core/business_hours.h"

#include <algorithm>
#include <array>
#include <chrono>

namespace rapport {
namespace {

constexpr int kMinutesPerDay = 24 * 60;
constexpr std::array<const char*, 7> kWeekdayShort = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

// Days in the month of a holiday date. Year 0 means "every year" and must admit Feb 29; in the proleptic
// Gregorian calendar std::chrono uses, year 0 is a leap year, so it does.
int DaysInMonth(int year, int month) {
  const std::chrono::year_month_day_last last{
      std::chrono::year{year}, std::chrono::month_day_last{std::chrono::month{static_cast<unsigned>(month)}}};
  return static_cast<int>(static_cast<unsigned>(last.day()));
}

std::string Two(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

}  // namespace

std::vector<WorkingInterval> DefaultBusinessHours() {
  std::vector<WorkingInterval> out;
  for (int day = 1; day <= 5; ++day) out.push_back({day, 9 * 60, 17 * 60});
  return out;
}

std::vector<WorkingInterval> EffectiveBusinessHours(const Workspace& w) {
  return w.business_hours.empty() ? DefaultBusinessHours() : w.business_hours;
}

Status ValidateWorkingIntervals(const std::vector<WorkingInterval>& hours, const std::string& field) {
  if (hours.size() > kMaxWeeklyIntervals) {
    return Status::FieldError(field, "at most " + std::to_string(kMaxWeeklyIntervals) + " intervals a week");
  }
  for (const WorkingInterval& h : hours) {
    if (h.weekday < 0 || h.weekday > 6) {
      return Status::FieldError(field, "weekday must be 0 (Sunday) to 6 (Saturday)");
    }
    const std::string which = std::string(kWeekdayShort[static_cast<std::size_t>(h.weekday)]) + " interval";
    if (h.start_minute < 0 || h.start_minute >= kMinutesPerDay) {
      return Status::FieldError(field, which + ": the start must be from 00:00 to 23:59");
    }
    if (h.end_minute <= 0 || h.end_minute > kMinutesPerDay) {
      return Status::FieldError(field, which + ": the end must be from 00:01 to 24:00");
    }
    if (h.start_minute == h.end_minute) {
      return Status::FieldError(field, which + " " + MinuteText(h.start_minute) +
                                           ": start and end are the same (use 00:00-24:00 for the whole day)");
    }
  }
  return Status::Ok();
}

Status ValidateHolidayDate(const Holiday& h) {
  if (h.year < 0 || h.year > 9999) return Status::FieldError("year", "must be 0 (every year) or 1 to 9999");
  if (h.month < 1 || h.month > 12) return Status::FieldError("month", "must be 1 to 12");
  if (h.day < 1 || h.day > DaysInMonth(h.year, h.month)) {
    return Status::FieldError("day", "must be a day of the month (1 to " +
                                         std::to_string(DaysInMonth(h.year, h.month)) + ")");
  }
  return Status::Ok();
}

std::string MinuteText(int minute) {
  if (minute < 0 || minute > kMinutesPerDay) return "?";
  return Two(minute / 60) + ":" + Two(minute % 60);
}

std::optional<int> ParseMinuteText(std::string_view text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon < 1 || colon > 2 || text.size() != colon + 3) return std::nullopt;
  int hours = 0;
  for (char c : text.substr(0, colon)) {
    if (c < '0' || c > '9') return std::nullopt;
    hours = hours * 10 + (c - '0');
  }
  int minutes = 0;
  for (char c : text.substr(colon + 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    minutes = minutes * 10 + (c - '0');
  }
  if (minutes > 59 || hours > 24 || (hours == 24 && minutes != 0)) return std::nullopt;
  return hours * 60 + minutes;
}

std::string DescribeHours(const std::vector<WorkingInterval>& hours) {
  std::vector<WorkingInterval> sorted = hours;
  // Monday first: weekday 0 (Sunday) sorts last.
  auto key = [](const WorkingInterval& h) { return std::array<int, 3>{(h.weekday + 6) % 7, h.start_minute, h.end_minute}; };
  std::sort(sorted.begin(), sorted.end(), [&](const auto& a, const auto& b) { return key(a) < key(b); });
  std::string out;
  int day = -1;
  for (const WorkingInterval& h : sorted) {
    if (h.weekday != day) {
      if (!out.empty()) out += ", ";
      out += h.weekday >= 0 && h.weekday <= 6 ? kWeekdayShort[static_cast<std::size_t>(h.weekday)] : "?";
      day = h.weekday;
    }
    out += " " + MinuteText(h.start_minute) + "-" + MinuteText(h.end_minute);
  }
  return out;
}

}  // namespace rapport
