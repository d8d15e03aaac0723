#pragma once
// The settings behind the promises: the workspace's business calendar (weekly hours in the workspace
// zone, holidays) and the response policies per client plan. Every role may read them (tickets show
// what was promised); only an owner or admin may change them. Each change is audited: the calendar
// on entity "workspace" (id 1), holidays on "holiday", policies on "sla_policy".
//
// Business hours that were never set read as the default, Monday to Friday 09:00-17:00
// (EffectiveBusinessHours, core/business_hours.h); BusinessHoursView says which applies. Replacing
// the hours with an empty list goes back to the default.
//
// A client's plan is free text, normalised by NormalizePlan (trimmed, lower-case, at most 64
// characters) wherever it is written: on the client (Desk) and on a policy (here). The policy with
// plan "" is the default one; there is at most one policy per plan.
//
// Errors of every method: kPermissionDenied (a change by someone who is not an owner or admin),
// kInvalidArgument with field errors, kNotFound for an unknown id, kAlreadyExists with a field error
// ("date" for a holiday, "plan" for a policy), kUnavailable when the database does not answer.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/ports/clock.h"
#include "app/ports/promise_records.h"
#include "app/ports/store.h"
#include "app/session_pool.h"
#include "app/validation.h"
#include "core/business_calendar.h"
#include "core/permissions.h"
#include "core/sla_policy.h"

namespace rapport::app {

inline constexpr std::size_t kMaxPlanChars = 64;
inline constexpr std::size_t kMaxHolidayNameChars = 100;
// A target longer than a year of business time is a typo rather than a promise.
inline constexpr int kMaxTargetMinutes = 365 * 24 * 60;

// `raw` trimmed, on one line and lower-cased (ASCII); a field error on `field` when it is longer than
// kMaxPlanChars characters or not valid text.
std::string NormalizePlan(std::string_view raw, const std::string& field, FieldErrors& errors);

struct BusinessHoursView {
  std::string time_zone;                  // the workspace's
  std::vector<WorkingInterval> intervals;  // the hours in force (the default when none are set)
  bool is_default = true;                 // none set: `intervals` are DefaultBusinessHours()
};

struct BusinessHoursChange {
  std::optional<std::string> time_zone;    // absent: keep the workspace's zone
  std::vector<WorkingInterval> intervals;  // replaces the hours; empty = back to the default
};

// Every change recomputes the promise clocks of every open ticket in its transaction
// (RecomputeOpenTicketClocksIn, app/ticket_clocks.h), so the due times shown follow the settings.
//
// Field names of the errors: "time_zone", "intervals"; "year", "month", "day", "name", "date" for a
// holiday; "name", "plan", "warning_percent" and "targets.<priority>.<first_response|next_response|
// resolution>_minutes" for a policy.
class PromiseSettings {
 public:
  PromiseSettings(SessionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  Result<BusinessHoursView> GetBusinessHours(const Actor& actor);
  Result<BusinessHoursView> ReplaceBusinessHours(const Actor& actor, const BusinessHoursChange& change);

  Result<std::vector<HolidayRecord>> ListHolidays(const Actor& actor);  // by year (yearly first), month, day
  // year 0 = every year on month/day; the name is required (at most kMaxHolidayNameChars).
  Result<HolidayRecord> AddHoliday(const Actor& actor, const Holiday& h);
  Status DeleteHoliday(const Actor& actor, HolidayId id);

  Result<std::vector<SlaPolicy>> ListPolicies(const Actor& actor);  // the default (plan "") first, then by plan
  Result<SlaPolicy> GetPolicy(const Actor& actor, SlaPolicyId id);
  // The name is required; the plan is normalised; warning_percent 1..99; each target absent or
  // 1..kMaxTargetMinutes minutes. Update replaces every field of the policy (its id stays).
  Result<SlaPolicy> CreatePolicy(const Actor& actor, const SlaPolicy& p);
  Result<SlaPolicy> UpdatePolicy(const Actor& actor, SlaPolicyId id, const SlaPolicy& p);
  Status DeletePolicy(const Actor& actor, SlaPolicyId id);

 private:
  SessionPool& pool_;
  const Clock& clock_;
};

// The workspace's business calendar as stored: its zone (from the tz database), its hours (the
// default when none are set) and its holidays. Runs in the caller's transaction. Errors: those of
// the store, LoadZoneRules (a zone the tz database does not know) and BusinessCalendar::Make.
Result<BusinessCalendar> LoadWorkspaceCalendar(StoreSession& s);
// The same for the workspace `w` the caller has read already (in this transaction).
Result<BusinessCalendar> LoadWorkspaceCalendar(StoreSession& s, const Workspace& w);

}  // namespace rapport::app
