#pragma once
// The StoreSession of both databases, written once against the neutral SQL layer (sql/connection.h).
// Where the SQL must differ the dialect decides: the next ticket number (SQLite MAX+1 inside the
// write transaction, PostgreSQL a sequence) and the search condition (search.h). Everything else,
// including the upserts (INSERT ... ON CONFLICT DO NOTHING RETURNING), is the same text on both.
//
// Writes of more than one statement, and writes that may hit a unique key inside a caller's
// transaction, run in a sql::WriteScope: its own transaction, or a savepoint inside the caller's, so
// that a refused write leaves nothing behind and the caller's transaction stays usable on PostgreSQL.

#include <memory>

#include "app/ports/store.h"
#include "store/sql/connection.h"

namespace rapport::store {

class SqlSession final : public app::StoreSession {
 public:
  explicit SqlSession(std::unique_ptr<sql::Connection> conn) : conn_(std::move(conn)) {}

  sql::Connection& connection() { return *conn_; }

  using app::StoreSession::Begin;
  Status Begin(app::TransactionMode mode) override;
  Status Commit() override;
  void Rollback() override;

  Result<Workspace> GetWorkspace() override;
  Status SaveWorkspace(const Workspace& w) override;

  Result<UserId> InsertUser(const User& u) override;
  Result<User> GetUser(UserId id) override;
  Result<std::optional<User>> FindUserByEmail(const std::string& normalized_email) override;
  Result<std::vector<User>> ListUsers() override;
  Status UpdateUser(const User& u) override;

  Status InsertApiToken(UserId user, const std::string& token_hash, const std::string& label, Instant now) override;
  Result<std::optional<UserId>> FindUserIdByTokenHash(const std::string& token_hash) override;

  Status InsertWebSession(const app::WebSession& s) override;
  Result<std::optional<app::WebSession>> FindWebSession(const std::string& id_hash) override;
  Status DeleteWebSession(const std::string& id_hash) override;
  Status DeleteExpiredWebSessions(Instant now) override;

  Result<ClientId> InsertClient(const Client& c) override;
  Result<Client> GetClient(ClientId id) override;
  Status UpdateClient(const Client& c) override;
  Result<app::Page<Client>> ListClients(const app::ClientQuery& q) override;
  Result<std::optional<ClientId>> FindClientByEmailDomain(const std::string& domain) override;

  Result<ContactId> InsertContact(const Contact& c) override;
  Result<Contact> GetContact(ContactId id) override;
  Status UpdateContact(const Contact& c) override;
  Result<app::Page<Contact>> ListContacts(const app::ContactQuery& q) override;
  Result<std::optional<ContactId>> FindContactByEmail(const std::string& normalized_email) override;
  Result<std::optional<ContactId>> FindContactByPhone(const std::string& e164) override;
  Result<std::optional<ContactId>> FindContactBySocialId(const SocialId& s) override;

  Result<Ticket> InsertTicket(const Ticket& t) override;
  Result<Ticket> GetTicket(TicketId id) override;
  Result<std::optional<Ticket>> FindTicketByNumber(std::int64_t number) override;
  Status UpdateTicket(const Ticket& t) override;
  Result<app::Page<app::TicketRow>> ListTickets(const app::TicketQuery& q) override;
  Result<std::int64_t> CountTickets(const app::TicketQuery& q) override;

  Result<app::InsertedMessage> InsertMessage(const Message& m) override;
  Result<std::vector<Message>> ListMessages(TicketId ticket) override;
  Result<std::optional<Message>> FindMessageByExternalId(const std::string& external_id) override;
  Result<std::optional<Message>> FindNewestMessageByExternalIds(const std::vector<std::string>& external_ids) override;

  Status AppendAudit(const AuditEntry& e) override;
  Result<std::vector<AuditEntry>> ListAudit(const std::string& entity, std::int64_t entity_id, int limit) override;

  Result<std::optional<app::IdempotencyRecord>> FindIdempotency(UserId user, const std::string& key) override;
  Status InsertIdempotency(const app::IdempotencyRecord& r) override;

  // sql_session_email.cc
  Status PutBlob(const std::string& sha256, std::string_view data) override;
  Result<std::optional<std::string>> GetBlob(const std::string& sha256) override;
  Status InsertEmailRecord(const app::EmailRecord& r) override;
  Result<std::optional<app::EmailRecord>> GetEmailRecord(MessageId id) override;
  Result<std::vector<app::EmailRecord>> ListEmailRecords(TicketId ticket) override;
  Result<std::optional<app::EmailRecord>> FindEmailByThreadIndexRoot(const std::string& root) override;
  Result<AttachmentId> InsertAttachment(const app::StoredAttachment& a) override;
  Result<app::StoredAttachment> GetAttachment(AttachmentId id) override;
  Result<std::vector<app::StoredAttachment>> ListAttachments(TicketId ticket) override;
  Status AddParticipant(TicketId ticket, ContactId contact) override;
  Result<std::vector<ContactId>> ListParticipants(TicketId ticket) override;
  Status LinkTickets(TicketId from, TicketId to, const std::string& reason) override;
  Result<std::vector<TicketId>> ListLinkedTickets(TicketId ticket) override;
  Result<MailboxId> InsertMailbox(const app::Mailbox& m) override;
  Status UpdateMailbox(const app::Mailbox& m) override;
  Status DeleteMailbox(MailboxId id) override;
  Result<app::Mailbox> GetMailbox(MailboxId id) override;
  Result<std::vector<app::Mailbox>> ListMailboxes() override;
  Status SaveMailboxCheckpoint(MailboxId id, std::uint32_t uid_validity, std::uint32_t last_uid) override;
  Status SaveMailboxHealth(MailboxId id, const std::string& last_error, Instant checked_at) override;
  Result<OutboxId> InsertOutbox(const app::OutboxEntry& e) override;
  Result<app::OutboxEntry> GetOutbox(OutboxId id) override;
  Result<std::vector<app::OutboxEntry>> ClaimDueOutbox(Instant now, Instant lease_until, int limit) override;
  Result<std::optional<Instant>> NextOutboxAttempt() override;
  Result<std::vector<app::OutboxEntry>> ListExpiredOutboxLeases(Instant now) override;
  Status UpdateOutboxDelivery(const app::OutboxEntry& e) override;
  Result<std::vector<app::OutboxEntry>> ListOutboxForTicket(TicketId ticket) override;
  Result<std::optional<app::OutboxEntry>> FindOutboxByRfcMessageId(const std::string& rfc_message_id) override;
  Result<int> CountAutomaticMailTo(const std::string& normalized_address, Instant since) override;

  // sql_session_promises.cc
  Result<std::vector<app::HolidayRecord>> ListHolidays() override;
  Result<app::HolidayId> InsertHoliday(const Holiday& h) override;
  Status DeleteHoliday(app::HolidayId id) override;
  Result<std::vector<SlaPolicy>> ListSlaPolicies() override;
  Result<SlaPolicyId> InsertSlaPolicy(const SlaPolicy& p) override;
  Status UpdateSlaPolicy(const SlaPolicy& p) override;
  Status DeleteSlaPolicy(SlaPolicyId id) override;

  // sql_session_follow_ups.cc
  Result<std::vector<app::PromiseAlertCandidate>> ListPromiseAlertCandidates(Instant now, Instant broken_since,
                                                                        int limit) override;
  Result<bool> InsertPromiseAlert(TicketId ticket, const std::string& level, Instant due_at, Instant now) override;
  Result<std::optional<NoticeId>> InsertNotice(const app::Notice& n) override;
  Result<std::vector<app::Notice>> ListNotices(UserId user, Instant now, bool unread_only, int limit) override;
  Result<int> CountUnreadNotices(UserId user, Instant now) override;
  Status MarkNoticeRead(UserId user, NoticeId id, Instant at) override;
  Result<int> MarkAllNoticesRead(UserId user, Instant at) override;
  Result<ReminderId> InsertReminder(const app::Reminder& r) override;
  Result<app::Reminder> GetReminder(ReminderId id) override;
  Status UpdateReminder(const app::Reminder& r) override;
  Status DeleteReminder(ReminderId id) override;
  Result<std::vector<app::Reminder>> ListReminders(const app::ReminderQuery& q) override;
  Result<std::vector<app::Reminder>> ListDueReminders(Instant now, int limit) override;
  Result<MeetingId> InsertMeeting(const app::Meeting& m) override;
  Status UpdateMeeting(const app::Meeting& m) override;
  Status DeleteMeeting(MeetingId id) override;
  Result<std::vector<app::Meeting>> ListMeetings(const app::MeetingQuery& q) override;
  Status SaveFeedToken(UserId user, const std::string& token_hash, Instant now) override;
  Status DeleteFeedToken(UserId user) override;
  Result<std::optional<UserId>> FindUserByFeedToken(const std::string& token_hash) override;
  Result<bool> HasFeedToken(UserId user) override;

  // sql_session_clocks.cc
  Status InsertTicketEvent(TicketId ticket, const TicketEvent& e) override;
  Result<std::vector<TicketEvent>> ListTicketEvents(TicketId ticket) override;
  Status SaveTicketClocks(TicketId ticket, const SlaClocks& clocks) override;
  Result<std::int64_t> RecomputeOpenTicketClocks(
      std::optional<ClientId> client, const std::function<SlaClocks(const app::TicketClockInput&)>& compute) override;

  // sql_session_reports.cc
  Status StreamReportTickets(Instant from, Instant to, const app::ReportTicketVisitor& visit) override;

  // sql_session_nudges.cc
  Result<std::vector<app::WaitingTicket>> ListTicketsWaitingOnClient(TicketId after, int limit) override;
  Result<std::optional<app::WaitingTicket>> GetWaitingTicket(TicketId id) override;
  Result<bool> InsertNudge(TicketId ticket, Instant waiting_since, int number, Instant sent_at) override;

  // sql_session_review_packs.cc (StreamClientReportTickets: sql_session_reports.cc)
  Result<std::optional<ReviewPackId>> InsertReviewPack(const app::ReviewPack& p) override;
  Result<app::ReviewPack> GetReviewPack(ReviewPackId id) override;
  Result<bool> HasReviewPack(MeetingId meeting, Instant meeting_at) override;
  Result<std::vector<app::ReviewPack>> ListReviewPacks(ClientId client, int limit) override;
  Status StreamClientReportTickets(ClientId client, Instant from, Instant to,
                                   const app::ReportTicketVisitor& visit) override;
  // sql_session_follow_ups.cc
  Result<std::vector<app::Meeting>> ListYearlyMeetings() override;

 private:
  // Writes the uniqueness rows of a client (its domains) / contact (its identifiers); kAlreadyExists
  // names the first value that belongs to another record.
  Status WriteClientDomains(ClientId id, const std::vector<std::string>& domains);
  Status WriteContactIdentifiers(ContactId id, const Contact& c);
  Status WriteTicketTags(TicketId id, const std::vector<std::string>& tags);
  Result<std::optional<std::int64_t>> FindContactIdentifier(const char* kind, const std::string& value);
  Status WriteSlaTargets(const SlaPolicy& p);
  // SQLite writes a transaction's search rows at its commit (search.h), so a single-statement write to
  // a searched table (tickets, messages, contacts) outside a transaction still needs one, a WriteScope.
  bool NeedsCommitForSearch() const {
    return conn_->dialect() == sql::Dialect::kSqlite && !conn_->InTransaction();
  }

  std::unique_ptr<sql::Connection> conn_;
};

}  // namespace rapport::store
