// SqlSession: the business calendar's holidays and the response policies with their targets.
#include "store/sql_session.h"

namespace rapport::store {
namespace {

using sql::Query;
using sql::Statement;

constexpr const char* kPolicyColumns = "id, name, plan, warning_percent";
constexpr const char* kTargetColumns = "policy_id, priority, first_response_minutes, next_response_minutes, resolution_minutes";

std::string DateText(const Holiday& h) {
  std::string out = std::to_string(h.month) + "/" + std::to_string(h.day);
  return h.year == 0 ? out + " (every year)" : std::to_string(h.year) + "/" + out;
}

std::optional<std::chrono::minutes> OptionalMinutes(const Statement& s, int col) {
  if (s.IsNull(col)) return std::nullopt;
  return std::chrono::minutes(s.Int(col));
}

std::optional<std::int64_t> MinutesValue(const std::optional<std::chrono::minutes>& m) {
  if (!m) return std::nullopt;
  return static_cast<std::int64_t>(m->count());
}

// The columns that InsertSlaPolicy and UpdateSlaPolicy both write, in this order: name, plan,
// warning_percent.
void BindPolicyFields(Statement& q, const SlaPolicy& p) {
  q.Bind(p.name);
  q.Bind(p.plan);
  q.Bind(std::int64_t{p.warning_percent});
}

Status PlanTaken(const Status& s, const SlaPolicy& p) {
  if (s.code() != StatusCode::kAlreadyExists) return s;
  return Status::AlreadyExists(p.plan.empty() ? std::string("there is already a default policy (no plan)")
                                              : "there is already a policy for the plan " + p.plan);
}

}  // namespace

// ---- Holidays ----

Result<std::vector<app::HolidayRecord>> SqlSession::ListHolidays() {
  RAPPORT_ASSIGN_OR_RETURN(Query q,
                           conn_->Prepare("SELECT id, year, month, day, name FROM holidays ORDER BY year, month, day"));
  std::vector<app::HolidayRecord> out;
  for (;;) {
    RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
    if (!row) break;
    app::HolidayRecord r;
    r.id = app::HolidayId(q->Int(0));
    r.holiday.year = static_cast<int>(q->Int(1));
    r.holiday.month = static_cast<int>(q->Int(2));
    r.holiday.day = static_cast<int>(q->Int(3));
    r.holiday.name = q->Text(4);
    out.push_back(std::move(r));
  }
  return out;
}

Result<app::HolidayId> SqlSession::InsertHoliday(const Holiday& h) {
  sql::WriteScope scope(*conn_);
  RAPPORT_RETURN_IF_ERROR(scope.began());
  app::HolidayId id;
  {
    RAPPORT_ASSIGN_OR_RETURN(
        Query q, conn_->Prepare("INSERT INTO holidays (year, month, day, name) VALUES (?, ?, ?, ?) RETURNING id"));
    q->Bind(std::int64_t{h.year});
    q->Bind(std::int64_t{h.month});
    q->Bind(std::int64_t{h.day});
    q->Bind(h.name);
    Result<bool> row = q->Next();
    if (!row.ok() && row.status().code() == StatusCode::kAlreadyExists) {
      return Status::AlreadyExists("there is already a holiday on " + DateText(h));
    }
    if (!row.ok()) return row.status();
    if (!*row) return Status::Internal("INSERT INTO holidays returned no id");
    id = app::HolidayId(q->Int(0));
  }
  RAPPORT_RETURN_IF_ERROR(scope.Commit());
  return id;
}

Status SqlSession::DeleteHoliday(app::HolidayId id) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("DELETE FROM holidays WHERE id = ? RETURNING id"));
  q->Bind(id);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return Status::NotFound("holiday " + std::to_string(id.value) + " does not exist");
  return Status::Ok();
}

// ---- Response policies ----

Result<std::vector<SlaPolicy>> SqlSession::ListSlaPolicies() {
  std::vector<SlaPolicy> out;
  {
    RAPPORT_ASSIGN_OR_RETURN(
        Query q, conn_->Prepare(std::string("SELECT ") + kPolicyColumns + " FROM sla_policies ORDER BY plan, id"));
    for (;;) {
      RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
      if (!row) break;
      SlaPolicy p;
      p.id = SlaPolicyId(q->Int(0));
      p.name = q->Text(1);
      p.plan = q->Text(2);
      p.warning_percent = static_cast<int>(q->Int(3));
      out.push_back(std::move(p));
    }
  }
  // All targets in one query; policies are few, so a linear match is cheaper than a map.
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare(std::string("SELECT ") + kTargetColumns + " FROM sla_targets"));
  for (;;) {
    RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
    if (!row) break;
    const SlaPolicyId policy(q->Int(0));
    const std::optional<Priority> priority = ParsePriority(q->Text(1));
    if (!priority) continue;  // a priority this Rapport does not know: no target for it
    for (SlaPolicy& p : out) {
      if (p.id != policy) continue;
      ResponseTargets& t = p.For(*priority);
      t.first_response = OptionalMinutes(*q, 2);
      t.next_response = OptionalMinutes(*q, 3);
      t.resolution = OptionalMinutes(*q, 4);
    }
  }
  return out;
}

Status SqlSession::WriteSlaTargets(const SlaPolicy& p) {
  {
    RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("DELETE FROM sla_targets WHERE policy_id = ?"));
    q->Bind(p.id);
    RAPPORT_RETURN_IF_ERROR(q->Run());
  }
  for (Priority priority : {Priority::kLow, Priority::kNormal, Priority::kHigh, Priority::kUrgent}) {
    const ResponseTargets& t = p.For(priority);
    if (!t.first_response && !t.next_response && !t.resolution) continue;
    RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare(std::string("INSERT INTO sla_targets (") + kTargetColumns +
                                                     ") VALUES (?, ?, ?, ?, ?)"));
    q->Bind(p.id);
    q->Bind(Name(priority));
    q->Bind(MinutesValue(t.first_response));
    q->Bind(MinutesValue(t.next_response));
    q->Bind(MinutesValue(t.resolution));
    RAPPORT_RETURN_IF_ERROR(q->Run());
  }
  return Status::Ok();
}

Result<SlaPolicyId> SqlSession::InsertSlaPolicy(const SlaPolicy& p) {
  sql::WriteScope scope(*conn_);
  RAPPORT_RETURN_IF_ERROR(scope.began());
  SlaPolicy stored = p;
  {
    RAPPORT_ASSIGN_OR_RETURN(
        Query q,
        conn_->Prepare("INSERT INTO sla_policies (name, plan, warning_percent) VALUES (?, ?, ?) RETURNING id"));
    BindPolicyFields(*q, p);
    Result<bool> row = q->Next();
    if (!row.ok()) return PlanTaken(row.status(), p);
    if (!*row) return Status::Internal("INSERT INTO sla_policies returned no id");
    stored.id = SlaPolicyId(q->Int(0));
  }
  RAPPORT_RETURN_IF_ERROR(WriteSlaTargets(stored));
  RAPPORT_RETURN_IF_ERROR(scope.Commit());
  return stored.id;
}

Status SqlSession::UpdateSlaPolicy(const SlaPolicy& p) {
  sql::WriteScope scope(*conn_);
  RAPPORT_RETURN_IF_ERROR(scope.began());
  {
    RAPPORT_ASSIGN_OR_RETURN(
        Query q,
        conn_->Prepare("UPDATE sla_policies SET name = ?, plan = ?, warning_percent = ? WHERE id = ? RETURNING id"));
    BindPolicyFields(*q, p);
    q->Bind(p.id);
    Result<bool> row = q->Next();
    if (!row.ok()) return PlanTaken(row.status(), p);
    if (!*row) return Status::NotFound("response policy " + std::to_string(p.id.value) + " does not exist");
  }
  RAPPORT_RETURN_IF_ERROR(WriteSlaTargets(p));
  return scope.Commit();
}

Status SqlSession::DeleteSlaPolicy(SlaPolicyId id) {
  // The targets go with it (ON DELETE CASCADE; SQLite connections switch foreign keys on).
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("DELETE FROM sla_policies WHERE id = ? RETURNING id"));
  q->Bind(id);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return Status::NotFound("response policy " + std::to_string(id.value) + " does not exist");
  return Status::Ok();
}

}  // namespace rapport::store
