#pragma once
// Automatic mail to clients (issue 4): the acknowledgement of a new request, the nudges to a client
// who owes an answer, and closing the ticket with a friendly note when the nudges go unanswered.
// The words are core/auto_followup_text.h; this file decides when, and queues the mail in the outbox
// in the same transaction as the record that says it was sent, so nothing goes out twice.
//
// Never to robots: no automatic mail answers an auto-reply, bulk or list mail, or a bounce, and none
// goes to an address that already got kMaxAutomaticMailPerHour automatic messages in the last hour
// (MaySendAutomaticMail). A history import (`rapport import`) never acknowledges anything.
//
// Business days. "After N business days" is N times the workspace calendar's average business day
// added with the calendar's exact arithmetic, the rule reminders use (AddBusinessDays, app/reminders.h): Monday 10:00
// + 3 business days (Monday-Friday 09:00-17:00) is Thursday 10:00, and Friday 16:00 + 1 is Monday 16:00.
//
// Nudges. A ticket waits on the client from W, the instant of its latest status change to
// waiting_on_client (see StoreSession::ListTicketsWaitingOnClient). With nudge_after_days = d > 0 and
// nudge_limit = L: nudge 1 goes d business days after W, nudge k+1 d business days after nudge k was
// sent, up to L nudges; d business days after the last one (after W when L = 0) the ticket is
// closed with a public note that is also emailed. A client message ends the waiting period (it
// reopens the ticket; a later wait is a new period with its own numbering). Each nudge and the close
// are recorded as (ticket, W, number) in the nudges table in the transaction that queues the email;
// the primary key makes a second worker, or a rerun after a crash, send nothing.
// Waiting counts only from Workspace::nudges_since (when nudges were last switched on, or the upgrade
// that brought them): nudge 1 goes d business days after max(W, nudges_since), so that turning nudges
// on (or upgrading a desk with months of waiting tickets) does not nudge old history all at once.

#include <chrono>
#include <optional>

#include "app/periodic_worker.h"
#include "app/ports/email.h"
#include "app/ports/store.h"
#include "app/session_pool.h"

namespace rapport::app {

// Inside the caller's transaction (EmailIntake, for a ticket it just opened from a client's email,
// after its promise clocks were computed): queues the acknowledgement of `ticket`, naming its first
// response due time in the client's zone (Client::time_zone, else the workspace's). Does nothing,
// without error, when the workspace's acknowledge_requests is off, no mailbox is configured, the
// ticket cannot be answered by email, the message was an auto-reply, bulk mail or a bounce
// (`answering`), or the rate limit refuses. Returns whether an acknowledgement was queued.
Result<bool> AcknowledgeNewRequest(StoreSession& s, TicketId ticket, AutoReplyKind answering, Instant now);

// What SendDueNudges did in one run.
struct NudgeRound {
  int nudges = 0;  // nudge emails queued
  int closed = 0;  // tickets closed with the note
};

// One run of the nudge worker at `now` over every ticket waiting on the client, one transaction per
// ticket that has something due. Safe to run concurrently on several nodes and again after a crash.
// Errors: the store's (kUnavailable: retry next run; what was committed stays).
Result<NudgeRound> SendDueNudges(SessionPool& pool, Instant now);

// The nudge worker of `rapport serve`: SendDueNudges every `poll`; an error (the database away) is
// retried on the next round.
inline PeriodicWorker MakeNudgeWorker(SessionPool& pool, const Clock& clock, std::chrono::milliseconds poll) {
  return PeriodicWorker([&pool](Instant now) { (void)SendDueNudges(pool, now); }, clock, poll);
}

}  // namespace rapport::app
