// Follow-ups: the caller's notices and reminders.
#include <httplib.h>

#include <memory>

#include "app/notices.h"
#include "app/reminders.h"
#include "http/api/idempotent.h"
#include "http/api/reply.h"
#include "http/api/routes.h"
#include "http/api/views.h"
#include "http/common/json_fields.h"

namespace rapport::http::api {
namespace {

using nlohmann::json;

struct Env {
  app::Notices notices;
  app::Reminders reminders;
};

// due_at (RFC 3339), in_business_hours or in_business_days; the use case checks that one is given.
app::ReminderWhen ReadWhen(JsonFields& body) {
  app::ReminderWhen when;
  if (auto at = body.String("due_at")) {
    if (auto t = ParseRfc3339(*at)) {
      when.at = *t;
    } else {
      body.Error("due_at", "must be an RFC 3339 date-time like 2026-11-25T09:30:00Z");
    }
  }
  auto bounded = [](std::optional<std::int64_t> v) -> std::optional<int> {
    if (!v) return std::nullopt;
    return static_cast<int>(std::min<std::int64_t>(*v, 1'000'000));  // the use case reports the range
  };
  when.business_hours = bounded(body.Id("in_business_hours"));
  when.business_days = bounded(body.Id("in_business_days"));
  return when;
}

void ListNotices(Env& env, RequestContext& ctx) {
  QueryParams p(ctx);
  const auto unread = p.String("unread");
  const int limit = p.Limit();
  if (unread && *unread != "true" && *unread != "false") p.Error("unread", "must be true or false");
  if (SendIfError(ctx, p.Finish())) return;
  auto list = env.notices.List(*ctx.actor, unread && *unread == "true", limit);
  if (SendIfError(ctx, list.status())) return;
  auto count = env.notices.UnreadCount(*ctx.actor);
  if (SendIfError(ctx, count.status())) return;
  json body = PageJson(*list, std::nullopt, NoticeJson);
  body["unread_count"] = *count;
  SendJson(ctx, 200, std::move(body));
}

void ReadNotice(Env& env, RequestContext& ctx) {
  auto id = PathId(ctx);
  if (SendIfError(ctx, id.status())) return;
  if (SendIfError(ctx, env.notices.MarkRead(*ctx.actor, NoticeId(*id)))) return;
  ctx.res.status = 204;
}

void ListReminders(Env& env, RequestContext& ctx) {
  QueryParams p(ctx);
  const auto scope = p.String("scope");
  const auto include_done = p.String("include_done");
  if (scope && *scope != "mine" && *scope != "all") p.Error("scope", "must be mine or all");
  if (include_done && *include_done != "true" && *include_done != "false") {
    p.Error("include_done", "must be true or false");
  }
  if (SendIfError(ctx, p.Finish())) return;
  const bool open_only = !(include_done && *include_done == "true");
  auto list = scope && *scope == "all" ? env.reminders.ListAll(*ctx.actor, open_only)
                                       : env.reminders.ListMine(*ctx.actor, open_only);
  if (SendIfError(ctx, list.status())) return;
  SendJson(ctx, 200, PageJson(*list, std::nullopt, ReminderJson));
}

void CreateReminder(Env& env, RequestContext& ctx) {
  auto parsed = JsonFields::Parse(ctx.req.body);
  if (SendIfError(ctx, parsed.status())) return;
  JsonFields& body = *parsed;
  app::ReminderFields f;
  if (auto v = body.Id("ticket_id")) f.ticket_id = TicketId(*v);
  if (auto v = body.Id("client_id")) f.client_id = ClientId(*v);
  if (auto v = body.Id("user_id")) f.user_id = UserId(*v);
  f.title = body.String("title").value_or("");
  f.note = body.String("note").value_or("");
  f.when = ReadWhen(body);
  if (SendIfError(ctx, body.Finish())) return;
  auto made = env.reminders.Create(*ctx.actor, f);
  if (SendIfError(ctx, made.status())) return;
  ctx.res.set_header("Location", "/api/v1/reminders/" + std::to_string(made->id.value));
  SendJson(ctx, 201, ReminderJson(*made));
}

void UpdateReminder(Env& env, RequestContext& ctx) {
  auto id = PathId(ctx);
  if (SendIfError(ctx, id.status())) return;
  auto parsed = JsonFields::Parse(ctx.req.body);
  if (SendIfError(ctx, parsed.status())) return;
  JsonFields& body = *parsed;
  const auto done = body.Bool("done");
  const app::ReminderWhen when = ReadWhen(body);
  const bool snooze = when.at || when.business_hours || when.business_days;
  if (done && !*done) body.Error("done", "can only be true (snooze to reopen)");
  if (done && snooze) body.Error("done", "give either done or a new due time, not both");
  if (!done && !snooze) body.Error("due_at", "give done: true, or a new due_at, in_business_hours or in_business_days");
  if (SendIfError(ctx, body.Finish())) return;
  auto changed = done ? env.reminders.Done(*ctx.actor, ReminderId(*id))
                      : env.reminders.Snooze(*ctx.actor, ReminderId(*id), when);
  if (SendIfError(ctx, changed.status())) return;
  SendJson(ctx, 200, ReminderJson(*changed));
}

void DeleteReminder(Env& env, RequestContext& ctx) {
  auto id = PathId(ctx);
  if (SendIfError(ctx, id.status())) return;
  if (SendIfError(ctx, env.reminders.Delete(*ctx.actor, ReminderId(*id)))) return;
  ctx.res.status = 204;
}

}  // namespace

void AddFollowUpRoutes(Router& router, FollowUpApiDeps deps) {
  // Shared by the handlers, which live as long as the router: shared_ptr because std::function must
  // be copyable.
  auto env = std::make_shared<Env>(Env{app::Notices(deps.pool, deps.clock), app::Reminders(deps.pool, deps.clock)});
  auto bind = [env](void (*handler)(Env&, RequestContext&)) {
    return [env, handler](RequestContext& ctx) { handler(*env, ctx); };
  };
  router.Add({"GET", "/api/v1/notices", Auth::kBearer, Access::kAnyUser,
              "List the caller's delivered notices, newest first, with the unread count", bind(&ListNotices)});
  router.Add({"POST", "/api/v1/notices/{id}/read", Auth::kBearer, Access::kAnyUser, "Mark one of the caller's notices read",
              Idempotent(deps.idempotency, bind(&ReadNotice))});
  router.Add({"GET", "/api/v1/reminders", Auth::kBearer, Access::kAnyUser,
              "List reminders, due first: the caller's, or everyone's (owner, admin)", bind(&ListReminders)});
  router.Add({"POST", "/api/v1/reminders", Auth::kBearer, Access::kAnyUser,
              "Set a reminder on a ticket or a client, at a time or in business hours or days",
              Idempotent(deps.idempotency, bind(&CreateReminder))});
  router.Add({"PATCH", "/api/v1/reminders/{id}", Auth::kBearer, Access::kAnyUser,
              "Snooze a reminder (a new due time) or mark it done", Idempotent(deps.idempotency, bind(&UpdateReminder))});
  router.Add({"DELETE", "/api/v1/reminders/{id}", Auth::kBearer, Access::kAnyUser, "Delete a reminder",
              Idempotent(deps.idempotency, bind(&DeleteReminder))});
}

}  // namespace rapport::http::api
