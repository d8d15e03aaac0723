// The business calendar and the response policies: business hours (with the workspace zone),
// holidays, and policies per client plan. Every role reads; owners and admins change.
//
// PUT /api/v1/business-hours also takes the zone: hours mean nothing without their zone, so the
// settings form and API clients change both in one audited step (PATCH /api/v1/workspace still
// accepts time_zone too, for the workspace form).
#include <httplib.h>

#include <algorithm>
#include <limits>
#include <memory>

#include "app/promise_settings.h"
#include "core/business_hours.h"
#include "http/api/idempotent.h"
#include "http/api/reply.h"
#include "http/api/routes.h"
#include "http/api/views.h"
#include "http/common/json_fields.h"

namespace rapport::http::api {
namespace {

using nlohmann::json;

// An integer from JSON narrowed to int without overflow; the use case checks the real range.
int Narrow(std::int64_t v) {
  return static_cast<int>(std::clamp<std::int64_t>(v, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
}

json HoursJson(const app::BusinessHoursView& v) {
  json intervals = json::array();
  for (const WorkingInterval& w : v.intervals) {
    intervals.push_back({{"weekday", w.weekday}, {"start", MinuteText(w.start_minute)}, {"end", MinuteText(w.end_minute)}});
  }
  return {{"time_zone", v.time_zone}, {"intervals", intervals}, {"is_default", v.is_default}};
}

Result<app::BusinessHoursChange> ReadHours(const std::string& text) {
  RAPPORT_ASSIGN_OR_RETURN(JsonFields body, JsonFields::Parse(text));
  app::BusinessHoursChange c;
  body.Require("intervals");
  c.time_zone = body.String("time_zone");
  if (auto items = body.ObjectList("intervals")) {
    for (JsonFields& item : *items) {
      item.Require("weekday");
      item.Require("start");
      item.Require("end");
      WorkingInterval w;
      w.weekday = Narrow(item.Integer("weekday").value_or(0));
      auto minute = [&item](const char* name, int& into) {
        auto value = item.String(name);
        if (!value) return;
        auto parsed = ParseMinuteText(*value);
        if (!parsed) {
          item.Error(name, "must be a time HH:MM from 00:00 to 24:00");
          return;
        }
        into = *parsed;
      };
      minute("start", w.start_minute);
      minute("end", w.end_minute);
      c.intervals.push_back(w);
      body.Absorb(item);
    }
  }
  RAPPORT_RETURN_IF_ERROR(body.Finish());
  return c;
}

Result<Holiday> ReadHoliday(const std::string& text) {
  RAPPORT_ASSIGN_OR_RETURN(JsonFields body, JsonFields::Parse(text));
  body.Require("month");
  body.Require("day");
  body.Require("name");
  Holiday h;
  h.year = Narrow(body.Integer("year").value_or(0));  // absent or null: every year
  h.month = Narrow(body.Integer("month").value_or(0));
  h.day = Narrow(body.Integer("day").value_or(0));
  h.name = body.String("name").value_or("");
  RAPPORT_RETURN_IF_ERROR(body.Finish());
  return h;
}

// The whole policy (POST and PUT alike): absent plan = the default policy, absent warning_percent =
// 75, an absent priority or target = no promise of that kind.
Result<SlaPolicy> ReadPolicy(const std::string& text) {
  RAPPORT_ASSIGN_OR_RETURN(JsonFields body, JsonFields::Parse(text));
  body.Require("name");
  SlaPolicy p;
  p.name = body.String("name").value_or("");
  p.plan = body.String("plan").value_or("");
  p.warning_percent = Narrow(body.Integer("warning_percent").value_or(75));
  if (auto targets = body.Object("targets")) {
    for (Priority priority : AllPriorities()) {
      auto t = targets->Object(std::string(Name(priority)));
      if (!t) continue;
      ResponseTargets& into = p.For(priority);
      std::optional<std::chrono::minutes>* fields[] = {&into.first_response, &into.next_response, &into.resolution};
      for (std::size_t i = 0; i < 3; ++i) {
        if (auto m = t->Integer(kTargetKinds[i])) *fields[i] = std::chrono::minutes(Narrow(*m));
      }
      targets->Absorb(*t);
    }
    body.Absorb(*targets);
  }
  RAPPORT_RETURN_IF_ERROR(body.Finish());
  return p;
}

void GetHours(app::PromiseSettings& s, RequestContext& ctx) {
  auto got = s.GetBusinessHours(*ctx.actor);
  if (SendIfError(ctx, got.status())) return;
  SendJson(ctx, 200, HoursJson(*got));
}

void PutHours(app::PromiseSettings& s, RequestContext& ctx) {
  auto change = ReadHours(ctx.req.body);
  if (SendIfError(ctx, change.status())) return;
  auto saved = s.ReplaceBusinessHours(*ctx.actor, *change);
  if (SendIfError(ctx, saved.status())) return;
  SendJson(ctx, 200, HoursJson(*saved));
}

void ListHolidays(app::PromiseSettings& s, RequestContext& ctx) {
  QueryParams p(ctx);
  if (SendIfError(ctx, p.Finish())) return;
  auto all = s.ListHolidays(*ctx.actor);
  if (SendIfError(ctx, all.status())) return;
  SendJson(ctx, 200, PageJson(*all, std::nullopt, HolidayJson));
}

void AddHoliday(app::PromiseSettings& s, RequestContext& ctx) {
  auto h = ReadHoliday(ctx.req.body);
  if (SendIfError(ctx, h.status())) return;
  auto made = s.AddHoliday(*ctx.actor, *h);
  if (SendIfError(ctx, made.status())) return;
  ctx.res.set_header("Location", "/api/v1/holidays/" + std::to_string(made->id.value));
  SendJson(ctx, 201, HolidayJson(*made));
}

void DeleteHoliday(app::PromiseSettings& s, RequestContext& ctx) {
  auto id = PathId(ctx);
  if (SendIfError(ctx, id.status())) return;
  if (SendIfError(ctx, s.DeleteHoliday(*ctx.actor, app::HolidayId(*id)))) return;
  ctx.res.status = 204;
}

void ListPolicies(app::PromiseSettings& s, RequestContext& ctx) {
  QueryParams p(ctx);
  if (SendIfError(ctx, p.Finish())) return;
  auto all = s.ListPolicies(*ctx.actor);
  if (SendIfError(ctx, all.status())) return;
  SendJson(ctx, 200, PageJson(*all, std::nullopt, PolicyJson));
}

void CreatePolicy(app::PromiseSettings& s, RequestContext& ctx) {
  auto p = ReadPolicy(ctx.req.body);
  if (SendIfError(ctx, p.status())) return;
  auto made = s.CreatePolicy(*ctx.actor, *p);
  if (SendIfError(ctx, made.status())) return;
  ctx.res.set_header("Location", "/api/v1/sla-policies/" + std::to_string(made->id.value));
  SendJson(ctx, 201, PolicyJson(*made));
}

void GetPolicy(app::PromiseSettings& s, RequestContext& ctx) {
  auto id = PathId(ctx);
  if (SendIfError(ctx, id.status())) return;
  auto got = s.GetPolicy(*ctx.actor, SlaPolicyId(*id));
  if (SendIfError(ctx, got.status())) return;
  SendJson(ctx, 200, PolicyJson(*got));
}

void PutPolicy(app::PromiseSettings& s, RequestContext& ctx) {
  auto id = PathId(ctx);
  if (SendIfError(ctx, id.status())) return;
  auto p = ReadPolicy(ctx.req.body);
  if (SendIfError(ctx, p.status())) return;
  auto saved = s.UpdatePolicy(*ctx.actor, SlaPolicyId(*id), *p);
  if (SendIfError(ctx, saved.status())) return;
  SendJson(ctx, 200, PolicyJson(*saved));
}

void DeletePolicy(app::PromiseSettings& s, RequestContext& ctx) {
  auto id = PathId(ctx);
  if (SendIfError(ctx, id.status())) return;
  if (SendIfError(ctx, s.DeletePolicy(*ctx.actor, SlaPolicyId(*id)))) return;
  ctx.res.status = 204;
}

}  // namespace

void AddPromiseRoutes(Router& router, PromiseApiDeps deps) {
  // Shared by the handlers, which live as long as the router: shared_ptr because std::function must
  // be copyable.
  auto settings = std::make_shared<app::PromiseSettings>(deps.pool, deps.clock);
  auto bind = [settings](void (*handler)(app::PromiseSettings&, RequestContext&)) {
    return [settings, handler](RequestContext& ctx) { handler(*settings, ctx); };
  };
  auto write = [&](void (*handler)(app::PromiseSettings&, RequestContext&)) {
    return Idempotent(deps.idempotency, bind(handler));
  };
  router.Add({"GET", "/api/v1/business-hours", Auth::kBearer, Access::kAnyUser,
              "Get the business hours and time zone the promises are counted in", bind(&GetHours)});
  router.Add({"PUT", "/api/v1/business-hours", Auth::kBearer, Access::kManageSettings,
              "Replace the business hours (and the time zone, when given)", write(&PutHours)});
  router.Add({"GET", "/api/v1/holidays", Auth::kBearer, Access::kAnyUser, "List the holidays", bind(&ListHolidays)});
  router.Add({"POST", "/api/v1/holidays", Auth::kBearer, Access::kManageSettings,
              "Add a holiday (year null: every year)", write(&AddHoliday)});
  router.Add({"DELETE", "/api/v1/holidays/{id}", Auth::kBearer, Access::kManageSettings, "Delete a holiday",
              write(&DeleteHoliday)});
  router.Add({"GET", "/api/v1/sla-policies", Auth::kBearer, Access::kAnyUser,
              "List the response policies with their targets", bind(&ListPolicies)});
  router.Add({"POST", "/api/v1/sla-policies", Auth::kBearer, Access::kManageSettings,
              "Add a response policy for a client plan", write(&CreatePolicy)});
  router.Add({"GET", "/api/v1/sla-policies/{id}", Auth::kBearer, Access::kAnyUser, "Get a response policy",
              bind(&GetPolicy)});
  router.Add({"PUT", "/api/v1/sla-policies/{id}", Auth::kBearer, Access::kManageSettings,
              "Replace a response policy", write(&PutPolicy)});
  router.Add({"DELETE", "/api/v1/sla-policies/{id}", Auth::kBearer, Access::kManageSettings,
              "Delete a response policy", write(&DeletePolicy)});
}

}  // namespace rapport::http::api
