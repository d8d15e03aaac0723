#include "app/promise_settings.h"

#include <algorithm>
#include <array>

#include "app/desk_support.h"
#include "app/ticket_clocks.h"
#include "app/unit_of_work.h"
#include "app/zone_rules_loader.h"
#include "core/business_hours.h"
#include "core/identity.h"

namespace rapport::app {
namespace {

constexpr Priority kPriorities[] = {Priority::kLow, Priority::kNormal, Priority::kHigh, Priority::kUrgent};

Status Refused() { return Status::PermissionDenied("only an owner or admin may change business hours and promises"); }

// The targets in the audit trail: "normal 240/480/1440, urgent 60/-/480" (minutes; - = none).
std::string TargetsText(const SlaPolicy& p) {
  auto value = [](const std::optional<std::chrono::minutes>& m) {
    return m ? std::to_string(m->count()) : std::string("-");
  };
  std::string out;
  for (Priority priority : kPriorities) {
    const ResponseTargets& t = p.For(priority);
    if (t == ResponseTargets{}) continue;
    if (!out.empty()) out += ", ";
    out += std::string(Name(priority)) + " " + value(t.first_response) + "/" + value(t.next_response) + "/" +
           value(t.resolution);
  }
  return out;
}

// `p` normalised (name on one line, plan normalised) and checked; the id is not touched.
Result<SlaPolicy> CheckPolicy(const SlaPolicy& p) {
  FieldErrors errors;
  SlaPolicy out = p;
  out.name = OneLine(p.name);
  if (out.name.empty()) errors.Add("name", "is required, e.g. Standard");
  errors.CheckText("name", out.name, kMaxNameChars);
  out.plan = NormalizePlan(p.plan, "plan", errors);
  if (p.warning_percent < 1 || p.warning_percent > 99) {
    errors.Add("warning_percent", "must be a share from 1 to 99 (percent of the target)");
  }
  for (Priority priority : kPriorities) {
    const ResponseTargets& t = p.For(priority);
    auto check = [&](const char* kind, const std::optional<std::chrono::minutes>& m) {
      if (m && (m->count() < 1 || m->count() > kMaxTargetMinutes)) {
        errors.Add("targets." + std::string(Name(priority)) + "." + kind + "_minutes",
                   "must be from 1 minute to one year (" + std::to_string(kMaxTargetMinutes) + " minutes), or none");
      }
    };
    check("first_response", t.first_response);
    check("next_response", t.next_response);
    check("resolution", t.resolution);
  }
  RAPPORT_RETURN_IF_ERROR(errors.ToStatus());
  return out;
}

Status PolicyMissing(SlaPolicyId id) { return Status::NotFound("response policy " + IdText(id.value) + " does not exist"); }

Result<SlaPolicy> FindPolicy(StoreSession& s, SlaPolicyId id) {
  RAPPORT_ASSIGN_OR_RETURN(std::vector<SlaPolicy> all, s.ListSlaPolicies());
  for (SlaPolicy& p : all) {
    if (p.id == id) return std::move(p);
  }
  return PolicyMissing(id);
}

// The store's kAlreadyExists names no field; the form needs one.
Status OnField(Status s, const std::string& field, const std::string& message) {
  if (s.code() == StatusCode::kAlreadyExists && s.field_errors().empty()) s.AddFieldError(field, message);
  return s;
}

AuditDetail PolicyChanges(const SlaPolicy& before, const SlaPolicy& after) {
  AuditDetail d;
  if (before.name != after.name) d.Change("name", before.name, after.name);
  if (before.plan != after.plan) d.Change("plan", before.plan, after.plan);
  if (before.warning_percent != after.warning_percent) {
    d.Change("warning_percent", std::to_string(before.warning_percent), std::to_string(after.warning_percent));
  }
  if (TargetsText(before) != TargetsText(after)) d.Change("targets", TargetsText(before), TargetsText(after));
  return d;
}

std::string HolidayDateText(const Holiday& h) {
  return (h.year == 0 ? std::string("every year") : std::to_string(h.year)) + "-" + std::to_string(h.month) + "-" +
         std::to_string(h.day);
}

BusinessHoursView ViewOf(const Workspace& w) {
  return BusinessHoursView{w.time_zone, EffectiveBusinessHours(w), w.business_hours.empty()};
}

}  // namespace

std::string NormalizePlan(std::string_view raw, const std::string& field, FieldErrors& errors) {
  std::string plan = AsciiLower(OneLine(raw));
  errors.CheckText(field, plan, kMaxPlanChars);
  return plan;
}

Result<BusinessHoursView> PromiseSettings::GetBusinessHours(const Actor& /*actor: every role may read*/) {
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) -> Result<BusinessHoursView> {
    RAPPORT_ASSIGN_OR_RETURN(Workspace w, s.GetWorkspace());
    return ViewOf(w);
  });
}

Result<BusinessHoursView> PromiseSettings::ReplaceBusinessHours(const Actor& actor, const BusinessHoursChange& change) {
  if (!CanManageSettings(actor)) return Refused();
  FieldErrors errors;
  std::optional<std::string> zone;
  if (change.time_zone) {
    zone = std::string(Trim(*change.time_zone));
    if (!IsKnownTimeZone(*zone)) {
      errors.Add("time_zone", "'" + *zone + "' is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)");
    }
  }
  if (Status s = ValidateWorkingIntervals(change.intervals, "intervals"); !s.ok()) {
    errors.Add("intervals", s.field_errors().at("intervals"));
  }
  RAPPORT_RETURN_IF_ERROR(errors.ToStatus());
  std::vector<WorkingInterval> hours = change.intervals;
  auto order = [](const WorkingInterval& h) { return std::array<int, 3>{h.weekday, h.start_minute, h.end_minute}; };
  std::sort(hours.begin(), hours.end(), [&](const auto& a, const auto& b) { return order(a) < order(b); });
  hours.erase(std::unique(hours.begin(), hours.end()), hours.end());
  const Instant now = clock_.Now();
  return InTransaction(pool_, [&](StoreSession& s) -> Result<BusinessHoursView> {
    RAPPORT_ASSIGN_OR_RETURN(Workspace w, s.GetWorkspace());
    AuditDetail d;
    if (zone && *zone != w.time_zone) {
      d.Change("time_zone", w.time_zone, *zone);
      w.time_zone = *zone;
    }
    if (hours != w.business_hours) {
      d.Change("business_hours", w.business_hours.empty() ? "default" : DescribeHours(w.business_hours),
               hours.empty() ? "default" : DescribeHours(hours));
      w.business_hours = hours;
    }
    if (d.empty()) return ViewOf(w);
    RAPPORT_RETURN_IF_ERROR(s.SaveWorkspace(w));
    // There is one workspace per database; its audit entries use entity id 1.
    RAPPORT_RETURN_IF_ERROR(WriteAudit(s, actor.id, "workspace", 1, "update", d, now));
    RAPPORT_RETURN_IF_ERROR(RecomputeOpenTicketClocksIn(s, std::nullopt, now).status());
    RAPPORT_ASSIGN_OR_RETURN(Workspace stored, s.GetWorkspace());
    return ViewOf(stored);
  });
}

Result<std::vector<HolidayRecord>> PromiseSettings::ListHolidays(const Actor& /*actor: every role may read*/) {
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) { return s.ListHolidays(); });
}

Result<HolidayRecord> PromiseSettings::AddHoliday(const Actor& actor, const Holiday& h) {
  if (!CanManageSettings(actor)) return Refused();
  FieldErrors errors;
  Holiday next = h;
  next.name = OneLine(h.name);
  if (next.name.empty()) errors.Add("name", "is required, e.g. New Year's Day");
  errors.CheckText("name", next.name, kMaxHolidayNameChars);
  if (Status s = ValidateHolidayDate(next); !s.ok()) {
    for (const auto& [field, message] : s.field_errors()) errors.Add(field, message);
  }
  RAPPORT_RETURN_IF_ERROR(errors.ToStatus());
  const Instant now = clock_.Now();
  return InTransaction(pool_, [&](StoreSession& s) -> Result<HolidayRecord> {
    auto id = s.InsertHoliday(next);
    if (!id.ok()) return OnField(id.status(), "date", "there is already a holiday on this date");
    AuditDetail d;
    d.Set("date", HolidayDateText(next)).Set("name", next.name);
    RAPPORT_RETURN_IF_ERROR(WriteAudit(s, actor.id, "holiday", id->value, "create", d, now));
    RAPPORT_RETURN_IF_ERROR(RecomputeOpenTicketClocksIn(s, std::nullopt, now).status());
    return HolidayRecord{*id, next};
  });
}

Status PromiseSettings::DeleteHoliday(const Actor& actor, HolidayId id) {
  if (!CanManageSettings(actor)) return Refused();
  const Instant now = clock_.Now();
  return InTransaction(pool_, [&](StoreSession& s) -> Result<Done> {
           RAPPORT_ASSIGN_OR_RETURN(std::vector<HolidayRecord> all, s.ListHolidays());
           auto it = std::find_if(all.begin(), all.end(), [&](const HolidayRecord& r) { return r.id == id; });
           if (it == all.end()) return Status::NotFound("holiday " + IdText(id.value) + " does not exist");
           RAPPORT_RETURN_IF_ERROR(s.DeleteHoliday(id));
           AuditDetail d;
           d.Set("date", HolidayDateText(it->holiday)).Set("name", it->holiday.name);
           RAPPORT_RETURN_IF_ERROR(WriteAudit(s, actor.id, "holiday", id.value, "delete", d, now));
           RAPPORT_RETURN_IF_ERROR(RecomputeOpenTicketClocksIn(s, std::nullopt, now).status());
           return Done{};
         })
      .status();
}

Result<std::vector<SlaPolicy>> PromiseSettings::ListPolicies(const Actor& /*actor: every role may read*/) {
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) { return s.ListSlaPolicies(); });
}

Result<SlaPolicy> PromiseSettings::GetPolicy(const Actor& /*actor: every role may read*/, SlaPolicyId id) {
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) { return FindPolicy(s, id); });
}

Result<SlaPolicy> PromiseSettings::CreatePolicy(const Actor& actor, const SlaPolicy& p) {
  if (!CanManageSettings(actor)) return Refused();
  RAPPORT_ASSIGN_OR_RETURN(SlaPolicy next, CheckPolicy(p));
  const Instant now = clock_.Now();
  return InTransaction(pool_, [&](StoreSession& s) -> Result<SlaPolicy> {
    auto id = s.InsertSlaPolicy(next);
    if (!id.ok()) {
      return OnField(id.status(), "plan",
                     next.plan.empty() ? "there is already a default policy" : "this plan already has a policy");
    }
    next.id = *id;
    RAPPORT_RETURN_IF_ERROR(WriteAudit(s, actor.id, "sla_policy", id->value, "create", PolicyChanges(SlaPolicy{}, next), now));
    RAPPORT_RETURN_IF_ERROR(RecomputeOpenTicketClocksIn(s, std::nullopt, now).status());
    return FindPolicy(s, *id);
  });
}

Result<SlaPolicy> PromiseSettings::UpdatePolicy(const Actor& actor, SlaPolicyId id, const SlaPolicy& p) {
  if (!CanManageSettings(actor)) return Refused();
  RAPPORT_ASSIGN_OR_RETURN(SlaPolicy next, CheckPolicy(p));
  next.id = id;
  const Instant now = clock_.Now();
  return InTransaction(pool_, [&](StoreSession& s) -> Result<SlaPolicy> {
    RAPPORT_ASSIGN_OR_RETURN(SlaPolicy before, FindPolicy(s, id));
    AuditDetail d = PolicyChanges(before, next);
    if (d.empty()) return before;
    if (Status saved = s.UpdateSlaPolicy(next); !saved.ok()) {
      return OnField(saved, "plan",
                     next.plan.empty() ? "there is already a default policy" : "this plan already has a policy");
    }
    RAPPORT_RETURN_IF_ERROR(WriteAudit(s, actor.id, "sla_policy", id.value, "update", d, now));
    RAPPORT_RETURN_IF_ERROR(RecomputeOpenTicketClocksIn(s, std::nullopt, now).status());
    return FindPolicy(s, id);
  });
}

Status PromiseSettings::DeletePolicy(const Actor& actor, SlaPolicyId id) {
  if (!CanManageSettings(actor)) return Refused();
  const Instant now = clock_.Now();
  return InTransaction(pool_, [&](StoreSession& s) -> Result<Done> {
           RAPPORT_ASSIGN_OR_RETURN(SlaPolicy gone, FindPolicy(s, id));
           RAPPORT_RETURN_IF_ERROR(s.DeleteSlaPolicy(id));
           AuditDetail d;
           d.Set("name", gone.name).Set("plan", gone.plan);
           RAPPORT_RETURN_IF_ERROR(WriteAudit(s, actor.id, "sla_policy", id.value, "delete", d, now));
           RAPPORT_RETURN_IF_ERROR(RecomputeOpenTicketClocksIn(s, std::nullopt, now).status());
           return Done{};
         })
      .status();
}

Result<BusinessCalendar> LoadWorkspaceCalendar(StoreSession& s) {
  RAPPORT_ASSIGN_OR_RETURN(Workspace w, s.GetWorkspace());
  return LoadWorkspaceCalendar(s, w);
}

Result<BusinessCalendar> LoadWorkspaceCalendar(StoreSession& s, const Workspace& w) {
  RAPPORT_ASSIGN_OR_RETURN(std::vector<HolidayRecord> records, s.ListHolidays());
  RAPPORT_ASSIGN_OR_RETURN(ZoneRules zone, LoadZoneRules(w.time_zone));
  std::vector<Holiday> holidays;
  holidays.reserve(records.size());
  for (HolidayRecord& r : records) holidays.push_back(std::move(r.holiday));
  return BusinessCalendar::Make(EffectiveBusinessHours(w), std::move(holidays), std::move(zone));
}

}  // namespace rapport::app
