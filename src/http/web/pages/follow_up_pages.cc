#include "http/web/pages/follow_up_pages.h"

#include <httplib.h>

#include <limits>
#include <memory>

#include "app/local_time.h"
#include "http/web/form.h"
#include "http/web/pages/pages.h"
#include "http/web/view_format.h"

namespace rapport::http::web {
namespace {

// More than any reminder form needs (the forms offer up to 366); the use case checks the real range.
constexpr int kMaxReminderAmount = 100'000;

// The due time a form asks for: unit "at" reads the datetime-local field in the person's zone,
// "business_days"/"business_hours" the amount.
Result<app::ReminderWhen> FormWhen(const Form& form, const std::string& zone) {
  app::ReminderWhen when;
  const std::string unit = form.Get("unit");
  if (unit == "at") {
    RAPPORT_ASSIGN_OR_RETURN(when.at, app::ParseLocalDateTime(form.Get("at"), zone, "at"));
    return when;
  }
  const std::optional<int> n = form.Int("amount", 1, kMaxReminderAmount);
  if (!n) return Status::FieldError("amount", "must be a whole number from 1 to " + std::to_string(kMaxReminderAmount));
  if (unit == "business_hours") {
    when.business_hours = *n;
  } else if (unit == "business_days") {
    when.business_days = *n;
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

void ShowNotices(RequestContext& ctx, const WebEnv& env) {
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
    item.set("when", LocalTime(n.deliver_at, ViewerZone(ctx)));
    item.set("unread", !n.read_at.has_value());
    SetLink(item, n.ticket_id, n.client_id);
    any_unread = any_unread || !n.read_at;
    items.push_back(item);
  }
  d.set("notices", items);
  d.set("has_notices", !list->empty());
  d.set("has_unread", any_unread);
  SendPage(ctx, 200, "notices", std::move(d));
}

void ShowNoticeBadge(RequestContext& ctx, const WebEnv& env) {
  auto count = env.notices.UnreadCount(*ctx.actor);
  Data d;
  if (count.ok() && *count > 0) d.set("count", std::to_string(*count));
  SendFragment(ctx, "notice_badge", std::move(d));
}

void ReadNotice(RequestContext& ctx, const WebEnv& env) {
  Status s = env.notices.MarkRead(*ctx.actor, NoticeId(PathId(ctx)));
  if (!s.ok()) {
    SendStatusPage(ctx, s);
    return;
  }
  RedirectTo(ctx, "/notices");
}

void ReadAllNotices(RequestContext& ctx, const WebEnv& env) {
  auto marked = env.notices.MarkAllRead(*ctx.actor);
  if (!marked.ok()) {
    SendStatusPage(ctx, marked.status());
    return;
  }
  RedirectTo(ctx, "/notices");
}

// ---- reminders --------------------------------------------------------------------------------------

// The Reminders page; `result` is the outcome of a form posted here (its mistake shown above the list).
void RenderReminders(RequestContext& ctx, const WebEnv& env, int status, const Status& result,
                     const std::string& notice) {
  auto list = env.reminders.ListMine(*ctx.actor, true);
  if (!list.ok()) {
    SendStatusPage(ctx, list.status());
    return;
  }
  const Instant now = env.deps.clock.Now();
  const std::string zone = ViewerZone(ctx);
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
    items.push_back(item);
  }
  d.set("reminders", items);
  d.set("has_reminders", !list->empty());
  d.set("zone", zone);
  SetFormOutcome(d, result, notice);
  SendPage(ctx, status, "reminders", std::move(d));
}

// The notice of the Reminders page after a post redirected to it with ?done=<keyword>.
std::string ReminderNotice(const RequestContext& ctx) {
  const std::string done = QueryParam(ctx.req, "done");
  if (done == "set") return "Reminder set.";
  if (done == "done") return "Reminder done.";
  if (done == "snoozed") return "Reminder snoozed.";
  if (done == "deleted") return "Reminder deleted.";
  return "";
}

void ShowReminders(RequestContext& ctx, const WebEnv& env) {
  RenderReminders(ctx, env, 200, Status::Ok(), ReminderNotice(ctx));
}

// A reminder set from a ticket or client page returns there (its panel lists the reminder), and a
// mistake shows that page again with the error; one set on the Reminders page returns to it.
void CreateReminder(RequestContext& ctx, const WebEnv& env) {
  const Form form(ctx.req);
  app::ReminderFields f;
  if (const auto id = ParseId(form.Get("ticket_id")); id > 0) f.ticket_id = TicketId(id);
  if (const auto id = ParseId(form.Get("client_id")); id > 0) f.client_id = ClientId(id);
  f.title = form.Get("title");
  f.note = form.Get("note");
  auto when = FormWhen(form, ViewerZone(ctx));
  Result<app::Reminder> made = when.status();
  if (when.ok()) {
    f.when = *when;
    made = env.reminders.Create(*ctx.actor, f);
  }
  std::string done = "/reminders?done=set";
  if (made.ok() && made->ticket_id) {
    done = "/tickets/" + std::to_string(made->ticket_id->value);
  } else if (made.ok() && made->client_id) {
    done = "/clients/" + std::to_string(made->client_id->value);
  }
  AnswerPost(ctx, made.status(), done, [&](int status) {
    if (f.ticket_id) {
      RenderTicketPage(ctx, env, *f.ticket_id, status, "", "Reminder not set: " + made.status().message(), "");
    } else if (f.client_id) {
      RenderClientPage(ctx, env, *f.client_id, status, made.status());
    } else {
      RenderReminders(ctx, env, status, made.status(), "");
    }
  });
}

void FinishReminder(RequestContext& ctx, const WebEnv& env) {
  auto done = env.reminders.Done(*ctx.actor, ReminderId(PathId(ctx)));
  AnswerPost(ctx, done.status(), "/reminders?done=done",
             [&](int status) { RenderReminders(ctx, env, status, done.status(), ""); });
}

void SnoozeReminder(RequestContext& ctx, const WebEnv& env) {
  auto when = FormWhen(Form(ctx.req), ViewerZone(ctx));
  Result<app::Reminder> snoozed = when.status();
  if (when.ok()) snoozed = env.reminders.Snooze(*ctx.actor, ReminderId(PathId(ctx)), *when);
  AnswerPost(ctx, snoozed.status(), "/reminders?done=snoozed",
             [&](int status) { RenderReminders(ctx, env, status, snoozed.status(), ""); });
}

void DeleteReminder(RequestContext& ctx, const WebEnv& env) {
  const Status deleted = env.reminders.Delete(*ctx.actor, ReminderId(PathId(ctx)));
  AnswerPost(ctx, deleted, "/reminders?done=deleted",
             [&](int status) { RenderReminders(ctx, env, status, deleted, ""); });
}

// ---- client reviews ---------------------------------------------------------------------------------

// A mistake in the review form shows the client page again with the error (400).
void SetClientReview(RequestContext& ctx, const WebEnv& env) {
  const Form form(ctx.req);
  const ClientId client(PathId(ctx));
  app::ReviewFields f;
  f.starts_local = form.Get("starts_local");
  Result<app::Meeting> set = Status::FieldError("duration_minutes", "must be a whole number of minutes");
  if (auto minutes = form.Int("duration_minutes", 1, std::numeric_limits<int>::max())) {
    f.duration_minutes = *minutes;
    set = env.reviews.Set(*ctx.actor, client, f);
  }
  AnswerPost(ctx, set.status(), "/clients/" + std::to_string(client.value),
             [&](int status) { RenderClientPage(ctx, env, client, status, set.status()); });
}

void ClearClientReview(RequestContext& ctx, const WebEnv& env) {
  const ClientId client(PathId(ctx));
  const Status cleared = env.reviews.Clear(*ctx.actor, client);
  AnswerPost(ctx, cleared, "/clients/" + std::to_string(client.value), [&](int) { SendStatusPage(ctx, cleared); });
}

// ---- profile and calendar feed ----------------------------------------------------------------------

std::string BaseUrl(const RequestContext& ctx, const WebEnv& env) {
  std::string host = ctx.req.get_header_value("Host");
  if (host.empty()) host = "localhost";
  return (env.options.secure_cookies ? "https://" : "http://") + host;
}

void RenderProfile(RequestContext& ctx, const WebEnv& env, const std::string& feed_url) {
  auto has = env.feed.HasFeed(*ctx.actor);
  if (!has.ok()) {
    SendStatusPage(ctx, has.status());
    return;
  }
  Data d = FrameData(ctx, "Profile", "profile");
  d.set("profile_name", ctx.user ? ctx.user->name : std::string("Profile"));
  d.set("profile_email", ctx.user ? ctx.user->email : std::string());
  d.set("profile_zone", ViewerZone(ctx));
  d.set("has_feed", *has);
  if (!feed_url.empty()) d.set("feed_url", feed_url);
  SendPage(ctx, 200, "profile", std::move(d));
}

void ShowProfile(RequestContext& ctx, const WebEnv& env) { RenderProfile(ctx, env, ""); }

void NewCalendarFeed(RequestContext& ctx, const WebEnv& env) {
  auto token = env.feed.Regenerate(*ctx.actor);
  if (!token.ok()) {
    SendStatusPage(ctx, token.status());
    return;
  }
  // Shown in this answer only (not through a redirect, which would put the secret in a URL).
  RenderProfile(ctx, env, BaseUrl(ctx, env) + "/calendar/" + *token + ".ics");
}

void RevokeCalendarFeed(RequestContext& ctx, const WebEnv& env) {
  Status s = env.feed.Revoke(*ctx.actor);
  if (!s.ok()) {
    SendStatusPage(ctx, s);
    return;
  }
  RedirectTo(ctx, "/profile");
}

void ServeCalendarFeed(RequestContext& ctx, const WebEnv& env) {
  auto it = ctx.path_params.find("token");
  std::string token = it == ctx.path_params.end() ? std::string() : it->second;
  constexpr std::string_view kSuffix = ".ics";
  if (token.size() > kSuffix.size() && token.ends_with(kSuffix)) {
    token.resize(token.size() - kSuffix.size());
  } else {
    token.clear();  // without .ics it names no feed
  }
  auto feed = env.feed.Render(token, ctx.req.remote_addr, BaseUrl(ctx, env));
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

void AddFollowUpPages(Router& router, const std::shared_ptr<const WebEnv>& env) {
  auto add = [&](const char* method, const char* pattern, Auth auth, Access access, const char* summary,
                 void (*page)(RequestContext&, const WebEnv&)) {
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

void AddRemindMeData(Data& d, const WebEnv& env, const RequestContext& ctx, std::optional<TicketId> ticket,
                     std::optional<ClientId> client) {
  const std::string zone = ViewerZone(ctx);
  d.set("remind_zone", zone);
  d.set("remind_field", ticket ? "ticket_id" : "client_id");
  d.set("remind_id", std::to_string(ticket ? ticket->value : client ? client->value : 0));
  auto mine = env.reminders.ListMineOn(*ctx.actor, ticket, client);
  if (!mine.ok() || mine->empty()) return;
  Data items(Data::type::list);
  for (const app::Reminder& r : *mine) {
    Data item;
    item.set("id", std::to_string(r.id.value));
    item.set("title", r.title);
    item.set("due", LocalTime(r.due_at, zone));
    items.push_back(item);
  }
  Data mine_data;
  mine_data.set("items", items);
  d.set("remind_mine", mine_data);
}

void AddClientReviewData(Data& d, const WebEnv& env, const Actor& actor, ClientId client) {
  d.set("review_client_id", std::to_string(client.value));
  d.set("review_duration", "60");
  auto workspace = env.deps.desk.GetWorkspace(actor);
  const std::string zone = workspace.ok() ? workspace->time_zone : std::string("UTC");
  d.set("review_zone", zone);
  auto review = env.reviews.Get(actor, client);
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
