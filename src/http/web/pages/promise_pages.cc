// Settings → Business hours, Holidays and Promises: the business calendar and the response policies.
// Owner and admin only, like the other settings pages; the forms work without JavaScript (each
// weekday shows its intervals plus one blank row, at least three rows: fill one to add an interval,
// clear it to remove one).
#include <httplib.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "app/promise_settings.h"
#include "core/business_hours.h"
#include "http/web/form.h"
#include "http/web/pages/pages.h"
#include "http/web/view_format.h"

namespace rapport::http::web {
namespace {

constexpr std::size_t kMinRowsPerDay = 3;
// Monday first, as people read a week.
constexpr std::array<int, 7> kWeekOrder = {1, 2, 3, 4, 5, 6, 0};
constexpr std::array<const char*, 7> kWeekdayNames = {"Sunday", "Monday", "Tuesday", "Wednesday",
                                                      "Thursday", "Friday", "Saturday"};
constexpr std::array<const char*, 3> kTargetKinds = {"first_response", "next_response", "resolution"};
constexpr std::array<const char*, 3> kTargetLabels = {"First response", "Next response", "Resolution"};

app::PromiseSettings Settings(const WebEnv& env) { return app::PromiseSettings(env.deps.pool, env.deps.clock); }

std::string Notice(RequestContext& ctx) {
  const std::string done = QueryParam(ctx.req, "done");
  if (done == "saved") return "Saved.";
  if (done == "added") return "Added.";
  if (done == "deleted") return "Deleted.";
  return "";
}

// ---- Business hours ----

std::string RowField(const char* which, int weekday, std::size_t row) {
  return std::string(which) + "_" + std::to_string(weekday) + "_" + std::to_string(row);
}

// The filled rows of the form: [weekday] = {start, end} per interval, as stored or as typed. The form
// shows them all, then blank rows up to max(kMinRowsPerDay, filled + 1).
using HourRows = std::array<std::vector<std::pair<std::string, std::string>>, 7>;

HourRows RowsOf(const std::vector<WorkingInterval>& hours) {
  HourRows rows{};
  for (const WorkingInterval& h : hours) {
    if (h.weekday < 0 || h.weekday > 6) continue;
    rows[static_cast<std::size_t>(h.weekday)].emplace_back(MinuteText(h.start_minute), MinuteText(h.end_minute));
  }
  return rows;
}

void RenderHours(RequestContext& ctx, int status, const std::string& zone, const HourRows& rows, bool is_default,
                 const std::string& summary, const Status& result, const std::string& notice) {
  Data d = FrameData(ctx, "Business hours", "settings");
  d.set("time_zone_options", TimeZoneOptions(zone));
  d.set("is_default", is_default);
  d.set("summary", summary);
  Data days(Data::type::list);
  for (int weekday : kWeekOrder) {
    Data day;
    day.set("label", kWeekdayNames[static_cast<std::size_t>(weekday)]);
    Data list(Data::type::list);
    const auto& filled = rows[static_cast<std::size_t>(weekday)];
    for (std::size_t i = 0; i < std::max(kMinRowsPerDay, filled.size() + 1); ++i) {
      const auto [start, end] = i < filled.size() ? filled[i] : std::pair<std::string, std::string>();
      Data row;
      row.set("start_name", RowField("start", weekday, i));
      row.set("end_name", RowField("end", weekday, i));
      row.set("start", start);
      row.set("end", end);
      row.set("label", std::string(kWeekdayNames[static_cast<std::size_t>(weekday)]) + " interval " +
                           std::to_string(i + 1));
      list.push_back(row);
    }
    day.set("rows", list);
    days.push_back(day);
  }
  d.set("days", days);
  SetFormOutcome(d, result, notice);
  d.set("tab_hours", true);
  SendPage(ctx, status, "settings_hours", std::move(d));
}

// ---- Holidays ----

void RenderHolidays(RequestContext& ctx, const WebEnv& env, int status, const Form* draft, const Status& result,
                    const std::string& notice) {
  auto all = Settings(env).ListHolidays(*ctx.actor);
  if (!all.ok()) {
    SendStatusPage(ctx, all.status());
    return;
  }
  Data d = FrameData(ctx, "Holidays", "settings");
  Data list(Data::type::list);
  for (const app::HolidayRecord& r : *all) {
    Data item;
    item.set("id", std::to_string(r.id.value));
    item.set("name", r.holiday.name);
    const std::string day = std::to_string(r.holiday.day) + " " +
                            std::array<const char*, 12>{"January", "February", "March", "April", "May", "June",
                                                        "July", "August", "September", "October", "November",
                                                        "December"}[static_cast<std::size_t>(r.holiday.month - 1)];
    item.set("date", r.holiday.year == 0 ? day : day + " " + std::to_string(r.holiday.year));
    item.set("yearly", r.holiday.year == 0);
    list.push_back(item);
  }
  d.set("holidays", list);
  d.set("has_holidays", !all->empty());
  d.set("draft_name", draft ? draft->Get("name") : "");
  d.set("draft_date", draft ? draft->Get("date") : "");
  d.set("draft_yearly", draft != nullptr && draft->Has("yearly"));
  SetFormOutcome(d, result, notice);
  d.set("tab_holidays", true);
  SendPage(ctx, status, "settings_holidays", std::move(d));
}

// "2026-12-24" into year, month and day; false for any other shape (the ranges are the use case's).
bool ParseDate(const std::string& text, Holiday& h) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  auto number = [&](std::size_t pos, std::size_t len, int& into) {
    const char* first = text.data() + pos;
    auto [end, ec] = std::from_chars(first, first + len, into);
    return ec == std::errc() && end == first + len;
  };
  return number(0, 4, h.year) && number(5, 2, h.month) && number(8, 2, h.day);
}

// ---- Promises (response policies) ----

// A policy as its form holds it: text, so that a mistake is shown back as typed.
struct PolicyDraft {
  std::string name, plan, warning = "75";
  // [priority, in AllPriorities() order][kind] = {hours, minutes}
  std::array<std::array<std::pair<std::string, std::string>, 3>, 4> targets{};
};

std::string TargetField(Priority p, std::size_t kind, const char* unit) {
  return std::string(Name(p)) + "_" + kTargetKinds[kind] + "_" + unit;
}
std::string TargetErrorKey(Priority p, std::size_t kind) {
  return "targets." + std::string(Name(p)) + "." + kTargetKinds[kind] + "_minutes";
}

PolicyDraft DraftOf(const SlaPolicy& p) {
  PolicyDraft d;
  d.name = p.name;
  d.plan = p.plan;
  d.warning = std::to_string(p.warning_percent);
  for (std::size_t i = 0; i < AllPriorities().size(); ++i) {
    const ResponseTargets& t = p.For(AllPriorities()[i]);
    const std::optional<std::chrono::minutes> values[] = {t.first_response, t.next_response, t.resolution};
    for (std::size_t k = 0; k < 3; ++k) {
      if (!values[k]) continue;
      d.targets[i][k] = {std::to_string(values[k]->count() / 60), std::to_string(values[k]->count() % 60)};
    }
  }
  return d;
}

PolicyDraft DraftOf(const Form& form) {
  PolicyDraft d;
  d.name = form.Get("name");
  d.plan = form.Get("plan");
  d.warning = form.Get("warning_percent");
  for (std::size_t i = 0; i < AllPriorities().size(); ++i) {
    for (std::size_t k = 0; k < 3; ++k) {
      d.targets[i][k] = {form.Get(TargetField(AllPriorities()[i], k, "h")),
                         form.Get(TargetField(AllPriorities()[i], k, "m"))};
    }
  }
  return d;
}

// The draft as a policy; mistakes of form (not a number) become field errors here, the rules are
// the use case's.
Result<SlaPolicy> PolicyOf(const PolicyDraft& d) {
  app::FieldErrors errors;
  SlaPolicy p;
  p.name = d.name;
  p.plan = d.plan;
  if (auto w = ParseInt(d.warning, 0, 1000)) {
    p.warning_percent = *w;
  } else {
    errors.Add("warning_percent", "must be a whole number from 1 to 99");
  }
  for (std::size_t i = 0; i < AllPriorities().size(); ++i) {
    ResponseTargets& t = p.For(AllPriorities()[i]);
    std::optional<std::chrono::minutes>* fields[] = {&t.first_response, &t.next_response, &t.resolution};
    for (std::size_t k = 0; k < 3; ++k) {
      const auto& [hours, minutes] = d.targets[i][k];
      if (hours.empty() && minutes.empty()) continue;  // no promise of this kind
      auto h = hours.empty() ? std::optional<int>(0) : ParseInt(hours, 0, app::kMaxTargetMinutes);
      auto m = minutes.empty() ? std::optional<int>(0) : ParseInt(minutes, 0, app::kMaxTargetMinutes);
      if (!h || !m) {
        errors.Add(TargetErrorKey(AllPriorities()[i], k), "enter whole hours and minutes, or leave both empty");
        continue;
      }
      *fields[k] = std::chrono::minutes(std::int64_t{*h} * 60 + *m);
    }
  }
  RAPPORT_RETURN_IF_ERROR(errors.ToStatus());
  return p;
}

Data PolicyForm(const std::string& action, const PolicyDraft& d, const Status& result) {
  Data f;
  f.set("action", action);
  f.set("name", d.name);
  f.set("plan", d.plan);
  f.set("warning_percent", d.warning);
  auto error = [&result](const std::string& key) {
    auto it = result.field_errors().find(key);
    return it == result.field_errors().end() ? std::string() : it->second;
  };
  f.set("name_error", error("name"));
  f.set("plan_error", error("plan"));
  f.set("warning_error", error("warning_percent"));
  f.set("has_error", !result.ok());
  f.set("error", result.ok() ? std::string() : result.message());
  Data rows(Data::type::list);
  for (std::size_t i = 0; i < AllPriorities().size(); ++i) {
    Data row;
    const std::string label = PriorityLabel(AllPriorities()[i]);
    row.set("label", label);
    Data cells(Data::type::list);
    for (std::size_t k = 0; k < 3; ++k) {
      Data cell;
      cell.set("h_name", TargetField(AllPriorities()[i], k, "h"));
      cell.set("m_name", TargetField(AllPriorities()[i], k, "m"));
      cell.set("h", d.targets[i][k].first);
      cell.set("m", d.targets[i][k].second);
      cell.set("label", label + " " + kTargetLabels[k]);
      cell.set("error", error(TargetErrorKey(AllPriorities()[i], k)));
      cells.push_back(cell);
    }
    row.set("cells", cells);
    rows.push_back(row);
  }
  f.set("rows", rows);
  return f;
}

// The page with every policy's form; the one that was posted (`posted_id`, 0 = the new-policy form)
// shows `draft` and `result` instead of the stored values.
void RenderPromises(RequestContext& ctx, const WebEnv& env, int status, std::int64_t posted_id,
                    const PolicyDraft* draft, const Status& result, const std::string& notice) {
  auto all = Settings(env).ListPolicies(*ctx.actor);
  if (!all.ok()) {
    SendStatusPage(ctx, all.status());
    return;
  }
  Data d = FrameData(ctx, "Promises", "settings");
  Data list(Data::type::list);
  for (const SlaPolicy& p : *all) {
    const bool posted = draft != nullptr && posted_id == p.id.value;
    Data item = PolicyForm("/settings/promises/" + std::to_string(p.id.value), posted ? *draft : DraftOf(p),
                           posted ? result : Status::Ok());
    item.set("id", std::to_string(p.id.value));
    item.set("title", p.name);
    item.set("plan_label", p.plan.empty() ? std::string("Default (clients without a plan of their own)")
                                          : "Plan: " + p.plan);
    list.push_back(item);
  }
  d.set("policies", list);
  d.set("has_policies", !all->empty());
  const bool posted_new = draft != nullptr && posted_id == 0;
  d.set("new_policy", PolicyForm("/settings/promises", posted_new ? *draft : PolicyDraft{},
                                 posted_new ? result : Status::Ok()));
  SetFormOutcome(d, Status::Ok(), notice);
  d.set("tab_promises", true);
  SendPage(ctx, status, "settings_promises", std::move(d));
}

void SavePolicy(RequestContext& ctx, const WebEnv& env, std::int64_t id) {
  const PolicyDraft draft = DraftOf(Form(ctx.req));
  auto policy = PolicyOf(draft);
  Result<SlaPolicy> saved = policy.status();
  if (policy.ok()) {
    saved = id == 0 ? Settings(env).CreatePolicy(*ctx.actor, *policy)
                    : Settings(env).UpdatePolicy(*ctx.actor, SlaPolicyId(id), *policy);
  }
  AnswerPost(ctx, saved.status(), std::string("/settings/promises?done=") + (id == 0 ? "added" : "saved"),
             [&](int status) { RenderPromises(ctx, env, status, id, &draft, saved.status(), ""); });
}

}  // namespace

void ShowBusinessHours(RequestContext& ctx, const WebEnv& env) {
  if (RefuseUnlessManager(ctx)) return;
  auto v = Settings(env).GetBusinessHours(*ctx.actor);
  if (!v.ok()) {
    SendStatusPage(ctx, v.status());
    return;
  }
  RenderHours(ctx, 200, v->time_zone, RowsOf(v->intervals), v->is_default, DescribeHours(v->intervals), Status::Ok(),
              Notice(ctx));
}

void SaveBusinessHours(RequestContext& ctx, const WebEnv& env) {
  if (RefuseUnlessManager(ctx)) return;
  const Form form(ctx.req);
  app::BusinessHoursChange change;
  change.time_zone = form.Get("time_zone");
  HourRows rows{};
  std::string mistake;
  for (int weekday = 0; weekday < 7; ++weekday) {
    // As many rows as the form sent: the first row missing from the post ends the day.
    for (std::size_t i = 0; form.Has(RowField("start", weekday, i)) || form.Has(RowField("end", weekday, i)); ++i) {
      const std::string start = form.Get(RowField("start", weekday, i));
      const std::string end = form.Get(RowField("end", weekday, i));
      if (start.empty() && end.empty()) continue;  // a blank row
      rows[static_cast<std::size_t>(weekday)].emplace_back(start, end);
      auto s = ParseMinuteText(start);
      auto e = ParseMinuteText(end);
      if (!s || !e) {
        if (mistake.empty()) {
          mistake = std::string(kWeekdayNames[static_cast<std::size_t>(weekday)]) +
                    ": give both a start and an end as HH:MM (00:00 to 24:00), or clear the row";
        }
        continue;
      }
      change.intervals.push_back({weekday, *s, *e});
    }
  }
  Result<app::BusinessHoursView> saved = Status::FieldError("intervals", mistake);
  if (mistake.empty()) saved = Settings(env).ReplaceBusinessHours(*ctx.actor, change);
  AnswerPost(ctx, saved.status(), "/settings/business-hours?done=saved", [&](int status) {
    RenderHours(ctx, status, *change.time_zone, rows, false, "", saved.status(), "");
  });
}

void ShowHolidays(RequestContext& ctx, const WebEnv& env) {
  if (RefuseUnlessManager(ctx)) return;
  RenderHolidays(ctx, env, 200, nullptr, Status::Ok(), Notice(ctx));
}

void AddHoliday(RequestContext& ctx, const WebEnv& env) {
  if (RefuseUnlessManager(ctx)) return;
  const Form form(ctx.req);
  Holiday h;
  h.name = form.Get("name");
  Result<app::HolidayRecord> added = Status::FieldError("date", "choose a date");
  if (ParseDate(form.Get("date"), h)) {
    if (form.Has("yearly")) h.year = 0;
    added = Settings(env).AddHoliday(*ctx.actor, h);
  }
  AnswerPost(ctx, added.status(), "/settings/holidays?done=added",
             [&](int status) { RenderHolidays(ctx, env, status, &form, added.status(), ""); });
}

void DeleteHoliday(RequestContext& ctx, const WebEnv& env) {
  if (RefuseUnlessManager(ctx)) return;
  Status deleted = Settings(env).DeleteHoliday(*ctx.actor, app::HolidayId(PathId(ctx)));
  AnswerPost(ctx, deleted, "/settings/holidays?done=deleted", [&](int) { SendStatusPage(ctx, deleted); });
}

void ShowPromises(RequestContext& ctx, const WebEnv& env) {
  if (RefuseUnlessManager(ctx)) return;
  RenderPromises(ctx, env, 200, 0, nullptr, Status::Ok(), Notice(ctx));
}

void AddPromisePolicy(RequestContext& ctx, const WebEnv& env) {
  if (RefuseUnlessManager(ctx)) return;
  SavePolicy(ctx, env, 0);
}

void SavePromisePolicy(RequestContext& ctx, const WebEnv& env) {
  if (RefuseUnlessManager(ctx)) return;
  const std::int64_t id = PathId(ctx);
  if (id == 0) {
    SendStatusPage(ctx, Status::NotFound("no such policy"));
    return;
  }
  SavePolicy(ctx, env, id);
}

void DeletePromisePolicy(RequestContext& ctx, const WebEnv& env) {
  if (RefuseUnlessManager(ctx)) return;
  Status deleted = Settings(env).DeletePolicy(*ctx.actor, SlaPolicyId(PathId(ctx)));
  AnswerPost(ctx, deleted, "/settings/promises?done=deleted", [&](int) { SendStatusPage(ctx, deleted); });
}

void SaveClientPlan(RequestContext& ctx, const WebEnv& env) {
  const ClientId id(PathId(ctx));
  app::ClientFields f;
  f.plan = Form(ctx.req).Get("plan");
  auto saved = env.deps.desk.UpdateClient(*ctx.actor, id, f);
  AnswerPost(ctx, saved.status(), "/clients/" + std::to_string(id.value),
             [&](int status) { RenderClientPage(ctx, env, id, status, saved.status()); });
}

namespace {
// Sets the on-call flag of `id` from the form's "on_call" ("1" on, anything else off); Desk decides
// who may (oneself, or an owner or admin for anyone).
bool SetOnCall(RequestContext& ctx, const WebEnv& env, UserId id) {
  app::UserFields f;
  f.on_call = Form(ctx.req).Get("on_call") == "1";
  auto saved = env.deps.desk.UpdateUser(*ctx.actor, id, f);
  if (!saved.ok()) SendStatusPage(ctx, saved.status());
  return saved.ok();
}
}  // namespace

void SetMyOnCall(RequestContext& ctx, const WebEnv& env) {
  if (SetOnCall(ctx, env, ctx.actor->id)) RedirectTo(ctx, "/profile");
}

void SetUserOnCall(RequestContext& ctx, const WebEnv& env) {
  if (RefuseUnlessManager(ctx)) return;
  if (SetOnCall(ctx, env, UserId(PathId(ctx)))) RedirectTo(ctx, "/settings/users");
}

}  // namespace rapport::http::web
