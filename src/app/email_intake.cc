#include "app/email_intake.h"

#include <algorithm>
#include <unordered_set>

#include "app/auto_followups.h"
#include "app/contact_resolution.h"
#include "app/desk_support.h"
#include "app/email_support.h"
#include "app/ticket_clocks.h"
#include "app/ticket_rules.h"
#include "app/unit_of_work.h"
#include "core/email_threading.h"
#include "core/identity.h"
#include "core/thread_index.h"
#include "security/digest.h"

namespace rapport::app {
namespace {

using Kind = IngestOutcome::Kind;

// Mail dated more than a day ahead of the clock has a wrong Date header; it is dated on arrival.
constexpr auto kMaxClockSkew = std::chrono::hours(24);

// What the intake of one message needs to know beyond the message itself.
struct IntakeContext {
  std::vector<Mailbox> mailboxes;
  Instant now{};
  bool date_by_header = false;  // history import: the message's own Date is when it happened
  // Each message's ticket gets its promise clocks recomputed. A history import only records the
  // events and recomputes every open ticket once at the end (RecomputeOpenTicketClocks).
  bool refresh_clocks = true;
  // A new request from a client gets an automatic acknowledgement (app/auto_followups.h); a history
  // import never sends mail.
  bool acknowledge = true;
};

bool IsMailboxAddress(const std::string& address, const std::vector<Mailbox>& mailboxes) {
  return std::any_of(mailboxes.begin(), mailboxes.end(), [&](const Mailbox& m) { return m.address == address; });
}

Result<std::optional<ThreadCandidate>> CandidateFor(StoreSession& s, TicketId id) {
  auto ticket = s.GetTicket(id);
  if (!ticket.ok()) {
    if (ticket.status().code() == StatusCode::kNotFound) return std::optional<ThreadCandidate>();
    return ticket.status();
  }
  ThreadCandidate c;
  c.ticket_id = ticket->id;
  c.client_id = ticket->client_id;
  c.contact_id = ticket->contact_id;
  RAPPORT_ASSIGN_OR_RETURN(c.participants, s.ListParticipants(ticket->id));
  return std::optional<ThreadCandidate>(std::move(c));
}

// The ticket of the newest stored message that the In-Reply-To / References headers name.
Result<std::optional<ThreadCandidate>> FindByHeaders(StoreSession& s, const InboundEmail& e) {
  std::vector<std::string> ids;
  for (const auto* list : {&e.in_reply_to, &e.references}) {
    for (const auto& id : *list) {
      if (!id.empty() && id.size() <= kMaxExternalIdChars) ids.push_back(id);
    }
  }
  RAPPORT_ASSIGN_OR_RETURN(auto message, s.FindNewestMessageByExternalIds(ids));
  if (!message) return std::optional<ThreadCandidate>();
  return CandidateFor(s, message->ticket_id);
}

Result<EmailSenderFacts> SenderFacts(StoreSession& s, const std::string& address, bool is_team_member) {
  EmailSenderFacts f;
  f.is_team_member = is_team_member;
  RAPPORT_ASSIGN_OR_RETURN(f.contact_id, s.FindContactByEmail(address));
  if (f.contact_id) {
    RAPPORT_ASSIGN_OR_RETURN(Contact c, s.GetContact(*f.contact_id));
    f.client_id = c.client_id;
  }
  if (!f.client_id) {
    RAPPORT_ASSIGN_OR_RETURN(f.client_id, s.FindClientByEmailDomain(EmailDomain(address)));
  }
  return f;
}

Result<Contact> ContactFor(StoreSession& s, const EmailAddress& who, const std::string& address, Instant now) {
  ContactRef ref;
  ref.email = address;
  ref.name = StorableText(OneLine(who.name), kMaxNameChars);  // bytes >= characters: never over the limit
  return ResolveContact(s, ref, std::nullopt, now);
}

// People copied on the message (To and Cc besides the sender, the mailboxes and the team) join the
// ticket as participants, so that replies reach them too.
Status AddCopiedPeople(StoreSession& s, TicketId ticket, ContactId ticket_contact, const InboundEmail& e,
                       const std::string& sender, const IntakeContext& ctx) {
  std::unordered_set<std::string> seen{sender};
  std::size_t added = 0;
  for (const auto* list : {&e.to, &e.cc}) {
    for (const auto& who : *list) {
      if (added >= kMaxEmailParticipants) return Status::Ok();
      const std::string address = NormalizedAddress(who);
      if (address.empty() || !seen.insert(address).second || IsMailboxAddress(address, ctx.mailboxes)) continue;
      RAPPORT_ASSIGN_OR_RETURN(auto user, s.FindUserByEmail(address));
      if (user) continue;
      auto c = ContactFor(s, who, address, ctx.now);
      // Someone copied whose details cannot be kept is left off the ticket; the message still counts.
      if (!c.ok() && c.status().code() == StatusCode::kInvalidArgument) continue;
      if (!c.ok()) return c.status();
      if (c->id == ticket_contact) continue;
      RAPPORT_RETURN_IF_ERROR(s.AddParticipant(ticket, c->id));
      ++added;
    }
  }
  return Status::Ok();
}

// A bounce of mail Rapport sent: that message is marked failed with the remote server's words, and
// the report is kept on the ticket as a note. nullopt when the bounce is not about Rapport's mail.
Result<std::optional<IngestOutcome>> RecordBounce(StoreSession& s, const ReceivedEmail& m,
                                                  const std::string& external_id, const std::string& raw_sha,
                                                  Instant when) {
  const DeliveryFailure& failure = *m.email.delivery_failure;
  if (failure.original_message_id.empty()) return std::optional<IngestOutcome>();
  RAPPORT_ASSIGN_OR_RETURN(auto sent, s.FindOutboxByRfcMessageId(failure.original_message_id));
  if (!sent || !sent->ticket_id) return std::optional<IngestOutcome>();

  std::string why = failure.diagnostic.empty() ? failure.status : failure.diagnostic;
  if (why.empty()) why = "the receiving server reported a delivery failure";
  const bool delayed = failure.action == "delayed";
  if (!delayed) {
    sent->state = OutboxState::kFailed;
    sent->lease_until.reset();
    sent->last_reply =
        StorableText("bounced" + (failure.recipient.empty() ? "" : " by " + failure.recipient) + ": " + why, 2000);
    RAPPORT_RETURN_IF_ERROR(s.UpdateOutboxDelivery(*sent));
  }
  Message note;
  note.ticket_id = *sent->ticket_id;
  note.kind = MessageKind::kNote;
  note.channel = Channel::kEmail;
  note.body_text = StorableText(std::string(delayed ? "Delivery delayed" : "Delivery failed") +
                                    (failure.recipient.empty() ? "" : " to " + failure.recipient) + ": " + why +
                                    (failure.status.empty() ? "" : " (status " + failure.status + ")"),
                                kMaxEmailBodyBytes);
  note.external_id = external_id;
  note.created_at = when;
  RAPPORT_ASSIGN_OR_RETURN(InsertedMessage inserted, s.InsertMessage(note));
  if (!inserted.created) return Status::AlreadyExists("bounce " + external_id + " was stored by another delivery");
  if (!m.raw.empty()) {
    const std::string& sha = raw_sha;
    RAPPORT_RETURN_IF_ERROR(s.PutBlob(sha, m.raw));
    EmailRecord r;
    r.message_id = inserted.id;
    r.ticket_id = *sent->ticket_id;
    r.rfc_message_id = m.email.message_id;
    if (m.email.from) r.from = *m.email.from;
    r.subject = m.email.subject;
    r.auto_reply = AutoReplyKind::kBounce;
    r.raw_sha256 = sha;
    RAPPORT_RETURN_IF_ERROR(s.InsertEmailRecord(r));
  }
  AuditDetail d;
  d.Set("outbox_id", sent->id.value).Set("reason", sent->last_reply);
  RAPPORT_RETURN_IF_ERROR(WriteAudit(s, std::nullopt, "ticket", sent->ticket_id->value,
                                     delayed ? "email_delayed" : "email_bounced", d, when));
  return std::optional<IngestOutcome>(IngestOutcome{Kind::kBounce, *sent->ticket_id, inserted.id});
}

Result<IngestOutcome> IngestOne(StoreSession& s, const ReceivedEmail& m, const IntakeContext& ctx, TicketClocks& clocks) {
  const InboundEmail& e = m.email;
  const std::string raw_sha = m.raw.empty() ? std::string()
                              : m.raw_sha256.empty() ? security::Sha256Hex(m.raw)
                                                     : m.raw_sha256;
  const std::string external_id = EmailExternalId(e.message_id, raw_sha);
  RAPPORT_ASSIGN_OR_RETURN(auto earlier, s.FindMessageByExternalId(external_id));
  if (earlier) return IngestOutcome{Kind::kDuplicate, earlier->ticket_id, earlier->id};

  const std::string sender = e.from ? NormalizedAddress(*e.from) : std::string();
  if (sender.empty()) {
    return Status::InvalidArgument(e.from ? "the sender address \"" + StorableText(e.from->address, 200) +
                                                "\" is not a valid email address"
                                          : "the message has no sender (From) address");
  }
  Instant when = ctx.now;
  if (ctx.date_by_header && e.date && *e.date <= ctx.now + kMaxClockSkew) when = *e.date;

  if (e.delivery_failure) {
    RAPPORT_ASSIGN_OR_RETURN(auto bounce, RecordBounce(s, m, external_id, raw_sha, when));
    if (bounce) return *bounce;
  }

  RAPPORT_ASSIGN_OR_RETURN(auto sender_user, s.FindUserByEmail(sender));
  const bool from_team = sender_user.has_value() && sender_user->active;
  // A team member forwarding a client's mail into the mailbox opens the ticket for the original sender.
  EmailAddress customer = *e.from;
  std::string customer_address = sender;
  std::string subject_source = e.subject;
  if (from_team && e.forwarded) {
    const std::string original = NormalizedAddress(e.forwarded->from);
    RAPPORT_ASSIGN_OR_RETURN(auto original_user, s.FindUserByEmail(original));
    if (!original.empty() && !original_user && !IsMailboxAddress(original, ctx.mailboxes)) {
      customer = e.forwarded->from;
      customer_address = original;
      if (!e.forwarded->subject.empty()) subject_source = e.forwarded->subject;
    }
  }
  const bool forwarded_for_client = customer_address != sender;

  ThreadingFacts facts;
  RAPPORT_ASSIGN_OR_RETURN(facts.by_headers, FindByHeaders(s, e));
  if (!facts.by_headers) {
    const std::string root = ThreadIndexRoot(e.thread_index).value_or("");
    if (!root.empty()) {
      RAPPORT_ASSIGN_OR_RETURN(auto thread, s.FindEmailByThreadIndexRoot(root));
      if (thread) {
        RAPPORT_ASSIGN_OR_RETURN(facts.by_thread_index, CandidateFor(s, thread->ticket_id));
      }
    }
  }
  if (auto number = FindTicketReference(e.subject)) {
    RAPPORT_ASSIGN_OR_RETURN(auto ticket, s.FindTicketByNumber(*number));
    if (ticket) {
      RAPPORT_ASSIGN_OR_RETURN(facts.by_subject, CandidateFor(s, ticket->id));
    }
  }
  RAPPORT_ASSIGN_OR_RETURN(facts.sender, SenderFacts(s, sender, from_team));
  const ThreadDecision decision = DecideThread(facts);

  // The message is the client's words, or (an agent writing into a thread from their own mail
  // program) the agent's reply, already delivered by that program.
  const bool agent_reply = from_team && !forwarded_for_client;
  std::optional<Contact> author;
  if (!agent_reply) {
    RAPPORT_ASSIGN_OR_RETURN(author, ContactFor(s, customer, customer_address, when));
  }

  Ticket ticket;
  Kind kind = Kind::kJoinedTicket;
  if (decision.kind == ThreadDecision::Kind::kJoin) {
    RAPPORT_ASSIGN_OR_RETURN(ticket, s.GetTicket(*decision.ticket_id));
  } else {
    kind = decision.kind == ThreadDecision::Kind::kNewLinkedTicket ? Kind::kLinkedTicket : Kind::kNewTicket;
    if (!author) {
      // A team member's own mail that belongs to no thread: they are its contact, as anyone else.
      RAPPORT_ASSIGN_OR_RETURN(author, ContactFor(s, customer, customer_address, when));
    }
    std::string subject = StorableText(OneLine(CleanSubject(subject_source)), kMaxSubjectChars);
    if (subject.empty()) subject = "(no subject)";
    ticket.subject = subject;
    ticket.client_id = author->client_id;
    ticket.contact_id = author->id;
    ticket.channel = Channel::kEmail;
    ticket.status = TicketStatus::kNew;
    ticket.created_at = when;
    ticket.updated_at = when;
    ticket.last_message_at = when;
    RAPPORT_ASSIGN_OR_RETURN(ticket, s.InsertTicket(ticket));
    AuditDetail d;
    d.Set("number", ticket.number)
        .Set("subject", ticket.subject)
        .Set("channel", "email")
        .Set("contact_id", ticket.contact_id.value)
        .Set("external_id", external_id);
    if (ticket.client_id) d.Set("client_id", ticket.client_id->value);
    RAPPORT_RETURN_IF_ERROR(WriteAudit(s, std::nullopt, "ticket", ticket.id.value, "create", d, when));
    if (decision.kind == ThreadDecision::Kind::kNewLinkedTicket) {
      RAPPORT_RETURN_IF_ERROR(s.LinkTickets(ticket.id, *decision.ticket_id, decision.reason));
      AuditDetail link;
      link.Set("linked_ticket_id", decision.ticket_id->value).Set("reason", decision.reason);
      RAPPORT_RETURN_IF_ERROR(WriteAudit(s, std::nullopt, "ticket", ticket.id.value, "link", link, when));
    }
  }

  Message message;
  message.ticket_id = ticket.id;
  message.kind = agent_reply ? MessageKind::kReply : MessageKind::kInbound;
  message.channel = Channel::kEmail;
  if (agent_reply) {
    message.author_user_id = sender_user->id;
  } else {
    message.author_contact_id = author->id;
  }
  message.body_text = StorableText(e.text, kMaxEmailBodyBytes);
  message.body_html = StorableText(e.html, kMaxEmailBodyBytes);
  message.external_id = external_id;
  message.created_at = when;
  RAPPORT_ASSIGN_OR_RETURN(InsertedMessage inserted, s.InsertMessage(message));
  if (!inserted.created) {
    // Another delivery of the same message won a race; the caller's retry will see it as a duplicate.
    return Status::AlreadyExists("message " + external_id + " was stored by another delivery");
  }

  const TicketStatus status_before = ticket.status;
  if (decision.kind == ThreadDecision::Kind::kJoin) {
    const Ticket before = ticket;
    ApplyMessageToTicket(ticket, message.kind, when);
    ticket.updated_at = std::max(ticket.updated_at, when);
    RAPPORT_RETURN_IF_ERROR(s.UpdateTicket(ticket));
    if (before.status != ticket.status) {
      AuditDetail d;
      d.Change("status", std::string(Name(before.status)), std::string(Name(ticket.status)))
          .Set("reason", "email received");
      RAPPORT_RETURN_IF_ERROR(WriteAudit(s, std::nullopt, "ticket", ticket.id.value, "update", d, when));
    }
    if (author && author->id != ticket.contact_id) RAPPORT_RETURN_IF_ERROR(s.AddParticipant(ticket.id, author->id));
  }
  if (!agent_reply) RAPPORT_RETURN_IF_ERROR(AddCopiedPeople(s, ticket.id, ticket.contact_id, e, customer_address, ctx));
  RAPPORT_RETURN_IF_ERROR(clocks.RecordMessage(ticket.id, message.kind, status_before, ticket.status, when));
  if (ctx.refresh_clocks) RAPPORT_RETURN_IF_ERROR(clocks.Refresh(ticket, ctx.now));

  if (!m.raw.empty()) RAPPORT_RETURN_IF_ERROR(s.PutBlob(raw_sha, m.raw));
  EmailRecord record;
  record.message_id = inserted.id;
  record.ticket_id = ticket.id;
  record.rfc_message_id = StorableText(e.message_id, kMaxExternalIdChars);
  record.in_reply_to = e.in_reply_to;
  record.references = e.references;
  record.thread_index = StorableText(e.thread_index, 2000);
  record.thread_index_root = ThreadIndexRoot(e.thread_index).value_or("");
  record.from = *e.from;
  record.to = e.to;
  record.cc = e.cc;
  record.subject = StorableText(e.subject, 2000);
  record.mailbox_id = ReceivingMailbox(e, ctx.mailboxes);
  record.auto_reply = e.auto_reply;
  record.raw_sha256 = raw_sha;
  record.warnings = e.warnings;
  RAPPORT_RETURN_IF_ERROR(s.InsertEmailRecord(record));
  RAPPORT_RETURN_IF_ERROR(StoreAttachments(s, inserted.id, e.attachments).status());
  // After the email record, so that the acknowledgement answers this message in its thread; never
  // to the team's own mail (nor to a client's mail a team member forwarded).
  if (ctx.acknowledge && kind != Kind::kJoinedTicket && !from_team) {
    RAPPORT_RETURN_IF_ERROR(AcknowledgeNewRequest(s, ticket.id, e.auto_reply, ctx.now).status());
  }
  return IngestOutcome{kind, ticket.id, inserted.id};
}

}  // namespace

std::string ComputeDigests(InboundEmail& email, std::string_view raw) {
  for (auto& a : email.attachments) {
    if (a.omitted_reason.empty() && a.sha256.empty()) a.sha256 = security::Sha256Hex(a.data);
  }
  return raw.empty() ? std::string() : security::Sha256Hex(raw);
}

std::string_view IngestOutcomeName(IngestOutcome::Kind k) {
  switch (k) {
    case Kind::kNewTicket:
      return "new_ticket";
    case Kind::kJoinedTicket:
      return "joined_ticket";
    case Kind::kLinkedTicket:
      return "linked_ticket";
    case Kind::kDuplicate:
      return "duplicate";
    case Kind::kBounce:
      return "bounce";
  }
  return "unknown";
}

Result<IngestOutcome> EmailIntake::Ingest(const ReceivedEmail& message) {
  // Two deliveries of one message (two support addresses, two workers) may race: the loser's insert
  // reports kAlreadyExists, its transaction is rolled back, and the retry finds the winner's message.
  constexpr int kAttempts = 3;
  Result<IngestOutcome> outcome = Status::Internal("Ingest did not run");
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    outcome = InTransaction(pool_, [&](StoreSession& s) -> Result<IngestOutcome> {
      IntakeContext ctx;
      RAPPORT_ASSIGN_OR_RETURN(ctx.mailboxes, s.ListMailboxes());
      ctx.now = clock_.Now();
      TicketClocks clocks(s);
      return IngestOne(s, message, ctx, clocks);
    });
    if (outcome.ok() || outcome.status().code() != StatusCode::kAlreadyExists) return outcome;
  }
  return outcome;
}

Result<std::vector<Result<IngestOutcome>>> EmailIntake::IngestMany(std::span<const ReceivedEmail> messages) {
  using Outcomes = std::vector<Result<IngestOutcome>>;
  // As in Ingest: a concurrent delivery of one of the messages fails the batch with kAlreadyExists;
  // running it again finds that message stored and counts it as a duplicate.
  constexpr int kAttempts = 3;
  Result<Outcomes> result = Status::Internal("IngestMany did not run");
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    result = IngestBatch(messages);
    if (result.ok() || result.status().code() != StatusCode::kAlreadyExists) return result;
  }
  return result;
}

Result<std::vector<Result<IngestOutcome>>> EmailIntake::IngestBatch(std::span<const ReceivedEmail> messages) {
  using Outcomes = std::vector<Result<IngestOutcome>>;
  return InTransaction(pool_, [&](StoreSession& s) -> Result<Outcomes> {
    IntakeContext ctx;
    RAPPORT_ASSIGN_OR_RETURN(ctx.mailboxes, s.ListMailboxes());
    ctx.now = clock_.Now();
    ctx.date_by_header = true;
    ctx.refresh_clocks = false;
    ctx.acknowledge = false;
    TicketClocks clocks(s);
    Outcomes outcomes;
    outcomes.reserve(messages.size());
    for (const auto& m : messages) {
      // A refused message must leave nothing behind, and the batch must go on: a savepoint per
      // message would cost a round trip each, so refusals are decided before the first write
      // (IngestOne checks the sender before writing), and any later error fails the batch.
      Result<IngestOutcome> one = IngestOne(s, m, ctx, clocks);
      if (!one.ok() && one.status().code() != StatusCode::kInvalidArgument) return one.status();
      outcomes.push_back(std::move(one));
    }
    return outcomes;
  });
}

}  // namespace rapport::app
