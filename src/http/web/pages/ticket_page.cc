#include <httplib.h>
#include <nlohmann/json.hpp>

#include "app/ticket_rules.h"
#include "core/identity.h"

#include "http/web/form.h"
#include "http/web/pages/follow_up_pages.h"
#include "http/web/pages/pages.h"
#include "http/web/pages/promise_badge.h"
#include "http/web/pages/ticket_mail_parts.h"
#include "http/web/pages/ticket_rows.h"
#include "http/web/view_format.h"

namespace rapport::http::web {
namespace {

std::string NameOf(const std::map<std::int64_t, std::string>& team, const std::optional<UserId>& id,
                   const char* fallback) {
  if (!id) return fallback;
  auto it = team.find(id->value);
  return it == team.end() ? std::string("Someone") : it->second;
}

std::string JoinTags(const std::vector<std::string>& tags) {
  std::string out;
  for (const std::string& t : tags) {
    if (!out.empty()) out += ", ";
    out += t;
  }
  return out;
}

// "Status: New → Open; Priority: Normal → High" from the audit detail's JSON object. Values of
// known fields read as the page shows them; anything else is shown as recorded, so nothing the
// audit holds is hidden.
std::string DescribeAuditDetail(const std::string& detail, const std::map<std::int64_t, std::string>& team) {
  nlohmann::json j = nlohmann::json::parse(detail, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return detail;
  auto text = [&team](const std::string& key, const nlohmann::json& v) -> std::string {
    if (v.is_null()) return "none";
    if (v.is_string()) {
      const std::string s = v.get<std::string>();
      if (key == "status") {
        if (auto st = ParseTicketStatus(s)) return StatusLabel(*st);
      } else if (key == "priority") {
        if (auto p = ParsePriority(s)) return PriorityLabel(*p);
      } else if (key == "assignee_id") {
        auto it = team.find(ParseId(s));
        if (it != team.end()) return it->second;
      }
      return s;
    }
    if (key == "assignee_id" && v.is_number_integer()) {
      auto it = team.find(v.get<std::int64_t>());
      return it == team.end() ? v.dump() : it->second;
    }
    if (v.is_array()) {
      std::string out;
      for (const auto& item : v) out += (out.empty() ? "" : ", ") + (item.is_string() ? item.get<std::string>() : item.dump());
      return out.empty() ? "none" : out;
    }
    return v.dump();
  };
  auto label = [](const std::string& key) {
    if (key == "assignee_id") return std::string("Assignee");
    std::string out = key;
    for (char& c : out) c = c == '_' ? ' ' : c;
    if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
    return out;
  };
  std::string out;
  for (const auto& [key, value] : j.items()) {
    if (!out.empty()) out += "; ";
    out += label(key) + ": ";
    if (value.is_object() && (value.contains("old") || value.contains("new"))) {
      out += text(key, value.value("old", nlohmann::json())) + " \u2192 " + text(key, value.value("new", nlohmann::json()));
    } else if (value.is_object() && (value.contains("from") || value.contains("to"))) {
      out += text(key, value.value("from", nlohmann::json())) + " \u2192 " + text(key, value.value("to", nlohmann::json()));
    } else {
      out += text(key, value);
    }
  }
  return out;
}

// What happened, in words, and whether the detail adds anything to them.
std::pair<std::string, bool> DescribeAuditAction(const AuditEntry& e) {
  if (e.action == "create") return {"opened the ticket", false};
  if (e.action == "update") return {"changed", true};
  if (e.action == "add_message") {
    nlohmann::json j = nlohmann::json::parse(e.detail, nullptr, /*allow_exceptions=*/false);
    const std::string kind = j.is_object() && j.contains("kind") && j["kind"].is_string() ? j["kind"].get<std::string>() : "";
    if (kind == "note") return {"added an internal note", false};
    if (kind == "reply") return {"replied", false};
    if (kind == "inbound") return {"received a message", false};
    return {"added a message", false};
  }
  return {e.action, true};
}

std::vector<std::string> SplitTags(const std::string& raw) {
  std::vector<std::string> tags;
  std::string current;
  for (char c : raw + ",") {
    if (c == ',' || c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      if (!current.empty()) tags.push_back(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  return tags;
}

// The ticket header: what the ticket is, and the form that changes its status, priority,
// assignee and tags.
Data HeaderData(const RequestContext& ctx, const Ticket& t, const std::map<std::int64_t, std::string>& team,
                const std::string& zone, Instant now) {
  const Actor& actor = *ctx.actor;
  Data d = TicketRowData(t, team, now, zone);
  d.set("promise_panel", PromiseTimesData(t, now, zone));
  d.set("csrf_token", ctx.csrf_token);
  d.set("created", LocalTime(t.created_at, zone));
  d.set("tags_text", JoinTags(t.tags));
  Data tags(Data::type::list);
  for (const std::string& tag : t.tags) tags.push_back(Data("name", tag));
  d.set("tags", tags);
  d.set("has_tags", !t.tags.empty());

  std::vector<std::pair<std::string, std::string>> statuses;
  for (TicketStatus s : AllTicketStatuses()) statuses.emplace_back(std::string(Name(s)), StatusLabel(s));
  d.set("status_options", SelectOptions(statuses, std::string(Name(t.status))));
  std::vector<std::pair<std::string, std::string>> priorities;
  for (Priority p : AllPriorities()) priorities.emplace_back(std::string(Name(p)), PriorityLabel(p));
  d.set("priority_options", SelectOptions(priorities, std::string(Name(t.priority))));
  d.set("can_assign", CanAssign(actor));
  std::vector<std::pair<std::string, std::string>> assignees{{"", "Unassigned"}};
  for (const auto& [id, name] : team) assignees.emplace_back(std::to_string(id), name);
  d.set("assignee_options",
        SelectOptions(assignees, t.assignee_id ? std::to_string(t.assignee_id->value) : std::string()));
  return d;
}

Data HistoryData(app::Desk& desk, const Actor& actor, TicketId id, const std::map<std::int64_t, std::string>& team,
                 const std::string& zone) {
  Data list(Data::type::list);
  auto history = desk.TicketHistory(actor, id);
  if (history.ok()) {
    for (const AuditEntry& e : *history) {
      Data item;
      item.set("time", LocalTime(e.at, zone));
      item.set("iso", FormatRfc3339(e.at));
      item.set("who", NameOf(team, e.actor_id, "System"));
      const auto [action, show_detail] = DescribeAuditAction(e);
      item.set("action", action);
      item.set("detail", DescribeAuditDetail(e.detail, team));
      item.set("has_detail", show_detail && !e.detail.empty() && e.detail != "{}");
      list.push_back(item);
    }
  }
  return list;
}


std::string NoticeText(const std::string& key) {
  if (key == "reply") return "Reply saved; it is on its way to the client.";
  if (key == "note") return "Note added.";
  if (key == "updated") return "Ticket updated.";
  if (key == "retry") return "The message is queued to be sent again.";
  return {};
}

}  // namespace

void RenderTicketPage(RequestContext& ctx, const WebEnv& env, TicketId id, int status, const std::string& notice,
                      const std::string& error, const std::string& draft) {
  const Actor& actor = *ctx.actor;
  app::Desk& desk = env.deps.desk;
  auto view = desk.GetTicket(actor, id);
  if (!view.ok()) {
    SendStatusPage(ctx, view.status());
    return;
  }
  const Ticket& t = view->ticket;
  const auto team = TeamNames(desk, actor);
  const std::string zone = ViewerZone(ctx);
  const Instant now = env.deps.clock.Now();

  Data d = FrameData(ctx, "#" + std::to_string(t.number) + " " + t.subject, "inbox");
  d.set("ticket", HeaderData(ctx, t, team, zone, now));
  d.set("notice", notice);
  d.set("has_notice", !notice.empty());
  d.set("error", error);
  d.set("has_error", !error.empty());
  d.set("draft", draft);

  const std::string contact_name = view->contact.name.empty()
                                       ? (view->contact.emails.empty() ? std::string("Client") : view->contact.emails[0])
                                       : view->contact.name;
  app::TicketMail ticket_mail(env.deps.pool);
  auto mail = ticket_mail.View(actor, id);
  if (!mail.ok()) {
    SendStatusPage(ctx, mail.status());
    return;
  }
  const bool show_images = QueryParam(ctx.req, "images") == "1";
  int blocked_images = 0;
  Data messages(Data::type::list);
  for (const Message& m : view->messages) {
    Data item;
    item.set("id", std::to_string(m.id.value));
    item.set("kind_key", std::string(Name(m.kind)));
    item.set("is_note", m.kind == MessageKind::kNote);
    item.set("kind_label", m.kind == MessageKind::kNote    ? "Internal note"
                           : m.kind == MessageKind::kReply ? "Reply"
                                                           : "via " + ChannelLabel(m.channel));
    item.set("author", m.kind == MessageKind::kInbound ? contact_name : NameOf(team, m.author_user_id, "System"));
    item.set("time", LocalTime(m.created_at, zone));
    item.set("iso", FormatRfc3339(m.created_at));
    item.set("age", Age(m.created_at, now));
    const MessageDisplay shown = DisplayMessage(m, *mail, show_images);
    item.set("body_html", shown.body_html);
    blocked_images += shown.blocked_remote_images;
    AddEmailData(item, m, *mail, ctx.csrf_token, zone);
    messages.push_back(item);
  }
  d.set("messages", messages);
  d.set("has_blocked_images", blocked_images > 0);
  d.set("blocked_images", std::to_string(blocked_images));
  d.set("images_url", "/tickets/" + std::to_string(t.id.value) + "?images=1");
  if (show_images) {
    // The reader asked for the mail's remote images: this page may load images from anywhere.
    ctx.res.set_header("Content-Security-Policy",
                       "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https: http:; "
                       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'");
  }
  Data participants(Data::type::list);
  for (const Contact& c : mail->participants) {
    Data p;
    p.set("name", c.name.empty() && !c.emails.empty() ? c.emails.front() : c.name);
    p.set("email", c.emails.empty() ? std::string() : c.emails.front());
    participants.push_back(p);
  }
  d.set("participants", participants);
  d.set("has_participants", !mail->participants.empty());
  d.set("linked_tickets", TicketRowsData([&] {
          std::vector<app::TicketRow> rows;
          for (const Ticket& linked : mail->linked_tickets) rows.push_back(app::TicketRow{linked, "", "", ""});
          return rows;
        }(), team, now, zone));
  d.set("has_linked_tickets", !mail->linked_tickets.empty());
  d.set("has_messages", !view->messages.empty());
  d.set("history", HistoryData(desk, actor, id, team, zone));

  // The client panel.
  const bool staff = CanViewClients(actor);
  Data contact;
  contact.set("name", contact_name);
  contact.set("url", "/contacts/" + std::to_string(view->contact.id.value));
  contact.set("link", staff);
  Data emails(Data::type::list);
  for (const std::string& e : view->contact.emails) emails.push_back(Data("value", e));
  Data phones(Data::type::list);
  for (const std::string& p : view->contact.phones) phones.push_back(Data("value", p));
  contact.set("emails", emails);
  contact.set("phones", phones);
  d.set("contact", contact);
  if (view->client) {
    Data client;
    client.set("name", view->client->name);
    client.set("url", "/clients/" + std::to_string(view->client->id.value));
    client.set("link", staff);
    d.set("client", client);
  }
  app::TicketQuery others;
  if (view->client) {
    others.client_id = view->client->id;
  } else {
    others.contact_id = view->contact.id;
  }
  others.statuses = app::OpenStatuses();
  others.limit = 11;
  auto other_page = desk.ListTickets(actor, others);
  std::vector<app::TicketRow> other_rows;
  if (other_page.ok()) {
    for (const app::TicketRow& r : other_page->items) {
      if (r.ticket.id != t.id && other_rows.size() < 10) other_rows.push_back(r);
    }
  }
  d.set("other_tickets", TicketRowsData(other_rows, team, now, zone));
  d.set("has_other_tickets", !other_rows.empty());
  AddRemindMeData(d, env, ctx, t.id, std::nullopt);
  SendPage(ctx, status, "ticket", std::move(d));
}

void ShowTicket(RequestContext& ctx, const WebEnv& env) {
  const TicketId id = TicketId(PathId(ctx));
  if (!id.valid()) {
    SendStatusPage(ctx, Status::NotFound("no such ticket"));
    return;
  }
  RenderTicketPage(ctx, env, id, 200, NoticeText(QueryParam(ctx.req, "done")), "", "");
}

void AddTicketMessage(RequestContext& ctx, const WebEnv& env) {
  const TicketId id = TicketId(PathId(ctx));
  if (!id.valid()) {
    SendStatusPage(ctx, Status::NotFound("no such ticket"));
    return;
  }
  const Form form(ctx.req);
  app::NewMessage m;
  m.kind = form.Get("kind") == "note" ? MessageKind::kNote : MessageKind::kReply;
  m.body_text = form.Get("body");
  for (Form::File& f : form.Files("attachments")) {
    app::EmailAttachment a;
    a.filename = std::move(f.filename);
    a.content_type = std::move(f.content_type);
    a.data = std::move(f.content);
    m.attachments.push_back(std::move(a));
  }
  if (std::string(Trim(m.body_text)).empty()) {
    RenderTicketPage(ctx, env, id, 400, "", "Write something before sending.", m.body_text);
    return;
  }
  auto added = env.deps.desk.AddMessage(*ctx.actor, id, m);
  if (!added.ok()) {
    if (added.status().code() == StatusCode::kInvalidArgument || added.status().code() == StatusCode::kConflict) {
      RenderTicketPage(ctx, env, id, 400, "", added.status().message(), m.body_text);
    } else {
      SendStatusPage(ctx, added.status());
    }
    return;
  }
  RedirectTo(ctx, "/tickets/" + std::to_string(id.value) + "?done=" + (m.kind == MessageKind::kNote ? "note" : "reply") +
                      "#message-" + std::to_string(added->id.value));
}

void UpdateTicketFields(RequestContext& ctx, const WebEnv& env) {
  const TicketId id = TicketId(PathId(ctx));
  if (!id.valid()) {
    SendStatusPage(ctx, Status::NotFound("no such ticket"));
    return;
  }
  const Actor& actor = *ctx.actor;
  app::Desk& desk = env.deps.desk;
  auto current = desk.GetTicket(actor, id);
  if (!current.ok()) {
    SendStatusPage(ctx, current.status());
    return;
  }
  const Ticket& t = current->ticket;
  const Form form(ctx.req);
  app::TicketChanges changes;
  std::string error;
  if (form.Has("status")) {
    auto s = ParseTicketStatus(form.Get("status"));
    if (!s) error = "Choose a status from the list.";
    else if (*s != t.status) changes.status = *s;
  }
  if (form.Has("priority")) {
    auto p = ParsePriority(form.Get("priority"));
    if (!p) error = "Choose a priority from the list.";
    else if (*p != t.priority) changes.priority = *p;
  }
  if (form.Has("assignee") && CanAssign(actor)) {
    const std::string raw = form.Get("assignee");
    std::optional<UserId> assignee;
    if (!raw.empty()) {
      if (std::int64_t uid = ParseId(raw)) assignee = UserId(uid);
      else error = "Choose an assignee from the list.";
    }
    if (assignee != t.assignee_id) changes.assignee_id = assignee;
  }
  if (form.Has("tags")) {
    std::vector<std::string> tags = SplitTags(form.Get("tags"));
    if (tags != t.tags) changes.tags = tags;
  }

  Status result;
  if (error.empty()) {
    const bool any = changes.status || changes.priority || changes.assignee_id || changes.tags;
    if (any) {
      auto updated = desk.UpdateTicket(actor, id, changes);
      if (!updated.ok()) result = updated.status();
    }
  } else {
    result = Status::InvalidArgument(error);
  }
  if (!result.ok() && result.code() != StatusCode::kInvalidArgument && result.code() != StatusCode::kConflict) {
    SendStatusPage(ctx, result);
    return;
  }

  if (IsHtmx(ctx)) {
    // The new header, and the history (out of band) so the change shows there too.
    auto fresh = desk.GetTicket(actor, id);
    if (!fresh.ok()) {
      SendStatusPage(ctx, fresh.status());
      return;
    }
    const auto team = TeamNames(desk, actor);
    const std::string zone = ViewerZone(ctx);
    Data d;
    Data header = HeaderData(ctx, fresh->ticket, team, zone, env.deps.clock.Now());
    header.set("header_error", result.ok() ? std::string() : result.message());
    header.set("has_header_error", !result.ok());
    header.set("header_notice", result.ok() ? std::string("Saved.") : std::string());
    header.set("has_header_notice", result.ok());
    d.set("ticket", header);
    d.set("history", HistoryData(desk, actor, id, team, zone));
    d.set("oob", true);
    SendFragment(ctx, "ticket_header_update", std::move(d));
    return;
  }
  if (!result.ok()) {
    RenderTicketPage(ctx, env, id, 400, "", result.message(), "");
    return;
  }
  RedirectTo(ctx, "/tickets/" + std::to_string(id.value) + "?done=updated");
}

}  // namespace rapport::http::web
