#pragma once
// The storage port: everything the use cases need from a database, and nothing about SQL.
// Implemented in src/store/ for SQLite and PostgreSQL; one contract suite (tests/store/) runs
// against both, so the two behave identically for every method below.
//
// A StoreSession is one connection: not thread-safe, used by one thread at a time (SessionPool
// hands them out). Without Begin() each call runs in its own transaction. Every method may also
// return kUnavailable (the database did not answer; retry later) or kInternal (a bug).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/ports/email_records.h"
#include "app/ports/promise_records.h"
#include "app/ports/follow_up_records.h"
#include "app/ports/report_records.h"
#include "app/ports/review_pack_records.h"
#include "core/entities.h"
#include "core/sla_clock.h"
#include "core/status.h"

namespace rapport::app {

// A page of a list. `next_cursor` is opaque to callers: pass it back to get the next page; it is
// absent on the last page. A cursor that was not made by the store gives kInvalidArgument.
template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_cursor;
};

inline constexpr int kMaxPageSize = 200;

struct ClientQuery {
  std::string text;  // case-insensitive substring of the name or an email domain; empty = all
  int limit = 50;    // 1..kMaxPageSize
  std::string cursor;
};  // ordered by name, then id

struct ContactQuery {
  std::optional<ClientId> client_id;
  std::string text;  // case-insensitive substring of the name, an email or a phone; empty = all
  int limit = 50;
  std::string cursor;
};  // ordered by name, then id

enum class TicketSort {
  kLastActivity,  // last_message_at descending (the default inbox order)
  kNewest,        // created_at descending
  kOldest,        // created_at ascending
  kDue,           // sla_due_at ascending (tickets without a running promise last), then last activity
};

struct TicketQuery {
  // Full-text search over the subject, every message body, and the contact's name and addresses.
  // Words are ANDed; a word matches as a prefix ("invo" finds "invoice"). Empty = no text filter.
  std::string text;
  std::vector<TicketStatus> statuses;  // empty = any
  std::vector<Channel> channels;       // empty = any
  std::optional<UserId> assignee_id;
  bool unassigned_only = false;
  std::optional<ClientId> client_id;
  std::optional<ContactId> contact_id;
  std::optional<std::string> tag;
  std::optional<Instant> created_from;  // inclusive
  std::optional<Instant> created_to;    // exclusive
  std::optional<Instant> due_before;  // only tickets with a running promise due before this (exclusive)
  TicketSort sort = TicketSort::kLastActivity;
  int limit = 50;  // 1..kMaxPageSize; ignored by CountTickets
  std::string cursor;
};

// A ticket with the names a list shows next to it, read in the same query.
struct TicketRow {
  Ticket ticket;
  std::string client_name;   // empty when the ticket has no client
  std::string contact_name;
  std::string contact_email; // first email of the contact, or empty
};

struct InsertedMessage {
  MessageId id;
  bool created = true;  // false: a message with the same external_id was already stored; id is its id
};

struct WebSession {
  std::string id_hash;  // SHA-256 (hex) of the cookie value; the cookie value itself is never stored
  UserId user_id;
  std::string csrf_token;
  Instant created_at{};
  Instant expires_at{};
};

// The first response to a write with an Idempotency-Key, replayed for a retry with the same key.
struct IdempotencyRecord {
  UserId user_id;
  std::string key;
  std::string request_fingerprint;  // method, path and body hash: a reused key with another request is a conflict
  int http_status = 0;
  std::string response_body;
  Instant created_at{};
};

// One open ticket with what its promise clocks depend on (StoreSession::RecomputeOpenTicketClocks).
struct TicketClockInput {
  TicketId id;
  Priority priority = Priority::kNormal;
  std::string plan;                 // the client's plan; "" for a ticket without a client
  std::vector<TicketEvent> events;  // in the order they happened (at, then id)
};

// An open ticket whose nearest promise reached its warning share or its due time, with the alert
// level not yet raised for that due time (StoreSession::ListPromiseAlertCandidates).
struct PromiseAlertCandidate {
  TicketId id;
  std::int64_t number = 0;
  std::string subject;
  std::optional<UserId> assignee_id;
  Instant due_at{};  // the earliest due time of the running clocks (tickets.sla_due_at)
  std::optional<Instant> first_response_due_at;
  std::optional<Instant> next_response_due_at;
  std::optional<Instant> resolution_due_at;
};

// A nudge sent in one waiting period of a ticket (the nudges table, migration 6).
struct SentNudge {
  int number = 0;  // 1-based within the waiting period
  Instant sent_at{};
};

// A ticket waiting on the client (StoreSession::ListTicketsWaitingOnClient) and the instant it
// started waiting: its latest status event to waiting_on_client, else (no such event: a ticket from
// before the events were recorded) its updated_at.
struct WaitingTicket {
  TicketId id;
  Instant waiting_since{};
  std::optional<SentNudge> latest_nudge;  // the highest-numbered nudge of this waiting period
};

// What a transaction intends to do. A read-only transaction reads one consistent snapshot and never
// waits for writers (SQLite: a deferred BEGIN in WAL mode; PostgreSQL: BEGIN READ ONLY, which also
// refuses any write in it). A read-write transaction takes the write lock at once (SQLite: BEGIN
// IMMEDIATE), so a use case that reads and then writes never fails on a lock upgrade.
enum class TransactionMode { kReadWrite, kReadOnly };

class StoreSession {
 public:
  virtual ~StoreSession() = default;

  // Transactions. Begin while one is open is a programmer error (kInternal). Rollback is a no-op
  // when none is open. Use app::Transaction (transaction.h) rather than calling these directly.
  virtual Status Begin(TransactionMode mode) = 0;
  Status Begin() { return Begin(TransactionMode::kReadWrite); }
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;

  // Workspace settings (one row, created by the first migration with defaults).
  virtual Result<Workspace> GetWorkspace() = 0;
  virtual Status SaveWorkspace(const Workspace& w) = 0;

  // Users. Emails are unique: kAlreadyExists on a taken one.
  virtual Result<UserId> InsertUser(const User& u) = 0;
  virtual Result<User> GetUser(UserId id) = 0;  // kNotFound
  virtual Result<std::optional<User>> FindUserByEmail(const std::string& normalized_email) = 0;
  virtual Result<std::vector<User>> ListUsers() = 0;  // ordered by name, then id
  virtual Status UpdateUser(const User& u) = 0;       // kNotFound, kAlreadyExists

  // API tokens, stored as a SHA-256 hex hash of the token.
  virtual Status InsertApiToken(UserId user, const std::string& token_hash, const std::string& label, Instant now) = 0;
  virtual Result<std::optional<UserId>> FindUserIdByTokenHash(const std::string& token_hash) = 0;

  // Web sign-in sessions.
  virtual Status InsertWebSession(const WebSession& s) = 0;
  virtual Result<std::optional<WebSession>> FindWebSession(const std::string& id_hash) = 0;
  virtual Status DeleteWebSession(const std::string& id_hash) = 0;
  virtual Status DeleteExpiredWebSessions(Instant now) = 0;

  // Clients. An email domain belongs to at most one client: kAlreadyExists names the domain.
  virtual Result<ClientId> InsertClient(const Client& c) = 0;
  virtual Result<Client> GetClient(ClientId id) = 0;  // kNotFound
  virtual Status UpdateClient(const Client& c) = 0;   // kNotFound, kAlreadyExists
  virtual Result<Page<Client>> ListClients(const ClientQuery& q) = 0;
  virtual Result<std::optional<ClientId>> FindClientByEmailDomain(const std::string& domain) = 0;

  // Contacts. Each email, phone and social id belongs to at most one contact: kAlreadyExists names
  // the identifier that is taken.
  virtual Result<ContactId> InsertContact(const Contact& c) = 0;
  virtual Result<Contact> GetContact(ContactId id) = 0;  // kNotFound
  virtual Status UpdateContact(const Contact& c) = 0;    // kNotFound, kAlreadyExists
  virtual Result<Page<Contact>> ListContacts(const ContactQuery& q) = 0;
  virtual Result<std::optional<ContactId>> FindContactByEmail(const std::string& normalized_email) = 0;
  virtual Result<std::optional<ContactId>> FindContactByPhone(const std::string& e164) = 0;
  virtual Result<std::optional<ContactId>> FindContactBySocialId(const SocialId& s) = 0;

  // Tickets. InsertTicket assigns the id and the next number and returns the stored ticket.
  virtual Result<Ticket> InsertTicket(const Ticket& t) = 0;
  virtual Result<Ticket> GetTicket(TicketId id) = 0;  // kNotFound
  virtual Result<std::optional<Ticket>> FindTicketByNumber(std::int64_t number) = 0;
  virtual Status UpdateTicket(const Ticket& t) = 0;  // kNotFound
  virtual Result<Page<TicketRow>> ListTickets(const TicketQuery& q) = 0;
  virtual Result<std::int64_t> CountTickets(const TicketQuery& q) = 0;

  // Messages, oldest first. A message whose external_id is already stored is not stored again.
  virtual Result<InsertedMessage> InsertMessage(const Message& m) = 0;
  virtual Result<std::vector<Message>> ListMessages(TicketId ticket) = 0;
  // The message stored with this channel id, if any: lets intake find the ticket a re-delivered
  // message already opened (Desk::CreateTicket with an external_id is idempotent).
  virtual Result<std::optional<Message>> FindMessageByExternalId(const std::string& external_id) = 0;
  // The newest stored message whose channel id is any of `external_ids` (an email's In-Reply-To and
  // References), in one query; nullopt when none is stored.
  virtual Result<std::optional<Message>> FindNewestMessageByExternalIds(const std::vector<std::string>& external_ids) = 0;

  // The audit trail, newest first.
  virtual Status AppendAudit(const AuditEntry& e) = 0;
  virtual Result<std::vector<AuditEntry>> ListAudit(const std::string& entity, std::int64_t entity_id, int limit) = 0;

  // Idempotency keys of API writes.
  virtual Result<std::optional<IdempotencyRecord>> FindIdempotency(UserId user, const std::string& key) = 0;
  virtual Status InsertIdempotency(const IdempotencyRecord& r) = 0;  // kAlreadyExists on a race

  // ---- Email ----
  // Blobs are content-addressed by the SHA-256 (hex) of their bytes; storing one twice keeps one.
  virtual Status PutBlob(const std::string& sha256, std::string_view data) = 0;
  virtual Result<std::optional<std::string>> GetBlob(const std::string& sha256) = 0;

  virtual Status InsertEmailRecord(const EmailRecord& r) = 0;
  virtual Result<std::optional<EmailRecord>> GetEmailRecord(MessageId id) = 0;
  virtual Result<std::vector<EmailRecord>> ListEmailRecords(TicketId ticket) = 0;  // oldest first
  // The newest message of the thread whose Thread-Index starts with this root.
  virtual Result<std::optional<EmailRecord>> FindEmailByThreadIndexRoot(const std::string& root) = 0;

  virtual Result<AttachmentId> InsertAttachment(const StoredAttachment& a) = 0;
  virtual Result<StoredAttachment> GetAttachment(AttachmentId id) = 0;  // kNotFound
  virtual Result<std::vector<StoredAttachment>> ListAttachments(TicketId ticket) = 0;  // by message, then id

  // People copied on a ticket besides its contact; replies go to them too. Adding one twice is a no-op.
  virtual Status AddParticipant(TicketId ticket, ContactId contact) = 0;
  virtual Result<std::vector<ContactId>> ListParticipants(TicketId ticket) = 0;
  // A ticket opened because of another (a subject reference from an unrelated sender).
  virtual Status LinkTickets(TicketId from, TicketId to, const std::string& reason) = 0;
  virtual Result<std::vector<TicketId>> ListLinkedTickets(TicketId ticket) = 0;  // both directions

  // Mailboxes. The address is unique: kAlreadyExists.
  virtual Result<MailboxId> InsertMailbox(const Mailbox& m) = 0;
  virtual Status UpdateMailbox(const Mailbox& m) = 0;  // settings only, not the checkpoint; kNotFound
  virtual Status DeleteMailbox(MailboxId id) = 0;
  virtual Result<Mailbox> GetMailbox(MailboxId id) = 0;  // kNotFound
  virtual Result<std::vector<Mailbox>> ListMailboxes() = 0;  // by name
  virtual Status SaveMailboxCheckpoint(MailboxId id, std::uint32_t uid_validity, std::uint32_t last_uid) = 0;
  virtual Status SaveMailboxHealth(MailboxId id, const std::string& last_error, Instant checked_at) = 0;

  // The outbox. Claim marks up to `limit` due entries (queued, next_attempt_at <= now) as sending
  // with a lease, so that two workers (or nodes) never take the same one.
  virtual Result<OutboxId> InsertOutbox(const OutboxEntry& e) = 0;
  virtual Result<OutboxEntry> GetOutbox(OutboxId id) = 0;  // kNotFound
  virtual Result<std::vector<OutboxEntry>> ClaimDueOutbox(Instant now, Instant lease_until, int limit) = 0;
  // When the earliest queued entry is due; nullopt when nothing is queued. A read, so that an idle
  // worker polling it never takes the write lock.
  virtual Result<std::optional<Instant>> NextOutboxAttempt() = 0;
  // Entries still sending after their lease expired: the sender stopped mid-send.
  virtual Result<std::vector<OutboxEntry>> ListExpiredOutboxLeases(Instant now) = 0;
  virtual Status UpdateOutboxDelivery(const OutboxEntry& e) = 0;  // state, attempts, times, code, reply
  virtual Result<std::vector<OutboxEntry>> ListOutboxForTicket(TicketId ticket) = 0;
  virtual Result<std::optional<OutboxEntry>> FindOutboxByRfcMessageId(const std::string& rfc_message_id) = 0;
  // Automatic mail (acknowledgements, notices) queued to this recipient at or after `since`.
  virtual Result<int> CountAutomaticMailTo(const std::string& normalized_address, Instant since) = 0;

  // ---- Promises: holidays and response policies ----
  // The weekly business hours are a column of the workspace (GetWorkspace / SaveWorkspace).
  // Holidays ordered by year, month, day (the yearly ones, year 0, first). A date is unique:
  // kAlreadyExists names it.
  virtual Result<std::vector<HolidayRecord>> ListHolidays() = 0;
  virtual Result<HolidayId> InsertHoliday(const Holiday& h) = 0;
  virtual Status DeleteHoliday(HolidayId id) = 0;  // kNotFound
  // Response policies with their targets for every priority, ordered by plan ("" first), then id.
  // A plan has at most one policy: kAlreadyExists names it. Update replaces name, plan, warning share
  // and every target.
  virtual Result<std::vector<SlaPolicy>> ListSlaPolicies() = 0;
  virtual Result<SlaPolicyId> InsertSlaPolicy(const SlaPolicy& p) = 0;
  virtual Status UpdateSlaPolicy(const SlaPolicy& p) = 0;  // kNotFound, kAlreadyExists
  virtual Status DeleteSlaPolicy(SlaPolicyId id) = 0;      // kNotFound

  // ---- Follow-ups (app/ports/follow_up_records.h) ----
  // Notices. InsertNotice returns the new id, or nullopt when the user already has a notice with
  // this dedup_key (nothing is written then).
  virtual Result<std::optional<NoticeId>> InsertNotice(const Notice& n) = 0;
  // The user's notices delivered by `now` (deliver_at <= now), newest first; unread only on request.
  virtual Result<std::vector<Notice>> ListNotices(UserId user, Instant now, bool unread_only, int limit) = 0;
  virtual Result<int> CountUnreadNotices(UserId user, Instant now) = 0;
  // Sets read_at on the user's notice if unset; kNotFound when it is not the user's.
  virtual Status MarkNoticeRead(UserId user, NoticeId id, Instant at) = 0;
  // Sets read_at on every unread notice of the user delivered by `at`; returns how many.
  virtual Result<int> MarkAllNoticesRead(UserId user, Instant at) = 0;

  // Reminders.
  virtual Result<ReminderId> InsertReminder(const Reminder& r) = 0;
  virtual Result<Reminder> GetReminder(ReminderId id) = 0;  // kNotFound
  // title, note, due_at, done_at, notified_at; kNotFound.
  virtual Status UpdateReminder(const Reminder& r) = 0;
  virtual Status DeleteReminder(ReminderId id) = 0;  // kNotFound
  virtual Result<std::vector<Reminder>> ListReminders(const ReminderQuery& q) = 0;
  // Open, not yet notified reminders with due_at <= now, earliest first.
  virtual Result<std::vector<Reminder>> ListDueReminders(Instant now, int limit) = 0;

  // Meetings. A client has at most one yearly meeting (its annual review): kAlreadyExists.
  virtual Result<MeetingId> InsertMeeting(const Meeting& m) = 0;
  virtual Status UpdateMeeting(const Meeting& m) = 0;  // kNotFound, kAlreadyExists
  virtual Status DeleteMeeting(MeetingId id) = 0;      // kNotFound
  virtual Result<std::vector<Meeting>> ListMeetings(const MeetingQuery& q) = 0;

  // Calendar feed tokens, one per user, stored as a SHA-256 hex hash. Saving replaces the old one.
  virtual Status SaveFeedToken(UserId user, const std::string& token_hash, Instant now) = 0;
  virtual Status DeleteFeedToken(UserId user) = 0;  // no-op when there is none
  virtual Result<std::optional<UserId>> FindUserByFeedToken(const std::string& token_hash) = 0;
  virtual Result<bool> HasFeedToken(UserId user) = 0;

  // ---- Promise clocks (core/sla_clock.h) ----
  // A ticket's events are the history its clocks are computed from: client messages, public
  // replies and status changes. ListTicketEvents orders them by time, then by insertion.
  virtual Status InsertTicketEvent(TicketId ticket, const TicketEvent& e) = 0;  // kNotFound
  virtual Result<std::vector<TicketEvent>> ListTicketEvents(TicketId ticket) = 0;
  // Stores the clocks' results on the ticket: the three due times, the overall state, the earliest
  // warning and due times of the running clocks. The only writer of those Ticket fields. kNotFound.
  virtual Status SaveTicketClocks(TicketId ticket, const SlaClocks& clocks) = 0;
  // Every open ticket (new, open, waiting_on_client, on_hold) that has events, only `client`'s when
  // set, in id order, read in one streaming query: `compute` gets each one and its result is saved
  // as SaveTicketClocks would (one prepared UPDATE, skipped when nothing changed). Returns the
  // number of open tickets computed. Runs in the caller's transaction.
  virtual Result<std::int64_t> RecomputeOpenTicketClocks(
      std::optional<ClientId> client, const std::function<SlaClocks(const TicketClockInput&)>& compute) = 0;

  // ---- Promise alerts (app/promise_alerts.h) ----
  // Open tickets with sla_warning_at <= now and sla_due_at >= broken_since whose level at `now`
  // ("breach" once sla_due_at < now, else "warning") has no alert recorded for that due time;
  // earliest warning first.
  virtual Result<std::vector<PromiseAlertCandidate>> ListPromiseAlertCandidates(Instant now, Instant broken_since,
                                                                                int limit) = 0;
  // Records an alert; false when this (ticket, level, due time) was recorded already.
  virtual Result<bool> InsertPromiseAlert(TicketId ticket, const std::string& level, Instant due_at, Instant now) = 0;

  // ---- Reports (app/ports/report_records.h) ----
  // Every ticket created in [from, to), with its client (name, plan), its assignee's name and its
  // events, ordered by created_at then id: `visit` gets one ticket at a time. Read in batches of one
  // prepared query (bounded memory on both databases), so run it in a read-only transaction to see
  // one snapshot. Returns the first error of `visit` as it is.
  virtual Status StreamReportTickets(Instant from, Instant to, const ReportTicketVisitor& visit) = 0;

  // ---- Nudges (app/auto_followups.h) ----
  // Tickets whose status is waiting_on_client with id > `after`, in id order, at most `limit`.
  virtual Result<std::vector<WaitingTicket>> ListTicketsWaitingOnClient(TicketId after, int limit) = 0;
  // Ticket `id` when its status is waiting_on_client, else nullopt.
  virtual Result<std::optional<WaitingTicket>> GetWaitingTicket(TicketId id) = 0;
  // Records nudge `number` of a waiting period; false when it was recorded already (by another
  // worker, or before a crash), so that the caller sends nothing.
  virtual Result<bool> InsertNudge(TicketId ticket, Instant waiting_since, int number, Instant sent_at) = 0;

  // ---- Review packs (app/review_packs.h) ----
  // Stores a pack; nullopt when its occurrence (meeting_id, meeting_at) has one already (another
  // worker, or a round before a crash, prepared it), and then nothing is written.
  virtual Result<std::optional<ReviewPackId>> InsertReviewPack(const ReviewPack& p) = 0;
  virtual Result<ReviewPack> GetReviewPack(ReviewPackId id) = 0;  // kNotFound
  // Whether the occurrence has a pack: a read, so that an idle worker never takes the write lock.
  virtual Result<bool> HasReviewPack(MeetingId meeting, Instant meeting_at) = 0;
  // The client's packs, the latest meeting first, at most `limit` (1..kMaxPageSize).
  virtual Result<std::vector<ReviewPack>> ListReviewPacks(ClientId client, int limit) = 0;
  // StreamReportTickets over one client's tickets only.
  virtual Status StreamClientReportTickets(ClientId client, Instant from, Instant to,
                                           const ReportTicketVisitor& visit) = 0;
  // Every yearly meeting (the clients' annual reviews), ordered by id: what the review-pack worker
  // expands into occurrences.
  virtual Result<std::vector<Meeting>> ListYearlyMeetings() = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // "sqlite" or "postgresql".
  virtual std::string Kind() const = 0;
  // Applies the migrations that are missing, each in its own transaction, after an integrity check.
  virtual Status Migrate() = 0;
  // A new connection. kUnavailable when the database cannot be reached.
  virtual Result<std::unique_ptr<StoreSession>> OpenSession() = 0;
  // SQLite: an online, consistent copy to `path`. PostgreSQL: kInvalidArgument with pg_dump advice.
  virtual Status Backup(const std::string& path) = 0;
};

struct StoreOptions {
  // A one-off bulk load by a short-lived process with one writer (`rapport import`): SQLite keeps
  // a 64 MiB page cache per connection instead of the server's 2 MiB, so that the indexes being
  // filled stay in memory instead of being read back through the OS for every insert, and writes
  // through a rollback journal instead of WAL when no other process has the database open (see
  // store/sql/sqlite_connection.h, SqliteUse::kBulkLoad).
  bool bulk_load = false;
};

// Opens the store named by a URL: "sqlite:PATH" or "postgresql://user:pass@host:port/db"
// (also "postgres://"). kInvalidArgument for any other scheme. Defined in src/store/.
Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const StoreOptions& options = {});

}  // namespace rapport::app
