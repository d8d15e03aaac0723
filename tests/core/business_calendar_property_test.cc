// The property test of issue 4: BusinessCalendar's Add, Between, IsOpen and NextOpen against an
// independent minute-by-minute reference, on random calendars in zones with unusual rules.
//
// The reference uses neither ZoneRules nor BusinessCalendar. For every UTC minute of a three-year
// window it takes the local wall time from date::time_zone (get_info, one call per period of the
// zone, whose answer holds for every minute of that period), the weekday and date from date's civil
// calendar, and decides membership by the header's definition: the local minute lies in a weekly
// interval (overnight ones split by their own rule, not by the calendar's normalisation) and the
// local date is not a holiday. Prefix sums over that bitmap then answer each query exactly, to the
// second. The seed is printed; RAPPORT_CALENDAR_SEED=<n> repeats a run.

#include <date/date.h>
#include <date/tz.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "app/zone_rules_loader.h"
#include "core/business_calendar.h"
#include "core/time.h"

namespace rapport {
namespace {

using std::chrono::seconds;

constexpr int kMinutesPerDay = 1440;
constexpr int kCalendarsPerZone = 8;
constexpr int kQueriesPerCalendar = 2700;
const date::sys_days kWindowBegin = date::sys_days{date::year{2024} / 1 / 1};
const date::sys_days kWindowEnd = date::sys_days{date::year{2027} / 1 / 1};

std::int64_t WindowMinutes() { return (kWindowEnd - kWindowBegin).count() * kMinutesPerDay; }
std::int64_t BeginMinute() { return kWindowBegin.time_since_epoch().count() * kMinutesPerDay; }

// Local offset in minutes for every minute of the window, and the minutes at which it changes.
struct ZoneTimeline {
  std::string name;
  std::vector<std::int16_t> offset;
  std::vector<std::int64_t> transitions;
};

ZoneTimeline ReadTimeline(const std::string& name) {
  ZoneTimeline z{name, {}, {}};
  const date::time_zone* tz = date::locate_zone(name);
  const std::int64_t n = WindowMinutes();
  z.offset.resize(static_cast<std::size_t>(n));
  // One get_info per period of constant offset: its answer holds for every minute until info.end.
  for (std::int64_t i = 0; i < n;) {
    const date::sys_info info = tz->get_info(date::sys_seconds{kWindowBegin + std::chrono::minutes(i)});
    // Every zone here has had whole-minute offsets since long before the window.
    const auto offset = static_cast<std::int16_t>(info.offset.count() / 60);
    const std::int64_t end = std::min<std::int64_t>(
        n, std::chrono::ceil<std::chrono::minutes>(info.end - date::sys_seconds{kWindowBegin}).count());
    if (i > 0) z.transitions.push_back(i);
    std::fill(z.offset.begin() + i, z.offset.begin() + end, offset);
    i = end;
  }
  return z;
}

struct RandomCalendar {
  std::vector<WorkingInterval> hours;
  std::vector<Holiday> holidays;
};

std::string Describe(const ZoneTimeline& zone, const RandomCalendar& c) {
  std::ostringstream out;
  out << "zone " << zone.name << "\nhours (weekday, start, end):";
  for (const WorkingInterval& h : c.hours) out << " {" << h.weekday << ", " << h.start_minute << ", " << h.end_minute << "}";
  out << "\nholidays (year, month, day):";
  for (const Holiday& h : c.holidays) out << " {" << h.year << ", " << h.month << ", " << h.day << "}";
  return out.str();
}

class Generator {
 public:
  explicit Generator(std::uint64_t seed) : rng_(seed) {}

  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  std::int64_t Int64(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng_);
  }
  bool Chance(int percent) { return Int(1, 100) <= percent; }

  WorkingInterval Interval() {
    const int weekday = Int(0, 6);
    switch (Int(0, 5)) {
      case 0: {  // office hours on the quarter hour
        const int start = Int(6 * 4, 11 * 4) * 15;
        return {weekday, start, std::min(kMinutesPerDay, start + Int(1, 40) * 15)};
      }
      case 1: {  // overnight
        return {weekday, Int(17 * 60, kMinutesPerDay - 1), Int(1, 10 * 60)};
      }
      case 2:
        return {weekday, 0, kMinutesPerDay};
      case 3: {  // around the transition hours (01:00-04:00; Chatham 02:45/03:45; Lord Howe 01:30/02:30)
        const int start = Int(0, 240);
        return {weekday, start, Int(start + 1, 360)};
      }
      default: {  // anything, overnight when the end comes first
        const int start = Int(0, kMinutesPerDay - 1);
        int end = Int(1, kMinutesPerDay);
        if (end == start) end = start + 1;
        return {weekday, start, end};
      }
    }
  }

  Holiday Date(int year) {
    const int month = Int(1, 12);
    const auto last = date::year_month_day_last(date::year{year == 0 ? 2000 : year}, date::month_day_last{
                                                                                      date::month(unsigned(month))});
    return {year, month, Int(1, static_cast<int>(unsigned(last.day()))), "random"};
  }

  RandomCalendar Calendar() {
    RandomCalendar c;
    if (!Chance(3)) {  // a few calendars have no hours at all
      if (Chance(40)) {  // a weekday pattern, Monday to Friday alike
        const int blocks = Int(1, 3);
        for (int b = 0; b < blocks; ++b) {
          const WorkingInterval w = Interval();
          for (int d = 1; d <= 5; ++d) c.hours.push_back({d, w.start_minute, w.end_minute});
        }
      }
      const int more = Int(c.hours.empty() ? 1 : 0, 7);
      for (int i = 0; i < more; ++i) c.hours.push_back(Interval());
    }
    const int one_off = Int(0, Chance(20) ? 60 : 8);
    for (int i = 0; i < one_off; ++i) c.holidays.push_back(Date(Int(2023, 2027)));
    const int yearly = Int(0, 5);
    for (int i = 0; i < yearly; ++i) c.holidays.push_back(Chance(15) ? Holiday{0, 2, 29, "leap"} : Date(0));
    return c;
  }

  std::mt19937_64& rng() { return rng_; }

 private:
  std::mt19937_64 rng_;
};

// The reference: business minutes of the window as a bitmap and its prefix sums.
class Reference {
 public:
  Reference(const ZoneTimeline& zone, const RandomCalendar& c) {
    // The weekly pattern by the definition: a minute m of weekday d is open when some interval
    // covers it, an overnight interval covering from its start on its day and until its end on the next.
    std::array<std::array<bool, kMinutesPerDay>, 7> open{};
    for (const WorkingInterval& h : c.hours) {
      for (int m = 0; m < kMinutesPerDay; ++m) {
        if (h.end_minute > h.start_minute) {
          if (m >= h.start_minute && m < h.end_minute) open[std::size_t(h.weekday)][std::size_t(m)] = true;
        } else {
          if (m >= h.start_minute) open[std::size_t(h.weekday)][std::size_t(m)] = true;
          if (m < h.end_minute) open[std::size_t((h.weekday + 1) % 7)][std::size_t(m)] = true;
        }
      }
    }
    // Per local date, from date's civil calendar: its weekday's pattern, or nothing on a holiday.
    const std::array<bool, kMinutesPerDay> closed{};
    const std::int64_t first_day = kWindowBegin.time_since_epoch().count() - 2;
    const std::int64_t last_day = kWindowEnd.time_since_epoch().count() + 2;
    std::vector<const std::array<bool, kMinutesPerDay>*> pattern_of_day;
    for (std::int64_t d = first_day; d <= last_day; ++d) {
      const date::sys_days day{date::days(d)};
      const date::year_month_day ymd{day};
      bool holiday = false;
      for (const Holiday& h : c.holidays) {
        holiday = holiday || ((h.year == 0 || date::year{h.year} == ymd.year()) &&
                              date::month(unsigned(h.month)) == ymd.month() && date::day(unsigned(h.day)) == ymd.day());
      }
      pattern_of_day.push_back(holiday ? &closed : &open[date::weekday(day).c_encoding()]);
    }
    const std::int64_t n = WindowMinutes();
    bits_.resize(static_cast<std::size_t>(n));
    prefix_.assign(static_cast<std::size_t>(n) + 1, 0);
    for (std::int64_t i = 0; i < n; ++i) {
      const std::int64_t local = BeginMinute() + i + zone.offset[std::size_t(i)];  // positive in the window
      const std::int64_t day = local / kMinutesPerDay;
      const bool b = (*pattern_of_day[std::size_t(day - first_day)])[std::size_t(local - day * kMinutesPerDay)];
      bits_[std::size_t(i)] = b ? 1 : 0;
      prefix_[std::size_t(i) + 1] = prefix_[std::size_t(i)] + bits_[std::size_t(i)];
    }
  }

  std::int64_t size() const { return static_cast<std::int64_t>(bits_.size()); }
  int Bit(std::int64_t minute) const { return bits_[std::size_t(minute)]; }

  // Business seconds in [from, to), both given as (minute of the window, second in the minute).
  std::int64_t Between(std::int64_t fm, int fs, std::int64_t tm, int ts) const {
    if (fm * 60 + fs >= tm * 60 + ts) return 0;
    if (fm == tm) return Bit(fm) * (ts - fs);
    return Bit(fm) * (60 - fs) + 60 * (P(tm) - P(fm + 1)) + Bit(tm) * ts;
  }

  // Seconds after the window's begin when `amount` business seconds from (fm, fs) are done; -1 when
  // the window does not hold that much.
  std::int64_t Add(std::int64_t fm, int fs, std::int64_t amount) const {
    if (amount == 0) return fm * 60 + fs;
    const std::int64_t first = Bit(fm) * (60 - fs);
    if (amount <= first) return fm * 60 + fs + amount;
    const std::int64_t rest = amount - first;
    const std::int64_t minutes_needed = (rest + 59) / 60;
    const std::int64_t k1 = FirstPrefixAtLeast(fm + 1, P(fm + 1) + minutes_needed);
    if (k1 < 0) return -1;
    const std::int64_t k = k1 - 1;  // the minute in which the amount is reached
    return k * 60 + (rest - 60 * (P(k) - P(fm + 1)));
  }

  std::int64_t NextOpen(std::int64_t fm, int fs) const {
    if (Bit(fm)) return fm * 60 + fs;
    const std::int64_t k1 = FirstPrefixAtLeast(fm + 1, P(fm + 1) + 1);
    return k1 < 0 ? -1 : (k1 - 1) * 60;
  }

 private:
  std::int64_t P(std::int64_t i) const { return prefix_[std::size_t(i)]; }
  std::int64_t FirstPrefixAtLeast(std::int64_t from, std::int64_t target) const {
    const auto it = std::lower_bound(prefix_.begin() + from, prefix_.end(), static_cast<std::int32_t>(target));
    return it == prefix_.end() ? -1 : it - prefix_.begin();
  }

  std::vector<std::uint8_t> bits_;
  std::vector<std::int32_t> prefix_;
};

std::uint64_t Seed() {
  if (const char* env = std::getenv("RAPPORT_CALENDAR_SEED"); env != nullptr && *env != '\0') {
    return std::strtoull(env, nullptr, 10);
  }
  return 20261123;
}

Instant AtWindow(std::int64_t second) {
  return Instant(std::chrono::duration_cast<seconds>(kWindowBegin.time_since_epoch()) + seconds(second));
}

std::string Show(std::optional<Instant> t) { return t ? FormatRfc3339(*t) : "none"; }

TEST(BusinessCalendarProperty, AgreesWithAMinuteByMinuteReference) {
  const auto started = std::chrono::steady_clock::now();
  const std::uint64_t seed = Seed();
  std::cout << "business calendar property test: seed " << seed << " (RAPPORT_CALENDAR_SEED repeats a run)\n";
  Generator gen(seed);

  std::int64_t cases = 0;
  std::int64_t beyond_window = 0;
  int failures = 0;
  for (const char* zone_name :
       {"America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Chatham"}) {
    const ZoneTimeline zone = ReadTimeline(zone_name);
    const Result<ZoneRules> rules = LoadZoneRules(zone_name);
    ASSERT_TRUE(rules.ok()) << zone_name;
    for (int c = 0; c < kCalendarsPerZone && failures < 10; ++c) {
      const RandomCalendar random = gen.Calendar();
      const Result<BusinessCalendar> made = BusinessCalendar::Make(random.hours, random.holidays, rules.value());
      ASSERT_TRUE(made.ok()) << made.status().ToString() << "\n" << Describe(zone, random);
      const BusinessCalendar& calendar = made.value();
      const Reference ref(zone, random);
      const std::int64_t n = ref.size();
      const std::int64_t margin = 45LL * kMinutesPerDay;

      for (int q = 0; q < kQueriesPerCalendar && failures < 10; ++q) {
        // From: anywhere, or within three days of a transition of the zone.
        std::int64_t fm = gen.Int64(0, n - margin);
        if (!zone.transitions.empty() && gen.Chance(50)) {
          const std::int64_t t = zone.transitions[std::size_t(gen.Int64(0, std::int64_t(zone.transitions.size()) - 1))];
          fm = std::clamp<std::int64_t>(t + gen.Int64(-3 * kMinutesPerDay, 3 * kMinutesPerDay), 0, n - margin);
        }
        const bool whole_minutes = gen.Chance(60);
        const int fs = whole_minutes ? 0 : gen.Int(0, 59);
        // To: up to 40 days later, sometimes before `from`.
        std::int64_t tm = fm + (gen.Chance(5) ? -gen.Int64(0, 600) : gen.Int64(0, gen.Chance(50) ? 3 * kMinutesPerDay : 40 * kMinutesPerDay));
        tm = std::clamp<std::int64_t>(tm, 0, n - 1);
        const int ts = whole_minutes ? 0 : gen.Int(0, 59);
        // Amount: minutes up to 2, 16 or 80 hours, or any number of seconds up to 16 hours.
        const std::int64_t scale = 60 * std::array<std::int64_t, 3>{2, 16, 80}[std::size_t(gen.Int(0, 2))];
        const std::int64_t amount = whole_minutes ? 60 * gen.Int64(0, scale) : gen.Int64(0, 16 * 3600);

        const Instant from = AtWindow(fm * 60 + fs);
        const Instant to = AtWindow(tm * 60 + ts);
        ++cases;
        auto fail = [&](const std::string& what, const std::string& expected, const std::string& got) {
          ++failures;
          ADD_FAILURE() << what << ": expected " << expected << ", got " << got << "\nfrom " << FormatRfc3339(from)
                        << " to " << FormatRfc3339(to) << " amount " << amount << " s\n"
                        << Describe(zone, random) << "\nseed " << seed;
        };

        const std::int64_t between = ref.Between(fm, fs, tm, ts);
        if (calendar.Between(from, to) != seconds(between)) {
          fail("Between", std::to_string(between) + " s", std::to_string(calendar.Between(from, to).count()) + " s");
        }
        if (calendar.IsOpen(from) != (ref.Bit(fm) == 1)) {
          fail("IsOpen", ref.Bit(fm) ? "open" : "closed", calendar.IsOpen(from) ? "open" : "closed");
        }
        const std::optional<Instant> due = calendar.Add(from, seconds(amount));
        const std::int64_t expected_due = ref.Add(fm, fs, amount);
        if (expected_due >= 0) {
          if (due != AtWindow(expected_due)) fail("Add", FormatRfc3339(AtWindow(expected_due)), Show(due));
        } else {
          ++beyond_window;  // the window cannot say when; it can say "not before its end"
          if (due && *due < AtWindow(n * 60)) fail("Add", "after " + FormatRfc3339(AtWindow(n * 60)), Show(due));
        }
        const std::optional<Instant> next = calendar.NextOpen(from);
        const std::int64_t expected_next = ref.NextOpen(fm, fs);
        if (expected_next >= 0) {
          if (next != AtWindow(expected_next)) fail("NextOpen", FormatRfc3339(AtWindow(expected_next)), Show(next));
        } else if (next && *next < AtWindow(n * 60)) {
          fail("NextOpen", "after " + FormatRfc3339(AtWindow(n * 60)), Show(next));
        }
        if (random.hours.empty() && (due || next) && amount > 0) fail("Add/NextOpen without hours", "none", Show(due));
      }
    }
  }
  const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "business calendar property test: " << cases << " cases (each Between, IsOpen, Add, NextOpen), "
            << beyond_window << " Add results beyond the window checked as such, " << failures
            << " disagreements, " << elapsed << " s\n";
  RecordProperty("cases", std::to_string(cases));
  EXPECT_GE(cases, 100000);
  EXPECT_EQ(failures, 0);
}

}  // namespace
}  // namespace rapport
