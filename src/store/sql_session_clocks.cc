// SqlSession: the promise clocks. A ticket's events (ticket_events, migration 4) and the clocks'
// results kept on the ticket row for listing and sorting.
#include <utility>

#include "store/sql_session.h"

namespace rapport::store {
namespace {

using sql::Query;
using sql::Statement;

// The clock columns of a ticket as stored, in the order of kSaveClocks.
struct StoredClocks {
  std::optional<std::int64_t> first_response_due_at;
  std::optional<std::int64_t> next_response_due_at;
  std::optional<std::int64_t> resolution_due_at;
  std::string sla_state = "none";
  std::optional<std::int64_t> sla_warning_at;
  std::optional<std::int64_t> sla_due_at;
  friend bool operator==(const StoredClocks&, const StoredClocks&) = default;
};

std::optional<std::int64_t> UnixOf(const std::optional<Instant>& t) {
  if (!t) return std::nullopt;
  return ToUnix(*t);
}

StoredClocks StoredOf(const SlaClocks& c) {
  return StoredClocks{UnixOf(c.first_response.due_at), UnixOf(c.next_response.due_at), UnixOf(c.resolution.due_at),
                      std::string(Name(c.overall)),    UnixOf(c.warning_at),           UnixOf(c.due_at)};
}

// The six clock columns starting at `col`, in StoredClocks' order.
StoredClocks ReadStored(const Statement& s, int col) {
  return StoredClocks{s.OptionalInt(col),  s.OptionalInt(col + 1), s.OptionalInt(col + 2),
                      s.Text(col + 3),     s.OptionalInt(col + 4), s.OptionalInt(col + 5)};
}

// One statement for every write of the clocks, so a recompute reuses one prepared UPDATE.
constexpr const char* kSaveClocks =
    "UPDATE tickets SET first_response_due_at = ?, next_response_due_at = ?, resolution_due_at = ?, sla_state = ?,"
    " sla_warning_at = ?, sla_due_at = ? WHERE id = ? RETURNING id";

void BindSave(Statement& q, TicketId id, const StoredClocks& c) {
  q.Bind(c.first_response_due_at);
  q.Bind(c.next_response_due_at);
  q.Bind(c.resolution_due_at);
  q.Bind(c.sla_state);
  q.Bind(c.sla_warning_at);
  q.Bind(c.sla_due_at);
  q.Bind(id);
}

// An event from the columns at, kind, status starting at `col`. Rows the app did not write (an
// unknown kind) read as a status change to open, which neither starts nor stops a response clock.
TicketEvent ReadEvent(const Statement& s, int col) {
  TicketEvent e;
  e.at = InstantFromUnix(s.Int(col));
  const std::optional<TicketEventKind> kind = ParseTicketEventKind(s.Text(col + 1));
  e.kind = kind.value_or(TicketEventKind::kStatus);
  if (e.kind == TicketEventKind::kStatus) e.status = ParseTicketStatus(s.Text(col + 2)).value_or(TicketStatus::kOpen);
  return e;
}

Status TicketMissing(TicketId id) { return Status::NotFound("ticket " + std::to_string(id.value) + " does not exist"); }

}  // namespace

Status SqlSession::InsertTicketEvent(TicketId ticket, const TicketEvent& e) {
  RAPPORT_ASSIGN_OR_RETURN(Query q,
                           conn_->Prepare("INSERT INTO ticket_events (ticket_id, at, kind, status) VALUES (?, ?, ?, ?)"));
  q->Bind(ticket);
  q->Bind(e.at);
  q->Bind(Name(e.kind));
  if (e.kind == TicketEventKind::kStatus) {
    q->Bind(Name(e.status));
  } else {
    q->BindNull();
  }
  Status s = q->Run();
  if (s.code() == StatusCode::kInvalidArgument) return TicketMissing(ticket);
  return s;
}

Result<std::vector<TicketEvent>> SqlSession::ListTicketEvents(TicketId ticket) {
  RAPPORT_ASSIGN_OR_RETURN(
      Query q, conn_->Prepare("SELECT at, kind, status FROM ticket_events WHERE ticket_id = ? ORDER BY at, id"));
  q->Bind(ticket);
  std::vector<TicketEvent> out;
  for (;;) {
    RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
    if (!row) break;
    out.push_back(ReadEvent(*q, 0));
  }
  return out;
}

Status SqlSession::SaveTicketClocks(TicketId ticket, const SlaClocks& clocks) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare(kSaveClocks));
  BindSave(*q, ticket, StoredOf(clocks));
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return TicketMissing(ticket);
  return Status::Ok();
}

Result<std::int64_t> SqlSession::RecomputeOpenTicketClocks(
    std::optional<ClientId> client, const std::function<SlaClocks(const app::TicketClockInput&)>& compute) {
  // One pass over the open tickets in id order with their events (the index ticket_events_by_ticket), each ticket's
  // stored results beside them. The changed results are kept and written after the read has
  // finished, so that no UPDATE touches the tickets table under the open cursor; they are small
  // (an id and six values per changed ticket: about 7 MB for 100,000 tickets).
  //
  // SQLite: the tickets in rowid order, each one's events from the index in (at, id) order, so the
  // rows arrive in the wanted order without a sort. Left to itself the planner read the tickets by
  // the status index and sorted all 466,000 rows in a temporary b-tree (15 s for 100,000 tickets
  // together with the cache spills below; see bench/RESULTS.md). PostgreSQL plans the join well.
  const bool sqlite = conn_->dialect() == sql::Dialect::kSqlite;
  std::string sql =
      "SELECT t.id, t.priority, COALESCE(cl.plan, ''), t.first_response_due_at, t.next_response_due_at,"
      " t.resolution_due_at, t.sla_state, t.sla_warning_at, t.sla_due_at, te.at, te.kind, te.status FROM ";
  sql += sqlite ? "tickets t NOT INDEXED CROSS JOIN ticket_events te" : "tickets t JOIN ticket_events te";
  sql += " ON te.ticket_id = t.id LEFT JOIN clients cl ON cl.id = t.client_id"
         " WHERE t.status IN ('new', 'open', 'waiting_on_client', 'on_hold')";
  if (client) sql += " AND t.client_id = ?";
  sql += " ORDER BY t.id, te.at, te.id";

  std::vector<std::pair<TicketId, StoredClocks>> changed;
  std::int64_t computed = 0;
  {
    RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare(sql));
    if (client) q->Bind(*client);
    app::TicketClockInput input;
    StoredClocks stored;
    auto finish = [&] {
      StoredClocks now = StoredOf(compute(input));
      ++computed;
      if (!(now == stored)) changed.emplace_back(input.id, std::move(now));
    };
    for (;;) {
      RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
      if (!row) break;
      const TicketId id(q->Int(0));
      if (id != input.id) {
        if (input.id.valid()) finish();
        input.id = id;
        input.priority = ParsePriority(q->Text(1)).value_or(Priority::kNormal);
        input.plan = q->Text(2);
        input.events.clear();
        stored = ReadStored(*q, 3);
      }
      input.events.push_back(ReadEvent(*q, 9));
    }
    if (input.id.valid()) finish();
  }
  if (changed.empty()) return computed;
  // SQLite: a connection's page cache is small (sqlite_connection.cc), and an UPDATE of every open
  // ticket (the row and its due-time indexes) dirties far more pages than it holds: the cache then
  // spills to the WAL again and again inside the transaction. A larger cache for the length of
  // the writes, then back to the connection's own size.
  std::optional<std::int64_t> cache_size;
  if (sqlite && changed.size() > 1000) {
    RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("PRAGMA cache_size"));
    RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
    if (row) cache_size = q->Int(0);
    RAPPORT_RETURN_IF_ERROR(conn_->Execute("PRAGMA cache_size=-131072"));  // 128 MiB at most, while writing
  }
  Status written = Status::Ok();
  {
    RAPPORT_ASSIGN_OR_RETURN(Query save, conn_->Prepare(kSaveClocks));
    for (const auto& [id, clocks] : changed) {
      BindSave(*save, id, clocks);
      written = save->Run();
      if (!written.ok()) break;
      save->Reset();
    }
  }
  if (cache_size) RAPPORT_RETURN_IF_ERROR(conn_->Execute("PRAGMA cache_size=" + std::to_string(*cache_size)));
  RAPPORT_RETURN_IF_ERROR(written);
  return computed;
}

}  // namespace rapport::store
