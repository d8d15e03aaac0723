#include "app/promise_alerts.h"

#include <optional>
#include <string>
#include <vector>

#include "app/local_time.h"
#include "app/notices.h"
#include "app/transaction.h"

namespace rapport::app {
namespace {

constexpr int kCandidatesPerRound = 100;
// Promises broken longer ago than this are history, not news: the first start of a desk upgraded with
// months of tickets (or the demo data) alerts nobody about them, nor does a worker that was down.
constexpr std::chrono::hours kBrokenLookback{24};

// Which promise the ticket's nearest due time belongs to, for the message.
std::string PromiseName(const PromiseAlertCandidate& c) {
  if (c.first_response_due_at == c.due_at) return "first response";
  if (c.next_response_due_at == c.due_at) return "next response";
  if (c.resolution_due_at == c.due_at) return "resolution";
  return "response";
}

// One ticket's alert in its own transaction; false when someone else raised it, or the promise
// moved since the candidate was listed.
Result<bool> AlertOne(StoreSession& s, const NoticeContext& context, const PromiseAlertCandidate& listed,
                      Instant now) {
  Transaction tx(s);
  RAPPORT_RETURN_IF_ERROR(tx.began());
  auto ticket = s.GetTicket(listed.id);
  if (!ticket.ok() && ticket.status().code() == StatusCode::kNotFound) return false;
  if (!ticket.ok()) return ticket.status();
  if (ticket->sla_due_at != listed.due_at || !IsOpen(ticket->status)) return false;
  const bool broken = listed.due_at < now;  // broken once the due time has passed (core/sla_clock.h)
  const std::string level = broken ? "breach" : "warning";
  RAPPORT_ASSIGN_OR_RETURN(bool fresh, s.InsertPromiseAlert(listed.id, level, listed.due_at, now));
  if (!fresh) return false;

  const std::vector<User> people = context.OwnersAnd(ticket->assignee_id);
  const std::string promise = PromiseName(listed);
  const std::string reference = "#" + std::to_string(ticket->number) + " " + ticket->subject;
  for (const User& person : people) {
    NoticeDraft n;
    n.user_id = person.id;
    n.kind = broken ? "promise_breach" : "promise_warning";
    n.ticket_id = ticket->id;
    n.client_id = ticket->client_id;
    n.title = (broken ? "Promise broken: " : "Promise at risk: ") + reference;
    n.body = "The " + promise + (broken ? " was due " : " is due ") +
             FormatReadableDateTime(listed.due_at, person.time_zone) + ".";
    n.dedup_key = "promise_" + level + ":" + std::to_string(ticket->id.value) + "@" +
                  std::to_string(ToUnix(listed.due_at));
    RAPPORT_RETURN_IF_ERROR(RaiseNotice(s, context, n, now).status());
  }
  RAPPORT_RETURN_IF_ERROR(tx.Commit());
  return true;
}

}  // namespace

Result<int> RaisePromiseAlerts(SessionPool& pool, Instant now) {
  RAPPORT_ASSIGN_OR_RETURN(SessionPool::Lease s, pool.Acquire());
  int alerted = 0;
  std::optional<NoticeContext> context;  // read with the first page that has candidates
  for (;;) {
    std::vector<PromiseAlertCandidate> candidates;
    {
      Transaction read(*s, TransactionMode::kReadOnly);
      RAPPORT_RETURN_IF_ERROR(read.began());
      RAPPORT_ASSIGN_OR_RETURN(candidates,
                               s->ListPromiseAlertCandidates(now, now - kBrokenLookback, kCandidatesPerRound));
      if (candidates.empty()) return alerted;
      if (!context) {
        RAPPORT_ASSIGN_OR_RETURN(context, LoadNoticeContext(*s));
      }
    }
    int raised_now = 0;
    for (const PromiseAlertCandidate& c : candidates) {
      RAPPORT_ASSIGN_OR_RETURN(bool raised, AlertOne(*s, *context, c, now));
      if (raised) ++raised_now;
    }
    alerted += raised_now;
    // A short page was the last; a page with nothing raised (all moved or taken by another node
    // meanwhile) would only be listed again, so the next round of the worker looks afresh.
    if (candidates.size() < static_cast<std::size_t>(kCandidatesPerRound) || raised_now == 0) return alerted;
  }
}

}  // namespace rapport::app
