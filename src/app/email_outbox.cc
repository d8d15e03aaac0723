#include "app/email_outbox.h"

#include <algorithm>
#include <array>

#include "app/desk_support.h"
#include "app/email_support.h"
#include "app/unit_of_work.h"
#include "core/email_threading.h"
#include "core/identity.h"
#include "core/thread_index.h"
#include "security/tokens.h"

namespace rapport::app {
namespace {

constexpr std::size_t kMaxReferences = 20;  // the thread's start and its latest messages are what matter

bool AnswerableByEmail(Channel c) {
  return c == Channel::kEmail || c == Channel::kWebForm || c == Channel::kApi;
}

// "<random>@domain": 43 random URL-safe characters are as unguessable as a session id, which matters
// because knowing a Message-ID lets a sender join a ticket (core/email_threading.h).
Result<std::string> NewMessageId(const std::string& from_address) {
  RAPPORT_ASSIGN_OR_RETURN(std::string token, security::RandomToken());
  std::string domain = EmailDomain(from_address);
  if (domain.empty()) domain = "rapport.invalid";
  return "rapport." + token + "@" + domain;
}

Result<std::string> ReplyThreadIndex(const std::vector<EmailRecord>& emails, Instant now) {
  std::array<std::uint8_t, 17> random{};
  RAPPORT_RETURN_IF_ERROR(security::RandomBytes(random));
  for (auto it = emails.rbegin(); it != emails.rend(); ++it) {
    if (it->thread_index.empty()) continue;
    if (auto child = AppendThreadIndexChild(it->thread_index, now, random[16])) return *child;
  }
  return MakeThreadIndex(now, std::span<const std::uint8_t, 16>(random.data(), 16));
}

Result<std::vector<EmailAddress>> ParticipantAddresses(StoreSession& s, TicketId ticket, const std::string& to) {
  std::vector<EmailAddress> cc;
  RAPPORT_ASSIGN_OR_RETURN(auto participants, s.ListParticipants(ticket));
  for (ContactId id : participants) {
    RAPPORT_ASSIGN_OR_RETURN(Contact c, s.GetContact(id));
    if (c.emails.empty() || c.emails.front() == to) continue;
    cc.push_back(EmailAddress{c.name == c.emails.front() ? "" : c.name, c.emails.front()});
  }
  return cc;
}

std::vector<std::string> Recipients(const OutgoingEmail& e) {
  std::vector<std::string> out;
  for (const auto* list : {&e.to, &e.cc}) {
    for (const auto& a : *list) {
      const std::string n = NormalizedAddress(a);
      if (!n.empty() && std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
    }
  }
  return out;
}

Status SaveDelivery(SessionPool& pool, const OutboxEntry& e) {
  return InTransaction(pool, [&](StoreSession& s) -> Result<Done> {
    RAPPORT_RETURN_IF_ERROR(s.UpdateOutboxDelivery(e));
    return Done{};
  }).status();
}

}  // namespace

Result<std::optional<OutboxEntry>> PrepareReplyEmail(StoreSession& s, const Ticket& ticket, const User& author,
                                                     const std::string& markdown, Instant now) {
  if (!AnswerableByEmail(ticket.channel)) return std::optional<OutboxEntry>();
  RAPPORT_ASSIGN_OR_RETURN(Contact contact, s.GetContact(ticket.contact_id));
  if (contact.emails.empty()) return std::optional<OutboxEntry>();

  RAPPORT_ASSIGN_OR_RETURN(auto emails, s.ListEmailRecords(ticket.id));
  RAPPORT_ASSIGN_OR_RETURN(auto mailboxes, s.ListMailboxes());
  const std::optional<Mailbox> mailbox = SendingMailbox(emails, mailboxes);

  OutboxEntry e;
  e.ticket_id = ticket.id;
  e.purpose = OutboxPurpose::kReply;
  if (mailbox) {
    e.mailbox_id = mailbox->id;
    const std::string team = mailbox->display_name.empty() ? mailbox->name : mailbox->display_name;
    e.email.from = EmailAddress{author.name.empty() ? team : author.name + " (" + team + ")", mailbox->address};
  }
  e.email.to = {EmailAddress{contact.name == contact.emails.front() ? "" : contact.name, contact.emails.front()}};
  RAPPORT_ASSIGN_OR_RETURN(e.email.cc, ParticipantAddresses(s, ticket.id, contact.emails.front()));
  RAPPORT_ASSIGN_OR_RETURN(e.email.message_id, NewMessageId(e.email.from.address));

  // Continue the conversation from its latest message: In-Reply-To names it, References carries the
  // thread's first message and the latest ones.
  if (!emails.empty()) {
    const EmailRecord& latest = emails.back();
    if (!latest.rfc_message_id.empty()) e.email.in_reply_to = {latest.rfc_message_id};
    std::vector<std::string> refs = latest.references;
    if (!latest.rfc_message_id.empty()) refs.push_back(latest.rfc_message_id);
    if (refs.size() > kMaxReferences) refs.erase(refs.begin() + 1, refs.end() - (kMaxReferences - 1));
    e.email.references = std::move(refs);
  }
  RAPPORT_ASSIGN_OR_RETURN(e.email.thread_index, ReplyThreadIndex(emails, now));
  e.email.thread_topic = ticket.subject;
  const std::string subject = SubjectWithTicketReference(ticket.number, ticket.subject);
  e.email.subject = emails.empty() ? subject : "Re: " + subject;
  e.email.date = now;
  e.email.markdown = markdown;
  e.envelope_from = e.email.from.address;
  e.recipients = Recipients(e.email);
  e.state = OutboxState::kQueued;
  e.next_attempt_at = now;
  e.created_at = now;
  return std::optional<OutboxEntry>(std::move(e));
}

Status QueueEmail(StoreSession& s, OutboxEntry entry, MessageId message) {
  entry.message_id = message;
  RAPPORT_RETURN_IF_ERROR(s.InsertOutbox(entry).status());
  EmailRecord r;
  r.message_id = message;
  r.ticket_id = entry.ticket_id.value_or(TicketId());
  r.rfc_message_id = entry.email.message_id;
  r.in_reply_to = entry.email.in_reply_to;
  r.references = entry.email.references;
  r.thread_index = entry.email.thread_index;
  r.thread_index_root = ThreadIndexRoot(entry.email.thread_index).value_or("");
  r.from = entry.email.from;
  r.to = entry.email.to;
  r.cc = entry.email.cc;
  r.subject = entry.email.subject;
  r.mailbox_id = entry.mailbox_id;
  r.auto_reply = entry.email.auto_submitted ? AutoReplyKind::kAutoReply : AutoReplyKind::kNone;
  return s.InsertEmailRecord(r);
}

Result<bool> MaySendAutomaticMail(StoreSession& s, AutoReplyKind answering, const std::string& normalized_recipient,
                                  Instant now, int per_hour) {
  if (answering != AutoReplyKind::kNone || normalized_recipient.empty()) return false;
  RAPPORT_ASSIGN_OR_RETURN(int recent, s.CountAutomaticMailTo(normalized_recipient, now - std::chrono::hours(1)));
  return recent < per_hour;
}

std::optional<std::chrono::seconds> RetryDelay(int attempts) {
  using std::chrono::minutes;
  // About two days in all: long enough to ride out a mail server's maintenance window.
  static constexpr std::array<minutes, 9> kDelays = {minutes(1),   minutes(5),   minutes(15),
                                                     minutes(30),  minutes(60),  minutes(120),
                                                     minutes(240), minutes(480), minutes(1440)};
  if (attempts < 1 || attempts > static_cast<int>(kDelays.size())) return std::nullopt;
  return kDelays[static_cast<std::size_t>(attempts - 1)];
}

Result<OutboxWorker::RoundReport> OutboxWorker::RunOnce() {
  RoundReport report;
  const Instant now = clock_.Now();
  // Settle sends that were cut short (see the header): failed, never re-sent on their own.
  RAPPORT_ASSIGN_OR_RETURN(auto interrupted, InReadOnlyTransaction(pool_, [&](StoreSession& s) {
                             return s.ListExpiredOutboxLeases(now);
                           }));
  for (auto& e : interrupted) {
    e.state = OutboxState::kFailed;
    e.lease_until.reset();
    e.last_reply =
        "sending was interrupted (the server stopped while talking to the mail server), so it may or may not "
        "have been delivered; it is not sent again on its own to avoid a duplicate — check with the client or "
        "use Retry";
    RAPPORT_RETURN_IF_ERROR(SaveDelivery(pool_, e));
    ++report.interrupted;
  }
  // Most rounds find nothing due: look first in a read, and take the write lock only to claim.
  RAPPORT_ASSIGN_OR_RETURN(auto next, InReadOnlyTransaction(pool_, [](StoreSession& s) {
                             return s.NextOutboxAttempt();
                           }));
  if (!next || *next > now) return report;
  RAPPORT_ASSIGN_OR_RETURN(auto claimed, InTransaction(pool_, [&](StoreSession& s) {
                             return s.ClaimDueOutbox(now, now + options_.lease, options_.batch);
                           }));
  for (auto& e : claimed) RAPPORT_RETURN_IF_ERROR(Deliver(std::move(e), report));
  return report;
}

Status OutboxWorker::Deliver(OutboxEntry e, RoundReport& report) {
  const Instant now = clock_.Now();
  auto fail = [&](std::string why, int code) {
    e.state = OutboxState::kFailed;
    e.lease_until.reset();
    e.last_code = code;
    e.last_reply = std::move(why);
    ++report.failed;
    return SaveDelivery(pool_, e);
  };

  struct Loaded {
    std::optional<Mailbox> mailbox;
    std::vector<EmailAttachment> attachments;
  };
  RAPPORT_ASSIGN_OR_RETURN(Loaded loaded, InReadOnlyTransaction(pool_, [&](StoreSession& s) -> Result<Loaded> {
                             Loaded l;
                             if (e.mailbox_id) {
                               auto m = s.GetMailbox(*e.mailbox_id);
                               if (m.ok()) l.mailbox = *m;
                               else if (m.status().code() != StatusCode::kNotFound) return m.status();
                             }
                             for (AttachmentId id : e.attachment_ids) {
                               RAPPORT_ASSIGN_OR_RETURN(StoredAttachment a, s.GetAttachment(id));
                               RAPPORT_ASSIGN_OR_RETURN(auto data, s.GetBlob(a.sha256));
                               l.attachments.push_back(EmailAttachment{a.filename, a.content_type, a.content_id,
                                                                       a.is_inline, a.size, data.value_or(""), "", a.sha256});
                             }
                             return l;
                           }));
  if (!loaded.mailbox || loaded.mailbox->smtp.host.empty()) {
    return fail("no outgoing mail server is set up: add one in Settings → Email, then use Retry", 0);
  }
  OutgoingEmail email = e.email;
  email.attachments = std::move(loaded.attachments);
  auto raw = composer_.Compose(email);
  if (!raw.ok()) return fail("the message could not be built: " + raw.status().message(), 0);

  const SmtpOutcome outcome = sender_.Send(loaded.mailbox->smtp, e.envelope_from, e.recipients, *raw);
  e.last_code = outcome.code;
  e.last_reply = outcome.server_reply;
  e.lease_until.reset();
  switch (outcome.kind) {
    case SmtpOutcome::Kind::kSent:
      e.state = OutboxState::kSent;
      e.sent_at = now;
      ++report.sent;
      break;
    case SmtpOutcome::Kind::kPermanentFailure:
      e.state = OutboxState::kFailed;
      ++report.failed;
      break;
    case SmtpOutcome::Kind::kTemporaryFailure:
      if (auto delay = RetryDelay(e.attempts)) {
        e.state = OutboxState::kQueued;
        e.next_attempt_at = now + *delay;
        ++report.retried;
      } else {
        e.state = OutboxState::kFailed;
        e.last_reply = "gave up after " + std::to_string(e.attempts) + " attempts; last answer: " + e.last_reply;
        ++report.failed;
      }
      break;
  }
  return SaveDelivery(pool_, e);
}

Result<std::vector<OutboxEntry>> EmailOutbox::ListForTicket(const Actor& actor, TicketId ticket) {
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) -> Result<std::vector<OutboxEntry>> {
    RAPPORT_RETURN_IF_ERROR(LoadVisibleTicket(s, actor, ticket).status());
    return s.ListOutboxForTicket(ticket);
  });
}

Result<OutboxEntry> EmailOutbox::Retry(const Actor& actor, OutboxId id) {
  const Instant now = clock_.Now();
  return InTransaction(pool_, [&](StoreSession& s) -> Result<OutboxEntry> {
    RAPPORT_ASSIGN_OR_RETURN(OutboxEntry e, s.GetOutbox(id));
    if (e.ticket_id) RAPPORT_RETURN_IF_ERROR(LoadVisibleTicket(s, actor, *e.ticket_id).status());
    if (e.state != OutboxState::kFailed) {
      return Status::Conflict("only a message that failed can be sent again; this one is " +
                              std::string(OutboxStateName(e.state)));
    }
    e.state = OutboxState::kQueued;
    e.next_attempt_at = now;
    e.attempts = 0;
    e.last_reply = "queued again by a person";
    RAPPORT_RETURN_IF_ERROR(s.UpdateOutboxDelivery(e));
    if (e.ticket_id) {
      AuditDetail d;
      d.Set("outbox_id", e.id.value);
      RAPPORT_RETURN_IF_ERROR(WriteAudit(s, actor.id, "ticket", e.ticket_id->value, "email_retry", d, now));
    }
    return e;
  });
}

}  // namespace rapport::app
