#include <httplib.h>

#include "http/web/form.h"
#include "http/web/pages/follow_up_pages.h"
#include "http/web/pages/pages.h"
#include "http/web/pages/review_pack_pages.h"
#include "http/web/pages/ticket_rows.h"
#include "http/web/view_format.h"

namespace rapport::http::web {
namespace {

Data StringList(const std::vector<std::string>& values) {
  Data list(Data::type::list);
  for (const std::string& v : values) list.push_back(Data("value", v));
  return list;
}

// Recent tickets of a client or contact, open ones first in the sense of the default order.
Data RecentTickets(const RequestContext& ctx, const WebEnv& env, const Actor& actor, app::TicketQuery q, bool& any) {
  q.limit = 50;
  auto page = env.deps.desk.ListTickets(actor, q);
  any = page.ok() && !page->items.empty();
  if (!page.ok()) return Data(Data::type::list);
  return TicketRowsData(page->items, TeamNames(env.deps.desk, actor), env.deps.clock.Now(), ViewerZone(ctx));
}

}  // namespace

void ShowClients(RequestContext& ctx, const WebEnv& env) {
  const Actor& actor = *ctx.actor;
  app::ClientQuery q;
  q.text = QueryParam(ctx.req, "q");
  q.cursor = QueryParam(ctx.req, "cursor");
  q.limit = 50;
  auto page = env.deps.desk.ListClients(actor, q);
  if (!page.ok()) {
    if (page.status().code() == StatusCode::kInvalidArgument && !q.cursor.empty()) {
      RedirectTo(ctx, q.text.empty() ? "/clients" : "/clients?q=" + UrlEncode(q.text));
      return;
    }
    SendStatusPage(ctx, page.status());
    return;
  }
  Data d = FrameData(ctx, "Clients", "clients");
  Data clients(Data::type::list);
  for (const Client& c : page->items) {
    Data item;
    item.set("name", c.name);
    item.set("url", "/clients/" + std::to_string(c.id.value));
    item.set("domains", StringList(c.email_domains));
    item.set("since", LocalTime(c.created_at, "UTC").substr(0, 12));
    clients.push_back(item);
  }
  d.set("clients", clients);
  d.set("has_clients", !page->items.empty());
  d.set("q", q.text);
  d.set("has_q", !q.text.empty());
  const std::string base = q.text.empty() ? "/clients?" : "/clients?q=" + UrlEncode(q.text) + "&";
  d.set("has_next", page->next_cursor.has_value());
  d.set("next_url", page->next_cursor ? base + "cursor=" + UrlEncode(*page->next_cursor) : std::string());
  d.set("has_first", !q.cursor.empty());
  d.set("first_url", q.text.empty() ? std::string("/clients") : "/clients?q=" + UrlEncode(q.text));
  SendPage(ctx, 200, "clients", std::move(d));
}

void ShowClient(RequestContext& ctx, const WebEnv& env) {
  RenderClientPage(ctx, env, ClientId(PathId(ctx)), 200, Status::Ok());
}

void RenderClientPage(RequestContext& ctx, const WebEnv& env, ClientId id, int status, const Status& result) {
  const Actor& actor = *ctx.actor;
  auto client = env.deps.desk.GetClient(actor, id);
  if (!client.ok()) {
    SendStatusPage(ctx, client.status());
    return;
  }
  Data d = FrameData(ctx, client->name, "clients");
  Data c;
  c.set("name", client->name);
  c.set("notes", client->notes);
  c.set("has_notes", !client->notes.empty());
  c.set("domains", StringList(client->email_domains));
  c.set("has_domains", !client->email_domains.empty());
  c.set("id", std::to_string(client->id.value));
  c.set("plan", client->plan);
  c.set("time_zone", client->time_zone);
  d.set("client", c);

  app::ContactQuery cq;
  cq.client_id = client->id;
  cq.limit = app::kMaxPageSize;
  auto contacts = env.deps.desk.ListContacts(actor, cq);
  Data list(Data::type::list);
  if (contacts.ok()) {
    for (const Contact& k : contacts->items) {
      Data item;
      item.set("name", k.name.empty() ? (k.emails.empty() ? std::string("(no name)") : k.emails[0]) : k.name);
      item.set("url", "/contacts/" + std::to_string(k.id.value));
      item.set("emails", StringList(k.emails));
      item.set("phones", StringList(k.phones));
      list.push_back(item);
    }
  }
  d.set("contacts", list);
  d.set("has_contacts", contacts.ok() && !contacts->items.empty());

  app::TicketQuery tq;
  tq.client_id = client->id;
  bool any = false;
  d.set("tickets", RecentTickets(ctx, env, actor, tq, any));
  d.set("has_tickets", any);
  AddRemindMeData(d, env, ctx, std::nullopt, client->id);
  AddClientReviewData(d, env, actor, client->id);
  AddReviewPackListData(d, env.deps, actor, client->id, ViewerZone(ctx));
  SetFormOutcome(d, result, "");
  SendPage(ctx, status, "client", std::move(d));
}

void ShowContact(RequestContext& ctx, const WebEnv& env) {
  const Actor& actor = *ctx.actor;
  const std::int64_t id = PathId(ctx);
  auto contact = env.deps.desk.GetContact(actor, ContactId(id));
  if (!contact.ok()) {
    SendStatusPage(ctx, contact.status());
    return;
  }
  const std::string name =
      contact->name.empty() ? (contact->emails.empty() ? std::string("(no name)") : contact->emails[0]) : contact->name;
  Data d = FrameData(ctx, name, "clients");
  Data k;
  k.set("name", name);
  k.set("emails", StringList(contact->emails));
  k.set("phones", StringList(contact->phones));
  Data socials(Data::type::list);
  for (const SocialId& s : contact->social_ids) {
    Data item;
    item.set("network", s.network);
    item.set("id", s.id);
    socials.push_back(item);
  }
  k.set("socials", socials);
  k.set("has_addresses", !contact->emails.empty() || !contact->phones.empty() || !contact->social_ids.empty());
  d.set("contact", k);
  if (contact->client_id) {
    auto client = env.deps.desk.GetClient(actor, *contact->client_id);
    if (client.ok()) {
      Data c;
      c.set("name", client->name);
      c.set("url", "/clients/" + std::to_string(client->id.value));
      d.set("client", c);
    }
  }
  app::TicketQuery tq;
  tq.contact_id = contact->id;
  bool any = false;
  d.set("tickets", RecentTickets(ctx, env, actor, tq, any));
  d.set("has_tickets", any);
  SendPage(ctx, 200, "contact", std::move(d));
}

void SaveClientZone(RequestContext& ctx, const WebEnv& env) {
  const ClientId id(PathId(ctx));
  app::ClientFields f;
  f.time_zone = Form(ctx.req).Get("time_zone");
  auto saved = env.deps.desk.UpdateClient(*ctx.actor, id, f);
  AnswerPost(ctx, saved.status(), "/clients/" + std::to_string(id.value),
             [&](int status) { RenderClientPage(ctx, env, id, status, saved.status()); });
}

}  // namespace rapport::http::web
