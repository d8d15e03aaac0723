// SqlSession: what the reports read. The tickets of a period with their events, streamed.
#include "store/sql_session.h"

namespace rapport::store {
namespace {

using sql::Query;
using sql::Statement;

// Tickets per round trip: bounds the rows a PostgreSQL result holds in memory (libpq reads a whole
// result at once) while keeping the number of queries small.
constexpr std::int64_t kReportBatch = 2000;

// A batch of tickets by (created_at, id) after the cursor (created_at, id), with their events: the
// ticket columns repeat on each event row; a ticket without events has one row with NULL event
// columns. The cursor's created_at is the lower bound of the index range, so that each batch starts
// where the last one ended instead of scanning the period from its start.
// With `one_client`, only the tickets of the client bound after the cursor.
std::string ReportBatchSql(bool one_client) {
  return std::string(
             "SELECT t.id, t.number, t.created_at, t.priority, t.client_id, COALESCE(c.name, ''),"
             " COALESCE(c.plan, ''), t.assignee_id, COALESCE(u.name, ''), e.at, e.kind, e.status"
             " FROM (SELECT id, number, created_at, priority, client_id, assignee_id FROM tickets"
             "       WHERE created_at >= ? AND created_at < ? AND (created_at > ? OR id > ?)") +
         (one_client ? " AND client_id = ?" : "") +
         "       ORDER BY created_at, id LIMIT ?) t"
         " LEFT JOIN clients c ON c.id = t.client_id"
         " LEFT JOIN users u ON u.id = t.assignee_id"
         " LEFT JOIN ticket_events e ON e.ticket_id = t.id"
         " ORDER BY t.created_at, t.id, e.at, e.id";
}

void ReadTicketColumns(const Statement& s, app::ReportTicketRow& r) {
  r.id = TicketId(s.Int(0));
  r.number = s.Int(1);
  r.created_at = InstantFromUnix(s.Int(2));
  r.priority = ParsePriority(s.Text(3)).value_or(Priority::kNormal);
  r.client_id = s.IsNull(4) ? std::nullopt : std::optional<ClientId>(ClientId(s.Int(4)));
  r.client_name = s.Text(5);
  r.client_plan = s.Text(6);
  r.assignee_id = s.IsNull(7) ? std::nullopt : std::optional<UserId>(UserId(s.Int(7)));
  r.assignee_name = s.Text(8);
  r.events.clear();
}

// An event row the app did not write (an unknown kind) reads as a status change to open, which
// neither starts nor stops a response clock (as the clocks' own reader does).
TicketEvent ReadEventColumns(const Statement& s) {
  TicketEvent e;
  e.at = InstantFromUnix(s.Int(9));
  e.kind = ParseTicketEventKind(s.Text(10)).value_or(TicketEventKind::kStatus);
  if (e.kind == TicketEventKind::kStatus) e.status = ParseTicketStatus(s.Text(11)).value_or(TicketStatus::kOpen);
  return e;
}

// The tickets of [from, to), only `client`'s when set, in batches (see StreamReportTickets).
Status StreamTickets(sql::Connection& conn, std::optional<ClientId> client, Instant from, Instant to,
                     const app::ReportTicketVisitor& visit) {
  const std::string sql = ReportBatchSql(client.has_value());
  Instant after_created = from;  // the cursor: the last ticket streamed (none yet: the period's start)
  std::int64_t after_id = 0;
  for (;;) {
    RAPPORT_ASSIGN_OR_RETURN(Query q, conn.Prepare(sql));
    q->Bind(after_created);  // from, then the last ticket's created_at
    q->Bind(to);
    q->Bind(after_created);
    q->Bind(after_id);
    if (client) q->Bind(*client);
    q->Bind(kReportBatch);
    std::int64_t tickets = 0;
    app::ReportTicketRow row;
    for (;;) {
      RAPPORT_ASSIGN_OR_RETURN(bool more, q->Next());
      if (!more || q->Int(0) != row.id.value) {
        if (row.id.valid()) RAPPORT_RETURN_IF_ERROR(visit(row));
        if (!more) break;
        ReadTicketColumns(*q, row);
        ++tickets;
      }
      if (!q->IsNull(9)) row.events.push_back(ReadEventColumns(*q));
    }
    if (tickets < kReportBatch) return Status::Ok();
    after_created = row.created_at;
    after_id = row.id.value;
  }
}

}  // namespace

Status SqlSession::StreamReportTickets(Instant from, Instant to, const app::ReportTicketVisitor& visit) {
  return StreamTickets(*conn_, std::nullopt, from, to, visit);
}

Status SqlSession::StreamClientReportTickets(ClientId client, Instant from, Instant to,
                                             const app::ReportTicketVisitor& visit) {
  return StreamTickets(*conn_, client, from, to, visit);
}

}  // namespace rapport::store
