// SqlSession: nudges to clients who owe an answer (migration 6's nudges table) and the tickets that
// wait on them.
#include "store/sql_session.h"

namespace rapport::store {

Result<std::vector<app::WaitingTicket>> SqlSession::ListTicketsWaitingOnClient(TicketId after, int limit) {
  RAPPORT_ASSIGN_OR_RETURN(
      sql::Query q,
      conn_->Prepare("SELECT t.id, COALESCE((SELECT MAX(e.at) FROM ticket_events e WHERE e.ticket_id = t.id"
                     " AND e.kind = 'status' AND e.status = 'waiting_on_client'), t.updated_at)"
                     " FROM tickets t WHERE t.status = 'waiting_on_client' AND t.id > ? ORDER BY t.id LIMIT ?"));
  q->Bind(after);
  q->Bind(static_cast<std::int64_t>(limit));
  std::vector<app::WaitingTicket> out;
  for (;;) {
    RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
    if (!row) return out;
    out.push_back(app::WaitingTicket{TicketId(q->Int(0)), InstantFromUnix(q->Int(1))});
  }
}

Result<std::vector<app::SentNudge>> SqlSession::ListNudges(TicketId ticket, Instant waiting_since) {
  RAPPORT_ASSIGN_OR_RETURN(sql::Query q, conn_->Prepare("SELECT number, sent_at FROM nudges WHERE ticket_id = ?"
                                                        " AND waiting_since = ? ORDER BY number"));
  q->Bind(ticket);
  q->Bind(waiting_since);
  std::vector<app::SentNudge> out;
  for (;;) {
    RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
    if (!row) return out;
    out.push_back(app::SentNudge{static_cast<int>(q->Int(0)), InstantFromUnix(q->Int(1))});
  }
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
