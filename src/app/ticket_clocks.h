#pragma once
// The promise clocks on every ticket (core/sla_clock.h): what happens to a ticket is recorded as an
// event in the same transaction as the change, and the clocks' results are recomputed from the
// ticket's whole history and stored on the ticket (StoreSession::SaveTicketClocks) for listing and
// sorting. Because the results are a pure function of the events, the policy and the calendar, a
// change of business hours, holidays, zone or policies recomputes every open ticket exactly
// (RecomputeOpenTicketClocks); resolved and closed tickets keep the results they settled with.
//
// Which events a change records (RecordTicketEvent):
//   a new ticket's first message from the client, an inbound message   -> client_message
//   a public reply (email or not; internal notes are not events)          -> agent_reply
//   a status change (by hand, or by a message: reopened, new -> open)     -> status, recorded before
//                                                                            the message that caused it
// A change of priority, or of the client's plan, records nothing but recomputes the clocks.
//
// A PromiseContext (calendar + policies) is loaded once per transaction, lazily, by TicketClocks.
// It is not cached across transactions: loading it costs three small queries, and a cache would
// have to be invalidated by every process that shares the database (two servers on PostgreSQL, the
// CLI beside a server), which the database already does for free.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "app/ports/store.h"
#include "core/business_calendar.h"
#include "core/sla_clock.h"
#include "core/sla_policy.h"

namespace rapport::app {

// The promise a ticket is held to: its client plan's policy (else the default one; nullptr when there
// is none) and that policy's targets for the ticket's priority (none without a policy).
struct PromiseTerms {
  const SlaPolicy* policy = nullptr;
  ResponseTargets targets;
  int warning_percent = SlaPolicy{}.warning_percent;
};

// What every ticket's clocks depend on besides its own history.
struct PromiseContext {
  BusinessCalendar calendar;
  std::vector<SlaPolicy> policies;

  // The terms for a ticket of this priority and client plan (pointing into `policies`).
  PromiseTerms TermsFor(Priority priority, std::string_view plan) const;

  // The clocks of a ticket with these events, priority and client plan, at `now`: the plan's
  // policy (else the default one) and its targets for the priority. No policy: every clock is none.
  SlaClocks Compute(std::span<const TicketEvent> events, Priority priority, std::string_view plan, Instant now) const;
};

// The workspace calendar (LoadWorkspaceCalendar) and the response policies, read in the caller's
// transaction. Errors: the store's, and those of LoadWorkspaceCalendar.
Result<PromiseContext> LoadPromiseContext(StoreSession& s);

// Records one event on a ticket (kNotFound when it does not exist).
Status RecordTicketEvent(StoreSession& s, TicketId ticket, const TicketEvent& e);

// Keeps a transaction's PromiseContext: loaded on first use, reused by every later ticket of the
// transaction. One per transaction (the context must not outlive a change of the settings).
class TicketClocks {
 public:
  explicit TicketClocks(StoreSession& s) : s_(s) {}

  // Records a status change to `to` at `at` (when `from` differs) and then `kind`'s event, if any.
  Status RecordMessage(TicketId ticket, MessageKind kind, TicketStatus from, TicketStatus to, Instant at);
  Status RecordStatus(TicketId ticket, TicketStatus from, TicketStatus to, Instant at);
  // Recomputes `t`'s clocks from its stored events at `now` and saves them. The ticket's priority
  // and client are read from `t` (as the caller is about to store it, or has stored it).
  Status Refresh(const Ticket& t, Instant now);

 private:
  Result<const PromiseContext*> Context();

  StoreSession& s_;
  std::optional<PromiseContext> context_;
};

// Sets t.sla_state to the state at `now` of its stored clocks (OverallStateAt): a running promise
// whose warning or due time has passed since it was computed reads as warning or breached. Desk
// applies it to every ticket it reads, so lists and pages show the state at request time.
void SetStateAt(Ticket& t, Instant now);

// Recomputes `t`'s clocks in the caller's transaction with a freshly loaded context.
Status RefreshTicketClocks(StoreSession& s, const Ticket& t, Instant now);

// Recomputes the clocks of every open ticket (only `client`'s when set) in the caller's transaction,
// with the settings as they are in it; returns how many open tickets were computed.
Result<std::int64_t> RecomputeOpenTicketClocksIn(StoreSession& s, std::optional<ClientId> client, Instant now);

// The same in one write transaction of its own on a new session: after an import, and after any
// change of business hours, holidays, zone or policies made outside PromiseSettings.
Result<std::int64_t> RecomputeOpenTicketClocks(Store& store, Instant now);

}  // namespace rapport::app
