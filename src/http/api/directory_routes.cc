// Clients (the organizations served) and contacts (the people who write in).
#include <httplib.h>

#include "http/api/idempotent.h"
#include "http/api/reply.h"
#include "http/api/routes.h"
#include "http/api/views.h"
#include "http/common/json_fields.h"

namespace rapport::http::api {
namespace {

Result<app::ClientFields> ReadClient(const std::string& text, bool creating) {
  RAPPORT_ASSIGN_OR_RETURN(JsonFields body, JsonFields::Parse(text));
  app::ClientFields f;
  if (creating) body.Require("name");
  f.name = body.String("name");
  f.email_domains = body.StringList("email_domains");
  f.notes = body.String("notes");
  f.plan = body.String("plan");
  f.time_zone = body.String("time_zone");
  RAPPORT_RETURN_IF_ERROR(body.Finish());
  return f;
}

Result<app::ContactFields> ReadContact(const std::string& text, bool creating) {
  RAPPORT_ASSIGN_OR_RETURN(JsonFields body, JsonFields::Parse(text));
  app::ContactFields f;
  if (creating) body.Require("name");
  if (auto client = body.NullableId("client_id")) {
    f.client_id = *client ? std::optional<ClientId>(ClientId(**client)) : std::optional<ClientId>();
  }
  f.name = body.String("name");
  f.emails = body.StringList("emails");
  f.phones = body.StringList("phones");
  if (auto social = body.ObjectList("social_ids")) {
    std::vector<SocialId> ids;
    for (JsonFields& item : *social) {
      item.Require("network");
      item.Require("id");
      ids.push_back({item.String("network").value_or(""), item.String("id").value_or("")});
      body.Absorb(item);
    }
    f.social_ids = std::move(ids);
  }
  RAPPORT_RETURN_IF_ERROR(body.Finish());
  return f;
}

void CreateClient(ApiDeps deps, RequestContext& ctx) {
  auto fields = ReadClient(ctx.req.body, true);
  if (SendIfError(ctx, fields.status())) return;
  auto client = deps.desk.CreateClient(*ctx.actor, *fields);
  if (SendIfError(ctx, client.status())) return;
  ctx.res.set_header("Location", "/api/v1/clients/" + std::to_string(client->id.value));
  SendJson(ctx, 201, ClientJson(*client));
}

void ListClients(ApiDeps deps, RequestContext& ctx) {
  QueryParams p(ctx);
  app::ClientQuery q;
  q.text = p.String("q").value_or("");
  q.limit = p.Limit();
  q.cursor = p.String("cursor").value_or("");
  if (SendIfError(ctx, p.Finish())) return;
  auto page = deps.desk.ListClients(*ctx.actor, q);
  if (SendIfError(ctx, page.status())) return;
  SendJson(ctx, 200, PageJson(page->items, page->next_cursor, ClientJson));
}

void GetClient(ApiDeps deps, RequestContext& ctx) {
  auto id = PathId(ctx);
  if (SendIfError(ctx, id.status())) return;
  auto client = deps.desk.GetClient(*ctx.actor, ClientId(*id));
  if (SendIfError(ctx, client.status())) return;
  SendJson(ctx, 200, ClientJson(*client));
}

void UpdateClient(ApiDeps deps, RequestContext& ctx) {
  auto id = PathId(ctx);
  if (SendIfError(ctx, id.status())) return;
  auto fields = ReadClient(ctx.req.body, false);
  if (SendIfError(ctx, fields.status())) return;
  auto client = deps.desk.UpdateClient(*ctx.actor, ClientId(*id), *fields);
  if (SendIfError(ctx, client.status())) return;
  SendJson(ctx, 200, ClientJson(*client));
}

void CreateContact(ApiDeps deps, RequestContext& ctx) {
  auto fields = ReadContact(ctx.req.body, true);
  if (SendIfError(ctx, fields.status())) return;
  auto contact = deps.desk.CreateContact(*ctx.actor, *fields);
  if (SendIfError(ctx, contact.status())) return;
  ctx.res.set_header("Location", "/api/v1/contacts/" + std::to_string(contact->id.value));
  SendJson(ctx, 201, ContactJson(*contact));
}

void ListContacts(ApiDeps deps, RequestContext& ctx) {
  QueryParams p(ctx);
  app::ContactQuery q;
  if (auto client = p.Id("client_id")) q.client_id = ClientId(*client);
  q.text = p.String("q").value_or("");
  q.limit = p.Limit();
  q.cursor = p.String("cursor").value_or("");
  if (SendIfError(ctx, p.Finish())) return;
  auto page = deps.desk.ListContacts(*ctx.actor, q);
  if (SendIfError(ctx, page.status())) return;
  SendJson(ctx, 200, PageJson(page->items, page->next_cursor, ContactJson));
}

void GetContact(ApiDeps deps, RequestContext& ctx) {
  auto id = PathId(ctx);
  if (SendIfError(ctx, id.status())) return;
  auto contact = deps.desk.GetContact(*ctx.actor, ContactId(*id));
  if (SendIfError(ctx, contact.status())) return;
  SendJson(ctx, 200, ContactJson(*contact));
}

void UpdateContact(ApiDeps deps, RequestContext& ctx) {
  auto id = PathId(ctx);
  if (SendIfError(ctx, id.status())) return;
  auto fields = ReadContact(ctx.req.body, false);
  if (SendIfError(ctx, fields.status())) return;
  auto contact = deps.desk.UpdateContact(*ctx.actor, ContactId(*id), *fields);
  if (SendIfError(ctx, contact.status())) return;
  SendJson(ctx, 200, ContactJson(*contact));
}

}  // namespace

void AddDirectoryRoutes(Router& router, ApiDeps deps) {
  router.Add({"POST", "/api/v1/clients", Auth::kBearer, Access::kStaff, "Create a client",
              Idempotent(deps.idempotency, [deps](RequestContext& ctx) { CreateClient(deps, ctx); })});
  router.Add({"GET", "/api/v1/clients", Auth::kBearer, Access::kStaff, "List clients by name",
              [deps](RequestContext& ctx) { ListClients(deps, ctx); }});
  router.Add({"GET", "/api/v1/clients/{id}", Auth::kBearer, Access::kStaff, "Get a client",
              [deps](RequestContext& ctx) { GetClient(deps, ctx); }});
  router.Add({"PATCH", "/api/v1/clients/{id}", Auth::kBearer, Access::kStaff, "Change a client",
              Idempotent(deps.idempotency, [deps](RequestContext& ctx) { UpdateClient(deps, ctx); })});
  router.Add({"POST", "/api/v1/contacts", Auth::kBearer, Access::kStaff, "Create a contact",
              Idempotent(deps.idempotency, [deps](RequestContext& ctx) { CreateContact(deps, ctx); })});
  router.Add({"GET", "/api/v1/contacts", Auth::kBearer, Access::kStaff, "List contacts by name",
              [deps](RequestContext& ctx) { ListContacts(deps, ctx); }});
  router.Add({"GET", "/api/v1/contacts/{id}", Auth::kBearer, Access::kStaff, "Get a contact",
              [deps](RequestContext& ctx) { GetContact(deps, ctx); }});
  router.Add({"PATCH", "/api/v1/contacts/{id}", Auth::kBearer, Access::kStaff, "Change a contact",
              Idempotent(deps.idempotency, [deps](RequestContext& ctx) { UpdateContact(deps, ctx); })});
}

}  // namespace rapport::http::api
