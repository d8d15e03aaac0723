#include <httplib.h>

#include <algorithm>

#include "core/identity.h"
#include "http/api/idempotent.h"
#include "http/api/reply.h"
#include "http/api/routes.h"
#include "http/api/views.h"
#include "http/common/json_fields.h"

namespace rapport::http::api {
namespace {

std::string Choices(const auto& all) {
  std::string out;
  for (const auto& v : all) out += (out.empty() ? "" : ", ") + std::string(Name(v));
  return out;
}

// Reads the contact of a new ticket: {"id": 7}, {"email": "...", "name": "..."} or
// {"phone": "...", "name": "..."}.
app::ContactRef ReadContact(JsonFields& body) {
  app::ContactRef ref;
  auto contact = body.Object("contact");
  if (!contact) {
    if (!body.Has("contact")) body.Require("contact");
    return ref;
  }
  if (auto id = contact->Id("id")) ref.id = ContactId(*id);
  ref.email = contact->String("email").value_or("");
  ref.phone = contact->String("phone").value_or("");
  ref.name = contact->String("name").value_or("");
  const int ways = (contact->Has("id") ? 1 : 0) + (ref.email.empty() ? 0 : 1) + (ref.phone.empty() ? 0 : 1);
  if (ways != 1) contact->Error("id", "give exactly one of id, email or phone to name the contact");
  body.Absorb(*contact);
  return ref;
}

void CreateTicket(ApiDeps deps, RequestContext& ctx) {
  auto parsed = JsonFields::Parse(ctx.req.body);
  if (SendIfError(ctx, parsed.status())) return;
  JsonFields& body = *parsed;
  app::NewTicket t;
  body.Require("subject");
  body.Require("body");
  t.subject = body.String("subject").value_or("");
  t.body_text = body.String("body").value_or("");
  t.body_html = body.String("body_html").value_or("");
  if (auto channel = body.String("channel")) {
    if (auto c = ParseChannel(*channel)) {
      t.channel = *c;
    } else {
      body.Error("channel", "must be one of " + Choices(AllChannels()));
    }
  }
  if (auto priority = body.String("priority")) {
    if (auto p = ParsePriority(*priority)) {
      t.priority = *p;
    } else {
      body.Error("priority", "must be one of " + Choices(AllPriorities()));
    }
  }
  t.contact = ReadContact(body);
  if (auto assignee = body.Id("assignee_id")) t.assignee_id = UserId(*assignee);
  if (auto tags = body.StringList("tags")) t.tags = *tags;
  t.external_id = body.String("external_id");
  if (SendIfError(ctx, body.Finish())) return;
  auto created = deps.desk.CreateTicket(*ctx.actor, t);
  if (SendIfError(ctx, created.status())) return;
  ctx.res.set_header("Location", "/api/v1/tickets/" + std::to_string(created->id.value));
  SendJson(ctx, 201, TicketJson(*created));
}

void ListTickets(ApiDeps deps, RequestContext& ctx) {
  QueryParams p(ctx);
  app::TicketQuery q;
  for (const std::string& s : p.List("status")) {
    if (auto status = ParseTicketStatus(s)) {
      q.statuses.push_back(*status);
    } else {
      p.Error("status", "\"" + s + "\" is not a status; use a comma list of " + Choices(AllTicketStatuses()));
    }
  }
  for (const std::string& s : p.List("channel")) {
    if (auto channel = ParseChannel(s)) {
      q.channels.push_back(*channel);
    } else {
      p.Error("channel", "\"" + s + "\" is not a channel; use a comma list of " + Choices(AllChannels()));
    }
  }
  if (auto assignee = p.String("assignee_id")) {
    if (*assignee == "none") {
      q.unassigned_only = true;
    } else if (auto user = ParsePositiveId(*assignee)) {
      q.assignee_id = UserId(*user);
    } else {
      p.Error("assignee_id", "must be a user id, or none for unassigned tickets");
    }
  }
  if (auto id = p.Id("client_id")) q.client_id = ClientId(*id);
  if (auto id = p.Id("contact_id")) q.contact_id = ContactId(*id);
  if (auto tag = p.String("tag")) {
    auto normalized = NormalizeTag(*tag);
    if (normalized.ok()) {
      q.tag = *normalized;
    } else {
      p.Error("tag", normalized.status().message());
    }
  }
  q.created_from = p.Time("created_from");
  q.created_to = p.Time("created_to");
  q.text = p.String("q").value_or("");
  if (auto sort = p.String("sort")) {
    if (*sort == "last_activity") {
      q.sort = app::TicketSort::kLastActivity;
    } else if (*sort == "newest") {
      q.sort = app::TicketSort::kNewest;
    } else if (*sort == "oldest") {
      q.sort = app::TicketSort::kOldest;
    } else if (*sort == "due") {
      q.sort = app::TicketSort::kDue;
    } else {
      p.Error("sort", "must be one of due, last_activity, newest, oldest");
    }
  } else if (!q.statuses.empty() && std::all_of(q.statuses.begin(), q.statuses.end(), IsOpen)) {
    // A view of open tickets is a work queue: what is due first comes first.
    q.sort = app::TicketSort::kDue;
  }
  q.limit = p.Limit();
  q.cursor = p.String("cursor").value_or("");
  if (SendIfError(ctx, p.Finish())) return;
  auto page = deps.desk.ListTickets(*ctx.actor, q);
  if (SendIfError(ctx, page.status())) return;
  SendJson(ctx, 200, PageJson(page->items, page->next_cursor, TicketRowJson));
}

void GetTicket(ApiDeps deps, RequestContext& ctx) {
  auto id = PathId(ctx);
  if (SendIfError(ctx, id.status())) return;
  auto view = deps.desk.GetTicket(*ctx.actor, TicketId(*id));
  if (SendIfError(ctx, view.status())) return;
  SendJson(ctx, 200, TicketViewJson(*view));
}

void UpdateTicket(ApiDeps deps, RequestContext& ctx) {
  auto id = PathId(ctx);
  if (SendIfError(ctx, id.status())) return;
  auto parsed = JsonFields::Parse(ctx.req.body);
  if (SendIfError(ctx, parsed.status())) return;
  JsonFields& body = *parsed;
  app::TicketChanges c;
  c.subject = body.String("subject");
  if (auto status = body.String("status")) {
    if (auto s = ParseTicketStatus(*status)) {
      c.status = *s;
    } else {
      body.Error("status", "must be one of " + Choices(AllTicketStatuses()));
    }
  }
  if (auto priority = body.String("priority")) {
    if (auto p = ParsePriority(*priority)) {
      c.priority = *p;
    } else {
      body.Error("priority", "must be one of " + Choices(AllPriorities()));
    }
  }
  if (auto assignee = body.NullableId("assignee_id")) {
    c.assignee_id = *assignee ? std::optional<UserId>(UserId(**assignee)) : std::optional<UserId>();
  }
  c.tags = body.StringList("tags");
  if (SendIfError(ctx, body.Finish())) return;
  auto updated = deps.desk.UpdateTicket(*ctx.actor, TicketId(*id), c);
  if (SendIfError(ctx, updated.status())) return;
  SendJson(ctx, 200, TicketJson(*updated));
}

void AddMessage(ApiDeps deps, RequestContext& ctx) {
  auto id = PathId(ctx);
  if (SendIfError(ctx, id.status())) return;
  auto parsed = JsonFields::Parse(ctx.req.body);
  if (SendIfError(ctx, parsed.status())) return;
  JsonFields& body = *parsed;
  app::NewMessage m;
  body.Require("kind");
  body.Require("body");
  if (auto kind = body.String("kind")) {
    if (*kind == "reply") {
      m.kind = MessageKind::kReply;
    } else if (*kind == "note") {
      m.kind = MessageKind::kNote;
    } else {
      body.Error("kind", "must be reply (sent to the contact) or note (seen by the team only)");
    }
  }
  m.body_text = body.String("body").value_or("");
  m.body_html = body.String("body_html").value_or("");
  if (SendIfError(ctx, body.Finish())) return;
  auto added = deps.desk.AddMessage(*ctx.actor, TicketId(*id), m);
  if (SendIfError(ctx, added.status())) return;
  SendJson(ctx, 201, MessageJson(*added));
}

}  // namespace

void AddTicketRoutes(Router& router, ApiDeps deps) {
  router.Add({"POST", "/api/v1/tickets", Auth::kBearer, Access::kStaff, "Open a ticket with its first message",
              Idempotent(deps.idempotency, [deps](RequestContext& ctx) { CreateTicket(deps, ctx); })});
  router.Add({"GET", "/api/v1/tickets", Auth::kBearer, Access::kAnyUser, "List and search tickets",
              [deps](RequestContext& ctx) { ListTickets(deps, ctx); }});
  router.Add({"GET", "/api/v1/tickets/{id}", Auth::kBearer, Access::kAnyUser, "Get a ticket with its messages",
              [deps](RequestContext& ctx) { GetTicket(deps, ctx); }});
  router.Add({"PATCH", "/api/v1/tickets/{id}", Auth::kBearer, Access::kAnyUser,
              "Change a ticket's status, priority, assignee, tags or subject",
              Idempotent(deps.idempotency, [deps](RequestContext& ctx) { UpdateTicket(deps, ctx); })});
  router.Add({"POST", "/api/v1/tickets/{id}/messages", Auth::kBearer, Access::kAnyUser,
              "Add a reply or an internal note to a ticket",
              Idempotent(deps.idempotency, [deps](RequestContext& ctx) { AddMessage(deps, ctx); })});
}

}  // namespace rapport::http::api
