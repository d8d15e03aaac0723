// SqlSession: follow-ups — notices, reminders, meetings and calendar feed tokens.
#include "store/sql_rows.h"
#include "store/sql_session.h"

namespace rapport::store {
namespace {

using sql::Query;
using sql::Statement;

constexpr const char* kNoticeColumns =
    "id, user_id, kind, ticket_id, client_id, title, body, dedup_key, created_at, deliver_at, emailed_at, read_at";
constexpr const char* kReminderColumns =
    "id, user_id, ticket_id, client_id, title, note, due_at, done_at, created_by, created_at, notified_at";
// A meeting with its client's current name: FROM kMeetingsWithClient.
constexpr const char* kMeetingColumns =
    "m.id, m.client_id, m.title, m.starts_at, m.duration_minutes, m.recurrence, m.owner_user_id, m.created_at,"
    " COALESCE(c.name, '')";
constexpr const char* kMeetingsWithClient = " FROM meetings m LEFT JOIN clients c ON c.id = m.client_id";

template <typename T>
std::optional<T> OptionalId(const Statement& s, int col) {
  if (s.IsNull(col)) return std::nullopt;
  return T(s.Int(col));
}

app::Notice ReadNotice(const Statement& s) {
  app::Notice n;
  n.id = NoticeId(s.Int(0));
  n.user_id = UserId(s.Int(1));
  n.kind = s.Text(2);
  n.ticket_id = OptionalId<TicketId>(s, 3);
  n.client_id = OptionalId<ClientId>(s, 4);
  n.title = s.Text(5);
  n.body = s.Text(6);
  n.dedup_key = s.Text(7);
  n.created_at = InstantFromUnix(s.Int(8));
  n.deliver_at = InstantFromUnix(s.Int(9));
  n.emailed_at = s.OptionalInstant(10);
  n.read_at = s.OptionalInstant(11);
  return n;
}

app::Reminder ReadReminder(const Statement& s) {
  app::Reminder r;
  r.id = ReminderId(s.Int(0));
  r.user_id = UserId(s.Int(1));
  r.ticket_id = OptionalId<TicketId>(s, 2);
  r.client_id = OptionalId<ClientId>(s, 3);
  r.title = s.Text(4);
  r.note = s.Text(5);
  r.due_at = InstantFromUnix(s.Int(6));
  r.done_at = s.OptionalInstant(7);
  r.created_by = UserId(s.Int(8));
  r.created_at = InstantFromUnix(s.Int(9));
  r.notified_at = s.OptionalInstant(10);
  return r;
}

app::Meeting ReadMeeting(const Statement& s) {
  app::Meeting m;
  m.id = MeetingId(s.Int(0));
  m.client_id = ClientId(s.Int(1));
  m.title = s.Text(2);
  m.starts_at = InstantFromUnix(s.Int(3));
  m.duration_minutes = static_cast<int>(s.Int(4));
  m.recurrence = app::ParseMeetingRecurrence(s.Text(5)).value_or(app::MeetingRecurrence::kNone);
  m.owner_user_id = UserId(s.Int(6));
  m.created_at = InstantFromUnix(s.Int(7));
  m.client_name = s.Text(8);
  return m;
}

// Runs an UPDATE/DELETE ... RETURNING id: kNotFound with `what` when no row matched.
Status RunOne(Query& q, const std::string& what) {
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return Status::NotFound(what + " does not exist");
  return Status::Ok();
}

std::string ReminderName(ReminderId id) { return "reminder " + std::to_string(id.value); }
std::string MeetingName(MeetingId id) { return "meeting " + std::to_string(id.value); }

}  // namespace

// ---- notices ----------------------------------------------------------------------------------------

Result<std::optional<NoticeId>> SqlSession::InsertNotice(const app::Notice& n) {
  RAPPORT_ASSIGN_OR_RETURN(
      Query q, conn_->Prepare("INSERT INTO notices (user_id, kind, ticket_id, client_id, title, body, dedup_key,"
                              " created_at, deliver_at, emailed_at, read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                              " ON CONFLICT (user_id, dedup_key) DO NOTHING RETURNING id"));
  q->Bind(n.user_id);
  q->Bind(n.kind);
  q->Bind(n.ticket_id);
  q->Bind(n.client_id);
  q->Bind(n.title);
  q->Bind(n.body);
  q->Bind(n.dedup_key);
  q->Bind(n.created_at);
  q->Bind(n.deliver_at);
  q->Bind(n.emailed_at);
  q->Bind(n.read_at);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return std::optional<NoticeId>();
  return std::optional<NoticeId>(NoticeId(q->Int(0)));
}

Result<std::vector<app::Notice>> SqlSession::ListNotices(UserId user, Instant now, bool unread_only, int limit) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare(std::string("SELECT ") + kNoticeColumns +
                                                   " FROM notices WHERE user_id = ? AND deliver_at <= ?" +
                                                   (unread_only ? " AND read_at IS NULL" : "") +
                                                   " ORDER BY deliver_at DESC, id DESC LIMIT ?"));
  q->Bind(user);
  q->Bind(now);
  q->Bind(PageLimit(limit));
  return ReadRows<app::Notice>(q, ReadNotice);
}

Result<int> SqlSession::CountUnreadNotices(UserId user, Instant now) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("SELECT COUNT(*) FROM notices WHERE user_id = ? AND deliver_at <= ?"
                                                   " AND read_at IS NULL"));
  q->Bind(user);
  q->Bind(now);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  return row ? static_cast<int>(q->Int(0)) : 0;
}

Status SqlSession::MarkNoticeRead(UserId user, NoticeId id, Instant at) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("UPDATE notices SET read_at = COALESCE(read_at, ?)"
                                                   " WHERE id = ? AND user_id = ? RETURNING id"));
  q->Bind(at);
  q->Bind(id);
  q->Bind(user);
  return RunOne(q, "notice " + std::to_string(id.value));
}

Result<int> SqlSession::MarkAllNoticesRead(UserId user, Instant at) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("UPDATE notices SET read_at = ? WHERE user_id = ?"
                                                   " AND read_at IS NULL AND deliver_at <= ? RETURNING id"));
  q->Bind(at);
  q->Bind(user);
  q->Bind(at);
  int marked = 0;
  for (;;) {
    RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
    if (!row) return marked;
    ++marked;
  }
}

// ---- reminders --------------------------------------------------------------------------------------

Result<ReminderId> SqlSession::InsertReminder(const app::Reminder& r) {
  RAPPORT_ASSIGN_OR_RETURN(
      Query q, conn_->Prepare("INSERT INTO reminders (user_id, ticket_id, client_id, title, note, due_at, done_at,"
                              " created_by, created_at, notified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                              " RETURNING id"));
  q->Bind(r.user_id);
  q->Bind(r.ticket_id);
  q->Bind(r.client_id);
  q->Bind(r.title);
  q->Bind(r.note);
  q->Bind(r.due_at);
  q->Bind(r.done_at);
  q->Bind(r.created_by);
  q->Bind(r.created_at);
  q->Bind(r.notified_at);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return Status::Internal("INSERT INTO reminders returned no id");
  return ReminderId(q->Int(0));
}

Result<app::Reminder> SqlSession::GetReminder(ReminderId id) {
  RAPPORT_ASSIGN_OR_RETURN(Query q,
                           conn_->Prepare(std::string("SELECT ") + kReminderColumns + " FROM reminders WHERE id = ?"));
  q->Bind(id);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return Status::NotFound(ReminderName(id) + " does not exist");
  return ReadReminder(*q);
}

Status SqlSession::UpdateReminder(const app::Reminder& r) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("UPDATE reminders SET title = ?, note = ?, due_at = ?, done_at = ?,"
                                                   " notified_at = ? WHERE id = ? RETURNING id"));
  q->Bind(r.title);
  q->Bind(r.note);
  q->Bind(r.due_at);
  q->Bind(r.done_at);
  q->Bind(r.notified_at);
  q->Bind(r.id);
  return RunOne(q, ReminderName(r.id));
}

Status SqlSession::DeleteReminder(ReminderId id) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("DELETE FROM reminders WHERE id = ? RETURNING id"));
  q->Bind(id);
  return RunOne(q, ReminderName(id));
}

Result<std::vector<app::Reminder>> SqlSession::ListReminders(const app::ReminderQuery& query) {
  std::string sql = std::string("SELECT ") + kReminderColumns + " FROM reminders WHERE 1 = 1";
  if (query.user_id) sql += " AND user_id = ?";
  if (query.open_only) sql += " AND done_at IS NULL";
  if (query.ticket_id) sql += " AND ticket_id = ?";
  if (query.client_id) sql += " AND client_id = ?";
  sql += " ORDER BY due_at, id LIMIT ?";
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare(sql));
  if (query.user_id) q->Bind(*query.user_id);
  if (query.ticket_id) q->Bind(*query.ticket_id);
  if (query.client_id) q->Bind(*query.client_id);
  q->Bind(PageLimit(query.limit));
  return ReadRows<app::Reminder>(q, ReadReminder);
}

Result<std::vector<app::Reminder>> SqlSession::ListDueReminders(Instant now, int limit) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare(std::string("SELECT ") + kReminderColumns +
                                                   " FROM reminders WHERE done_at IS NULL AND notified_at IS NULL"
                                                   " AND due_at <= ? ORDER BY due_at, id LIMIT ?"));
  q->Bind(now);
  q->Bind(PageLimit(limit));
  return ReadRows<app::Reminder>(q, ReadReminder);
}

// ---- meetings ---------------------------------------------------------------------------------------

Result<MeetingId> SqlSession::InsertMeeting(const app::Meeting& m) {
  sql::WriteScope scope(*conn_);  // a taken review slot must leave the caller's transaction usable
  RAPPORT_RETURN_IF_ERROR(scope.began());
  MeetingId id;
  {
    RAPPORT_ASSIGN_OR_RETURN(
        Query q, conn_->Prepare("INSERT INTO meetings (client_id, title, starts_at, duration_minutes, recurrence,"
                                " owner_user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    q->Bind(m.client_id);
    q->Bind(m.title);
    q->Bind(m.starts_at);
    q->Bind(std::int64_t{m.duration_minutes});
    q->Bind(app::MeetingRecurrenceName(m.recurrence));
    q->Bind(m.owner_user_id);
    q->Bind(m.created_at);
    RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
    if (!row) return Status::Internal("INSERT INTO meetings returned no id");
    id = MeetingId(q->Int(0));
  }
  RAPPORT_RETURN_IF_ERROR(scope.Commit());
  return id;
}

Status SqlSession::UpdateMeeting(const app::Meeting& m) {
  sql::WriteScope scope(*conn_);
  RAPPORT_RETURN_IF_ERROR(scope.began());
  {
    RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("UPDATE meetings SET title = ?, starts_at = ?, duration_minutes = ?,"
                                                     " recurrence = ?, owner_user_id = ? WHERE id = ? RETURNING id"));
    q->Bind(m.title);
    q->Bind(m.starts_at);
    q->Bind(std::int64_t{m.duration_minutes});
    q->Bind(app::MeetingRecurrenceName(m.recurrence));
    q->Bind(m.owner_user_id);
    q->Bind(m.id);
    RAPPORT_RETURN_IF_ERROR(RunOne(q, MeetingName(m.id)));
  }
  return scope.Commit();
}

Status SqlSession::DeleteMeeting(MeetingId id) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("DELETE FROM meetings WHERE id = ? RETURNING id"));
  q->Bind(id);
  return RunOne(q, MeetingName(id));
}

Result<std::vector<app::Meeting>> SqlSession::ListMeetings(const app::MeetingQuery& query) {
  std::string sql = std::string("SELECT ") + kMeetingColumns + kMeetingsWithClient + " WHERE 1 = 1";
  if (query.client_id) sql += " AND m.client_id = ?";
  if (query.owner_user_id) sql += " AND m.owner_user_id = ?";
  sql += " ORDER BY m.starts_at, m.id";
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare(sql));
  if (query.client_id) q->Bind(*query.client_id);
  if (query.owner_user_id) q->Bind(*query.owner_user_id);
  return ReadRows<app::Meeting>(q, ReadMeeting);
}

Result<std::vector<app::Meeting>> SqlSession::ListYearlyMeetings() {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare(std::string("SELECT ") + kMeetingColumns + kMeetingsWithClient +
                                                   " WHERE m.recurrence = ? ORDER BY m.id"));
  q->Bind(app::MeetingRecurrenceName(app::MeetingRecurrence::kYearly));
  return ReadRows<app::Meeting>(q, ReadMeeting);
}

// ---- calendar feed tokens ---------------------------------------------------------------------------

Status SqlSession::SaveFeedToken(UserId user, const std::string& token_hash, Instant now) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("INSERT INTO feed_tokens (user_id, token_hash, created_at)"
                                                   " VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET"
                                                   " token_hash = excluded.token_hash, created_at = excluded.created_at"));
  q->Bind(user);
  q->Bind(token_hash);
  q->Bind(now);
  return q->Run();
}

Status SqlSession::DeleteFeedToken(UserId user) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("DELETE FROM feed_tokens WHERE user_id = ?"));
  q->Bind(user);
  return q->Run();
}

Result<std::optional<UserId>> SqlSession::FindUserByFeedToken(const std::string& token_hash) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("SELECT user_id FROM feed_tokens WHERE token_hash = ?"));
  q->Bind(token_hash);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return std::optional<UserId>();
  return std::optional<UserId>(UserId(q->Int(0)));
}

Result<bool> SqlSession::HasFeedToken(UserId user) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("SELECT 1 FROM feed_tokens WHERE user_id = ?"));
  q->Bind(user);
  return q->Next();
}

}  // namespace rapport::store
