// SqlSession: the email records — blobs, threading headers, attachments, participants, links,
// mailboxes and the outbox.
#include <algorithm>
#include <charconv>

#include "store/codec.h"
#include "store/sql_session.h"

namespace rapport::store {
namespace {

using sql::Query;
using sql::Statement;

std::string JoinIds(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) {
    if (!out.empty()) out += ' ';
    out += id;
  }
  return out;
}

// Message ids never contain white space once parsed (the parser drops the angle brackets and any
// junk between ids), so a space separates them.
std::vector<std::string> SplitIds(std::string_view joined) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < joined.size()) {
    std::size_t end = joined.find(' ', start);
    if (end == std::string_view::npos) end = joined.size();
    if (end > start) out.emplace_back(joined.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string JoinAttachmentIds(const std::vector<AttachmentId>& ids) {
  std::string out;
  for (const auto& id : ids) {
    if (!out.empty()) out += ' ';
    out += std::to_string(id.value);
  }
  return out;
}

std::vector<AttachmentId> SplitAttachmentIds(std::string_view joined) {
  std::vector<AttachmentId> out;
  for (const auto& part : SplitIds(joined)) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (ec == std::errc() && p == part.data() + part.size()) out.emplace_back(v);
  }
  return out;
}

constexpr const char* kEmailColumns =
    "message_id, ticket_id, rfc_message_id, in_reply_to, refs, thread_index, thread_index_root, from_name,"
    " from_address, to_list, cc_list, subject, mailbox_id, auto_reply, raw_sha256, warnings";

app::EmailRecord ReadEmailRecord(const Statement& s) {
  app::EmailRecord r;
  r.message_id = MessageId(s.Int(0));
  r.ticket_id = TicketId(s.Int(1));
  r.rfc_message_id = s.Text(2);
  r.in_reply_to = SplitIds(s.Text(3));
  r.references = SplitIds(s.Text(4));
  r.thread_index = s.Text(5);
  r.thread_index_root = s.Text(6);
  r.from = app::EmailAddress{s.Text(7), s.Text(8)};
  r.to = DecodeAddresses(s.Text(9));
  r.cc = DecodeAddresses(s.Text(10));
  r.subject = s.Text(11);
  if (!s.IsNull(12)) r.mailbox_id = MailboxId(s.Int(12));
  r.auto_reply = app::ParseAutoReplyKind(s.Text(13)).value_or(app::AutoReplyKind::kNone);
  r.raw_sha256 = s.Text(14);
  r.warnings = SplitList(s.Text(15));
  return r;
}

constexpr const char* kAttachmentColumns =
    "id, message_id, filename, content_type, content_id, is_inline, size, sha256, omitted_reason, ticket_id";

app::StoredAttachment ReadAttachment(const Statement& s) {
  app::StoredAttachment a;
  a.id = AttachmentId(s.Int(0));
  a.message_id = MessageId(s.Int(1));
  a.filename = s.Text(2);
  a.content_type = s.Text(3);
  a.content_id = s.Text(4);
  a.is_inline = s.Int(5) != 0;
  a.size = s.Int(6);
  a.sha256 = s.Text(7);
  a.omitted_reason = s.Text(8);
  a.ticket_id = TicketId(s.Int(9));
  return a;
}

constexpr const char* kMailboxColumns =
    "id, name, address, display_name, is_default, fetch_enabled, imap_host, imap_port, imap_security, imap_user,"
    " imap_password, imap_folder, imap_processed_folder, imap_ca_file, smtp_host, smtp_port, smtp_security,"
    " smtp_user, smtp_password, smtp_ca_file, uid_validity, last_uid, last_error, last_checked_at";

app::Mailbox ReadMailbox(const Statement& s) {
  app::Mailbox m;
  m.id = MailboxId(s.Int(0));
  m.name = s.Text(1);
  m.address = s.Text(2);
  m.display_name = s.Text(3);
  m.is_default = s.Int(4) != 0;
  m.fetch_enabled = s.Int(5) != 0;
  m.imap.host = s.Text(6);
  m.imap.port = static_cast<int>(s.Int(7));
  m.imap.security = app::ParseTransportSecurity(s.Text(8)).value_or(app::TransportSecurity::kTls);
  m.imap.user = s.Text(9);
  m.imap.password = s.Text(10);
  m.imap.folder = s.Text(11);
  m.imap.processed_folder = s.Text(12);
  m.imap.ca_file = s.Text(13);
  m.smtp.host = s.Text(14);
  m.smtp.port = static_cast<int>(s.Int(15));
  m.smtp.security = app::ParseTransportSecurity(s.Text(16)).value_or(app::TransportSecurity::kStartTls);
  m.smtp.user = s.Text(17);
  m.smtp.password = s.Text(18);
  m.smtp.ca_file = s.Text(19);
  m.uid_validity = static_cast<std::uint32_t>(s.Int(20));
  m.last_uid = static_cast<std::uint32_t>(s.Int(21));
  m.last_error = s.Text(22);
  m.last_checked_at = s.OptionalInstant(23);
  return m;
}

// The settings columns, bound in the order of kMailboxSettingsColumns.
constexpr const char* kMailboxSettingsColumns =
    "name, address, display_name, is_default, fetch_enabled, imap_host, imap_port, imap_security, imap_user,"
    " imap_password, imap_folder, imap_processed_folder, imap_ca_file, smtp_host, smtp_port, smtp_security,"
    " smtp_user, smtp_password, smtp_ca_file";

void BindMailboxSettings(Statement& q, const app::Mailbox& m) {
  q.Bind(m.name);
  q.Bind(m.address);
  q.Bind(m.display_name);
  q.Bind(std::int64_t{m.is_default ? 1 : 0});
  q.Bind(std::int64_t{m.fetch_enabled ? 1 : 0});
  q.Bind(m.imap.host);
  q.Bind(std::int64_t{m.imap.port});
  q.Bind(app::TransportSecurityName(m.imap.security));
  q.Bind(m.imap.user);
  q.Bind(m.imap.password);
  q.Bind(m.imap.folder);
  q.Bind(m.imap.processed_folder);
  q.Bind(m.imap.ca_file);
  q.Bind(m.smtp.host);
  q.Bind(std::int64_t{m.smtp.port});
  q.Bind(app::TransportSecurityName(m.smtp.security));
  q.Bind(m.smtp.user);
  q.Bind(m.smtp.password);
  q.Bind(m.smtp.ca_file);
}

constexpr const char* kOutboxColumns =
    "id, ticket_id, message_id, mailbox_id, purpose, rfc_message_id, in_reply_to, refs, thread_index, thread_topic,"
    " from_name, from_address, reply_to_list, to_list, cc_list, subject, mail_date, markdown, auto_submitted,"
    " attachment_ids, envelope_from, recipients, state, attempts, next_attempt_at, lease_until, last_code,"
    " last_reply, sent_at, created_at";

app::OutboxEntry ReadOutbox(const Statement& s) {
  app::OutboxEntry e;
  e.id = OutboxId(s.Int(0));
  if (!s.IsNull(1)) e.ticket_id = TicketId(s.Int(1));
  if (!s.IsNull(2)) e.message_id = MessageId(s.Int(2));
  if (!s.IsNull(3)) e.mailbox_id = MailboxId(s.Int(3));
  e.purpose = app::ParseOutboxPurpose(s.Text(4)).value_or(app::OutboxPurpose::kReply);
  e.email.message_id = s.Text(5);
  e.email.in_reply_to = SplitIds(s.Text(6));
  e.email.references = SplitIds(s.Text(7));
  e.email.thread_index = s.Text(8);
  e.email.thread_topic = s.Text(9);
  e.email.from = app::EmailAddress{s.Text(10), s.Text(11)};
  e.email.reply_to = DecodeAddresses(s.Text(12));
  e.email.to = DecodeAddresses(s.Text(13));
  e.email.cc = DecodeAddresses(s.Text(14));
  e.email.subject = s.Text(15);
  e.email.date = InstantFromUnix(s.Int(16));
  e.email.markdown = s.Text(17);
  e.email.auto_submitted = s.Int(18) != 0;
  e.attachment_ids = SplitAttachmentIds(s.Text(19));
  e.envelope_from = s.Text(20);
  e.recipients = SplitIds(s.Text(21));
  e.state = app::ParseOutboxState(s.Text(22)).value_or(app::OutboxState::kFailed);
  e.attempts = static_cast<int>(s.Int(23));
  e.next_attempt_at = InstantFromUnix(s.Int(24));
  e.lease_until = s.OptionalInstant(25);
  e.last_code = static_cast<int>(s.Int(26));
  e.last_reply = s.Text(27);
  e.sent_at = s.OptionalInstant(28);
  e.created_at = InstantFromUnix(s.Int(29));
  return e;
}

template <typename T, typename Reader>
Result<std::vector<T>> ReadAll(Query& q, Reader read) {
  std::vector<T> out;
  for (;;) {
    RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
    if (!row) break;
    out.push_back(read(*q));
  }
  return out;
}

}  // namespace

// ---- Blobs ----

Status SqlSession::PutBlob(const std::string& sha256, std::string_view data) {
  RAPPORT_ASSIGN_OR_RETURN(
      Query q,
      conn_->Prepare("INSERT INTO blobs (sha256, size, data) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING"));
  q->Bind(sha256);
  q->Bind(static_cast<std::int64_t>(data.size()));
  q->BindBlob(data);
  return q->Run();
}

Result<std::optional<std::string>> SqlSession::GetBlob(const std::string& sha256) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("SELECT data FROM blobs WHERE sha256 = ?"));
  q->Bind(sha256);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(q->Blob(0));
}

// ---- Threading headers ----

Status SqlSession::InsertEmailRecord(const app::EmailRecord& r) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare(std::string("INSERT INTO email_messages (") + kEmailColumns +
                                                   ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  q->Bind(r.message_id);
  q->Bind(r.ticket_id);
  q->Bind(ScrubUtf8(r.rfc_message_id));
  q->Bind(ScrubUtf8(JoinIds(r.in_reply_to)));
  q->Bind(ScrubUtf8(JoinIds(r.references)));
  q->Bind(ScrubUtf8(r.thread_index));
  q->Bind(r.thread_index_root);
  q->Bind(ScrubUtf8(r.from.name));
  q->Bind(ScrubUtf8(r.from.address));
  q->Bind(ScrubUtf8(EncodeAddresses(r.to)));
  q->Bind(ScrubUtf8(EncodeAddresses(r.cc)));
  q->Bind(ScrubUtf8(r.subject));
  q->Bind(r.mailbox_id);
  q->Bind(app::AutoReplyKindName(r.auto_reply));
  q->Bind(r.raw_sha256);
  q->Bind(ScrubUtf8(JoinList(r.warnings)));
  return q->Run();
}

Result<std::optional<app::EmailRecord>> SqlSession::GetEmailRecord(MessageId id) {
  RAPPORT_ASSIGN_OR_RETURN(
      Query q, conn_->Prepare(std::string("SELECT ") + kEmailColumns + " FROM email_messages WHERE message_id = ?"));
  q->Bind(id);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return std::optional<app::EmailRecord>();
  return std::optional<app::EmailRecord>(ReadEmailRecord(*q));
}

Result<std::vector<app::EmailRecord>> SqlSession::ListEmailRecords(TicketId ticket) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare(std::string("SELECT ") + kEmailColumns +
                                                   " FROM email_messages WHERE ticket_id = ? ORDER BY message_id"));
  q->Bind(ticket);
  return ReadAll<app::EmailRecord>(q, ReadEmailRecord);
}

Result<std::optional<app::EmailRecord>> SqlSession::FindEmailByThreadIndexRoot(const std::string& root) {
  if (root.empty()) return std::optional<app::EmailRecord>();
  RAPPORT_ASSIGN_OR_RETURN(Query q,
                           conn_->Prepare(std::string("SELECT ") + kEmailColumns +
                                          " FROM email_messages WHERE thread_index_root = ? AND thread_index_root <> ''"
                                          " ORDER BY message_id DESC LIMIT 1"));
  q->Bind(root);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return std::optional<app::EmailRecord>();
  return std::optional<app::EmailRecord>(ReadEmailRecord(*q));
}

// ---- Attachments ----

Result<AttachmentId> SqlSession::InsertAttachment(const app::StoredAttachment& a) {
  RAPPORT_ASSIGN_OR_RETURN(
      Query q, conn_->Prepare("INSERT INTO attachments (message_id, ticket_id, filename, content_type, content_id,"
                              " is_inline, size, sha256, omitted_reason)"
                              " SELECT id, ticket_id, ?, ?, ?, ?, ?, ?, ? FROM messages WHERE id = ? RETURNING id"));
  q->Bind(ScrubUtf8(a.filename));
  q->Bind(ScrubUtf8(a.content_type));
  q->Bind(ScrubUtf8(a.content_id));
  q->Bind(std::int64_t{a.is_inline ? 1 : 0});
  q->Bind(a.size);
  q->Bind(a.sha256);
  q->Bind(ScrubUtf8(a.omitted_reason));
  q->Bind(a.message_id);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return Status::NotFound("the attachment's message does not exist");
  return AttachmentId(q->Int(0));
}

Result<app::StoredAttachment> SqlSession::GetAttachment(AttachmentId id) {
  RAPPORT_ASSIGN_OR_RETURN(
      Query q, conn_->Prepare(std::string("SELECT ") + kAttachmentColumns + " FROM attachments WHERE id = ?"));
  q->Bind(id);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return Status::NotFound("no attachment " + std::to_string(id.value));
  return ReadAttachment(*q);
}

Result<std::vector<app::StoredAttachment>> SqlSession::ListAttachments(TicketId ticket) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare(std::string("SELECT ") + kAttachmentColumns +
                                                   " FROM attachments WHERE ticket_id = ? ORDER BY message_id, id"));
  q->Bind(ticket);
  return ReadAll<app::StoredAttachment>(q, ReadAttachment);
}

// ---- Participants and links ----

Status SqlSession::AddParticipant(TicketId ticket, ContactId contact) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("INSERT INTO ticket_participants (ticket_id, contact_id)"
                                                   " VALUES (?, ?) ON CONFLICT DO NOTHING"));
  q->Bind(ticket);
  q->Bind(contact);
  return q->Run();
}

Result<std::vector<ContactId>> SqlSession::ListParticipants(TicketId ticket) {
  RAPPORT_ASSIGN_OR_RETURN(
      Query q, conn_->Prepare("SELECT contact_id FROM ticket_participants WHERE ticket_id = ? ORDER BY contact_id"));
  q->Bind(ticket);
  return ReadAll<ContactId>(q, [](const Statement& s) { return ContactId(s.Int(0)); });
}

Status SqlSession::LinkTickets(TicketId from, TicketId to, const std::string& reason) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("INSERT INTO ticket_links (ticket_id, linked_ticket_id, reason)"
                                                   " VALUES (?, ?, ?) ON CONFLICT DO NOTHING"));
  q->Bind(from);
  q->Bind(to);
  q->Bind(reason);
  return q->Run();
}

Result<std::vector<TicketId>> SqlSession::ListLinkedTickets(TicketId ticket) {
  RAPPORT_ASSIGN_OR_RETURN(
      Query q, conn_->Prepare("SELECT linked_ticket_id FROM ticket_links WHERE ticket_id = ?"
                              " UNION SELECT ticket_id FROM ticket_links WHERE linked_ticket_id = ? ORDER BY 1"));
  q->Bind(ticket);
  q->Bind(ticket);
  return ReadAll<TicketId>(q, [](const Statement& s) { return TicketId(s.Int(0)); });
}

// ---- Mailboxes ----

Result<MailboxId> SqlSession::InsertMailbox(const app::Mailbox& m) {
  RAPPORT_ASSIGN_OR_RETURN(
      Query q, conn_->Prepare(std::string("INSERT INTO mailboxes (") + kMailboxSettingsColumns +
                              ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
  BindMailboxSettings(*q, m);
  Result<bool> row = q->Next();
  if (!row.ok() && row.status().code() == StatusCode::kAlreadyExists) {
    return Status::AlreadyExists("another mailbox already uses the address " + m.address);
  }
  if (!row.ok()) return row.status();
  return MailboxId(q->Int(0));
}

Status SqlSession::UpdateMailbox(const app::Mailbox& m) {
  RAPPORT_ASSIGN_OR_RETURN(
      Query q, conn_->Prepare("UPDATE mailboxes SET name = ?, address = ?, display_name = ?, is_default = ?,"
                              " fetch_enabled = ?, imap_host = ?, imap_port = ?, imap_security = ?, imap_user = ?,"
                              " imap_password = ?, imap_folder = ?, imap_processed_folder = ?, imap_ca_file = ?,"
                              " smtp_host = ?, smtp_port = ?, smtp_security = ?, smtp_user = ?, smtp_password = ?,"
                              " smtp_ca_file = ? WHERE id = ? RETURNING id"));
  BindMailboxSettings(*q, m);
  q->Bind(m.id);
  Result<bool> row = q->Next();
  if (!row.ok() && row.status().code() == StatusCode::kAlreadyExists) {
    return Status::AlreadyExists("another mailbox already uses the address " + m.address);
  }
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("no mailbox " + std::to_string(m.id.value));
  return Status::Ok();
}

Status SqlSession::DeleteMailbox(MailboxId id) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("DELETE FROM mailboxes WHERE id = ? RETURNING id"));
  q->Bind(id);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return Status::NotFound("no mailbox " + std::to_string(id.value));
  return Status::Ok();
}

Result<app::Mailbox> SqlSession::GetMailbox(MailboxId id) {
  RAPPORT_ASSIGN_OR_RETURN(Query q,
                           conn_->Prepare(std::string("SELECT ") + kMailboxColumns + " FROM mailboxes WHERE id = ?"));
  q->Bind(id);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return Status::NotFound("no mailbox " + std::to_string(id.value));
  return ReadMailbox(*q);
}

Result<std::vector<app::Mailbox>> SqlSession::ListMailboxes() {
  RAPPORT_ASSIGN_OR_RETURN(
      Query q, conn_->Prepare(std::string("SELECT ") + kMailboxColumns + " FROM mailboxes ORDER BY name, id"));
  return ReadAll<app::Mailbox>(q, ReadMailbox);
}

Status SqlSession::SaveMailboxCheckpoint(MailboxId id, std::uint32_t uid_validity, std::uint32_t last_uid) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("UPDATE mailboxes SET uid_validity = ?, last_uid = ? WHERE id = ?"));
  q->Bind(std::int64_t{uid_validity});
  q->Bind(std::int64_t{last_uid});
  q->Bind(id);
  return q->Run();
}

Status SqlSession::SaveMailboxHealth(MailboxId id, const std::string& last_error, Instant checked_at) {
  RAPPORT_ASSIGN_OR_RETURN(Query q,
                           conn_->Prepare("UPDATE mailboxes SET last_error = ?, last_checked_at = ? WHERE id = ?"));
  q->Bind(ScrubUtf8(last_error));
  q->Bind(checked_at);
  q->Bind(id);
  return q->Run();
}

// ---- Outbox ----

Result<OutboxId> SqlSession::InsertOutbox(const app::OutboxEntry& e) {
  RAPPORT_ASSIGN_OR_RETURN(
      Query q,
      conn_->Prepare("INSERT INTO outbox (ticket_id, message_id, mailbox_id, purpose, rfc_message_id, in_reply_to,"
                     " refs, thread_index, thread_topic, from_name, from_address, reply_to_list, to_list, cc_list,"
                     " subject, mail_date, markdown, auto_submitted, attachment_ids, envelope_from, recipients,"
                     " first_recipient, state, attempts, next_attempt_at, lease_until, last_code, last_reply,"
                     " sent_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                     " ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
  q->Bind(e.ticket_id);
  q->Bind(e.message_id);
  q->Bind(e.mailbox_id);
  q->Bind(app::OutboxPurposeName(e.purpose));
  q->Bind(e.email.message_id);
  q->Bind(JoinIds(e.email.in_reply_to));
  q->Bind(JoinIds(e.email.references));
  q->Bind(e.email.thread_index);
  q->Bind(ScrubUtf8(e.email.thread_topic));
  q->Bind(ScrubUtf8(e.email.from.name));
  q->Bind(e.email.from.address);
  q->Bind(ScrubUtf8(EncodeAddresses(e.email.reply_to)));
  q->Bind(ScrubUtf8(EncodeAddresses(e.email.to)));
  q->Bind(ScrubUtf8(EncodeAddresses(e.email.cc)));
  q->Bind(ScrubUtf8(e.email.subject));
  q->Bind(e.email.date);
  q->Bind(ScrubUtf8(e.email.markdown));
  q->Bind(std::int64_t{e.email.auto_submitted ? 1 : 0});
  q->Bind(JoinAttachmentIds(e.attachment_ids));
  q->Bind(e.envelope_from);
  q->Bind(JoinIds(e.recipients));
  q->Bind(e.recipients.empty() ? std::string() : e.recipients.front());
  q->Bind(app::OutboxStateName(e.state));
  q->Bind(std::int64_t{e.attempts});
  q->Bind(e.next_attempt_at);
  q->Bind(e.lease_until);
  q->Bind(std::int64_t{e.last_code});
  q->Bind(ScrubUtf8(e.last_reply));
  q->Bind(e.sent_at);
  q->Bind(e.created_at);
  Result<bool> row = q->Next();
  if (!row.ok() && row.status().code() == StatusCode::kAlreadyExists) {
    return Status::AlreadyExists("an outgoing message with Message-ID " + e.email.message_id + " is already queued");
  }
  if (!row.ok()) return row.status();
  return OutboxId(q->Int(0));
}

Result<app::OutboxEntry> SqlSession::GetOutbox(OutboxId id) {
  RAPPORT_ASSIGN_OR_RETURN(Query q,
                           conn_->Prepare(std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE id = ?"));
  q->Bind(id);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return Status::NotFound("no outgoing message " + std::to_string(id.value));
  return ReadOutbox(*q);
}

Result<std::vector<app::OutboxEntry>> SqlSession::ClaimDueOutbox(Instant now, Instant lease_until, int limit) {
  // The claim is one UPDATE: on PostgreSQL the inner SELECT skips rows another node has locked, so
  // two nodes never claim the same entry; SQLite has one writer at a time anyway.
  const bool postgres = conn_->dialect() == sql::Dialect::kPostgres;
  RAPPORT_ASSIGN_OR_RETURN(
      Query q, conn_->Prepare(std::string("UPDATE outbox SET state = 'sending', attempts = attempts + 1,"
                                          " lease_until = ? WHERE id IN (SELECT id FROM outbox WHERE state = 'queued'"
                                          " AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?") +
                              (postgres ? " FOR UPDATE SKIP LOCKED" : "") + ") RETURNING " + kOutboxColumns));
  q->Bind(lease_until);
  q->Bind(now);
  q->Bind(std::int64_t{limit});
  RAPPORT_ASSIGN_OR_RETURN(auto claimed, ReadAll<app::OutboxEntry>(q, ReadOutbox));
  std::sort(claimed.begin(), claimed.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return claimed;
}

Result<std::optional<Instant>> SqlSession::NextOutboxAttempt() {
  RAPPORT_ASSIGN_OR_RETURN(
      Query q, conn_->Prepare("SELECT next_attempt_at FROM outbox WHERE state = 'queued' ORDER BY next_attempt_at LIMIT 1"));
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return std::optional<Instant>();
  return std::optional<Instant>(InstantFromUnix(q->Int(0)));
}

Result<std::vector<app::OutboxEntry>> SqlSession::ListExpiredOutboxLeases(Instant now) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare(std::string("SELECT ") + kOutboxColumns +
                                                   " FROM outbox WHERE state = 'sending' AND lease_until < ?"
                                                   " ORDER BY id"));
  q->Bind(now);
  return ReadAll<app::OutboxEntry>(q, ReadOutbox);
}

Status SqlSession::UpdateOutboxDelivery(const app::OutboxEntry& e) {
  RAPPORT_ASSIGN_OR_RETURN(
      Query q, conn_->Prepare("UPDATE outbox SET state = ?, attempts = ?, next_attempt_at = ?, lease_until = ?,"
                              " last_code = ?, last_reply = ?, sent_at = ? WHERE id = ? RETURNING id"));
  q->Bind(app::OutboxStateName(e.state));
  q->Bind(std::int64_t{e.attempts});
  q->Bind(e.next_attempt_at);
  q->Bind(e.lease_until);
  q->Bind(std::int64_t{e.last_code});
  q->Bind(ScrubUtf8(e.last_reply));
  q->Bind(e.sent_at);
  q->Bind(e.id);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return Status::NotFound("no outgoing message " + std::to_string(e.id.value));
  return Status::Ok();
}

Result<std::vector<app::OutboxEntry>> SqlSession::ListOutboxForTicket(TicketId ticket) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare(std::string("SELECT ") + kOutboxColumns +
                                                   " FROM outbox WHERE ticket_id = ? ORDER BY id"));
  q->Bind(ticket);
  return ReadAll<app::OutboxEntry>(q, ReadOutbox);
}

Result<std::optional<app::OutboxEntry>> SqlSession::FindOutboxByRfcMessageId(const std::string& rfc_message_id) {
  RAPPORT_ASSIGN_OR_RETURN(
      Query q, conn_->Prepare(std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE rfc_message_id = ?"));
  q->Bind(rfc_message_id);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return std::optional<app::OutboxEntry>();
  return std::optional<app::OutboxEntry>(ReadOutbox(*q));
}

Result<int> SqlSession::CountAutomaticMailTo(const std::string& normalized_address, Instant since) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("SELECT COUNT(*) FROM outbox WHERE purpose = 'automatic'"
                                                   " AND first_recipient = ? AND created_at >= ?"));
  q->Bind(normalized_address);
  q->Bind(since);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  return row ? static_cast<int>(q->Int(0)) : 0;
}

}  // namespace rapport::store
