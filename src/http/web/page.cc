#include "http/web/page.h"

#include <httplib.h>

#include "http/web/form.h"
#include "http/web/static_files.h"
#include "http/web/view_format.h"

namespace rapport::http::web {

Data FrameData(RequestContext& ctx, const std::string& title, const std::string& nav) {
  Data d;
  d.set("title", title);
  d.set("csrf_token", ctx.csrf_token);
  d.set("signed_in", ctx.actor.has_value());
  if (ctx.actor) {
    const Actor& actor = *ctx.actor;
    d.set("user_name", ctx.user ? ctx.user->name : std::string("Signed in"));
    d.set("user_role", RoleLabel(actor.role));
    d.set("can_view_clients", CanViewClients(actor));
    d.set("can_manage_settings", CanManageSettings(actor));
    d.set("can_see_reports", CanSeeReports(actor));
    d.set("user_on_call", ctx.user.has_value() && ctx.user->on_call);
  }
  d.set("nav_inbox", nav == "inbox");
  d.set("nav_clients", nav == "clients");
  d.set("nav_settings", nav == "settings");
  d.set("nav_reports", nav == "reports");
  d.set("nav_notices", nav == "notices");
  d.set("nav_reminders", nav == "reminders");
  d.set("css_url", StaticUrl("app.css"));
  d.set("js_url", StaticUrl("app.js"));
  d.set("htmx_url", StaticUrl("htmx.min.js"));
  return d;
}

std::string ViewerZone(const RequestContext& ctx) {
  return ctx.user && !ctx.user->time_zone.empty() ? ctx.user->time_zone : std::string("UTC");
}

std::int64_t PathId(const RequestContext& ctx, const char* name) {
  auto it = ctx.path_params.find(name);
  return it == ctx.path_params.end() ? 0 : ParseId(it->second);
}

bool IsHtmx(const RequestContext& ctx) {
  // A history restore wants the whole page even though htmx asks for it.
  return ctx.req.get_header_value("HX-Request") == "true" &&
         ctx.req.get_header_value("HX-History-Restore-Request") != "true";
}

void SetPageHeaders(RequestContext& ctx) {
  if (!ctx.res.has_header("Content-Security-Policy")) {
    ctx.res.set_header("Content-Security-Policy",
                       "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'");
  }
  if (!ctx.res.has_header("X-Content-Type-Options")) ctx.res.set_header("X-Content-Type-Options", "nosniff");
  if (!ctx.res.has_header("X-Frame-Options")) ctx.res.set_header("X-Frame-Options", "DENY");
  if (!ctx.res.has_header("Referrer-Policy")) ctx.res.set_header("Referrer-Policy", "same-origin");
  // Pages carry the CSRF token and private data: never store them in a shared cache.
  ctx.res.set_header("Cache-Control", "no-store");
  ctx.res.set_header("Vary", "HX-Request, Cookie");
}

void SendPage(RequestContext& ctx, int status, std::string_view page, Data data) {
  SetPageHeaders(ctx);
  ctx.res.status = status;
  ctx.res.set_content(RenderPage(page, std::move(data)), "text/html; charset=utf-8");
}

void SendFragment(RequestContext& ctx, std::string_view fragment, Data data) {
  SetPageHeaders(ctx);
  ctx.res.status = 200;
  ctx.res.set_content(RenderTemplate(fragment, std::move(data)), "text/html; charset=utf-8");
}

void RedirectTo(RequestContext& ctx, const std::string& location) {
  SetPageHeaders(ctx);
  ctx.res.status = 303;
  ctx.res.set_header("Location", location);
}

void AnswerPost(RequestContext& ctx, const Status& result, const std::string& done,
                const std::function<void(int status)>& rerender) {
  if (result.ok()) {
    RedirectTo(ctx, done);
  } else if (result.code() == StatusCode::kInvalidArgument || result.code() == StatusCode::kAlreadyExists) {
    rerender(result.code() == StatusCode::kAlreadyExists ? 409 : 400);
  } else {
    SendStatusPage(ctx, result);
  }
}

void SendErrorPage(RequestContext& ctx, int status, const std::string& title,
                   const std::string& detail) {
  Data d = FrameData(ctx, title, "");
  d.set("status", std::to_string(status));
  d.set("heading", title);
  d.set("detail", detail);
  SendPage(ctx, status, "error", std::move(d));
}

std::string StandaloneErrorPage(int status, const std::string& title, const std::string& detail) {
  Data d;
  d.set("title", title);
  d.set("signed_in", false);
  d.set("status", std::to_string(status));
  d.set("heading", title);
  d.set("detail", detail);
  d.set("css_url", StaticUrl("app.css"));
  d.set("js_url", StaticUrl("app.js"));
  d.set("htmx_url", StaticUrl("htmx.min.js"));
  return RenderPage("error", std::move(d));
}

void SendStatusPage(RequestContext& ctx, const Status& status) {
  switch (status.code()) {
    case StatusCode::kNotFound:
      SendErrorPage(ctx, 404, "Not found",
                    "There is nothing here, or it is not shared with you. Check the address or go back to the inbox.");
      return;
    case StatusCode::kPermissionDenied:
      SendErrorPage(ctx, 403, "Not allowed", "Your role does not allow this. Ask an owner or admin if you need it.");
      return;
    case StatusCode::kInvalidArgument:
    case StatusCode::kConflict:
    case StatusCode::kAlreadyExists:
      SendErrorPage(ctx, status.code() == StatusCode::kInvalidArgument ? 400 : 409, "That did not work",
                    status.message());
      return;
    case StatusCode::kUnavailable:
    case StatusCode::kResourceExhausted:
      SendErrorPage(ctx, 503, "Try again in a moment", status.message());
      return;
    default:
      SendErrorPage(ctx, 500, "Something went wrong",
                    "The server could not finish this request. It has been logged; try again, and tell your admin "
                    "if it keeps happening.");
      return;
  }
}

}  // namespace rapport::http::web
