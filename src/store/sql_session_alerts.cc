// SqlSession: promise alerts (app/promise_alerts.h).
#include "store/sql_rows.h"
#include "store/sql_session.h"

namespace rapport::store {
namespace {

app::PromiseAlertCandidate ReadCandidate(const sql::Statement& s) {
  app::PromiseAlertCandidate c;
  c.id = TicketId(s.Int(0));
  c.number = s.Int(1);
  c.subject = s.Text(2);
  if (!s.IsNull(3)) c.assignee_id = UserId(s.Int(3));
  c.due_at = InstantFromUnix(s.Int(4));
  c.first_response_due_at = s.OptionalInstant(5);
  c.next_response_due_at = s.OptionalInstant(6);
  c.resolution_due_at = s.OptionalInstant(7);
  return c;
}

}  // namespace

Result<std::vector<app::PromiseAlertCandidate>> SqlSession::ListPromiseAlertCandidates(Instant now,
                                                                                      Instant broken_since,
                                                                                      int limit) {
  // tickets_by_warning bounds the scan to tickets whose warning time has passed; the alert table's
  // primary key answers NOT EXISTS. Paused and settled tickets have no running clock, hence no
  // sla_warning_at, so they never appear.
  RAPPORT_ASSIGN_OR_RETURN(
      sql::Query q,
      conn_->Prepare("SELECT t.id, t.number, t.subject, t.assignee_id, t.sla_due_at, t.first_response_due_at,"
                     " t.next_response_due_at, t.resolution_due_at FROM tickets t"
                     " WHERE t.sla_warning_at <= ? AND t.sla_due_at >= ?"
                     " AND t.status IN ('new', 'open')"
                     " AND NOT EXISTS (SELECT 1 FROM sla_alerts a WHERE a.ticket_id = t.id AND a.due_at = t.sla_due_at"
                     " AND a.level = CASE WHEN t.sla_due_at < ? THEN 'breach' ELSE 'warning' END)"
                     " ORDER BY t.sla_warning_at, t.id LIMIT ?"));
  q->Bind(now);
  q->Bind(broken_since);
  q->Bind(now);
  q->Bind(PageLimit(limit));
  return ReadRows<app::PromiseAlertCandidate>(q, ReadCandidate);
}

Result<bool> SqlSession::InsertPromiseAlert(TicketId ticket, const std::string& level, Instant due_at, Instant now) {
  RAPPORT_ASSIGN_OR_RETURN(
      sql::Query q, conn_->Prepare("INSERT INTO sla_alerts (ticket_id, level, due_at, raised_at) VALUES (?, ?, ?, ?)"
                                   " ON CONFLICT (ticket_id, level, due_at) DO NOTHING RETURNING ticket_id"));
  q->Bind(ticket);
  q->Bind(level);
  q->Bind(due_at);
  q->Bind(now);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  return row;
}

}  // namespace rapport::store
