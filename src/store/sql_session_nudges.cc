// SqlSession: nudges to clients who owe an answer (migration 6's nudges table) and the tickets that
// wait on them.
#include <string>

#include "store/sql_rows.h"
#include "store/sql_session.h"

namespace rapport::store {
namespace {

// The waiting tickets that `where` picks (a condition on tickets t, then its ORDER BY / LIMIT), each
// with the instant it started waiting and the latest nudge of that waiting period (through the
// nudges primary key: two probes per ticket, its highest number, then that row).
std::string WaitingTicketsSql(const std::string& where) {
  return "SELECT w.id, w.since, n.number, n.sent_at FROM (SELECT t.id AS id, COALESCE((SELECT MAX(e.at)"
         " FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'status' AND e.status = 'waiting_on_client'),"
         " t.updated_at) AS since FROM tickets t WHERE t.status = 'waiting_on_client' AND " +
         where +
         ") w LEFT JOIN nudges n ON n.ticket_id = w.id AND n.waiting_since = w.since AND n.number ="
         " (SELECT MAX(m.number) FROM nudges m WHERE m.ticket_id = w.id AND m.waiting_since = w.since)"
         " ORDER BY w.id";
}

app::WaitingTicket WaitingTicketRow(const sql::Statement& q) {
  app::WaitingTicket t{TicketId(q.Int(0)), InstantFromUnix(q.Int(1)), std::nullopt};
  if (!q.IsNull(2)) t.latest_nudge = app::SentNudge{static_cast<int>(q.Int(2)), InstantFromUnix(q.Int(3))};
  return t;
}

}  // namespace

Result<std::vector<app::WaitingTicket>> SqlSession::ListTicketsWaitingOnClient(TicketId after, int limit) {
  RAPPORT_ASSIGN_OR_RETURN(sql::Query q, conn_->Prepare(WaitingTicketsSql("t.id > ? ORDER BY t.id LIMIT ?")));
  q->Bind(after);
  q->Bind(static_cast<std::int64_t>(limit));
  return ReadRows<app::WaitingTicket>(q, WaitingTicketRow);
}

Result<std::optional<app::WaitingTicket>> SqlSession::GetWaitingTicket(TicketId id) {
  RAPPORT_ASSIGN_OR_RETURN(sql::Query q, conn_->Prepare(WaitingTicketsSql("t.id = ?")));
  q->Bind(id);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return std::optional<app::WaitingTicket>();
  return std::optional<app::WaitingTicket>(WaitingTicketRow(*q));
}

Result<bool> SqlSession::InsertNudge(TicketId ticket, Instant waiting_since, int number, Instant sent_at) {
  RAPPORT_ASSIGN_OR_RETURN(
      sql::Query q, conn_->Prepare("INSERT INTO nudges (ticket_id, waiting_since, number, sent_at) VALUES (?, ?, ?, ?)"
                                   " ON CONFLICT (ticket_id, waiting_since, number) DO NOTHING RETURNING ticket_id"));
  q->Bind(ticket);
  q->Bind(waiting_since);
  q->Bind(static_cast<std::int64_t>(number));
  q->Bind(sent_at);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  return row;
}

}  // namespace rapport::store
