// SqlSession: tickets (with their tags and list queries) and messages.
#include <algorithm>
#include <charconv>

#include "store/codec.h"
#include "store/cursor.h"
#include "store/search.h"
#include "store/sql_builder.h"
#include "store/sql_session.h"

namespace rapport::store {
namespace {

using sql::Query;
using sql::Statement;

constexpr const char* kTicketColumns =
    "t.id, t.number, t.subject, t.client_id, t.contact_id, t.channel, t.status, t.priority, t.assignee_id, t.tags,"
    " t.created_at, t.updated_at, t.last_message_at, t.resolved_at, t.closed_at, t.first_response_due_at,"
    " t.next_response_due_at, t.resolution_due_at, t.sla_warning_at, t.sla_due_at, t.sla_state";
constexpr int kTicketColumnCount = 21;

constexpr const char* kMessageColumns =
    "id, ticket_id, kind, channel, author_user_id, author_contact_id, body_text, body_html, external_id, created_at";

std::optional<Instant> OptionalInstant(const Statement& s, int col) {
  if (s.IsNull(col)) return std::nullopt;
  return InstantFromUnix(s.Int(col));
}

Ticket ReadTicket(const Statement& s) {
  Ticket t;
  t.id = TicketId(s.Int(0));
  t.number = s.Int(1);
  t.subject = s.Text(2);
  if (!s.IsNull(3)) t.client_id = ClientId(s.Int(3));
  t.contact_id = ContactId(s.Int(4));
  t.channel = ParseChannel(s.Text(5)).value_or(Channel::kEmail);
  t.status = ParseTicketStatus(s.Text(6)).value_or(TicketStatus::kOpen);
  t.priority = ParsePriority(s.Text(7)).value_or(Priority::kNormal);
  if (!s.IsNull(8)) t.assignee_id = UserId(s.Int(8));
  t.tags = SplitList(s.Text(9));
  t.created_at = InstantFromUnix(s.Int(10));
  t.updated_at = InstantFromUnix(s.Int(11));
  t.last_message_at = InstantFromUnix(s.Int(12));
  t.resolved_at = OptionalInstant(s, 13);
  t.closed_at = OptionalInstant(s, 14);
  t.first_response_due_at = OptionalInstant(s, 15);
  t.next_response_due_at = OptionalInstant(s, 16);
  t.resolution_due_at = OptionalInstant(s, 17);
  t.sla_warning_at = OptionalInstant(s, 18);
  t.sla_due_at = OptionalInstant(s, 19);
  t.sla_state = ParseSlaState(s.Text(20)).value_or(SlaState::kNone);
  return t;
}

Message ReadMessage(const Statement& s) {
  Message m;
  m.id = MessageId(s.Int(0));
  m.ticket_id = TicketId(s.Int(1));
  m.kind = ParseMessageKind(s.Text(2)).value_or(MessageKind::kInbound);
  m.channel = ParseChannel(s.Text(3)).value_or(Channel::kEmail);
  if (!s.IsNull(4)) m.author_user_id = UserId(s.Int(4));
  if (!s.IsNull(5)) m.author_contact_id = ContactId(s.Int(5));
  m.body_text = s.Text(6);
  m.body_html = s.Text(7);
  if (!s.IsNull(8)) m.external_id = s.Text(8);
  m.created_at = InstantFromUnix(s.Int(9));
  return m;
}

// Tags as the Ticket contract keeps them: sorted and unique.
std::vector<std::string> SortedTags(std::vector<std::string> tags) {
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
  return tags;
}

Status TicketMissing(TicketId id) { return Status::NotFound("ticket " + std::to_string(id.value) + " does not exist"); }

// A refused foreign key on a ticket names a contact, client or user that does not exist.
Status TicketReference(const Status& s) {
  if (s.code() != StatusCode::kInvalidArgument) return s;
  return Status::NotFound("the ticket's contact, client or assignee does not exist");
}

// The due-first sort key: the earliest due time of the running clocks, or past every due time.
constexpr const char* kDueKey = "COALESCE(t.sla_due_at, 9223372036854775807)";
constexpr std::int64_t kNoDueKey = 9223372036854775807;

// The sort of a ticket list: its column, direction and cursor kind.
struct TicketOrder {
  const char* column;
  bool descending;
  char cursor_kind;
};

TicketOrder OrderOf(app::TicketSort sort) {
  switch (sort) {
    case app::TicketSort::kNewest:
      return {"t.created_at", true, 'n'};
    case app::TicketSort::kOldest:
      return {"t.created_at", false, 'o'};
    case app::TicketSort::kDue:
      return {kDueKey, false, 'd'};
    case app::TicketSort::kLastActivity:
      break;
  }
  return {"t.last_message_at", true, 'a'};
}

// The due-first order: a ticket without a running promise sorts after every due time; ties (and
// the tickets without one) by last activity, newest first. Its cursor key is "<due key>:<activity>".
Status AppendDueCursor(const CursorPosition& pos, SqlBuilder& b) {
  std::int64_t due = 0;
  std::int64_t activity = 0;
  const char* end = pos.key.data() + pos.key.size();
  auto [colon, due_error] = std::from_chars(pos.key.data(), end, due);
  const bool due_ok = due_error == std::errc() && colon != end && *colon == ':';
  auto [stop, activity_error] = std::from_chars(due_ok ? colon + 1 : end, end, activity);
  if (!due_ok || activity_error != std::errc() || stop != end) {
    return Status::FieldError("cursor", "is not a cursor from this list; start again from the first page");
  }
  b.Sql(std::string(" AND (") + kDueKey + " > ? OR (" + kDueKey +
        " = ? AND (t.last_message_at < ? OR (t.last_message_at = ? AND t.id < ?))))")
      .Value(due)
      .Value(due)
      .Value(activity)
      .Value(activity)
      .Value(pos.id);
  return Status::Ok();
}

// The WHERE conditions of a ticket query (every filter but the cursor), appended after "WHERE 1 = 1".
// `search_ids`: on SQLite, the tickets matching the search words (SqliteSearchTicketIds).
void AppendTicketFilters(sql::Dialect dialect, const app::TicketQuery& q,
                         const std::optional<std::vector<std::int64_t>>& search_ids, SqlBuilder& b) {
  if (!q.statuses.empty()) {
    b.Sql(" AND t.status IN (");
    for (std::size_t i = 0; i < q.statuses.size(); ++i) {
      b.Sql(i == 0 ? "?" : ", ?").Value(std::string(Name(q.statuses[i])));
    }
    b.Sql(")");
  }
  if (!q.channels.empty()) {
    b.Sql(" AND t.channel IN (");
    for (std::size_t i = 0; i < q.channels.size(); ++i) {
      b.Sql(i == 0 ? "?" : ", ?").Value(std::string(Name(q.channels[i])));
    }
    b.Sql(")");
  }
  if (q.assignee_id) b.Sql(" AND t.assignee_id = ?").Value(q.assignee_id->value);
  if (q.unassigned_only) b.Sql(" AND t.assignee_id IS NULL");
  if (q.client_id) b.Sql(" AND t.client_id = ?").Value(q.client_id->value);
  if (q.contact_id) b.Sql(" AND t.contact_id = ?").Value(q.contact_id->value);
  if (q.tag) b.Sql(" AND t.id IN (SELECT tt.ticket_id FROM ticket_tags tt WHERE tt.tag = ?)").Value(*q.tag);
  if (q.created_from) b.Sql(" AND t.created_at >= ?").Value(ToUnix(*q.created_from));
  if (q.created_to) b.Sql(" AND t.created_at < ?").Value(ToUnix(*q.created_to));
  if (q.due_before) b.Sql(" AND t.sla_due_at < ?").Value(ToUnix(*q.due_before));
  if (dialect == sql::Dialect::kSqlite) {
    if (search_ids) AppendSqliteSearchIds(*search_ids, b);
  } else {
    for (const auto& word : SearchWords(q.text)) AppendPostgresSearchCondition(word, b);
  }
}

// SQLite: the search's matches, read before the list query; nullopt when there is no text filter.
Result<std::optional<std::vector<std::int64_t>>> SearchIds(sql::Connection& c, const app::TicketQuery& q) {
  if (c.dialect() != sql::Dialect::kSqlite) return std::optional<std::vector<std::int64_t>>();
  const std::vector<std::string> words = SearchWords(q.text);
  if (words.empty()) return std::optional<std::vector<std::int64_t>>();
  RAPPORT_ASSIGN_OR_RETURN(std::vector<std::int64_t> ids, SqliteSearchTicketIds(c, words));
  return std::optional<std::vector<std::int64_t>>(std::move(ids));
}

// The columns that InsertTicket and UpdateTicket both write, in this order: subject, client_id,
// contact_id, channel, status, priority, assignee_id, tags, created_at, updated_at, last_message_at,
// resolved_at, closed_at.
void BindTicketFields(Statement& q, const Ticket& t, const std::string& joined_tags) {
  q.Bind(t.subject);
  q.Bind(t.client_id);
  q.Bind(t.contact_id);
  q.Bind(Name(t.channel));
  q.Bind(Name(t.status));
  q.Bind(Name(t.priority));
  q.Bind(t.assignee_id);
  q.Bind(joined_tags);
  q.Bind(t.created_at);
  q.Bind(t.updated_at);
  q.Bind(t.last_message_at);
  q.Bind(t.resolved_at);
  q.Bind(t.closed_at);
}

}  // namespace

Status SqlSession::WriteTicketTags(TicketId id, const std::vector<std::string>& tags) {
  for (const auto& tag : tags) {
    RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("INSERT INTO ticket_tags (tag, ticket_id) VALUES (?, ?)"));
    q->Bind(tag);
    q->Bind(id);
    RAPPORT_RETURN_IF_ERROR(q->Run());
  }
  return Status::Ok();
}

Result<Ticket> SqlSession::InsertTicket(const Ticket& in) {
  Ticket t = in;
  t.tags = SortedTags(in.tags);
  // SQLite: MAX + 1 is safe because the insert runs inside the write lock; PostgreSQL: a sequence,
  // because concurrent transactions there do not serialize.
  static const std::string kSqliteSql =
      "INSERT INTO tickets (number, subject, client_id, contact_id, channel, status, priority, assignee_id, tags,"
      " created_at, updated_at, last_message_at, resolved_at, closed_at) VALUES ((SELECT COALESCE(MAX(number), 0) + 1"
      " FROM tickets), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id, number";
  static const std::string kPostgresSql =
      "INSERT INTO tickets (number, subject, client_id, contact_id, channel, status, priority, assignee_id, tags,"
      " created_at, updated_at, last_message_at, resolved_at, closed_at) VALUES (nextval('ticket_numbers'),"
      " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id, number";
  // Tags are a second statement: then the two must be one unit of work.
  std::optional<sql::WriteScope> scope;
  if (!t.tags.empty() || NeedsCommitForSearch()) {
    scope.emplace(*conn_);
    RAPPORT_RETURN_IF_ERROR(scope->began());
  }
  {
    RAPPORT_ASSIGN_OR_RETURN(Query q,
                             conn_->Prepare(conn_->dialect() == sql::Dialect::kSqlite ? kSqliteSql : kPostgresSql));
    BindTicketFields(*q, t, JoinList(t.tags));
    Result<bool> row = q->Next();
    if (!row.ok()) return TicketReference(row.status());
    if (!*row) return Status::Internal("INSERT INTO tickets returned no id");
    t.id = TicketId(q->Int(0));
    t.number = q->Int(1);
  }
  if (scope) {
    RAPPORT_RETURN_IF_ERROR(WriteTicketTags(t.id, t.tags));
    RAPPORT_RETURN_IF_ERROR(scope->Commit());
  }
  return t;
}

Result<Ticket> SqlSession::GetTicket(TicketId id) {
  RAPPORT_ASSIGN_OR_RETURN(Query q,
                           conn_->Prepare(std::string("SELECT ") + kTicketColumns + " FROM tickets t WHERE t.id = ?"));
  q->Bind(id);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return TicketMissing(id);
  return ReadTicket(*q);
}

Result<std::optional<Ticket>> SqlSession::FindTicketByNumber(std::int64_t number) {
  RAPPORT_ASSIGN_OR_RETURN(
      Query q, conn_->Prepare(std::string("SELECT ") + kTicketColumns + " FROM tickets t WHERE t.number = ?"));
  q->Bind(number);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return std::optional<Ticket>();
  return std::optional<Ticket>(ReadTicket(*q));
}

Status SqlSession::UpdateTicket(const Ticket& in) {
  const std::vector<std::string> tags = SortedTags(in.tags);
  const std::string joined_tags = JoinList(tags);
  std::string old_tags;
  {
    RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("SELECT tags FROM tickets WHERE id = ?"));
    q->Bind(in.id);
    RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
    if (!row) return TicketMissing(in.id);
    old_tags = q->Text(0);
  }
  sql::WriteScope scope(*conn_);
  RAPPORT_RETURN_IF_ERROR(scope.began());
  {
    RAPPORT_ASSIGN_OR_RETURN(
        Query q, conn_->Prepare("UPDATE tickets SET subject = ?, client_id = ?, contact_id = ?, channel = ?, status = ?,"
                                " priority = ?, assignee_id = ?, tags = ?, created_at = ?, updated_at = ?,"
                                " last_message_at = ?, resolved_at = ?, closed_at = ? WHERE id = ? RETURNING id"));
    BindTicketFields(*q, in, joined_tags);
    q->Bind(in.id);
    Result<bool> row = q->Next();
    if (!row.ok()) return TicketReference(row.status());
    if (!*row) return TicketMissing(in.id);
  }
  if (old_tags != joined_tags) {
    {
      RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("DELETE FROM ticket_tags WHERE ticket_id = ?"));
      q->Bind(in.id);
      RAPPORT_RETURN_IF_ERROR(q->Run());
    }
    RAPPORT_RETURN_IF_ERROR(WriteTicketTags(in.id, tags));
  }
  return scope.Commit();
}

Result<app::Page<app::TicketRow>> SqlSession::ListTickets(const app::TicketQuery& query) {
  if (query.limit < 1) return Status::FieldError("limit", "must be at least 1");
  const int limit = std::min(query.limit, app::kMaxPageSize);
  const TicketOrder order = OrderOf(query.sort);
  RAPPORT_ASSIGN_OR_RETURN(auto search_ids, SearchIds(*conn_, query));
  if (search_ids && search_ids->empty()) return app::Page<app::TicketRow>{};
  // The page's ids are chosen first (filters, cursor, sort, limit: often from an index alone), and
  // only those rows are joined to their contact and client. Joining before the limit made a broad
  // view such as "all open" read names for thousands of rows it then threw away (19 ms -> 2 ms on the
  // 100,000-ticket bench).
  const std::string col = order.column;
  const char* dir = order.descending ? " DESC" : " ASC";
  const bool due = order.cursor_kind == 'd';
  const std::string order_by =
      due ? " ORDER BY " + col + " ASC, t.last_message_at DESC, t.id DESC" : " ORDER BY " + col + dir + ", t.id" + dir;
  SqlBuilder b;
  b.Sql(std::string("SELECT ") + kTicketColumns + ", COALESCE(cl.name, ''), co.name, co.emails FROM (SELECT t.id FROM tickets t WHERE 1 = 1");
  AppendTicketFilters(conn_->dialect(), query, search_ids, b);
  const char* cmp = order.descending ? " < " : " > ";
  if (!query.cursor.empty() && due) {
    RAPPORT_ASSIGN_OR_RETURN(CursorPosition pos, DecodeCursor(order.cursor_kind, query.cursor, false));
    RAPPORT_RETURN_IF_ERROR(AppendDueCursor(pos, b));
  } else if (!query.cursor.empty()) {
    RAPPORT_ASSIGN_OR_RETURN(CursorPosition pos, DecodeCursor(order.cursor_kind, query.cursor, true));
    b.Sql(" AND (" + col + cmp + "? OR (" + col + " = ? AND t.id" + cmp + "?))")
        .Value(pos.IntKey())
        .Value(pos.IntKey())
        .Value(pos.id);
  }
  b.Sql(order_by + " LIMIT ?").Value(std::int64_t{limit + 1});
  b.Sql(") page JOIN tickets t ON t.id = page.id JOIN contacts co ON co.id = t.contact_id"
        " LEFT JOIN clients cl ON cl.id = t.client_id" + order_by);

  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare(b.sql()));
  b.BindTo(*q);
  app::Page<app::TicketRow> page;
  page.items.reserve(static_cast<std::size_t>(limit));
  for (;;) {
    RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
    if (!row) break;
    if (static_cast<int>(page.items.size()) == limit) {
      const Ticket& last = page.items.back().ticket;
      if (due) {
        const std::int64_t due_key = last.sla_due_at ? ToUnix(*last.sla_due_at) : kNoDueKey;
        page.next_cursor = EncodeCursor(order.cursor_kind, last.id.value,
                                        std::to_string(due_key) + ":" + std::to_string(ToUnix(last.last_message_at)));
        break;
      }
      const Instant key = order.cursor_kind == 'a' ? last.last_message_at : last.created_at;
      page.next_cursor = EncodeCursor(order.cursor_kind, last.id.value, std::to_string(ToUnix(key)));
      break;
    }
    app::TicketRow r;
    r.ticket = ReadTicket(*q);
    r.client_name = q->Text(kTicketColumnCount);
    r.contact_name = q->Text(kTicketColumnCount + 1);
    const std::string emails = q->Text(kTicketColumnCount + 2);
    r.contact_email = emails.substr(0, emails.find('\x1f'));
    page.items.push_back(std::move(r));
  }
  return page;
}

Result<std::int64_t> SqlSession::CountTickets(const app::TicketQuery& query) {
  RAPPORT_ASSIGN_OR_RETURN(auto search_ids, SearchIds(*conn_, query));
  if (search_ids && search_ids->empty()) return std::int64_t{0};
  SqlBuilder b;
  b.Sql("SELECT COUNT(*) FROM tickets t WHERE 1 = 1");
  AppendTicketFilters(conn_->dialect(), query, search_ids, b);
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare(b.sql()));
  b.BindTo(*q);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  return row ? q->Int(0) : 0;
}

// ---- messages -------------------------------------------------------------------------------------

Result<app::InsertedMessage> SqlSession::InsertMessage(const Message& m) {
  std::optional<sql::WriteScope> scope;
  if (NeedsCommitForSearch()) {
    scope.emplace(*conn_);
    RAPPORT_RETURN_IF_ERROR(scope->began());
  }
  std::optional<MessageId> inserted;
  {
    RAPPORT_ASSIGN_OR_RETURN(
        Query q, conn_->Prepare("INSERT INTO messages (ticket_id, kind, channel, author_user_id, author_contact_id,"
                                " body_text, body_html, external_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                " ON CONFLICT (external_id) DO NOTHING RETURNING id"));
    q->Bind(m.ticket_id);
    q->Bind(Name(m.kind));
    q->Bind(Name(m.channel));
    q->Bind(m.author_user_id);
    q->Bind(m.author_contact_id);
    q->Bind(m.body_text);
    q->Bind(m.body_html);
    q->Bind(m.external_id);
    q->Bind(m.created_at);
    Result<bool> row = q->Next();
    if (!row.ok() && row.status().code() == StatusCode::kInvalidArgument) {
      return Status::NotFound("the message's ticket or author does not exist");
    }
    if (!row.ok()) return row.status();
    if (*row) inserted = MessageId(q->Int(0));
  }  // the statement ends here, before its transaction can commit
  if (inserted) {
    if (scope) RAPPORT_RETURN_IF_ERROR(scope->Commit());
    return app::InsertedMessage{*inserted, true};
  }
  // Only a taken external_id makes the insert do nothing.
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("SELECT id FROM messages WHERE external_id = ?"));
  q->Bind(m.external_id);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return Status::Internal("a message insert did nothing, yet its external id is not stored");
  return app::InsertedMessage{MessageId(q->Int(0)), false};
}

Result<std::vector<Message>> SqlSession::ListMessages(TicketId ticket) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare(std::string("SELECT ") + kMessageColumns +
                                                   " FROM messages WHERE ticket_id = ? ORDER BY created_at, id"));
  q->Bind(ticket);
  std::vector<Message> out;
  for (;;) {
    RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
    if (!row) break;
    out.push_back(ReadMessage(*q));
  }
  return out;
}

Result<std::optional<Message>> SqlSession::FindMessageByExternalId(const std::string& external_id) {
  RAPPORT_ASSIGN_OR_RETURN(
      Query q, conn_->Prepare(std::string("SELECT ") + kMessageColumns + " FROM messages WHERE external_id = ?"));
  q->Bind(external_id);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return std::optional<Message>();
  return std::optional<Message>(ReadMessage(*q));
}

Result<std::optional<Message>> SqlSession::FindNewestMessageByExternalIds(
    const std::vector<std::string>& external_ids) {
  if (external_ids.empty()) return std::optional<Message>();
  // The placeholder count is rounded up to a power of two (the last id repeated) so that the
  // statement cache holds a handful of shapes rather than one per length; past 64 ids, the first
  // (the thread's start) and the last 63 are asked for.
  constexpr std::size_t kMaxIds = 64;
  std::vector<std::string_view> ids;
  if (external_ids.size() > kMaxIds) {
    ids.push_back(external_ids.front());
    for (std::size_t i = external_ids.size() - (kMaxIds - 1); i < external_ids.size(); ++i) ids.push_back(external_ids[i]);
  } else {
    ids.assign(external_ids.begin(), external_ids.end());
  }
  std::size_t slots = 1;
  while (slots < ids.size()) slots *= 2;
  std::string sql = std::string("SELECT ") + kMessageColumns + " FROM messages WHERE external_id IN (?";
  for (std::size_t i = 1; i < slots; ++i) sql += ", ?";
  sql += ") ORDER BY id DESC LIMIT 1";
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare(sql));
  for (std::size_t i = 0; i < slots; ++i) q->Bind(ids[std::min(i, ids.size() - 1)]);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return std::optional<Message>();
  return std::optional<Message>(ReadMessage(*q));
}

}  // namespace rapport::store
