#include "app/auto_followups.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "app/desk_support.h"
#include "app/email_outbox.h"
#include "app/email_support.h"
#include "app/promise_settings.h"
#include "app/reminders.h"
#include "app/ticket_clocks.h"
#include "app/ticket_rules.h"
#include "app/transaction.h"
#include "app/zone_rules_loader.h"
#include "core/auto_followup_text.h"

namespace rapport::app {
namespace {

constexpr int kWaitingPage = 100;

// The zone the client reads times in: theirs, else the workspace's, else UTC.
ZoneRules ClientZone(const std::string& client_zone, const std::string& workspace_zone) {
  for (const std::string* name : {&client_zone, &workspace_zone}) {
    if (name->empty()) continue;
    if (auto rules = LoadZoneRules(*name); rules.ok()) return std::move(rules).value();
  }
  return ZoneRules();
}

// The automatic email to the ticket's contact that continues its thread, with `markdown` as the
// body; nullopt when it must not go: the ticket cannot be answered by email, no mailbox is
// configured, or loop protection refuses (an answer to a robot, or the hourly limit).
Result<std::optional<OutboxEntry>> PrepareAutomaticEmail(StoreSession& s, const Ticket& ticket,
                                                         AutoReplyKind answering, Instant now) {
  // From the team (the mailbox's name), not from a person: nobody wrote it.
  RAPPORT_ASSIGN_OR_RETURN(std::optional<OutboxEntry> e, PrepareReplyEmail(s, ticket, User{}, "", now));
  if (!e || !e->mailbox_id || e->email.to.empty()) return std::optional<OutboxEntry>();
  const std::string recipient = NormalizedAddress(e->email.to.front());
  RAPPORT_ASSIGN_OR_RETURN(bool allowed, MaySendAutomaticMail(s, answering, recipient, now));
  if (!allowed) return std::optional<OutboxEntry>();
  e->purpose = OutboxPurpose::kAutomatic;
  e->email.auto_submitted = true;
  // Only the person who wrote: people copied on the thread do not need the automatic mail.
  e->email.cc.clear();
  e->recipients = {recipient};
  return e;
}

std::string ContactName(const OutboxEntry& e) { return e.email.to.empty() ? std::string() : e.email.to.front().name; }

// How the client's latest message on the ticket was classified (kNone when none was received by email).
Result<AutoReplyKind> LatestReceivedKind(StoreSession& s, TicketId ticket) {
  RAPPORT_ASSIGN_OR_RETURN(std::vector<EmailRecord> emails, s.ListEmailRecords(ticket));
  for (auto it = emails.rbegin(); it != emails.rend(); ++it) {
    if (!it->raw_sha256.empty()) return it->auto_reply;  // received mail keeps its bytes; sent mail does not
  }
  return AutoReplyKind::kNone;
}

// The next step due on a waiting ticket.
struct NudgeStep {
  bool close = false;  // else a nudge
  int number = 0;      // the nudges row it is recorded as (the close takes the number after the last nudge)
  int limit = 0;
};

std::optional<NudgeStep> DueStep(const Workspace& w, const BusinessCalendar& calendar, const WaitingTicket& t,
                                 Instant now) {
  const Instant last = t.latest_nudge ? t.latest_nudge->sent_at : t.waiting_since;
  // Waiting counts only from when nudges were switched on: old history is not nudged at once.
  const Instant anchor = std::max(last, w.nudges_since);
  const std::optional<Instant> due = AddBusinessDays(calendar, anchor, w.nudge_after_days);
  if (!due || now < *due) return std::nullopt;
  const int number = t.latest_nudge ? t.latest_nudge->number + 1 : 1;
  return NudgeStep{number > w.nudge_limit, number, w.nudge_limit};
}

// Sends nudge `step.number`; false when nothing was sent (no email possible, refused, or sent already).
Result<bool> SendNudge(StoreSession& s, const Ticket& t, const WaitingTicket& waiting, const NudgeStep& step,
                       Instant now) {
  RAPPORT_ASSIGN_OR_RETURN(AutoReplyKind answering, LatestReceivedKind(s, t.id));
  RAPPORT_ASSIGN_OR_RETURN(std::optional<OutboxEntry> email, PrepareAutomaticEmail(s, t, answering, now));
  if (!email) return false;
  RAPPORT_ASSIGN_OR_RETURN(bool first, s.InsertNudge(t.id, waiting.waiting_since, step.number, now));
  if (!first) return false;
  email->email.markdown = NudgeText(t.number, ContactName(*email), step.number, step.limit);
  RAPPORT_ASSIGN_OR_RETURN(OutboxId outbox, s.InsertOutbox(*email));
  AuditDetail d;
  d.Set("nudge", step.number).Set("of", step.limit).Set("outbox_id", outbox.value);
  RAPPORT_RETURN_IF_ERROR(WriteAudit(s, std::nullopt, "ticket", t.id.value, "nudge", d, now));
  return true;
}

// Closes the ticket with the friendly note, a public reply stored on it and emailed when it can be.
Result<bool> CloseUnanswered(StoreSession& s, Ticket t, const WaitingTicket& waiting, const NudgeStep& step,
                             Instant now) {
  RAPPORT_ASSIGN_OR_RETURN(AutoReplyKind answering, LatestReceivedKind(s, t.id));
  RAPPORT_ASSIGN_OR_RETURN(std::optional<OutboxEntry> email, PrepareAutomaticEmail(s, t, answering, now));
  if (!email) return false;  // nudges could not go either; the team decides about this one
  RAPPORT_ASSIGN_OR_RETURN(bool first, s.InsertNudge(t.id, waiting.waiting_since, step.number, now));
  if (!first) return false;
  email->email.markdown = ClosingNoteText(t.number, ContactName(*email));

  Message note;
  note.ticket_id = t.id;
  note.kind = MessageKind::kReply;
  note.channel = t.channel;
  note.body_text = email->email.markdown;
  note.external_id = email->email.message_id;
  note.created_at = now;
  RAPPORT_ASSIGN_OR_RETURN(InsertedMessage inserted, s.InsertMessage(note));
  RAPPORT_RETURN_IF_ERROR(QueueEmail(s, std::move(*email), inserted.id));

  const TicketStatus before = t.status;
  ApplyMessageToTicket(t, MessageKind::kReply, now);
  MoveToStatus(t, TicketStatus::kClosed, now);
  t.updated_at = now;
  RAPPORT_RETURN_IF_ERROR(s.UpdateTicket(t));
  TicketClocks clocks(s);
  RAPPORT_RETURN_IF_ERROR(clocks.RecordMessage(t.id, MessageKind::kReply, before, t.status, now));
  RAPPORT_RETURN_IF_ERROR(clocks.Refresh(t, now));
  AuditDetail d;
  d.Change("status", std::string(Name(before)), std::string(Name(t.status)))
      .Set("message_id", inserted.id.value)
      .Set("reason", "no answer after " + std::to_string(step.number - 1) + " nudge(s)");
  RAPPORT_RETURN_IF_ERROR(WriteAudit(s, std::nullopt, "ticket", t.id.value, "update", d, now));
  return true;
}

// Decides and acts on one waiting ticket in a write transaction of its own, with the settings the
// page was read with.
Result<NudgeRound> ProcessWaitingTicket(StoreSession& s, const Workspace& w, const BusinessCalendar& calendar,
                                        TicketId id, Instant now) {
  NudgeRound round;
  Transaction tx(s);
  RAPPORT_RETURN_IF_ERROR(tx.began());
  // Read again inside the transaction: the client may have answered, a person or another node acted.
  RAPPORT_ASSIGN_OR_RETURN(std::optional<WaitingTicket> waiting, s.GetWaitingTicket(id));
  if (!waiting) return round;
  const std::optional<NudgeStep> step = DueStep(w, calendar, *waiting, now);
  if (!step) return round;
  RAPPORT_ASSIGN_OR_RETURN(Ticket t, s.GetTicket(id));
  if (step->close) {
    RAPPORT_ASSIGN_OR_RETURN(bool closed, CloseUnanswered(s, t, *waiting, *step, now));
    round.closed += closed ? 1 : 0;
  } else {
    RAPPORT_ASSIGN_OR_RETURN(bool nudged, SendNudge(s, t, *waiting, *step, now));
    round.nudges += nudged ? 1 : 0;
  }
  RAPPORT_RETURN_IF_ERROR(tx.Commit());
  return round;
}

// A page of waiting tickets and what is needed to decide on them, read in one snapshot.
struct WaitingPage {
  Workspace workspace;
  BusinessCalendar calendar;
  std::vector<WaitingTicket> tickets;
};

// The waiting tickets after `after` (at most kWaitingPage) with the workspace and its calendar;
// nullopt when nudges are off or nothing more waits. Most runs end here, in a read that takes no
// write lock.
Result<std::optional<WaitingPage>> ReadWaitingPage(StoreSession& s, TicketId after) {
  Transaction tx(s, TransactionMode::kReadOnly);
  RAPPORT_RETURN_IF_ERROR(tx.began());
  RAPPORT_ASSIGN_OR_RETURN(Workspace w, s.GetWorkspace());
  if (w.nudge_after_days <= 0) return std::optional<WaitingPage>();
  RAPPORT_ASSIGN_OR_RETURN(std::vector<WaitingTicket> tickets, s.ListTicketsWaitingOnClient(after, kWaitingPage));
  if (tickets.empty()) return std::optional<WaitingPage>();
  RAPPORT_ASSIGN_OR_RETURN(BusinessCalendar calendar, LoadWorkspaceCalendar(s, w));
  return std::optional<WaitingPage>(WaitingPage{std::move(w), std::move(calendar), std::move(tickets)});
}

}  // namespace

Result<bool> AcknowledgeNewRequest(StoreSession& s, TicketId id, AutoReplyKind answering, Instant now) {
  RAPPORT_ASSIGN_OR_RETURN(Workspace w, s.GetWorkspace());
  if (!w.acknowledge_requests) return false;
  // Read after the caller computed the clocks: first_response_due_at is the promise.
  RAPPORT_ASSIGN_OR_RETURN(Ticket t, s.GetTicket(id));
  RAPPORT_ASSIGN_OR_RETURN(std::optional<OutboxEntry> email, PrepareAutomaticEmail(s, t, answering, now));
  if (!email) return false;
  std::string client_zone;
  if (t.client_id) {
    RAPPORT_ASSIGN_OR_RETURN(Client c, s.GetClient(*t.client_id));
    client_zone = c.time_zone;
  }
  const ZoneRules zone = ClientZone(client_zone, w.time_zone);
  email->email.markdown = AcknowledgementText(t.number, ContactName(*email), t.first_response_due_at, zone);
  RAPPORT_ASSIGN_OR_RETURN(OutboxId outbox, s.InsertOutbox(*email));
  AuditDetail d;
  d.Set("outbox_id", outbox.value).Set("time_zone", zone.name());
  d.Set("reply_by", t.first_response_due_at ? FormatRfc3339(*t.first_response_due_at) : std::string("none"));
  RAPPORT_RETURN_IF_ERROR(WriteAudit(s, std::nullopt, "ticket", t.id.value, "acknowledge", d, now));
  return true;
}

Result<NudgeRound> SendDueNudges(SessionPool& pool, Instant now) {
  RAPPORT_ASSIGN_OR_RETURN(SessionPool::Lease s, pool.Acquire());
  NudgeRound total;
  TicketId after;
  for (;;) {
    RAPPORT_ASSIGN_OR_RETURN(std::optional<WaitingPage> page, ReadWaitingPage(*s, after));
    if (!page) return total;
    for (const WaitingTicket& t : page->tickets) {
      if (!DueStep(page->workspace, page->calendar, t, now)) continue;
      RAPPORT_ASSIGN_OR_RETURN(NudgeRound one, ProcessWaitingTicket(*s, page->workspace, page->calendar, t.id, now));
      total.nudges += one.nudges;
      total.closed += one.closed;
    }
    after = page->tickets.back().id;
  }
}

}  // namespace rapport::app
