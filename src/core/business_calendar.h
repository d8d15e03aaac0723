#pragma once
// Business hours with exact arithmetic: when does "4 business hours from now" fall, and how much
// business time lies between two instants. Used for the workspace's promises (SLA clocks, reports,
// acknowledgements) and, with a person's own hours and zone, for that person's working time.
//
// Definition (the property test's minute-by-minute reference checks exactly this): an instant t is
// business time when its local wall time in the calendar's zone falls in one of the weekly
// intervals and its local date is not a holiday. So on a spring-forward day the skipped hour holds
// no business time, on a fall-back day a repeated hour inside an interval counts twice (it is real
// time that passes), and a holiday removes every business minute whose local date it is, including
// the after-midnight part of an overnight interval that began the evening before.
//
// Seconds are exact; all functions are pure and cheap enough for a million calls a second.
// Instants before the year 1 or from the year 10000 on (UTC) hold no business time.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/entities.h"
#include "core/status.h"
#include "core/time.h"
#include "core/zone_rules.h"

namespace rapport {

// A day off. year == 0 means every year on month/day (a yearly Feb 29 applies in leap years only).
struct Holiday {
  int year = 0;
  int month = 1;  // 1..12
  int day = 1;    // 1..31, valid for the month
  std::string name;
  friend bool operator==(const Holiday&, const Holiday&) = default;
};

// The weekly hours use WorkingInterval (core/entities.h): weekday 0 = Sunday .. 6 = Saturday,
// minutes from local midnight, 0 <= start_minute < 1440, 0 < end_minute <= 1440. When
// end_minute <= start_minute the interval runs overnight and ends at end_minute on the next day
// (Friday 22:00-06:00 is {5, 1320, 360}). {d, 0, 1440} is the whole day. Intervals may touch or
// overlap; overlapping time counts once.
class BusinessCalendar {
 public:
  // kInvalidArgument (with field errors "hours" / "holidays") for out-of-range weekdays, minutes,
  // months or days, and for start_minute == end_minute other than {0, 1440} (the checks of
  // core/business_hours.h, which also allow at most kMaxWeeklyIntervals intervals).
  static Result<BusinessCalendar> Make(std::vector<WorkingInterval> hours, std::vector<Holiday> holidays,
                                       ZoneRules zone);
  // Every second of every day, UTC, no holidays: business time equals real time.
  static BusinessCalendar AlwaysOpen();

  // The earliest instant t >= from such that Between(from, t) == amount. amount == 0 gives `from`
  // itself (even outside hours). nullopt when the calendar holds no business time at all, or not
  // enough within ten years of `from` (say, every day a holiday). Negative amounts give nullopt.
  std::optional<Instant> Add(Instant from, std::chrono::seconds amount) const;
  // Business time in [from, to); zero when to <= from.
  std::chrono::seconds Between(Instant from, Instant to) const;
  // True when `t` is business time.
  bool IsOpen(Instant t) const;
  // The first business instant >= t (t itself when open); nullopt as for Add.
  std::optional<Instant> NextOpen(Instant t) const;

  const std::vector<WorkingInterval>& hours() const { return hours_; }
  const std::vector<Holiday>& holidays() const { return holidays_; }
  const ZoneRules& zone() const { return zone_; }

 private:
  struct Rules;  // normalised weekly segments and holiday lookup, defined in business_calendar.cc

  BusinessCalendar() = default;
  std::vector<WorkingInterval> hours_;
  std::vector<Holiday> holidays_;
  ZoneRules zone_;
  // Implementation state (normalised weekly segments, holiday lookup) is private to the .cc.
  // Immutable once made, so copies of a calendar share it (hence shared_ptr); never null after Make.
  std::shared_ptr<const Rules> rules_;
};

}  // namespace rapport
