// SqlSession: transactions, workspace settings, users and their credentials, audit, idempotency.
#include "store/codec.h"
#include "store/sql_session.h"

namespace rapport::store {
namespace {

using sql::Query;
using sql::Statement;

constexpr const char* kUserColumns =
    "id, email, name, role, time_zone, working_hours, password_hash, active, created_at, on_call";

User ReadUser(const Statement& s) {
  User u;
  u.id = UserId(s.Int(0));
  u.email = s.Text(1);
  u.name = s.Text(2);
  u.role = ParseRole(s.Text(3)).value_or(Role::kAgent);
  u.time_zone = s.Text(4);
  u.working_hours = DecodeWorkingHours(s.Text(5));
  u.password_hash = s.Text(6);
  u.active = s.Int(7) != 0;
  u.created_at = InstantFromUnix(s.Int(8));
  u.on_call = s.Int(9) != 0;
  return u;
}

Status EmailTaken(const Status& s, const std::string& email) {
  if (s.code() != StatusCode::kAlreadyExists) return s;
  return Status::AlreadyExists("the email " + email + " is already used by another user");
}

// The columns that InsertUser and UpdateUser both write, in this order:
// email, name, role, time_zone, working_hours, password_hash, active, on_call.
void BindUserFields(Statement& q, const User& u) {
  q.Bind(u.email);
  q.Bind(u.name);
  q.Bind(Name(u.role));
  q.Bind(u.time_zone);
  q.Bind(EncodeWorkingHours(u.working_hours));
  q.Bind(u.password_hash);
  q.Bind(std::int64_t{u.active ? 1 : 0});
  q.Bind(std::int64_t{u.on_call ? 1 : 0});
}

}  // namespace

Status SqlSession::Begin(app::TransactionMode mode) {
  return mode == app::TransactionMode::kReadOnly ? conn_->BeginReadOnly() : conn_->Begin();
}
Status SqlSession::Commit() {
  if (!conn_->InTransaction()) return Status::Internal("Commit without an open transaction");
  Status s = conn_->Commit();
  if (!s.ok()) conn_->Rollback();
  return s;
}
void SqlSession::Rollback() { conn_->Rollback(); }

Result<Workspace> SqlSession::GetWorkspace() {
  RAPPORT_ASSIGN_OR_RETURN(
      Query q, conn_->Prepare("SELECT name, time_zone, currency, business_hours, acknowledge_requests, nudge_after_days,"
                              " nudge_limit, nudges_since, review_pack_days FROM workspace WHERE id = 1"));
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return Status::Internal("the workspace row is missing; run the migrations");
  Workspace w{q->Text(0), q->Text(1), q->Text(2), DecodeWorkingHours(q->Text(3))};
  w.acknowledge_requests = q->Int(4) != 0;
  w.nudge_after_days = static_cast<int>(q->Int(5));
  w.nudge_limit = static_cast<int>(q->Int(6));
  w.nudges_since = InstantFromUnix(q->Int(7));
  w.review_pack_days = static_cast<int>(q->Int(8));
  return w;
}

Status SqlSession::SaveWorkspace(const Workspace& w) {
  RAPPORT_ASSIGN_OR_RETURN(
      Query q,
      conn_->Prepare("UPDATE workspace SET name = ?, time_zone = ?, currency = ?, business_hours = ?,"
                     " acknowledge_requests = ?, nudge_after_days = ?, nudge_limit = ?, nudges_since = ?,"
                     " review_pack_days = ? WHERE id = 1"));
  q->Bind(w.name);
  q->Bind(w.time_zone);
  q->Bind(w.currency);
  q->Bind(EncodeWorkingHours(w.business_hours));
  q->Bind(static_cast<std::int64_t>(w.acknowledge_requests ? 1 : 0));
  q->Bind(static_cast<std::int64_t>(w.nudge_after_days));
  q->Bind(static_cast<std::int64_t>(w.nudge_limit));
  q->Bind(w.nudges_since);
  q->Bind(static_cast<std::int64_t>(w.review_pack_days));
  return q->Run();
}

Result<UserId> SqlSession::InsertUser(const User& u) {
  sql::WriteScope scope(*conn_);
  RAPPORT_RETURN_IF_ERROR(scope.began());
  UserId id;
  {
    RAPPORT_ASSIGN_OR_RETURN(
        Query q, conn_->Prepare("INSERT INTO users (email, name, role, time_zone, working_hours, password_hash, active,"
                                " on_call, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    BindUserFields(*q, u);
    q->Bind(u.created_at);
    Result<bool> row = q->Next();
    if (!row.ok()) return EmailTaken(row.status(), u.email);
    if (!*row) return Status::Internal("INSERT INTO users returned no id");
    id = UserId(q->Int(0));
  }
  RAPPORT_RETURN_IF_ERROR(scope.Commit());
  return id;
}

Result<User> SqlSession::GetUser(UserId id) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?"));
  q->Bind(id);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return Status::NotFound("user " + std::to_string(id.value) + " does not exist");
  return ReadUser(*q);
}

Result<std::optional<User>> SqlSession::FindUserByEmail(const std::string& normalized_email) {
  RAPPORT_ASSIGN_OR_RETURN(Query q,
                           conn_->Prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE email = ?"));
  q->Bind(normalized_email);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return std::optional<User>();
  return std::optional<User>(ReadUser(*q));
}

Result<std::vector<User>> SqlSession::ListUsers() {
  RAPPORT_ASSIGN_OR_RETURN(Query q,
                           conn_->Prepare(std::string("SELECT ") + kUserColumns + " FROM users ORDER BY name, id"));
  std::vector<User> out;
  for (;;) {
    RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
    if (!row) break;
    out.push_back(ReadUser(*q));
  }
  return out;
}

Status SqlSession::UpdateUser(const User& u) {
  sql::WriteScope scope(*conn_);
  RAPPORT_RETURN_IF_ERROR(scope.began());
  {
    RAPPORT_ASSIGN_OR_RETURN(
        Query q, conn_->Prepare("UPDATE users SET email = ?, name = ?, role = ?, time_zone = ?, working_hours = ?,"
                                " password_hash = ?, active = ?, on_call = ? WHERE id = ? RETURNING id"));
    BindUserFields(*q, u);
    q->Bind(u.id);
    Result<bool> row = q->Next();
    if (!row.ok()) return EmailTaken(row.status(), u.email);
    if (!*row) return Status::NotFound("user " + std::to_string(u.id.value) + " does not exist");
  }
  return scope.Commit();
}

Status SqlSession::InsertApiToken(UserId user, const std::string& token_hash, const std::string& label, Instant now) {
  sql::WriteScope scope(*conn_);
  RAPPORT_RETURN_IF_ERROR(scope.began());
  {
    RAPPORT_ASSIGN_OR_RETURN(
        Query q, conn_->Prepare("INSERT INTO api_tokens (token_hash, user_id, label, created_at) VALUES (?, ?, ?, ?)"));
    q->Bind(token_hash);
    q->Bind(user);
    q->Bind(label);
    q->Bind(now);
    Status s = q->Run();
    if (s.code() == StatusCode::kAlreadyExists) return Status::AlreadyExists("this API token is already stored");
    if (s.code() == StatusCode::kInvalidArgument) {
      return Status::NotFound("user " + std::to_string(user.value) + " does not exist");
    }
    RAPPORT_RETURN_IF_ERROR(s);
  }
  return scope.Commit();
}

Result<std::optional<UserId>> SqlSession::FindUserIdByTokenHash(const std::string& token_hash) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("SELECT user_id FROM api_tokens WHERE token_hash = ?"));
  q->Bind(token_hash);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return std::optional<UserId>();
  return std::optional<UserId>(UserId(q->Int(0)));
}

Status SqlSession::InsertWebSession(const app::WebSession& s) {
  sql::WriteScope scope(*conn_);
  RAPPORT_RETURN_IF_ERROR(scope.began());
  {
    RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("INSERT INTO web_sessions (id_hash, user_id, csrf_token, created_at,"
                                                     " expires_at) VALUES (?, ?, ?, ?, ?)"));
    q->Bind(s.id_hash);
    q->Bind(s.user_id);
    q->Bind(s.csrf_token);
    q->Bind(s.created_at);
    q->Bind(s.expires_at);
    Status st = q->Run();
    if (st.code() == StatusCode::kAlreadyExists) return Status::AlreadyExists("this web session is already stored");
    if (st.code() == StatusCode::kInvalidArgument) {
      return Status::NotFound("user " + std::to_string(s.user_id.value) + " does not exist");
    }
    RAPPORT_RETURN_IF_ERROR(st);
  }
  return scope.Commit();
}

Result<std::optional<app::WebSession>> SqlSession::FindWebSession(const std::string& id_hash) {
  RAPPORT_ASSIGN_OR_RETURN(
      Query q,
      conn_->Prepare("SELECT id_hash, user_id, csrf_token, created_at, expires_at FROM web_sessions WHERE id_hash = ?"));
  q->Bind(id_hash);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return std::optional<app::WebSession>();
  return std::optional<app::WebSession>(app::WebSession{q->Text(0), UserId(q->Int(1)), q->Text(2),
                                                        InstantFromUnix(q->Int(3)), InstantFromUnix(q->Int(4))});
}

Status SqlSession::DeleteWebSession(const std::string& id_hash) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("DELETE FROM web_sessions WHERE id_hash = ?"));
  q->Bind(id_hash);
  return q->Run();
}

Status SqlSession::DeleteExpiredWebSessions(Instant now) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("DELETE FROM web_sessions WHERE expires_at <= ?"));
  q->Bind(now);
  return q->Run();
}

Status SqlSession::AppendAudit(const AuditEntry& e) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("INSERT INTO audit (actor_id, entity, entity_id, action, detail, at)"
                                                   " VALUES (?, ?, ?, ?, ?, ?)"));
  q->Bind(e.actor_id);
  q->Bind(e.entity);
  q->Bind(e.entity_id);
  q->Bind(e.action);
  q->Bind(e.detail);
  q->Bind(e.at);
  return q->Run();
}

Result<std::vector<AuditEntry>> SqlSession::ListAudit(const std::string& entity, std::int64_t entity_id, int limit) {
  if (limit < 1) return Status::FieldError("limit", "must be at least 1");
  RAPPORT_ASSIGN_OR_RETURN(Query q,
                           conn_->Prepare("SELECT id, actor_id, entity, entity_id, action, detail, at FROM audit"
                                          " WHERE entity = ? AND entity_id = ? ORDER BY at DESC, id DESC LIMIT ?"));
  q->Bind(entity);
  q->Bind(entity_id);
  q->Bind(std::int64_t{limit});
  std::vector<AuditEntry> out;
  for (;;) {
    RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
    if (!row) break;
    AuditEntry e;
    e.id = q->Int(0);
    if (!q->IsNull(1)) e.actor_id = UserId(q->Int(1));
    e.entity = q->Text(2);
    e.entity_id = q->Int(3);
    e.action = q->Text(4);
    e.detail = q->Text(5);
    e.at = InstantFromUnix(q->Int(6));
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::optional<app::IdempotencyRecord>> SqlSession::FindIdempotency(UserId user, const std::string& key) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("SELECT request_fingerprint, http_status, response_body, created_at"
                                                   " FROM idempotency WHERE user_id = ? AND key = ?"));
  q->Bind(user);
  q->Bind(key);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return std::optional<app::IdempotencyRecord>();
  app::IdempotencyRecord r;
  r.user_id = user;
  r.key = key;
  r.request_fingerprint = q->Text(0);
  r.http_status = static_cast<int>(q->Int(1));
  r.response_body = q->Text(2);
  r.created_at = InstantFromUnix(q->Int(3));
  return std::optional<app::IdempotencyRecord>(std::move(r));
}

Status SqlSession::InsertIdempotency(const app::IdempotencyRecord& r) {
  RAPPORT_ASSIGN_OR_RETURN(
      Query q, conn_->Prepare("INSERT INTO idempotency (user_id, key, request_fingerprint, http_status, response_body,"
                              " created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, key) DO NOTHING"
                              " RETURNING user_id"));
  q->Bind(r.user_id);
  q->Bind(r.key);
  q->Bind(r.request_fingerprint);
  q->Bind(std::int64_t{r.http_status});
  q->Bind(r.response_body);
  q->Bind(r.created_at);
  RAPPORT_ASSIGN_OR_RETURN(bool inserted, q->Next());
  if (!inserted) return Status::AlreadyExists("the idempotency key " + r.key + " was already used");
  return Status::Ok();
}

}  // namespace rapport::store
