// SqlSession: review packs, one per occurrence of a client's annual review (app/review_packs.h).
#include "store/sql_rows.h"
#include "store/sql_session.h"

namespace rapport::store {
namespace {

using sql::Query;
using sql::Statement;

constexpr const char* kReviewPackColumns = "id, client_id, meeting_id, meeting_at, created_at, body";

app::ReviewPack ReadReviewPack(const Statement& s) {
  app::ReviewPack p;
  p.id = ReviewPackId(s.Int(0));
  p.client_id = ClientId(s.Int(1));
  p.meeting_id = MeetingId(s.Int(2));
  p.meeting_at = InstantFromUnix(s.Int(3));
  p.created_at = InstantFromUnix(s.Int(4));
  p.body = s.Text(5);
  return p;
}

}  // namespace

Result<std::optional<ReviewPackId>> SqlSession::InsertReviewPack(const app::ReviewPack& p) {
  RAPPORT_ASSIGN_OR_RETURN(
      Query q, conn_->Prepare("INSERT INTO review_packs (client_id, meeting_id, meeting_at, created_at, body)"
                              " VALUES (?, ?, ?, ?, ?) ON CONFLICT (meeting_id, meeting_at) DO NOTHING RETURNING id"));
  q->Bind(p.client_id);
  q->Bind(p.meeting_id);
  q->Bind(p.meeting_at);
  q->Bind(p.created_at);
  q->Bind(p.body);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return std::optional<ReviewPackId>();
  return std::optional<ReviewPackId>(ReviewPackId(q->Int(0)));
}

Result<app::ReviewPack> SqlSession::GetReviewPack(ReviewPackId id) {
  RAPPORT_ASSIGN_OR_RETURN(
      Query q, conn_->Prepare(std::string("SELECT ") + kReviewPackColumns + " FROM review_packs WHERE id = ?"));
  q->Bind(id);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return Status::NotFound("review pack " + std::to_string(id.value) + " does not exist");
  return ReadReviewPack(*q);
}

Result<bool> SqlSession::HasReviewPack(MeetingId meeting, Instant meeting_at) {
  RAPPORT_ASSIGN_OR_RETURN(Query q,
                           conn_->Prepare("SELECT 1 FROM review_packs WHERE meeting_id = ? AND meeting_at = ?"));
  q->Bind(meeting);
  q->Bind(meeting_at);
  return q->Next();
}

Result<std::vector<app::ReviewPack>> SqlSession::ListReviewPacks(ClientId client, int limit) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare(std::string("SELECT ") + kReviewPackColumns +
                                                   " FROM review_packs WHERE client_id = ?"
                                                   " ORDER BY meeting_at DESC, id DESC LIMIT ?"));
  q->Bind(client);
  q->Bind(PageLimit(limit));
  return ReadRows<app::ReviewPack>(q, ReadReviewPack);
}

}  // namespace rapport::store
