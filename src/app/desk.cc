// Desk's ticket use cases. Clients and contacts are in desk_directory.cc, the workspace and users
// in desk_team.cc; the status rules in ticket_rules.h.

#include "app/desk.h"

#include <cctype>

#include "app/email_outbox.h"
#include "app/email_support.h"

#include "app/contact_resolution.h"
#include "app/desk_support.h"
#include "app/ticket_clocks.h"
#include "app/ticket_rules.h"
#include "app/unit_of_work.h"
#include "core/identity.h"

namespace rapport::app {
namespace {

bool IsKnown(Channel c) { return Name(c) != "unknown"; }
bool IsKnown(Priority p) { return Name(p) != "unknown"; }
bool IsKnown(TicketStatus s) { return Name(s) != "unknown"; }
bool IsKnown(MessageKind k) { return Name(k) != "unknown"; }

void CheckBodies(const std::string& text, const std::string& html, FieldErrors& errors) {
  if (text.size() > kMaxBodyBytes) errors.Add("body", "is larger than 1 MiB");
  if (html.size() > kMaxBodyBytes) errors.Add("body_html", "is larger than 1 MiB");
  if (!IsStorableText(text)) errors.Add("body", "is not valid UTF-8 text (or holds a NUL character)");
  if (!IsStorableText(html)) errors.Add("body_html", "is not valid UTF-8 text (or holds a NUL character)");
}

// The attachments as they will be stored: names without a directory part, a media type, sizes
// within the limits of desk.h. Errors are added under "attachments".
std::vector<EmailAttachment> CheckAttachments(const std::vector<EmailAttachment>& in, FieldErrors& errors) {
  std::vector<EmailAttachment> out;
  if (in.size() > kMaxMessageAttachments) {
    errors.Add("attachments", "at most " + std::to_string(kMaxMessageAttachments) + " files per message");
    return out;
  }
  std::int64_t total = 0;
  for (const EmailAttachment& a : in) {
    EmailAttachment c;
    c.filename = SafeFileName(a.filename);
    if (c.filename.empty()) c.filename = "attachment";
    std::string type = OneLine(a.content_type);
    for (char& ch : type) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const bool type_ok = type.find('/') != std::string::npos && type.find_first_of(" ;\"") == std::string::npos &&
                         type.size() <= 100 && IsStorableText(type);
    c.content_type = type_ok ? type : "application/octet-stream";
    c.data = a.data;
    c.size = static_cast<std::int64_t>(a.data.size());
    if (c.size > kMaxAttachmentBytes) {
      errors.Add("attachments", c.filename + " is larger than " + std::to_string(kMaxAttachmentBytes >> 20) + " MB");
    }
    total += c.size;
    out.push_back(std::move(c));
  }
  if (total > kMaxAttachmentsBytes) {
    errors.Add("attachments", "the files together are larger than " + std::to_string(kMaxAttachmentsBytes >> 20) + " MB");
  }
  return out;
}

std::string CheckSubject(const std::string& raw, FieldErrors& errors) {
  std::string subject = OneLine(raw);
  if (subject.empty()) {
    errors.Add("subject", "is required");
  } else {
    errors.CheckText("subject", subject, kMaxSubjectChars);
  }
  return subject;
}

// A subcontractor's queries are narrowed to their own tickets. Returns false when the query asks
// for tickets they cannot see at all (someone else's, or unassigned), whose answer is empty.
bool RestrictToVisible(const Actor& actor, TicketQuery& q) {
  if (actor.role != Role::kSubcontractor) return true;
  if (q.unassigned_only || (q.assignee_id && *q.assignee_id != actor.id)) return false;
  q.assignee_id = actor.id;
  return true;
}

Status CheckQuery(TicketQuery& q) {
  FieldErrors errors;
  errors.CheckText("text", q.text, kMaxSearchChars);
  for (TicketStatus s : q.statuses) {
    if (!IsKnown(s)) errors.Add("status", "is not a ticket status");
  }
  for (Channel c : q.channels) {
    if (!IsKnown(c)) errors.Add("channel", "is not a channel");
  }
  if (q.tag) {
    auto tag = NormalizeTag(*q.tag);
    if (tag.ok()) {
      q.tag = *tag;
    } else {
      errors.Add("tag", tag.status().message());
    }
  }
  q.limit = CheckLimit(q.limit, errors);
  return errors.ToStatus();
}

std::string NameOf(TicketStatus s) { return std::string(Name(s)); }
std::string NameOf(Priority p) { return std::string(Name(p)); }

}  // namespace

Result<Ticket> Desk::CreateTicket(const Actor& actor, const NewTicket& t) {
  if (!CanCreateTickets(actor)) {
    return Status::PermissionDenied("subcontractors cannot open tickets; ask an agent to open it for you");
  }
  FieldErrors errors;
  const std::string subject = CheckSubject(t.subject, errors);
  CheckBodies(t.body_text, t.body_html, errors);
  if (!IsKnown(t.channel)) errors.Add("channel", "is not one of email, phone, sms, web_form, social, api");
  if (!IsKnown(t.priority)) errors.Add("priority", "is not one of low, normal, high, urgent");
  const std::vector<std::string> tags = NormalizeTags(t.tags, "tags", errors);
  std::optional<std::string> external_id;
  if (t.external_id && !Trim(*t.external_id).empty()) {
    external_id = std::string(Trim(*t.external_id));
    errors.CheckText("external_id", *external_id, kMaxExternalIdChars);
  }
  if (!t.contact.id && Trim(t.contact.email).empty() && Trim(t.contact.phone).empty()) {
    errors.Add("contact", "name the contact: give a contact id, an email address or a phone number");
  }
  RAPPORT_RETURN_IF_ERROR(errors.ToStatus());

  const Instant now = clock_.Now();
  // Two deliveries of one message, or two first messages from one new address, may race: both look
  // up, find nothing, and insert. The loser's insert of the message (or of the contact) reports
  // kAlreadyExists; its transaction is rolled back and run again, and this time the look-ups find
  // what the winner stored. Nothing else in this use case returns kAlreadyExists.
  constexpr int kAttempts = 3;
  Result<Ticket> created = Status::Internal("CreateTicket did not run");
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    created = InTransaction(pool_, [&](StoreSession& s) -> Result<Ticket> {
      if (external_id) {
        RAPPORT_ASSIGN_OR_RETURN(auto earlier, s.FindMessageByExternalId(*external_id));
        if (earlier) return s.GetTicket(earlier->ticket_id);
      }
      if (t.assignee_id) RAPPORT_RETURN_IF_ERROR(CheckAssignable(s, *t.assignee_id, "assignee_id"));
      RAPPORT_ASSIGN_OR_RETURN(Contact contact, ResolveContact(s, t.contact, actor.id, now));

      Ticket ticket;
      ticket.subject = subject;
      ticket.client_id = contact.client_id;
      ticket.contact_id = contact.id;
      ticket.channel = t.channel;
      ticket.status = TicketStatus::kNew;
      ticket.priority = t.priority;
      ticket.assignee_id = t.assignee_id;
      ticket.tags = tags;
      ticket.created_at = now;
      ticket.updated_at = now;
      ticket.last_message_at = now;
      RAPPORT_ASSIGN_OR_RETURN(Ticket stored, s.InsertTicket(ticket));

      // Every channel, api included, brings the client's own words: the first message is theirs.
      Message first;
      first.ticket_id = stored.id;
      first.kind = MessageKind::kInbound;
      first.channel = t.channel;
      first.author_contact_id = contact.id;
      first.body_text = t.body_text;
      first.body_html = t.body_html;
      first.external_id = external_id;
      first.created_at = now;
      RAPPORT_ASSIGN_OR_RETURN(InsertedMessage inserted, s.InsertMessage(first));
      if (!inserted.created) {
        return Status::AlreadyExists("message " + external_id.value_or("") + " was stored by another request");
      }
      TicketClocks clocks(s);
      RAPPORT_RETURN_IF_ERROR(clocks.RecordMessage(stored.id, MessageKind::kInbound, stored.status, stored.status, now));
      RAPPORT_RETURN_IF_ERROR(clocks.Refresh(stored, now));
      RAPPORT_ASSIGN_OR_RETURN(stored, s.GetTicket(stored.id));  // with its clocks

      AuditDetail d;
      d.Set("number", stored.number)
          .Set("subject", stored.subject)
          .Set("channel", Name(stored.channel))
          .Set("priority", Name(stored.priority))
          .Set("contact_id", stored.contact_id.value)
          .Set("tags", stored.tags);
      if (stored.client_id) d.Set("client_id", stored.client_id->value);
      if (stored.assignee_id) d.Set("assignee_id", stored.assignee_id->value);
      if (external_id) d.Set("external_id", *external_id);
      RAPPORT_RETURN_IF_ERROR(WriteAudit(s, actor.id, "ticket", stored.id.value, "create", d, now));
      return stored;
    });
    if (created.ok() || created.status().code() != StatusCode::kAlreadyExists) return created;
  }
  return created;
}

Result<TicketView> Desk::GetTicket(const Actor& actor, TicketId id) {
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) -> Result<TicketView> {
    TicketView view;
    RAPPORT_ASSIGN_OR_RETURN(view.ticket, LoadVisibleTicket(s, actor, id));
    SetStateAt(view.ticket, clock_.Now());
    RAPPORT_ASSIGN_OR_RETURN(view.messages, s.ListMessages(id));
    RAPPORT_ASSIGN_OR_RETURN(view.contact, s.GetContact(view.ticket.contact_id));
    if (view.ticket.client_id) {
      RAPPORT_ASSIGN_OR_RETURN(Client client, s.GetClient(*view.ticket.client_id));
      // A subcontractor sees who the client is, not the owner's notes on them (rates, history).
      if (!CanViewClients(actor)) client.notes.clear();
      view.client = std::move(client);
    }
    return view;
  });
}

Result<Page<TicketRow>> Desk::ListTickets(const Actor& actor, TicketQuery q) {
  RAPPORT_RETURN_IF_ERROR(CheckQuery(q));
  if (!RestrictToVisible(actor, q)) return Page<TicketRow>{};
  RAPPORT_ASSIGN_OR_RETURN(Page<TicketRow> page,
                           InReadOnlyTransaction(pool_, [&](StoreSession& s) { return s.ListTickets(q); }));
  const Instant now = clock_.Now();
  for (TicketRow& row : page.items) SetStateAt(row.ticket, now);
  return page;
}

Result<std::int64_t> Desk::CountTickets(const Actor& actor, TicketQuery q) {
  RAPPORT_RETURN_IF_ERROR(CheckQuery(q));
  if (!RestrictToVisible(actor, q)) return std::int64_t{0};
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) { return s.CountTickets(q); });
}

Result<Ticket> Desk::UpdateTicket(const Actor& actor, TicketId id, const TicketChanges& c) {
  FieldErrors errors;
  std::optional<std::string> subject;
  if (c.subject) subject = CheckSubject(*c.subject, errors);
  if (c.status && !IsKnown(*c.status)) errors.Add("status", "is not a ticket status");
  if (c.priority && !IsKnown(*c.priority)) errors.Add("priority", "is not one of low, normal, high, urgent");
  std::optional<std::vector<std::string>> tags;
  if (c.tags) tags = NormalizeTags(*c.tags, "tags", errors);
  RAPPORT_RETURN_IF_ERROR(errors.ToStatus());

  const Instant now = clock_.Now();
  return InTransaction(pool_, [&](StoreSession& s) -> Result<Ticket> {
    RAPPORT_ASSIGN_OR_RETURN(Ticket t, LoadVisibleTicket(s, actor, id));
    const TicketStatus status_before = t.status;
    const Priority priority_before = t.priority;
    AuditDetail d;
    if (c.assignee_id && *c.assignee_id != t.assignee_id) {
      if (!CanAssign(actor)) return Status::PermissionDenied("subcontractors cannot reassign tickets");
      if (*c.assignee_id) RAPPORT_RETURN_IF_ERROR(CheckAssignable(s, **c.assignee_id, "assignee_id"));
      d.Change("assignee_id", IdText(t.assignee_id), IdText(*c.assignee_id));
      t.assignee_id = *c.assignee_id;
    }
    if (subject && *subject != t.subject) {
      d.Change("subject", t.subject, *subject);
      t.subject = *subject;
    }
    if (c.status && *c.status != t.status) {
      d.Change("status", NameOf(t.status), NameOf(*c.status));
      MoveToStatus(t, *c.status, now);
    }
    if (c.priority && *c.priority != t.priority) {
      d.Change("priority", NameOf(t.priority), NameOf(*c.priority));
      t.priority = *c.priority;
    }
    if (tags && *tags != t.tags) {
      d.Change("tags", t.tags, *tags);
      t.tags = *tags;
    }
    if (d.empty()) return t;  // nothing changed: no write, no audit entry
    t.updated_at = now;
    RAPPORT_RETURN_IF_ERROR(s.UpdateTicket(t));
    if (t.status != status_before || t.priority != priority_before) {
      TicketClocks clocks(s);
      RAPPORT_RETURN_IF_ERROR(clocks.RecordStatus(t.id, status_before, t.status, now));
      RAPPORT_RETURN_IF_ERROR(clocks.Refresh(t, now));
    }
    RAPPORT_RETURN_IF_ERROR(WriteAudit(s, actor.id, "ticket", t.id.value, "update", d, now));
    return s.GetTicket(t.id);
  });
}

Result<Message> Desk::AddMessage(const Actor& actor, TicketId id, const NewMessage& m) {
  FieldErrors errors;
  if (!IsKnown(m.kind)) errors.Add("kind", "is not one of inbound, reply, note");
  CheckBodies(m.body_text, m.body_html, errors);
  if (Trim(m.body_text).empty() && Trim(m.body_html).empty()) errors.Add("body", "is required");
  const std::vector<EmailAttachment> attachments = CheckAttachments(m.attachments, errors);
  RAPPORT_RETURN_IF_ERROR(errors.ToStatus());

  const Instant now = clock_.Now();
  return InTransaction(pool_, [&](StoreSession& s) -> Result<Message> {
    RAPPORT_ASSIGN_OR_RETURN(Ticket t, LoadVisibleTicket(s, actor, id));
    // Logging the client's words by hand (a call, a letter) is for those who open tickets.
    if (m.kind == MessageKind::kInbound && !CanCreateTickets(actor)) {
      return Status::PermissionDenied("subcontractors cannot record messages from the client; reply or add a note");
    }
    Message msg;
    msg.ticket_id = t.id;
    msg.kind = m.kind;
    msg.channel = t.channel;
    if (m.kind == MessageKind::kInbound) {
      msg.author_contact_id = t.contact_id;
    } else {
      msg.author_user_id = actor.id;
    }
    msg.body_text = m.body_text;
    msg.body_html = m.body_html;
    msg.created_at = now;
    // A reply to a client reachable by email leaves through the outbox, committed with the message.
    std::optional<OutboxEntry> email;
    if (m.kind == MessageKind::kReply) {
      RAPPORT_ASSIGN_OR_RETURN(User author, s.GetUser(actor.id));
      RAPPORT_ASSIGN_OR_RETURN(email, PrepareReplyEmail(s, t, author, m.body_text, now));
      if (email) msg.external_id = email->email.message_id;
    }
    RAPPORT_ASSIGN_OR_RETURN(InsertedMessage inserted, s.InsertMessage(msg));
    msg.id = inserted.id;
    RAPPORT_ASSIGN_OR_RETURN(auto attachment_ids, StoreAttachments(s, msg.id, attachments));
    if (email) {
      email->attachment_ids = std::move(attachment_ids);
      RAPPORT_RETURN_IF_ERROR(QueueEmail(s, std::move(*email), msg.id));
    }

    const TicketStatus before = t.status;
    ApplyMessageToTicket(t, m.kind, now);
    t.updated_at = now;
    RAPPORT_RETURN_IF_ERROR(s.UpdateTicket(t));
    if (m.kind != MessageKind::kNote) {
      TicketClocks clocks(s);
      RAPPORT_RETURN_IF_ERROR(clocks.RecordMessage(t.id, m.kind, before, t.status, now));
      RAPPORT_RETURN_IF_ERROR(clocks.Refresh(t, now));
    }
    AuditDetail d;
    d.Set("message_id", msg.id.value).Set("kind", Name(m.kind));
    if (t.status != before) d.Change("status", NameOf(before), NameOf(t.status));
    RAPPORT_RETURN_IF_ERROR(WriteAudit(s, actor.id, "ticket", t.id.value, "add_message", d, now));
    return msg;
  });
}

Result<std::vector<AuditEntry>> Desk::TicketHistory(const Actor& actor, TicketId id) {
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) -> Result<std::vector<AuditEntry>> {
    RAPPORT_RETURN_IF_ERROR(LoadVisibleTicket(s, actor, id).status());
    return s.ListAudit("ticket", id.value, kMaxPageSize);
  });
}

}  // namespace rapport::app
