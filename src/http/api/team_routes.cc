// The team (users), the workspace's settings, and the caller's own record.
#include <httplib.h>

#include <algorithm>
#include <cstdint>

#include "http/api/idempotent.h"
#include "http/api/reply.h"
#include "http/api/routes.h"
#include "http/api/views.h"
#include "http/common/json_fields.h"

namespace rapport::http::api {
namespace {

void ListUsers(ApiDeps deps, RequestContext& ctx) {
  QueryParams p(ctx);
  if (SendIfError(ctx, p.Finish())) return;
  auto users = deps.desk.ListUsers(*ctx.actor);
  if (SendIfError(ctx, users.status())) return;
  SendJson(ctx, 200, PageJson(*users, std::nullopt, UserJson));
}

void GetMe(ApiDeps deps, RequestContext& ctx) {
  auto user = deps.desk.GetUser(*ctx.actor, ctx.actor->id);
  if (SendIfError(ctx, user.status())) return;
  SendJson(ctx, 200, UserJson(*user));
}

void GetWorkspace(ApiDeps deps, RequestContext& ctx) {
  auto workspace = deps.desk.GetWorkspace(*ctx.actor);
  if (SendIfError(ctx, workspace.status())) return;
  SendJson(ctx, 200, WorkspaceJson(*workspace));
}

void UpdateWorkspace(ApiDeps deps, RequestContext& ctx) {
  auto parsed = JsonFields::Parse(ctx.req.body);
  if (SendIfError(ctx, parsed.status())) return;
  JsonFields& body = *parsed;
  auto name = body.String("name");
  auto time_zone = body.String("time_zone");
  auto currency = body.String("currency");
  auto acknowledge_requests = body.Bool("acknowledge_requests");
  auto nudge_after_days = body.Integer("nudge_after_days");
  auto nudge_limit = body.Integer("nudge_limit");
  auto review_pack_days = body.Integer("review_pack_days");
  if (SendIfError(ctx, body.Finish())) return;
  // A partial update: start from the stored settings. The use case validates the result.
  auto current = deps.desk.GetWorkspace(*ctx.actor);
  if (SendIfError(ctx, current.status())) return;
  Workspace w = *current;
  if (name) w.name = *name;
  if (time_zone) w.time_zone = *time_zone;
  if (currency) w.currency = *currency;
  if (acknowledge_requests) w.acknowledge_requests = *acknowledge_requests;
  // Out-of-range counts stay out of range (the use case names the bounds) without overflowing int.
  if (nudge_after_days) w.nudge_after_days = static_cast<int>(std::clamp<std::int64_t>(*nudge_after_days, -1, 1000));
  if (nudge_limit) w.nudge_limit = static_cast<int>(std::clamp<std::int64_t>(*nudge_limit, -1, 1000));
  if (review_pack_days) w.review_pack_days = static_cast<int>(std::clamp<std::int64_t>(*review_pack_days, -1, 1000));
  auto updated = deps.desk.UpdateWorkspace(*ctx.actor, w);
  if (SendIfError(ctx, updated.status())) return;
  SendJson(ctx, 200, WorkspaceJson(*updated));
}

// A partial update of a person: PATCH /users/{id} (owners and admins: anyone, anything) or PATCH /me
// (yourself: name, time zone, on call; Desk refuses the rest).
void UpdateUser(ApiDeps deps, RequestContext& ctx, UserId id) {
  auto parsed = JsonFields::Parse(ctx.req.body);
  if (SendIfError(ctx, parsed.status())) return;
  JsonFields& body = *parsed;
  app::UserFields f;
  f.email = body.String("email");
  f.name = body.String("name");
  if (auto role = body.String("role")) {
    f.role = ParseRole(*role);
    if (!f.role) body.Error("role", "must be owner, admin, agent or subcontractor");
  }
  f.time_zone = body.String("time_zone");
  f.active = body.Bool("active");
  f.on_call = body.Bool("on_call");
  if (SendIfError(ctx, body.Finish())) return;
  auto updated = deps.desk.UpdateUser(*ctx.actor, id, f);
  if (SendIfError(ctx, updated.status())) return;
  SendJson(ctx, 200, UserJson(*updated));
}

}  // namespace

void AddTeamRoutes(Router& router, ApiDeps deps) {
  router.Add({"GET", "/api/v1/users", Auth::kBearer, Access::kAnyUser, "List the team",
              [deps](RequestContext& ctx) { ListUsers(deps, ctx); }});
  router.Add({"PATCH", "/api/v1/users/{id}", Auth::kBearer, Access::kManageSettings,
              "Change a person's email, name, role, time zone, status or on-call flag",
              Idempotent(deps.idempotency, [deps](RequestContext& ctx) {
                auto id = PathId(ctx);
                if (!SendIfError(ctx, id.status())) UpdateUser(deps, ctx, UserId(*id));
              })});
  router.Add({"PATCH", "/api/v1/me", Auth::kBearer, Access::kAnyUser,
              "Change your own name, time zone or on-call flag",
              Idempotent(deps.idempotency, [deps](RequestContext& ctx) { UpdateUser(deps, ctx, ctx.actor->id); })});
  router.Add({"GET", "/api/v1/me", Auth::kBearer, Access::kAnyUser, "Get the user the token belongs to",
              [deps](RequestContext& ctx) { GetMe(deps, ctx); }});
  router.Add({"GET", "/api/v1/workspace", Auth::kBearer, Access::kAnyUser, "Get the workspace's settings",
              [deps](RequestContext& ctx) { GetWorkspace(deps, ctx); }});
  router.Add({"PATCH", "/api/v1/workspace", Auth::kBearer, Access::kManageSettings,
              "Change the workspace's name, time zone, currency, acknowledgements or nudges",
              Idempotent(deps.idempotency, [deps](RequestContext& ctx) { UpdateWorkspace(deps, ctx); })});
}

}  // namespace rapport::http::api
