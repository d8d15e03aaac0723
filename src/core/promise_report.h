#pragma once
// The promise report: how fast the team answered and resolved, in business time, and how many
// promises it kept, over the tickets created in a period [from, to), overall and grouped by
// response policy, by client and by person (the ticket's assignee).
//
// Every figure comes from the promise clocks (core/sla_clock.h), so the report counts time exactly
// as the clocks do: business time of the workspace calendar only (a lunch break, a night or a
// holiday never counts), and never the time a ticket waited on the client or was on hold.
//
// Definitions (one ticket contributes to each of its groups the same way):
//  - first response time: the first-response clock's elapsed business time, for tickets whose
//    first response was a public reply (a ticket resolved without a reply, or still waiting for
//    one, has no first response time; a ticket opened by the team has none either).
//  - resolution time: the resolution clock's elapsed business time, for tickets resolved or closed
//    at `now` (a reopened ticket that is open again counts once it is resolved again).
//  - median and 90th percentile: nearest rank. For the n values sorted ascending x[1] <= ... <= x[n],
//    the p-th percentile is x[k] with k = ceil(p * n / 100) (and k = 1 when that is 0). So the
//    median of an even count is the lower of the two middle values, and every figure is a time
//    that one real ticket took. No values: no figure (nullopt).
//  - attainment: kept / (kept + missed) promises, per kind and overall (the sum over the kinds).
//    First response and resolution: a clock that met its target is kept, one that breached it is
//    missed - including a clock still running past its due time (the promise is already broken).
//    A clock running within its target, paused, or absent (no target) counts neither way.
//    Next responses: every settled next-response cycle (SlaClocks::next_response_met / _breached),
//    plus the current cycle when it runs past its due time. Nothing to count: no figure.
//
// Pure: no I/O, `now` is passed in.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/business_calendar.h"
#include "core/ids.h"
#include "core/sla_clock.h"
#include "core/sla_policy.h"
#include "core/time.h"

namespace rapport {

// The business-time measures of one ticket, from its events, and its clocks against its targets.
struct TicketMeasures {
  SlaClocks clocks;                                  // against the ticket's targets: attainment
  std::optional<std::chrono::seconds> first_response;  // see "first response time" above
  std::optional<std::chrono::seconds> resolution;      // see "resolution time" above
};

// Runs ComputeSlaClocks once with the ticket's targets; a clock without a target still measures
// (core/sla_clock.h), so response and resolution times are measured for every ticket, with or
// without a promise.
TicketMeasures MeasureTicket(std::span<const TicketEvent> events, const ResponseTargets& targets,
                             int warning_percent, const BusinessCalendar& calendar, Instant now);

// One ticket of the period, as the report groups it.
struct ReportTicket {
  TicketId id;
  std::int64_t number = 0;
  Instant created_at{};
  std::optional<ClientId> client_id;
  std::string client_name;
  std::optional<UserId> assignee_id;
  std::string assignee_name;
  std::optional<SlaPolicyId> policy_id;  // none: no policy applies (no default policy)
  std::string policy_name;
  TicketMeasures measures;
};

// Business durations of a group: how many values, their median and 90th percentile (nearest rank).
struct DurationSummary {
  int count = 0;
  std::optional<std::chrono::seconds> median;
  std::optional<std::chrono::seconds> p90;
};

// Promises kept and missed; share() is kept / (kept + missed), nullopt when both are 0.
struct Attainment {
  std::int64_t kept = 0;
  std::int64_t missed = 0;
  std::optional<double> share() const {
    if (kept + missed == 0) return std::nullopt;
    return static_cast<double>(kept) / static_cast<double>(kept + missed);
  }
  Attainment& operator+=(const Attainment& o) {
    kept += o.kept;
    missed += o.missed;
    return *this;
  }
};

enum class ReportGrouping { kOverall, kPolicy, kClient, kPerson };
std::string_view Name(ReportGrouping g);  // overall, policy, client, person

struct ReportGroup {
  // The id of the policy, client or person; 0 for "no policy", "no client", "unassigned" and for
  // the overall group.
  std::int64_t id = 0;
  // The policy's, client's or person's name; "No policy", "No client", "Unassigned"; "All tickets"
  // for the overall group.
  std::string name;
  std::int64_t tickets = 0;
  DurationSummary first_response;
  DurationSummary resolution;
  Attainment first_response_attainment;
  Attainment next_response_attainment;
  Attainment resolution_attainment;
  Attainment overall_attainment;  // the sum of the three above
};

struct PromiseReport {
  Instant from{};  // tickets created in [from, to)
  Instant to{};
  Instant now{};   // the clocks' state is as of this instant
  ReportGroup overall;
  // Each list ordered by name (byte order), then id; the group without a policy / client /
  // assignee comes last.
  std::vector<ReportGroup> by_policy;
  std::vector<ReportGroup> by_client;
  std::vector<ReportGroup> by_person;
};

// The nearest-rank percentile (see above) of `values`, which it sorts. p in 1..100; nullopt when
// `values` is empty.
std::optional<std::chrono::seconds> NearestRankPercentile(std::vector<std::chrono::seconds>& values, int p);

// Builds a report from tickets added one at a time (so that a caller can stream 100,000 of them
// without holding their events). Memory: two durations per ticket and group.
class PromiseReportBuilder {
 public:
  PromiseReportBuilder(Instant from, Instant to, Instant now);
  ~PromiseReportBuilder();
  PromiseReportBuilder(PromiseReportBuilder&&) noexcept;
  PromiseReportBuilder& operator=(PromiseReportBuilder&&) noexcept;

  void Add(const ReportTicket& ticket);
  // The report of every ticket added. The builder is left empty.
  PromiseReport Finish();

 private:
  struct State;  // the groups being accumulated (promise_report.cc)
  Instant from_, to_, now_;
  std::unique_ptr<State> state_;
};

// A business duration for people: "3 h 20 min", "45 min", "27 h" (hours are not folded into days:
// a business day has no fixed length); minutes are rounded down, so below a minute is "0 min".
std::string FormatBusinessDuration(std::chrono::seconds d);

// A share of promises kept for people: "75%", "66.7%" (to a tenth of a percent). Rounding never hides
// a miss or a keep: a share below 1 reads at most "99.9%", a share above 0 at least "0.1%".
std::string FormatKeptShare(double share);

}  // namespace rapport
