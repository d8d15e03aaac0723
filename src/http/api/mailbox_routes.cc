// The business's mailboxes (support address, IMAP and SMTP servers), for owners and admins.
// Passwords are write-only: bodies may set imap.password / smtp.password, answers only say
// has_password.
#include <httplib.h>

#include <algorithm>
#include <memory>

#include "app/mail_settings.h"
#include "http/api/idempotent.h"
#include "http/api/reply.h"
#include "http/api/routes.h"
#include "http/common/json_fields.h"

namespace rapport::http::api {
namespace {

using nlohmann::json;

struct Env {
  app::MailSettings settings;
  app::ImapConnector* imap;
};

json MailboxJson(const app::MailboxSettingsView& v) {
  const app::Mailbox& m = v.mailbox;
  return {
      {"id", m.id.value},
      {"name", m.name},
      {"address", m.address},
      {"display_name", m.display_name},
      {"is_default", m.is_default},
      {"fetch_enabled", m.fetch_enabled},
      {"imap",
       {{"host", m.imap.host},
        {"port", m.imap.port},
        {"security", std::string(app::TransportSecurityName(m.imap.security))},
        {"user", m.imap.user},
        {"has_password", v.imap_has_password},
        {"folder", m.imap.folder},
        {"processed_folder", m.imap.processed_folder},
        {"ca_file", m.imap.ca_file}}},
      {"smtp",
       {{"host", m.smtp.host},
        {"port", m.smtp.port},
        {"security", std::string(app::TransportSecurityName(m.smtp.security))},
        {"user", m.smtp.user},
        {"has_password", v.smtp_has_password},
        {"ca_file", m.smtp.ca_file}}},
      {"last_error", m.last_error},
      {"last_checked_at", m.last_checked_at ? json(FormatRfc3339(*m.last_checked_at)) : json(nullptr)},
      {"uid_validity", m.uid_validity},
      {"last_uid", m.last_uid},
  };
}

// A port as JSON gives it: JsonFields checks "positive integer"; the use case checks the upper bound
// (anything larger is passed on as 65536 so that it cannot overflow an int).
std::optional<int> Port(JsonFields& f) {
  auto v = f.Id("port");
  if (!v) return std::nullopt;
  return static_cast<int>(std::min<std::int64_t>(*v, 65536));
}

Result<app::MailboxFields> ReadMailbox(const std::string& text, bool creating) {
  RAPPORT_ASSIGN_OR_RETURN(JsonFields body, JsonFields::Parse(text));
  app::MailboxFields f;
  if (creating) {
    body.Require("name");
    body.Require("address");
    body.Require("smtp");
  }
  f.name = body.String("name");
  f.address = body.String("address");
  f.display_name = body.String("display_name");
  f.is_default = body.Bool("is_default");
  f.fetch_enabled = body.Bool("fetch_enabled");
  if (auto imap = body.Object("imap")) {
    f.imap.host = imap->String("host");
    f.imap.port = Port(*imap);
    f.imap.security = imap->String("security");
    f.imap.user = imap->String("user");
    f.imap.password = imap->String("password");
    f.imap.folder = imap->String("folder");
    f.imap.processed_folder = imap->String("processed_folder");
    f.imap.ca_file = imap->String("ca_file");
    body.Absorb(*imap);
  }
  if (auto smtp = body.Object("smtp")) {
    f.smtp.host = smtp->String("host");
    f.smtp.port = Port(*smtp);
    f.smtp.security = smtp->String("security");
    f.smtp.user = smtp->String("user");
    f.smtp.password = smtp->String("password");
    f.smtp.ca_file = smtp->String("ca_file");
    body.Absorb(*smtp);
  }
  RAPPORT_RETURN_IF_ERROR(body.Finish());
  return f;
}

void ListMailboxes(Env& env, RequestContext& ctx) {
  QueryParams p(ctx);
  if (SendIfError(ctx, p.Finish())) return;
  auto all = env.settings.List(*ctx.actor);
  if (SendIfError(ctx, all.status())) return;
  SendJson(ctx, 200, PageJson(*all, std::nullopt, MailboxJson));
}

void CreateMailbox(Env& env, RequestContext& ctx) {
  auto fields = ReadMailbox(ctx.req.body, true);
  if (SendIfError(ctx, fields.status())) return;
  auto made = env.settings.Create(*ctx.actor, *fields);
  if (SendIfError(ctx, made.status())) return;
  ctx.res.set_header("Location", "/api/v1/mailboxes/" + std::to_string(made->mailbox.id.value));
  SendJson(ctx, 201, MailboxJson(*made));
}

void GetMailbox(Env& env, RequestContext& ctx) {
  auto id = PathId(ctx);
  if (SendIfError(ctx, id.status())) return;
  auto got = env.settings.Get(*ctx.actor, MailboxId(*id));
  if (SendIfError(ctx, got.status())) return;
  SendJson(ctx, 200, MailboxJson(*got));
}

void UpdateMailbox(Env& env, RequestContext& ctx) {
  auto id = PathId(ctx);
  if (SendIfError(ctx, id.status())) return;
  auto fields = ReadMailbox(ctx.req.body, false);
  if (SendIfError(ctx, fields.status())) return;
  auto saved = env.settings.Update(*ctx.actor, MailboxId(*id), *fields);
  if (SendIfError(ctx, saved.status())) return;
  SendJson(ctx, 200, MailboxJson(*saved));
}

void DeleteMailbox(Env& env, RequestContext& ctx) {
  auto id = PathId(ctx);
  if (SendIfError(ctx, id.status())) return;
  if (SendIfError(ctx, env.settings.Delete(*ctx.actor, MailboxId(*id)))) return;
  ctx.res.status = 204;
}

void TestMailbox(Env& env, RequestContext& ctx) {
  auto id = PathId(ctx);
  if (SendIfError(ctx, id.status())) return;
  auto tested = env.settings.TestImap(*ctx.actor, MailboxId(*id), env.imap);
  if (SendIfError(ctx, tested.status())) return;
  SendJson(ctx, 200,
           {{"ok", tested->ok},
            {"error", tested->ok ? json(nullptr) : json(tested->error)},
            {"messages", tested->messages},
            {"uid_validity", tested->uid_validity}});
}

}  // namespace

void AddMailboxRoutes(Router& router, MailboxApiDeps deps) {
  // Shared by the handlers, which live as long as the router: shared_ptr because std::function must
  // be copyable.
  auto env = std::make_shared<Env>(Env{app::MailSettings(deps.pool, deps.clock), deps.imap});
  auto bind = [env](void (*handler)(Env&, RequestContext&)) {
    return [env, handler](RequestContext& ctx) { handler(*env, ctx); };
  };
  router.Add({"GET", "/api/v1/mailboxes", Auth::kBearer, Access::kManageSettings,
              "List the mailboxes (support addresses with their IMAP and SMTP servers)", bind(&ListMailboxes)});
  router.Add({"POST", "/api/v1/mailboxes", Auth::kBearer, Access::kManageSettings, "Add a mailbox",
              Idempotent(deps.idempotency, bind(&CreateMailbox))});
  router.Add({"GET", "/api/v1/mailboxes/{id}", Auth::kBearer, Access::kManageSettings,
              "Get a mailbox (passwords are never returned)", bind(&GetMailbox)});
  router.Add({"PATCH", "/api/v1/mailboxes/{id}", Auth::kBearer, Access::kManageSettings,
              "Change a mailbox; a password left out is kept", Idempotent(deps.idempotency, bind(&UpdateMailbox))});
  router.Add({"DELETE", "/api/v1/mailboxes/{id}", Auth::kBearer, Access::kManageSettings, "Delete a mailbox",
              Idempotent(deps.idempotency, bind(&DeleteMailbox))});
  router.Add({"POST", "/api/v1/mailboxes/{id}/test", Auth::kBearer, Access::kManageSettings,
              "Connect to the mailbox's IMAP server and report its folder", bind(&TestMailbox)});
}

}  // namespace rapport::http::api
