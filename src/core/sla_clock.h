#pragma once
// Promise (SLA) clocks as a pure function of a ticket's event history, its targets and the
// business calendar, so that a change of policy or calendar recomputes them exactly.
//
// The three clocks:
//  - first response: starts at the first client message; stops at the first public reply.
//  - next response: starts at the first client message after a public reply, or after the ticket
//    was resolved or closed without one (while no response clock runs); stops at the next public
//    reply. Each such cycle is counted in next_response_met /
//    next_response_breached; the result's next_response is the latest cycle.
//  - resolution: starts at the first client message; stops when the ticket is resolved or closed,
//    and runs on (accumulating) if the ticket is reopened.
// All clocks count business time only, and are paused while the ticket waits on the client or is on
// hold (waiting on approval): paused time never counts. Resolving or closing a ticket also stops the
// response clocks that are running (the request is settled).
// A promise is kept when its clock stops at or before the due time, and broken once the due time has
// passed: at the due second itself a running clock is not yet breached (it is the second after).
// A ticket opened by the team (first event a public reply) has no first-response clock.

#include <chrono>
#include <optional>
#include <span>
#include <string_view>

#include "core/business_calendar.h"
#include "core/sla_policy.h"
#include "core/time.h"
#include "core/vocabulary.h"

namespace rapport {

enum class SlaState { kNone, kOk, kWarning, kBreached, kMet, kPaused };
std::string_view Name(SlaState s);  // none, ok, warning, breached, met, paused
std::optional<SlaState> ParseSlaState(std::string_view s);

enum class TicketEventKind { kClientMessage, kAgentReply, kStatus };
std::string_view Name(TicketEventKind k);  // client_message, agent_reply, status
std::optional<TicketEventKind> ParseTicketEventKind(std::string_view s);

struct TicketEvent {
  Instant at{};
  TicketEventKind kind = TicketEventKind::kClientMessage;
  TicketStatus status = TicketStatus::kOpen;  // kStatus only: the status the ticket changed to
  friend bool operator==(const TicketEvent&, const TicketEvent&) = default;
};

struct ClockResult {
  // kNone: no target of this kind, or the clock never started. kOk/kWarning/kBreached: running.
  // kPaused: started and paused now. kMet/kBreached after stopped_at: settled.
  // A clock without a target promises nothing (kNone, no due or warning time, target 0), but once
  // stopped it has started_at, stopped_at and elapsed as one with a target would (the promise
  // report's times); while it runs or is paused it is empty.
  SlaState state = SlaState::kNone;
  std::optional<Instant> started_at;
  std::optional<Instant> stopped_at;
  // While running: when the target is reached / the warning share is. Settled: the due time that
  // applied when it stopped. Paused or no business time in the calendar: nullopt.
  std::optional<Instant> due_at;
  std::optional<Instant> warning_at;
  std::chrono::seconds elapsed{0};  // business time counted, to now or to stopped_at
  std::chrono::seconds target{0};
  bool running() const { return state == SlaState::kOk || state == SlaState::kWarning ||
                                (state == SlaState::kBreached && !stopped_at); }
};

struct SlaClocks {
  ClockResult first_response;
  ClockResult next_response;
  ClockResult resolution;
  int next_response_met = 0;
  int next_response_breached = 0;
  // The ticket's badge: the worst running clock (breached > warning > ok); else paused if any clock
  // is paused; else breached if a settled clock missed its target, met if one kept it; else none.
  SlaState overall = SlaState::kNone;
  std::optional<Instant> due_at;          // earliest due_at of the running clocks (the inbox sort key)
  std::optional<Instant> warning_at;      // earliest warning_at of the running clocks
  // When time alone next changes the state: the earliest warning_at after `now`, or the second after
  // a running clock's due_at (the first second it is breached).
  std::optional<Instant> next_change_at;
};

// `events` in the order they happened (ties keep their order). Pure; `now` is passed in.
SlaClocks ComputeSlaClocks(std::span<const TicketEvent> events, const ResponseTargets& targets,
                           int warning_percent, const BusinessCalendar& calendar, Instant now);

// The state at `now` of clocks computed earlier, without recomputing: a running clock whose
// warning_at/due_at has passed since is warning/breached. For listing stored results.
SlaState OverallStateAt(SlaState stored, std::optional<Instant> warning_at, std::optional<Instant> due_at,
                        Instant now);

}  // namespace rapport
