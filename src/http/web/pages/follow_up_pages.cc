#include "http/web/pages/follow_up_pages.h"

#include <httplib.h>

#include <memory>

#include "app/calendar_feed.h"
#include "app/client_reviews.h"
#include "app/local_time.h"
#include "app/notices.h"
#include "app/reminders.h"
#include "http/web/form.h"
#include "http/web/view_format.h"

namespace rapport::http::web {
namespace {

struct FollowUpEnv {
  FollowUpEnv(const HttpDeps& deps, const WebOptions& options)
      : web{deps, options},
        notices(deps.pool, deps.clock),
        reminders(deps.pool, deps.clock),
        reviews(deps.pool, deps.clock),
        feed(deps.pool, deps.clock) {}
  WebEnv web;
  app::Notices notices;
  app::Reminders reminders;
  app::ClientReviews reviews;
  app::CalendarFeed feed;
};

std::string Zone(const RequestContext& ctx) { return ctx.user ? ctx.user->time_zone : std::string("UTC"); }

std::int64_t PathParam(const RequestContext& ctx, const std::string& name) {
  auto it = ctx.path_params.find(name);
  return it == ctx.path_params.end() ? 0 : ParseId(it->second);
}

// Only a path of this site: "/tickets/3", never "//evil.example" or "https://...".
std::string SafeReturn(const std::string& to, const std::string& fallback) {
  if (to.size() < 1 || to.size() > 300 || to[0] != '/' || (to.size() > 1 && (to[1] == '/' || to[1] == '\\'))) {
    return fallback;
  }
  for (char c : to) {
    if (static_cast<unsigned char>(c) < 0x20) return fallback;
  }
  return to;
}

// The due time a form asks for: unit "at" reads the datetime-local field in the person's zone,
// "business_days"/"business_hours" the amount.
Result<app::ReminderWhen> FormWhen(const Form& form, const std::string& zone) {
  app::ReminderWhen when;
  const std::string unit = form.Get("unit");
  if (unit == "at") {
    RAPPORT_ASSIGN_OR_RETURN(when.at, app::ParseLocalDateTime(form.Get("at"), zone, "at"));
    return when;
  }
  const std::int64_t amount = ParseId(form.Get("amount"));
  if (amount < 1) return Status::FieldError("amount", "must be a whole number of 1 or more");
  const int n = static_cast<int>(std::min<std::int64_t>(amount, 1'000'000));
  if (unit == "business_hours") {
    when.business_hours = n;
  } else if (unit == "business_days") {
    when.business_days = n;
  } else {
    return Status::FieldError("unit", "must be business_days, business_hours or at");
  }
  return when;
}

// has_link, link and link_label of a list item on a ticket or a client.
void SetLink(Data& item, const std::optional<TicketId>& ticket, const std::optional<ClientId>& client) {
  std::string link;
  if (ticket) link = "/tickets/" + std::to_string(ticket->value);
  if (client) link = "/clients/" + std::to_string(client->value);
  item.set("has_link", !link.empty());
  item.set("link", link);
  item.set("link_label", ticket ? "Open the ticket" : "Open the client");
}

// ---- notices ----------------------------------------------------------------------------------------

void ShowNotices(RequestContext& ctx, FollowUpEnv& env) {
  auto list = env.notices.List(*ctx.actor, false, app::kMaxPageSize);
  if (!list.ok()) {
    SendStatusPage(ctx, list.status());
    return;
  }
  Data d = FrameData(ctx, "Notices", "notices");
  Data items(Data::type::list);
  bool any_unread = false;
  for (const app::Notice& n : *list) {
    Data item;
    item.set("id", std::to_string(n.id.value));
    item.set("title", n.title);
    item.set("body", n.body);
    item.set("has_body", !n.body.empty());
    item.set("when", LocalTime(n.deliver_at, Zone(ctx)));
    item.set("unread", !n.read_at.has_value());
    SetLink(item, n.ticket_id, n.client_id);
    item.set("csrf_token", ctx.csrf_token);
    any_unread = any_unread || !n.read_at;
    items.push_back(item);
  }
  d.set("notices", items);
  d.set("has_notices", !list->empty());
  d.set("has_unread", any_unread);
  SendPage(ctx, 200, "notices", std::move(d));
}

void ShowNoticeBadge(RequestContext& ctx, FollowUpEnv& env) {
  auto count = env.notices.UnreadCount(*ctx.actor);
  Data d;
  if (count.ok() && *count > 0) d.set("count", std::to_string(*count));
  SendFragment(ctx, "notice_badge", std::move(d));
}

void ReadNotice(RequestContext& ctx, FollowUpEnv& env) {
  Status s = env.notices.MarkRead(*ctx.actor, NoticeId(PathParam(ctx, "id")));
  if (!s.ok()) {
    SendStatusPage(ctx, s);
    return;
  }
  RedirectTo(ctx, "/notices");
}

void ReadAllNotices(RequestContext& ctx, FollowUpEnv& env) {
  auto marked = env.notices.MarkAllRead(*ctx.actor);
  if (!marked.ok()) {
    SendStatusPage(ctx, marked.status());
    return;
  }
  RedirectTo(ctx, "/notices");
}

// ---- reminders --------------------------------------------------------------------------------------

void ShowReminders(RequestContext& ctx, FollowUpEnv& env) {
  auto list = env.reminders.ListMine(*ctx.actor, true);
  if (!list.ok()) {
    SendStatusPage(ctx, list.status());
    return;
  }
  const Instant now = env.web.deps.clock.Now();
  const std::string zone = Zone(ctx);
  Data d = FrameData(ctx, "Reminders", "reminders");
  Data items(Data::type::list);
  for (const app::Reminder& r : *list) {
    Data item;
    item.set("id", std::to_string(r.id.value));
    item.set("title", r.title);
    item.set("note", r.note);
    item.set("has_note", !r.note.empty());
    item.set("due", LocalTime(r.due_at, zone));
    item.set("iso", FormatRfc3339(r.due_at));
    item.set("overdue", r.due_at <= now);
    SetLink(item, r.ticket_id, r.client_id);
    item.set("csrf_token", ctx.csrf_token);
    items.push_back(item);
  }
  d.set("reminders", items);
  d.set("has_reminders", !list->empty());
  d.set("zone", zone);
  const std::string notice = QueryParam(ctx.req, "notice");
  const std::string error = QueryParam(ctx.req, "error");
  d.set("notice", notice);
  d.set("has_notice", !notice.empty());
  d.set("error", error);
  d.set("has_error", !error.empty());
  SendPage(ctx, 200, "reminders", std::move(d));
}

// Errors go to the Reminders page, which shows them; a reminder set from a ticket or client page
// returns there, where the page's reminders panel lists it.
void CreateReminder(RequestContext& ctx, FollowUpEnv& env) {
  Form form(ctx.req);
  const std::string back = SafeReturn(form.Get("return_to"), "/reminders");
  app::ReminderFields f;
  if (const auto id = ParseId(form.Get("ticket_id")); id > 0) f.ticket_id = TicketId(id);
  if (const auto id = ParseId(form.Get("client_id")); id > 0) f.client_id = ClientId(id);
  f.title = form.Get("title");
  f.note = form.Get("note");
  auto when = FormWhen(form, Zone(ctx));
  Result<app::Reminder> made = when.status();
  if (when.ok()) {
    f.when = *when;
    made = env.reminders.Create(*ctx.actor, f);
  }
  if (!made.ok()) {
    if (made.status().code() == StatusCode::kInvalidArgument) {
      RedirectTo(ctx, "/reminders?error=" + UrlEncode(made.status().message()));
    } else {
      SendStatusPage(ctx, made.status());
    }
    return;
  }
  if (back != "/reminders") {
    RedirectTo(ctx, back);
    return;
  }
  RedirectTo(ctx, "/reminders?notice=" + UrlEncode("Reminder set for " + LocalTime(made->due_at, Zone(ctx))));
}

void FinishReminder(RequestContext& ctx, FollowUpEnv& env) {
  auto done = env.reminders.Done(*ctx.actor, ReminderId(PathParam(ctx, "id")));
  if (!done.ok()) {
    SendStatusPage(ctx, done.status());
    return;
  }
  RedirectTo(ctx, "/reminders?notice=" + UrlEncode("Done: " + done->title));
}

void SnoozeReminder(RequestContext& ctx, FollowUpEnv& env) {
  Form form(ctx.req);
  auto when = FormWhen(form, Zone(ctx));
  if (!when.ok()) {
    RedirectTo(ctx, "/reminders?error=" + UrlEncode(when.status().message()));
    return;
  }
  auto snoozed = env.reminders.Snooze(*ctx.actor, ReminderId(PathParam(ctx, "id")), *when);
  if (!snoozed.ok()) {
    SendStatusPage(ctx, snoozed.status());
    return;
  }
  RedirectTo(ctx, "/reminders?notice=" + UrlEncode("Snoozed until " + LocalTime(snoozed->due_at, Zone(ctx))));
}

void DeleteReminder(RequestContext& ctx, FollowUpEnv& env) {
  Status s = env.reminders.Delete(*ctx.actor, ReminderId(PathParam(ctx, "id")));
  if (!s.ok()) {
    SendStatusPage(ctx, s);
    return;
  }
  RedirectTo(ctx, "/reminders?notice=" + UrlEncode("Reminder deleted"));
}

// ---- client reviews ---------------------------------------------------------------------------------

void SetClientReview(RequestContext& ctx, FollowUpEnv& env) {
  Form form(ctx.req);
  const std::int64_t client = PathParam(ctx, "id");
  app::ReviewFields f;
  f.starts_local = form.Get("starts_local");
  const std::int64_t minutes = ParseId(form.Get("duration_minutes"));
  f.duration_minutes = minutes > 0 ? static_cast<int>(std::min<std::int64_t>(minutes, 100000)) : 60;
  auto set = env.reviews.Set(*ctx.actor, ClientId(client), f);
  if (!set.ok()) {
    SendStatusPage(ctx, set.status());
    return;
  }
  RedirectTo(ctx, "/clients/" + std::to_string(client));
}

void ClearClientReview(RequestContext& ctx, FollowUpEnv& env) {
  const std::int64_t client = PathParam(ctx, "id");
  Status s = env.reviews.Clear(*ctx.actor, ClientId(client));
  if (!s.ok()) {
    SendStatusPage(ctx, s);
    return;
  }
  RedirectTo(ctx, "/clients/" + std::to_string(client));
}

// ---- profile and calendar feed ----------------------------------------------------------------------

std::string BaseUrl(const RequestContext& ctx, const FollowUpEnv& env) {
  std::string host = ctx.req.get_header_value("Host");
  if (host.empty()) host = "localhost";
  return (env.web.options.secure_cookies ? "https://" : "http://") + host;
}

std::string HostName(const RequestContext& ctx) {
  std::string host = ctx.req.get_header_value("Host");
  const auto colon = host.rfind(':');
  if (colon != std::string::npos && host.find(']') == std::string::npos) host = host.substr(0, colon);
  return host.empty() ? std::string("rapport.invalid") : host;
}

void RenderProfile(RequestContext& ctx, FollowUpEnv& env, const std::string& feed_url) {
  auto has = env.feed.HasFeed(*ctx.actor);
  if (!has.ok()) {
    SendStatusPage(ctx, has.status());
    return;
  }
  Data d = FrameData(ctx, "Profile", "profile");
  d.set("profile_name", ctx.user ? ctx.user->name : std::string("Profile"));
  d.set("profile_email", ctx.user ? ctx.user->email : std::string());
  d.set("profile_zone", Zone(ctx));
  d.set("has_feed", *has);
  if (!feed_url.empty()) d.set("feed_url", feed_url);
  SendPage(ctx, 200, "profile", std::move(d));
}

void ShowProfile(RequestContext& ctx, FollowUpEnv& env) { RenderProfile(ctx, env, ""); }

void NewCalendarFeed(RequestContext& ctx, FollowUpEnv& env) {
  auto token = env.feed.Regenerate(*ctx.actor);
  if (!token.ok()) {
    SendStatusPage(ctx, token.status());
    return;
  }
  // Shown in this answer only (not through a redirect, which would put the secret in a URL).
  RenderProfile(ctx, env, BaseUrl(ctx, env) + "/calendar/" + *token + ".ics");
}

void RevokeCalendarFeed(RequestContext& ctx, FollowUpEnv& env) {
  Status s = env.feed.Revoke(*ctx.actor);
  if (!s.ok()) {
    SendStatusPage(ctx, s);
    return;
  }
  RedirectTo(ctx, "/profile");
}

void ServeCalendarFeed(RequestContext& ctx, FollowUpEnv& env) {
  auto it = ctx.path_params.find("token");
  std::string token = it == ctx.path_params.end() ? std::string() : it->second;
  constexpr std::string_view kSuffix = ".ics";
  if (token.size() > kSuffix.size() && token.ends_with(kSuffix)) {
    token.resize(token.size() - kSuffix.size());
  } else {
    token.clear();  // without .ics it names no feed
  }
  auto feed = env.feed.Render(token, ctx.req.remote_addr, BaseUrl(ctx, env), HostName(ctx));
  ctx.res.set_header("Cache-Control", "no-store");
  ctx.res.set_header("X-Content-Type-Options", "nosniff");
  if (!feed.ok()) {
    if (feed.status().code() == StatusCode::kResourceExhausted) {
      ctx.res.status = 429;
      ctx.res.set_header("Retry-After", "900");
      ctx.res.set_content("Too many requests\n", "text/plain; charset=utf-8");
    } else {
      ctx.res.status = 503;
      ctx.res.set_content("The calendar is not available right now; try again later\n", "text/plain; charset=utf-8");
    }
    return;
  }
  if (!feed->has_value()) {
    // The same answer as any unknown address: nothing says whether a feed ever existed.
    ctx.res.status = 404;
    ctx.res.set_content(StandaloneErrorPage(404, "Not found", "There is nothing here."), "text/html; charset=utf-8");
    return;
  }
  ctx.res.status = 200;
  ctx.res.set_header("Content-Disposition", "inline; filename=\"rapport.ics\"");
  ctx.res.set_content(**feed, "text/calendar; charset=utf-8");
}

}  // namespace

void AddFollowUpPages(Router& router, const HttpDeps& deps, const WebOptions& options) {
  // Shared by the handlers, which live as long as the router: shared_ptr because std::function must
  // be copyable.
  auto env = std::make_shared<FollowUpEnv>(deps, options);
  auto add = [&](const char* method, const char* pattern, Auth auth, Access access, const char* summary,
                 void (*page)(RequestContext&, FollowUpEnv&)) {
    router.Add(Route{method, pattern, auth, access, summary, [env, page](RequestContext& ctx) { page(ctx, *env); }});
  };
  add("GET", "/notices", Auth::kCookie, Access::kAnyUser, "Your notices", &ShowNotices);
  add("GET", "/notices/badge", Auth::kCookie, Access::kAnyUser, "The unread notices count (htmx fragment)",
      &ShowNoticeBadge);
  add("POST", "/notices/read-all", Auth::kCookie, Access::kAnyUser, "Mark every notice read", &ReadAllNotices);
  add("POST", "/notices/{id}/read", Auth::kCookie, Access::kAnyUser, "Mark a notice read", &ReadNotice);
  add("GET", "/reminders", Auth::kCookie, Access::kAnyUser, "Your open reminders, due first", &ShowReminders);
  add("POST", "/reminders", Auth::kCookie, Access::kAnyUser, "Set a reminder", &CreateReminder);
  add("POST", "/reminders/{id}/done", Auth::kCookie, Access::kAnyUser, "Mark a reminder done", &FinishReminder);
  add("POST", "/reminders/{id}/snooze", Auth::kCookie, Access::kAnyUser, "Snooze a reminder", &SnoozeReminder);
  add("POST", "/reminders/{id}/delete", Auth::kCookie, Access::kAnyUser, "Delete a reminder", &DeleteReminder);
  add("POST", "/clients/{id}/review", Auth::kCookie, Access::kStaff, "Set a client's annual review", &SetClientReview);
  add("POST", "/clients/{id}/review/clear", Auth::kCookie, Access::kStaff, "Clear a client's annual review",
      &ClearClientReview);
  add("GET", "/profile", Auth::kCookie, Access::kAnyUser, "Your profile and calendar feed", &ShowProfile);
  add("POST", "/profile/calendar-feed", Auth::kCookie, Access::kAnyUser, "Make a new calendar feed address",
      &NewCalendarFeed);
  add("POST", "/profile/calendar-feed/revoke", Auth::kCookie, Access::kAnyUser, "Turn the calendar feed off",
      &RevokeCalendarFeed);
  add("GET", "/calendar/{token}", Auth::kNone, Access::kAnyone, "A person's private calendar feed (iCalendar)",
      &ServeCalendarFeed);
}

void AddRemindMeData(Data& d, const WebEnv& env, const RequestContext& ctx, const std::string& field, std::int64_t id,
                     const std::string& return_to) {
  const std::string zone = Zone(ctx);
  d.set("remind_zone", zone);
  d.set("remind_field", field);
  d.set("remind_id", std::to_string(id));
  d.set("remind_return_to", return_to);
  auto mine = app::Reminders(env.deps.pool, env.deps.clock).ListMine(*ctx.actor, true);
  Data items(Data::type::list);
  bool any = false;
  if (mine.ok()) {
    for (const app::Reminder& r : *mine) {
      const bool here = field == "ticket_id" ? (r.ticket_id && r.ticket_id->value == id)
                                             : (r.client_id && r.client_id->value == id);
      if (!here) continue;
      Data item;
      item.set("id", std::to_string(r.id.value));
      item.set("title", r.title);
      item.set("due", LocalTime(r.due_at, zone));
      items.push_back(item);
      any = true;
    }
  }
  if (any) {
    Data mine_data;
    mine_data.set("items", items);
    d.set("remind_mine", mine_data);
  }
}

void AddClientReviewData(Data& d, const WebEnv& env, const Actor& actor, ClientId client) {
  app::ClientReviews reviews(env.deps.pool, env.deps.clock);
  d.set("review_client_id", std::to_string(client.value));
  d.set("review_duration", "60");
  auto workspace = env.deps.desk.GetWorkspace(actor);
  const std::string zone = workspace.ok() ? workspace->time_zone : std::string("UTC");
  d.set("review_zone", zone);
  auto review = reviews.Get(actor, client);
  if (!review.ok() || !review->has_value()) return;
  const app::Meeting& m = **review;
  Data r;
  r.set("starts", LocalTime(m.starts_at, zone));
  r.set("duration", std::to_string(m.duration_minutes));
  r.set("zone", zone);
  auto owner = env.deps.desk.GetUser(actor, m.owner_user_id);
  r.set("owner", owner.ok() ? owner->name : std::string("a former member"));
  d.set("review", r);
  d.set("review_starts_local", app::FormatLocalDateTime(m.starts_at, zone));
  d.set("review_duration", std::to_string(m.duration_minutes));
}

}  // namespace rapport::http::web
