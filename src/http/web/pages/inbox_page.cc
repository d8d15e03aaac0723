#include <httplib.h>

#include <algorithm>
#include <chrono>

#include "app/ticket_rules.h"
#include "http/web/form.h"
#include "http/web/pages/pages.h"
#include "http/web/pages/ticket_rows.h"
#include "http/web/view_format.h"

namespace rapport::http::web {
namespace {

struct InboxView {
  const char* key;
  const char* label;
};

constexpr InboxView kViews[] = {
    {"mine", "Mine"},
    {"unassigned", "Unassigned"},
    {"open", "All open"},
    {"due", "Due soon"},
    {"waiting", "Waiting on client"},
    {"closed", "Closed"},
};

// "Due soon": open tickets whose promise falls due within this long (or has already been missed).
constexpr auto kDueSoon = std::chrono::hours(24);

// The query of a view, before the filters of the toolbar. "all" (a search from elsewhere) has no
// status filter. The views of open work list what is due first (TicketSort::kDue).
app::TicketQuery ViewQuery(const std::string& view, const Actor& actor, Instant now) {
  app::TicketQuery q;
  if (view == "mine") {
    q.assignee_id = actor.id;
    q.statuses = app::OpenStatuses();
  } else if (view == "unassigned") {
    q.unassigned_only = true;
    q.statuses = app::OpenStatuses();
  } else if (view == "open") {
    q.statuses = app::OpenStatuses();
  } else if (view == "due") {
    q.statuses = app::OpenStatuses();
    q.due_before = now + kDueSoon;
  } else if (view == "waiting") {
    q.statuses = {TicketStatus::kWaitingOnClient};
  } else if (view == "closed") {
    q.statuses = {TicketStatus::kResolved, TicketStatus::kClosed};
  }
  const bool open_work = !q.statuses.empty() && std::all_of(q.statuses.begin(), q.statuses.end(), IsOpen);
  if (open_work) q.sort = app::TicketSort::kDue;
  return q;
}

// The inbox's state, read from the URL.
struct InboxParams {
  std::string view, q, status, assignee, client, channel, sort, cursor;

  // The URL of this state with another cursor ("" = the first page).
  std::string Url(const std::string& with_cursor) const {
    std::string url = "/?";
    auto add = [&url](const char* name, const std::string& value) {
      if (value.empty()) return;
      if (url.back() != '?') url.push_back('&');
      url += name;
      url.push_back('=');
      url += UrlEncode(value);
    };
    add("view", view);
    add("q", q);
    add("status", status);
    add("assignee", assignee);
    add("client", client);
    add("channel", channel);
    add("sort", sort);
    add("cursor", with_cursor);
    if (url.back() == '?') url.pop_back();
    return url;
  }
};

}  // namespace

Data SelectOptions(const std::vector<std::pair<std::string, std::string>>& options, const std::string& selected) {
  Data list(Data::type::list);
  for (const auto& [value, label] : options) {
    Data o;
    o.set("value", value);
    o.set("label", label);
    o.set("selected", value == selected);
    list.push_back(o);
  }
  return list;
}

void ShowInbox(RequestContext& ctx, const WebEnv& env) {
  const Actor& actor = *ctx.actor;
  app::Desk& desk = env.deps.desk;
  InboxParams p;
  p.view = QueryParam(ctx.req, "view");
  p.q = QueryParam(ctx.req, "q");
  p.status = QueryParam(ctx.req, "status");
  p.assignee = QueryParam(ctx.req, "assignee");
  p.client = QueryParam(ctx.req, "client");
  p.channel = QueryParam(ctx.req, "channel");
  p.sort = QueryParam(ctx.req, "sort");
  p.cursor = QueryParam(ctx.req, "cursor");
  // Without a view, the inbox opens on the open work; a search from another page looks everywhere.
  std::string view = p.view;
  if (view.empty()) view = p.q.empty() ? "open" : "all";

  const Instant now = env.deps.clock.Now();
  app::TicketQuery query = ViewQuery(view, actor, now);
  query.text = p.q;
  query.cursor = p.cursor;
  query.limit = 50;
  if (auto s = ParseTicketStatus(p.status)) query.statuses = {*s};
  if (auto c = ParseChannel(p.channel)) query.channels = {*c};
  if (p.assignee == "me") {
    query.assignee_id = actor.id;
  } else if (p.assignee == "none") {
    query.unassigned_only = true;
  } else if (std::int64_t id = ParseId(p.assignee)) {
    query.assignee_id = UserId(id);
  }
  if (std::int64_t id = ParseId(p.client); id && CanViewClients(actor)) query.client_id = ClientId(id);
  if (p.sort == "due") query.sort = app::TicketSort::kDue;
  if (p.sort == "activity") query.sort = app::TicketSort::kLastActivity;
  if (p.sort == "newest") query.sort = app::TicketSort::kNewest;
  if (p.sort == "oldest") query.sort = app::TicketSort::kOldest;

  auto listed = desk.ListTickets(actor, query);
  std::string search_error;
  if (!listed.ok()) {
    if (listed.status().code() != StatusCode::kInvalidArgument) {
      SendStatusPage(ctx, listed.status());
      return;
    }
    if (!p.cursor.empty()) {
      // A stale or edited cursor: start again from the first page rather than fail.
      RedirectTo(ctx, p.Url(""));
      return;
    }
    // A search the store cannot run (too long, not text): say so above an empty list.
    search_error = listed.status().message();
    listed = app::Page<app::TicketRow>{};
  }
  const app::Page<app::TicketRow>& page_data = *listed;
  const app::Page<app::TicketRow>* page = &page_data;
  const auto team = TeamNames(desk, actor);

  Data d = FrameData(ctx, "Inbox", "inbox");
  d.set("tickets", TicketRowsData(page->items, team, now, ViewerZone(ctx)));
  d.set("has_tickets", !page->items.empty());
  d.set("search_error", search_error);
  d.set("has_search_error", !search_error.empty());
  d.set("empty_hint", p.q.empty() ? std::string("Nothing is waiting in this view.")
                                  : std::string("No ticket matches \u201C") + p.q + "\u201D. Try fewer words.");
  d.set("has_next", page->next_cursor.has_value());
  d.set("next_url", page->next_cursor ? p.Url(*page->next_cursor) : std::string());
  d.set("has_first", !p.cursor.empty());
  d.set("first_url", p.Url(""));
  // The list refreshes itself (htmx, every 30 s) from the same page of the same query.
  d.set("refresh_url", p.Url(p.cursor));
  if (IsHtmx(ctx) && ctx.req.get_header_value("HX-Target") == "ticket-list") {
    SendFragment(ctx, "_ticket_list", std::move(d));
    return;
  }

  Data views(Data::type::list);
  for (const InboxView& v : kViews) {
    app::TicketQuery cq = ViewQuery(v.key, actor, now);
    auto count = desk.CountTickets(actor, cq);
    Data item;
    item.set("key", v.key);
    item.set("label", v.label);
    item.set("count", count.ok() ? std::to_string(*count) : std::string("\u2013"));
    item.set("url", std::string("/?view=") + v.key);
    item.set("current", view == v.key);
    views.push_back(item);
  }
  d.set("views", views);
  const std::string form_view = p.view.empty() && view != "all" ? view : p.view;
  d.set("view", form_view);
  d.set("has_view", !form_view.empty());
  d.set("searching_everywhere", view == "all");
  d.set("q", p.q);

  std::vector<std::pair<std::string, std::string>> statuses{{"", "Any status"}};
  for (TicketStatus s : AllTicketStatuses()) statuses.emplace_back(std::string(Name(s)), StatusLabel(s));
  d.set("status_options", SelectOptions(statuses, p.status));

  std::vector<std::pair<std::string, std::string>> assignees{{"", "Anyone"}, {"me", "Me"}, {"none", "Unassigned"}};
  for (const auto& [id, name] : team) assignees.emplace_back(std::to_string(id), name);
  d.set("assignee_options", SelectOptions(assignees, p.assignee));

  std::vector<std::pair<std::string, std::string>> channels{{"", "Any channel"}};
  for (Channel c : AllChannels()) channels.emplace_back(std::string(Name(c)), ChannelLabel(c));
  d.set("channel_options", SelectOptions(channels, p.channel));

  // The order in force is the one selected: the view's own unless the URL names another.
  const char* sort_key = query.sort == app::TicketSort::kDue      ? "due"
                         : query.sort == app::TicketSort::kNewest ? "newest"
                         : query.sort == app::TicketSort::kOldest ? "oldest"
                                                                  : "activity";
  d.set("sort_options", SelectOptions({{"due", "Due first"}, {"activity", "Last activity"}, {"newest", "Newest"},
                                       {"oldest", "Oldest"}},
                                      sort_key));

  if (CanViewClients(actor)) {
    app::ClientQuery cq;
    cq.limit = app::kMaxPageSize;
    auto clients = desk.ListClients(actor, cq);
    std::vector<std::pair<std::string, std::string>> client_opts{{"", "Any client"}};
    if (clients.ok()) {
      for (const Client& c : clients->items) client_opts.emplace_back(std::to_string(c.id.value), c.name);
    }
    d.set("show_client_filter", true);
    d.set("client_options", SelectOptions(client_opts, p.client));
  }
  SendPage(ctx, 200, "inbox", std::move(d));
}

}  // namespace rapport::http::web
