// Desk's workspace settings and team members. Every role may read them (the UI shows the business's
// name and time zone, and assignee pickers list users); changing them needs CanManageSettings /
// CanManageUsers, except that every user may change their own name, time zone, working hours and
// on-call flag.

#include <algorithm>

#include "app/desk.h"
#include "app/desk_support.h"
#include "app/review_packs.h"
#include "app/ticket_clocks.h"
#include "app/unit_of_work.h"
#include "core/auto_followup_text.h"
#include "core/identity.h"
#include "core/money.h"

namespace rapport::app {
namespace {

constexpr int kMinutesPerDay = 24 * 60;

bool IsKnown(Role r) { return Name(r) != "unknown"; }

std::string HoursText(const std::vector<WorkingInterval>& hours) {
  std::string out;
  for (const auto& h : hours) {
    if (!out.empty()) out += ",";
    out += std::to_string(h.weekday) + ":" + std::to_string(h.start_minute) + "-" + std::to_string(h.end_minute);
  }
  return out;
}

void CheckWorkingHours(const std::vector<WorkingInterval>& hours, FieldErrors& errors) {
  for (const auto& h : hours) {
    if (h.weekday < 0 || h.weekday > 6) errors.Add("working_hours", "weekday must be 0 (Sunday) to 6 (Saturday)");
    if (h.start_minute < 0 || h.end_minute > kMinutesPerDay || h.start_minute >= h.end_minute) {
      errors.Add("working_hours", "each interval must start before it ends, within one day (minutes 0 to 1440)");
    }
  }
  if (hours.size() > 7 * 4) errors.Add("working_hours", "at most 28 intervals a week");
}

}  // namespace

Result<Workspace> Desk::GetWorkspace(const Actor& /*actor: every role may read*/) {
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) { return s.GetWorkspace(); });
}

Result<Workspace> Desk::UpdateWorkspace(const Actor& actor, const Workspace& w) {
  if (!CanManageSettings(actor)) return Status::PermissionDenied("only an owner or admin may change settings");
  FieldErrors errors;
  Workspace next;
  next.name = OneLine(w.name);
  if (next.name.empty()) errors.Add("name", "is required");
  errors.CheckText("name", next.name, kMaxNameChars);
  next.time_zone = std::string(Trim(w.time_zone));
  if (!IsKnownTimeZone(next.time_zone)) {
    errors.Add("time_zone", "'" + next.time_zone + "' is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)");
  }
  next.currency = std::string(Trim(w.currency));
  if (!IsValidCurrencyCode(next.currency)) errors.Add("currency", "must be an ISO 4217 code of three capital letters, e.g. USD");
  next.acknowledge_requests = w.acknowledge_requests;
  next.nudge_after_days = w.nudge_after_days;
  next.nudge_limit = w.nudge_limit;
  if (w.nudge_after_days < 0 || w.nudge_after_days > kMaxNudgeAfterDays) {
    errors.Add("nudge_after_days", "must be 0 (no nudges) to " + std::to_string(kMaxNudgeAfterDays) + " business days");
  }
  if (w.nudge_limit < 0 || w.nudge_limit > kMaxNudgeLimit) {
    errors.Add("nudge_limit", "must be 0 to " + std::to_string(kMaxNudgeLimit) + " nudges");
  }
  next.review_pack_days = w.review_pack_days;
  if (w.review_pack_days < 1 || w.review_pack_days > kMaxReviewPackDays) {
    errors.Add("review_pack_days", "must be 1 to " + std::to_string(kMaxReviewPackDays) + " days");
  }
  RAPPORT_RETURN_IF_ERROR(errors.ToStatus());
  const Instant now = clock_.Now();
  return InTransaction(pool_, [&](StoreSession& s) -> Result<Workspace> {
    RAPPORT_ASSIGN_OR_RETURN(Workspace before, s.GetWorkspace());
    AuditDetail d;
    if (before.name != next.name) d.Change("name", before.name, next.name);
    if (before.time_zone != next.time_zone) d.Change("time_zone", before.time_zone, next.time_zone);
    if (before.currency != next.currency) d.Change("currency", before.currency, next.currency);
    if (before.acknowledge_requests != next.acknowledge_requests) {
      d.Change("acknowledge_requests", before.acknowledge_requests ? "on" : "off", next.acknowledge_requests ? "on" : "off");
    }
    if (before.nudge_after_days != next.nudge_after_days) {
      d.Change("nudge_after_days", std::to_string(before.nudge_after_days), std::to_string(next.nudge_after_days));
    }
    // Nudges count from when they are switched on, not from older waiting (app/auto_followups.h).
    next.nudges_since = before.nudge_after_days == 0 && next.nudge_after_days > 0 ? now : before.nudges_since;
    if (before.nudge_limit != next.nudge_limit) {
      d.Change("nudge_limit", std::to_string(before.nudge_limit), std::to_string(next.nudge_limit));
    }
    if (before.review_pack_days != next.review_pack_days) {
      d.Change("review_pack_days", std::to_string(before.review_pack_days), std::to_string(next.review_pack_days));
    }
    if (d.empty()) return before;
    next.business_hours = before.business_hours;  // changed by PromiseSettings, not here
    RAPPORT_RETURN_IF_ERROR(s.SaveWorkspace(next));
    // There is one workspace per database; its audit entries use entity id 1.
    RAPPORT_RETURN_IF_ERROR(WriteAudit(s, actor.id, "workspace", 1, "update", d, now));
    // The zone is the business calendar's: the open tickets' due times move with it.
    if (before.time_zone != next.time_zone) {
      RAPPORT_RETURN_IF_ERROR(RecomputeOpenTicketClocksIn(s, std::nullopt, now).status());
    }
    return s.GetWorkspace();
  });
}

Result<std::vector<User>> Desk::ListUsers(const Actor& /*actor: every role may read*/) {
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) -> Result<std::vector<User>> {
    RAPPORT_ASSIGN_OR_RETURN(std::vector<User> users, s.ListUsers());
    for (auto& u : users) u = WithoutSecrets(std::move(u));
    return users;
  });
}

Result<User> Desk::GetUser(const Actor& /*actor: every role may read*/, UserId id) {
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) -> Result<User> {
    RAPPORT_ASSIGN_OR_RETURN(User u, s.GetUser(id));
    return WithoutSecrets(std::move(u));
  });
}

Result<User> Desk::UpdateUser(const Actor& actor, UserId id, const UserFields& f) {
  const bool self_service_only = !f.email && !f.role && !f.active;
  if (!CanManageUsers(actor) && !(actor.id == id && self_service_only)) {
    return Status::PermissionDenied(actor.id == id ? "only an owner or admin may change your email, role or status"
                                                   : "only an owner or admin may change other users");
  }
  FieldErrors errors;
  std::optional<std::string> email;
  if (f.email) {
    auto e = NormalizeEmail(*f.email);
    if (e.ok() && IsStorableText(*e)) {
      email = *e;
    } else {
      errors.Add("email", e.ok() ? "is not valid UTF-8 text" : e.status().message());
    }
  }
  std::optional<std::string> name;
  if (f.name) {
    name = OneLine(*f.name);
    if (name->empty()) errors.Add("name", "is required");
    errors.CheckText("name", *name, kMaxNameChars);
  }
  if (f.role && !IsKnown(*f.role)) errors.Add("role", "is not one of owner, admin, agent, subcontractor");
  std::optional<std::string> time_zone;
  if (f.time_zone) {
    time_zone = std::string(Trim(*f.time_zone));
    if (!IsKnownTimeZone(*time_zone)) {
      errors.Add("time_zone", "'" + *time_zone + "' is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)");
    }
  }
  if (f.working_hours) CheckWorkingHours(*f.working_hours, errors);
  RAPPORT_RETURN_IF_ERROR(errors.ToStatus());

  const Instant now = clock_.Now();
  return InTransaction(pool_, [&](StoreSession& s) -> Result<User> {
    RAPPORT_ASSIGN_OR_RETURN(User u, s.GetUser(id));
    const bool was_active_owner = u.role == Role::kOwner && u.active;
    // Changing an owner in any way that matters (role, status, email) is for owners only.
    if (u.role == Role::kOwner && !self_service_only && actor.id != id && !CanGrantRole(actor, Role::kOwner)) {
      return Status::PermissionDenied("only an owner may change another owner");
    }
    AuditDetail d;
    if (email && *email != u.email) {
      RAPPORT_ASSIGN_OR_RETURN(auto holder, s.FindUserByEmail(*email));
      if (holder && holder->id != u.id) {
        return Status(StatusCode::kAlreadyExists, "a user with email " + *email + " already exists")
            .AddFieldError("email", "is already taken");
      }
      d.Change("email", u.email, *email);
      u.email = *email;
    }
    if (name && *name != u.name) {
      d.Change("name", u.name, *name);
      u.name = *name;
    }
    if (f.role && *f.role != u.role) {
      if (!CanGrantRole(actor, *f.role)) return Status::PermissionDenied("only an owner may make someone an owner");
      d.Change("role", std::string(Name(u.role)), std::string(Name(*f.role)));
      u.role = *f.role;
    }
    if (time_zone && *time_zone != u.time_zone) {
      d.Change("time_zone", u.time_zone, *time_zone);
      u.time_zone = *time_zone;
    }
    if (f.working_hours && *f.working_hours != u.working_hours) {
      d.Change("working_hours", HoursText(u.working_hours), HoursText(*f.working_hours));
      u.working_hours = *f.working_hours;
    }
    if (f.on_call && *f.on_call != u.on_call) {
      d.Change("on_call", u.on_call ? "true" : "false", *f.on_call ? "true" : "false");
      u.on_call = *f.on_call;
    }
    if (f.active && *f.active != u.active) {
      d.Change("active", u.active ? "true" : "false", *f.active ? "true" : "false");
      u.active = *f.active;
    }
    if (d.empty()) return WithoutSecrets(std::move(u));
    if (was_active_owner && !(u.role == Role::kOwner && u.active)) {
      RAPPORT_ASSIGN_OR_RETURN(std::vector<User> users, s.ListUsers());
      const bool another_owner = std::any_of(users.begin(), users.end(), [&](const User& other) {
        return other.id != u.id && other.role == Role::kOwner && other.active;
      });
      if (!another_owner) {
        return Status::Conflict("the workspace needs at least one active owner: make someone else owner first");
      }
    }
    auto updated = s.UpdateUser(u);
    if (!updated.ok() && updated.code() == StatusCode::kAlreadyExists) updated.AddFieldError("email", "is already taken");
    RAPPORT_RETURN_IF_ERROR(updated);
    RAPPORT_RETURN_IF_ERROR(WriteAudit(s, actor.id, "user", u.id.value, "update", d, now));
    RAPPORT_ASSIGN_OR_RETURN(User stored, s.GetUser(u.id));
    return WithoutSecrets(std::move(stored));
  });
}

}  // namespace rapport::app
