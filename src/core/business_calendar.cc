#include "core/business_calendar.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <utility>

#include "core/business_hours.h"

namespace rapport {
namespace {

using std::chrono::days;
using std::chrono::seconds;
using std::chrono::sys_days;
using std::chrono::year_month_day;

constexpr std::int64_t kDay = 86400;
// The range that may hold business time, so that local times and day numbers never overflow.
constexpr std::int64_t kEarliest =
    std::chrono::duration_cast<seconds>(sys_days(std::chrono::year{1} / 1 / 1).time_since_epoch()).count();
constexpr std::int64_t kLatest =
    std::chrono::duration_cast<seconds>(sys_days(std::chrono::year{10000} / 1 / 1).time_since_epoch()).count();
// How far Add and NextOpen look before they give up.
constexpr std::int64_t kHorizon = std::chrono::duration_cast<seconds>(std::chrono::years{10}).count();

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// 0 = Sunday; day 0 (1970-01-01) was a Thursday.
int WeekdayOfDay(std::int64_t day) {
  const auto w = static_cast<int>((day + 4) % 7);
  return w < 0 ? w + 7 : w;
}

std::int64_t ClampToRange(Instant t) { return std::clamp(ToUnix(t), kEarliest, kLatest); }

// Where Add and NextOpen from `t` stop looking, in range and without overflow.
std::int64_t HorizonAfter(Instant t) {
  const std::int64_t u = ToUnix(t);
  return u > kLatest - kHorizon ? kLatest : std::max(u + kHorizon, kEarliest);
}

// Seconds from local midnight, [begin, end).
struct Segment {
  std::int32_t begin;
  std::int32_t end;
};

int YearlyBit(unsigned month, unsigned day) { return static_cast<int>(month * 32 + day); }

}  // namespace

struct BusinessCalendar::Rules {
  std::vector<Segment> segments;         // per weekday sorted and merged; weekday w's are
  std::array<std::uint32_t, 8> first{};  // segments[first[w] .. first[w + 1])
  std::vector<std::int64_t> one_off_days;  // sorted, days since 1970-01-01 in local dates
  std::array<std::uint64_t, 7> yearly{};   // bit month * 32 + day set for a yearly holiday
  bool any_yearly = false;

  bool IsHoliday(std::int64_t day) const {
    if (!one_off_days.empty() && std::binary_search(one_off_days.begin(), one_off_days.end(), day)) return true;
    if (!any_yearly) return false;
    const year_month_day ymd{sys_days{days{day}}};
    const int bit = YearlyBit(unsigned(ymd.month()), unsigned(ymd.day()));
    return (yearly[bit / 64] >> (bit % 64)) & 1U;
  }

  // Calls visit(begin, end) with the business time in [from, to) (unix seconds, both in range) as
  // segments in time order, until visit returns true; returns whether it did. Within one span of the
  // zone local time is UTC plus a constant, so each local day's segments map back to UTC linearly.
  template <typename Visit>
  bool VisitSegments(const ZoneRules& zone, std::int64_t from, std::int64_t to, Visit&& visit) const {
    if (segments.empty()) return false;
    std::size_t span = zone.SpanIndexAt(InstantFromUnix(from));
    for (std::int64_t t = from; t < to; ++span) {
      const std::int64_t end = std::min(ToUnix(zone.SpanEnd(span)), to);
      const std::int64_t offset = zone.spans()[span].offset.count();
      const std::int64_t local_begin = t + offset;
      const std::int64_t local_end = end + offset;
      std::int64_t day = FloorDiv(local_begin, kDay);
      int weekday = WeekdayOfDay(day);
      for (std::int64_t midnight = day * kDay; midnight < local_end; midnight += kDay, ++day) {
        const std::uint32_t first_segment = first[static_cast<std::size_t>(weekday)];
        const std::uint32_t last_segment = first[static_cast<std::size_t>(weekday) + 1];
        weekday = weekday == 6 ? 0 : weekday + 1;
        if (first_segment == last_segment || IsHoliday(day)) continue;
        for (std::uint32_t s = first_segment; s < last_segment; ++s) {
          const std::int64_t a = std::max(midnight + segments[s].begin, local_begin);
          const std::int64_t b = std::min(midnight + segments[s].end, local_end);
          if (a < b && visit(a - offset, b - offset)) return true;
        }
      }
      t = end;
    }
    return false;
  }
};

Result<BusinessCalendar> BusinessCalendar::Make(std::vector<WorkingInterval> hours, std::vector<Holiday> holidays,
                                                ZoneRules zone) {
  // The rules themselves live in core/business_hours.h, shared with the settings use cases.
  std::vector<std::pair<std::string, std::string>> errors;
  if (const Status s = ValidateWorkingIntervals(hours, "hours"); !s.ok()) {
    errors.emplace_back("hours", s.field_errors().empty() ? s.message() : s.field_errors().begin()->second);
  }
  for (std::size_t i = 0; i < holidays.size(); ++i) {
    if (const Status s = ValidateHolidayDate(holidays[i]); !s.ok()) {
      errors.emplace_back("holidays", "holiday " + std::to_string(i + 1) + ": " + s.message());
      break;
    }
  }
  RAPPORT_RETURN_IF_ERROR(InvalidFields("the business calendar is invalid", errors));

  std::array<std::vector<Segment>, 7> week;
  for (const WorkingInterval& h : hours) {
    const auto weekday = static_cast<std::size_t>(h.weekday);
    if (h.end_minute > h.start_minute) {
      week[weekday].push_back({h.start_minute * 60, h.end_minute * 60});
    } else {  // overnight: the evening on its weekday, the morning on the next
      week[weekday].push_back({h.start_minute * 60, std::int32_t{kDay}});
      week[(weekday + 1) % 7].push_back({0, h.end_minute * 60});
    }
  }
  Rules rules;
  for (const Holiday& h : holidays) {
    if (h.year == 0) {
      const int bit = YearlyBit(static_cast<unsigned>(h.month), static_cast<unsigned>(h.day));
      rules.yearly[static_cast<std::size_t>(bit / 64)] |= std::uint64_t{1} << (bit % 64);
      rules.any_yearly = true;
    } else {
      const year_month_day date{std::chrono::year{h.year}, std::chrono::month{static_cast<unsigned>(h.month)},
                                std::chrono::day{static_cast<unsigned>(h.day)}};
      rules.one_off_days.push_back(sys_days{date}.time_since_epoch().count());
    }
  }
  std::sort(rules.one_off_days.begin(), rules.one_off_days.end());
  rules.one_off_days.erase(std::unique(rules.one_off_days.begin(), rules.one_off_days.end()),
                           rules.one_off_days.end());
  for (std::size_t w = 0; w < week.size(); ++w) {
    std::vector<Segment>& day = week[w];
    std::sort(day.begin(), day.end(), [](const Segment& a, const Segment& b) { return a.begin < b.begin; });
    rules.first[w] = static_cast<std::uint32_t>(rules.segments.size());
    for (const Segment& s : day) {
      // Overlapping or touching intervals become one segment, so that overlaps count once.
      if (rules.segments.size() > rules.first[w] && s.begin <= rules.segments.back().end) {
        rules.segments.back().end = std::max(rules.segments.back().end, s.end);
      } else {
        rules.segments.push_back(s);
      }
    }
  }
  rules.first[7] = static_cast<std::uint32_t>(rules.segments.size());

  BusinessCalendar calendar;
  calendar.hours_ = std::move(hours);
  calendar.holidays_ = std::move(holidays);
  calendar.zone_ = std::move(zone);
  calendar.rules_ = std::make_shared<const Rules>(std::move(rules));
  return calendar;
}

BusinessCalendar BusinessCalendar::AlwaysOpen() {
  std::vector<WorkingInterval> every_day;
  for (int d = 0; d < 7; ++d) every_day.push_back({d, 0, 1440});
  // Whole days in UTC without holidays are valid by construction.
  return Make(std::move(every_day), {}, ZoneRules()).value();
}

std::optional<Instant> BusinessCalendar::Add(Instant from, seconds amount) const {
  if (amount < seconds::zero()) return std::nullopt;
  if (amount == seconds::zero()) return from;
  const std::int64_t begin = ClampToRange(from);
  std::int64_t remaining = amount.count();
  std::int64_t due = 0;
  const bool found = rules_->VisitSegments(zone_, begin, HorizonAfter(from), [&](std::int64_t a, std::int64_t b) {
    if (b - a >= remaining) {
      due = a + remaining;
      return true;
    }
    remaining -= b - a;
    return false;
  });
  if (!found) return std::nullopt;
  return InstantFromUnix(due);
}

seconds BusinessCalendar::Between(Instant from, Instant to) const {
  const std::int64_t begin = ClampToRange(from);
  const std::int64_t end = ClampToRange(to);
  std::int64_t total = 0;
  if (begin < end) {
    rules_->VisitSegments(zone_, begin, end, [&](std::int64_t a, std::int64_t b) {
      total += b - a;
      return false;
    });
  }
  return seconds(total);
}

bool BusinessCalendar::IsOpen(Instant t) const {
  const std::int64_t u = ToUnix(t);
  if (u < kEarliest || u >= kLatest) return false;
  const std::int64_t local = u + zone_.OffsetAt(t).count();
  const std::int64_t day = FloorDiv(local, kDay);
  const std::int64_t second = local - day * kDay;
  const auto weekday = static_cast<std::size_t>(WeekdayOfDay(day));
  for (std::uint32_t s = rules_->first[weekday]; s < rules_->first[weekday + 1]; ++s) {
    if (rules_->segments[s].begin <= second && second < rules_->segments[s].end) return !rules_->IsHoliday(day);
  }
  return false;
}

std::optional<Instant> BusinessCalendar::NextOpen(Instant t) const {
  const std::int64_t begin = ClampToRange(t);
  std::int64_t open = 0;
  const bool found = rules_->VisitSegments(zone_, begin, HorizonAfter(t), [&](std::int64_t a, std::int64_t) {
    open = a;
    return true;
  });
  if (!found) return std::nullopt;
  return InstantFromUnix(open);
}

}  // namespace rapport
