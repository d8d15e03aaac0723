// Due-time computations per second of BusinessCalendar on one core (issue 4: at least 1,000,000).
// Each benchmark answers one question per iteration from a fixed table of random instants, so that
// the figures are per computation: "items_per_second" is computations per second.
//
//   rapport_calendar_bench                          all benchmarks
//   rapport_calendar_bench --benchmark_filter=Add   some of them

#include <benchmark/benchmark.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "app/zone_rules_loader.h"
#include "core/business_calendar.h"
#include "core/time.h"

namespace rapport {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

constexpr std::size_t kTable = 4096;  // a power of two, for the index mask

ZoneRules Zone(const char* name) {
  Result<ZoneRules> zone = LoadZoneRules(name);
  if (!zone.ok()) {
    std::fprintf(stderr, "%s\n", zone.status().ToString().c_str());
    std::exit(1);
  }
  return zone.value();
}

BusinessCalendar MakeOrDie(std::vector<WorkingInterval> week, std::vector<Holiday> holidays, ZoneRules zone) {
  Result<BusinessCalendar> c = BusinessCalendar::Make(std::move(week), std::move(holidays), std::move(zone));
  if (!c.ok()) {
    std::fprintf(stderr, "%s\n", c.status().ToString().c_str());
    std::exit(1);
  }
  return c.value();
}

// New York, Monday to Friday 09:00-12:00 and 13:00-17:00, the US federal holidays of 2026 and 2027
// (one-off, as they move) and three yearly ones.
BusinessCalendar NewYorkOffice() {
  std::vector<WorkingInterval> week;
  for (int d = 1; d <= 5; ++d) {
    week.push_back({d, 9 * 60, 12 * 60});
    week.push_back({d, 13 * 60, 17 * 60});
  }
  std::vector<Holiday> holidays = {{0, 1, 1, "New Year"}, {0, 7, 4, "Independence Day"}, {0, 12, 25, "Christmas"}};
  for (const auto& [y, m, d] : std::vector<std::array<int, 3>>{
           {2026, 1, 19}, {2026, 2, 16}, {2026, 5, 25}, {2026, 6, 19}, {2026, 9, 7}, {2026, 10, 12},
           {2026, 11, 11}, {2026, 11, 26}, {2027, 1, 18}, {2027, 2, 15}, {2027, 5, 31}, {2027, 6, 18},
           {2027, 9, 6}, {2027, 10, 11}, {2027, 11, 11}, {2027, 11, 25}}) {
    holidays.push_back({y, m, d, "federal"});
  }
  return MakeOrDie(std::move(week), std::move(holidays), Zone("America/New_York"));
}

// London, nights Monday to Friday 22:00-06:00 and whole weekends, two yearly holidays.
BusinessCalendar LondonNightsAndWeekends() {
  std::vector<WorkingInterval> week = {{6, 0, 1440}, {0, 0, 1440}};
  for (int d = 1; d <= 5; ++d) week.push_back({d, 22 * 60, 6 * 60});
  return MakeOrDie(std::move(week), {{0, 12, 25, "Christmas"}, {0, 12, 26, "Boxing Day"}}, Zone("Europe/London"));
}

// Random instants over 2026 and 2027, with random seconds.
std::vector<Instant> RandomInstants(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const std::int64_t begin = ToUnix(*ParseRfc3339("2026-01-01T00:00:00Z"));
  const std::int64_t end = ToUnix(*ParseRfc3339("2028-01-01T00:00:00Z"));
  std::uniform_int_distribution<std::int64_t> pick(begin, end);
  std::vector<Instant> out(kTable);
  for (Instant& t : out) t = InstantFromUnix(pick(rng));
  return out;
}

// Calls `call(k)` once per iteration for k running over the tables; one item per call.
template <typename Call>
void OverTable(benchmark::State& state, Call call) {
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(call(i++ & (kTable - 1)));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// Add of a promise of range(0) to range(1) whole business hours from random instants.
void AddPromise(benchmark::State& state, const BusinessCalendar& calendar) {
  const std::vector<Instant> from = RandomInstants(1);
  std::mt19937_64 rng(2);
  std::uniform_int_distribution<std::int64_t> promise_hours(state.range(0), state.range(1));
  std::vector<seconds> amount(kTable);
  for (seconds& a : amount) a = hours(promise_hours(rng));
  OverTable(state, [&](std::size_t k) { return calendar.Add(from[k], amount[k]); });
}

// Between over ranges of up to range(0) days, as response times are measured.
void BetweenRandomRanges(benchmark::State& state, const BusinessCalendar& calendar) {
  const std::vector<Instant> from = RandomInstants(3);
  std::mt19937_64 rng(4);
  std::uniform_int_distribution<std::int64_t> length(0, state.range(0) * 86400);
  std::vector<Instant> to(kTable);
  for (std::size_t k = 0; k < kTable; ++k) to[k] = from[k] + seconds(length(rng));
  OverTable(state, [&](std::size_t k) { return calendar.Between(from[k], to[k]); });
}

void IsOpen(benchmark::State& state, const BusinessCalendar& calendar) {
  const std::vector<Instant> at = RandomInstants(5);
  OverTable(state, [&](std::size_t k) { return calendar.IsOpen(at[k]); });
}

// What a request pays for its zone after the first: a copy of the cached rules.
void BM_LoadZoneRulesCached(benchmark::State& state) {
  Zone("America/New_York");
  for (auto _ : state) benchmark::DoNotOptimize(LoadZoneRules("America/New_York"));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

const BusinessCalendar& Office() {
  static const BusinessCalendar c = NewYorkOffice();
  return c;
}
const BusinessCalendar& Nights() {
  static const BusinessCalendar c = LondonNightsAndWeekends();
  return c;
}

void BM_NewYorkOffice_Add(benchmark::State& s) { AddPromise(s, Office()); }
void BM_NewYorkOffice_Between(benchmark::State& s) { BetweenRandomRanges(s, Office()); }
void BM_NewYorkOffice_IsOpen(benchmark::State& s) { IsOpen(s, Office()); }
void BM_LondonNights_Add(benchmark::State& s) { AddPromise(s, Nights()); }
void BM_LondonNights_Between(benchmark::State& s) { BetweenRandomRanges(s, Nights()); }

// Add: a 4-hour promise, then promises of 1 to 8 hours. Between: ranges up to 3, 14 and 90 days.
BENCHMARK(BM_NewYorkOffice_Add)->Args({4, 4})->Args({1, 8});
BENCHMARK(BM_NewYorkOffice_Between)->Arg(3)->Arg(14)->Arg(90);
BENCHMARK(BM_NewYorkOffice_IsOpen);
BENCHMARK(BM_LondonNights_Add)->Args({4, 4})->Args({1, 8});
BENCHMARK(BM_LondonNights_Between)->Arg(3)->Arg(14)->Arg(90);
BENCHMARK(BM_LoadZoneRulesCached);

}  // namespace
}  // namespace rapport

BENCHMARK_MAIN();
