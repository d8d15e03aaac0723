// Settings → Email: the business's mailboxes (support address, IMAP and SMTP servers), with their
// health, for owners and admins. Passwords are never put into a page: the form's password fields
// start empty and an empty field keeps the stored password (app::MailSettings).
#include <httplib.h>

#include <map>

#include "app/mail_settings.h"
#include "http/web/form.h"
#include "http/web/pages/pages.h"
#include "http/web/view_format.h"

namespace rapport::http::web {
namespace {

// The form's text fields, by their names in the form; checkboxes are separate.
using Values = std::map<std::string, std::string>;

const char* const kTextFields[] = {
    "name",      "address",     "display_name",          "imap_host",    "imap_port",
    "imap_security", "imap_user", "imap_folder",         "imap_processed_folder", "imap_ca_file",
    "smtp_host", "smtp_port",   "smtp_security",         "smtp_user",    "smtp_ca_file",
};

struct Draft {
  Values values;
  bool fetch_enabled = false;
  bool is_default = false;
  bool imap_has_password = false;
  bool smtp_has_password = false;
};

Draft DraftOf(const app::MailboxSettingsView& v) {
  const app::Mailbox& m = v.mailbox;
  Draft d;
  d.values = {{"name", m.name},
              {"address", m.address},
              {"display_name", m.display_name},
              {"imap_host", m.imap.host},
              {"imap_port", std::to_string(m.imap.port)},
              {"imap_security", std::string(app::TransportSecurityName(m.imap.security))},
              {"imap_user", m.imap.user},
              {"imap_folder", m.imap.folder},
              {"imap_processed_folder", m.imap.processed_folder},
              {"imap_ca_file", m.imap.ca_file},
              {"smtp_host", m.smtp.host},
              {"smtp_port", std::to_string(m.smtp.port)},
              {"smtp_security", std::string(app::TransportSecurityName(m.smtp.security))},
              {"smtp_user", m.smtp.user},
              {"smtp_ca_file", m.smtp.ca_file}};
  d.fetch_enabled = m.fetch_enabled;
  d.is_default = m.is_default;
  d.imap_has_password = v.imap_has_password;
  d.smtp_has_password = v.smtp_has_password;
  return d;
}

// A new mailbox's form starts with the usual ports and security.
Draft NewDraft() { return DraftOf(app::WithoutPasswords(app::Mailbox{})); }

// The port as typed: empty -> leave as is; anything but 1 to 5 digits -> 0, which the use case refuses.
std::optional<int> PortField(const std::string& text) {
  if (text.empty()) return std::nullopt;
  if (text.size() > 5 || text.find_first_not_of("0123456789") != std::string::npos) return 0;
  return std::stoi(text);
}

// Reads the posted form into the use case's fields and a draft to show again after an error.
app::MailboxFields ReadForm(const Form& form, Draft& draft) {
  for (const char* field : kTextFields) draft.values[field] = form.Get(field);
  draft.fetch_enabled = form.Has("fetch_enabled");
  const Values& v = draft.values;
  app::MailboxFields f;
  f.name = v.at("name");
  f.address = v.at("address");
  f.display_name = v.at("display_name");
  f.fetch_enabled = draft.fetch_enabled;
  // Unchecked means "leave it": the default moves only by choosing another mailbox.
  if (form.Has("is_default")) f.is_default = true;
  f.imap.host = v.at("imap_host");
  f.imap.port = PortField(v.at("imap_port"));
  f.imap.security = v.at("imap_security");
  f.imap.user = v.at("imap_user");
  f.imap.password = form.Get("imap_password");
  f.imap.folder = v.at("imap_folder");
  f.imap.processed_folder = v.at("imap_processed_folder");
  f.imap.ca_file = v.at("imap_ca_file");
  f.smtp.host = v.at("smtp_host");
  f.smtp.port = PortField(v.at("smtp_port"));
  f.smtp.security = v.at("smtp_security");
  f.smtp.user = v.at("smtp_user");
  f.smtp.password = form.Get("smtp_password");
  f.smtp.ca_file = v.at("smtp_ca_file");
  return f;
}

Data SecurityOptions(const std::string& selected) {
  return SelectOptions({{"tls", "TLS (implicit, e.g. ports 993 and 465)"},
                        {"starttls", "STARTTLS (e.g. ports 143 and 587)"},
                        {"none", "None (unencrypted, for local servers only)"}},
                       selected);
}

// The form's data: values, checkboxes, password hints, and the field errors under the form's names
// ("imap.host" -> "imap_host"), since a dot in a Mustache name means nesting.
void SetForm(Data& d, const Draft& draft, const Status& result) {
  Data form;
  for (const auto& [name, value] : draft.values) form.set(name, value);
  form.set("fetch_enabled", draft.fetch_enabled);
  form.set("is_default", draft.is_default);
  form.set("imap_has_password", draft.imap_has_password);
  form.set("smtp_has_password", draft.smtp_has_password);
  d.set("form", form);
  d.set("imap_security_options", SecurityOptions(draft.values.count("imap_security") ? draft.values.at("imap_security") : ""));
  d.set("smtp_security_options", SecurityOptions(draft.values.count("smtp_security") ? draft.values.at("smtp_security") : ""));
  Data errors;
  for (const auto& [field, message] : result.field_errors()) {
    std::string name = field;
    for (char& c : name) c = c == '.' ? '_' : c;
    errors.set(name, message);
  }
  d.set("errors", errors);
  d.set("has_error", !result.ok());
  d.set("error", result.ok() ? std::string() : result.message());
}

void SetNotice(Data& d, const std::string& notice) {
  d.set("has_notice", !notice.empty());
  d.set("notice", notice);
}

Data Health(const RequestContext& ctx, const app::Mailbox& m) {
  Data h;
  h.set("has_error", !m.last_error.empty());
  h.set("error", m.last_error);
  h.set("checked", m.last_checked_at.has_value());
  h.set("checked_at", m.last_checked_at ? LocalTime(*m.last_checked_at, ViewerZone(ctx)) : std::string());
  return h;
}

void RenderList(RequestContext& ctx, const WebEnv& env, int status, const Draft& draft, const Status& result,
                const std::string& notice) {
  app::MailSettings settings(env.deps.pool, env.deps.clock);
  auto all = settings.List(*ctx.actor);
  if (!all.ok()) {
    SendStatusPage(ctx, all.status());
    return;
  }
  Data d = FrameData(ctx, "Email", "settings");
  Data list(Data::type::list);
  for (const app::MailboxSettingsView& v : *all) {
    const app::Mailbox& m = v.mailbox;
    Data item;
    item.set("id", std::to_string(m.id.value));
    item.set("name", m.name);
    item.set("address", m.address);
    item.set("is_default", m.is_default);
    item.set("fetch_enabled", m.fetch_enabled);
    item.set("imap_host", m.imap.host);
    item.set("smtp_host", m.smtp.host);
    item.set("health", Health(ctx, m));
    list.push_back(item);
  }
  d.set("mailboxes", list);
  d.set("has_mailboxes", !all->empty());
  SetForm(d, draft, result);
  SetNotice(d, notice);
  d.set("tab_email", true);
  SendPage(ctx, status, "settings_email", std::move(d));
}

struct TestOutcome {
  bool ran = false;
  app::ConnectionTest result;
};

void RenderMailbox(RequestContext& ctx, int status, const app::MailboxSettingsView& stored, const Draft& draft,
                   const Status& result, const std::string& notice, const TestOutcome& test = {}) {
  Data d = FrameData(ctx, stored.mailbox.name + " · Email", "settings");
  d.set("id", std::to_string(stored.mailbox.id.value));
  d.set("mailbox_name", stored.mailbox.name);
  d.set("address", stored.mailbox.address);
  d.set("is_default", stored.mailbox.is_default);
  d.set("health", Health(ctx, stored.mailbox));
  d.set("tested", test.ran);
  d.set("test_ok", test.result.ok);
  d.set("test_error", test.result.error);
  d.set("test_messages", std::to_string(test.result.messages));
  SetForm(d, draft, result);
  SetNotice(d, notice);
  d.set("tab_email", true);
  SendPage(ctx, status, "settings_mailbox", std::move(d));
}

// A failed save: the form again with its errors (400/409/403), or the error page for the rest.
bool IsFormError(StatusCode code) {
  return code == StatusCode::kInvalidArgument || code == StatusCode::kAlreadyExists ||
         code == StatusCode::kPermissionDenied;
}
int FormErrorHttpStatus(StatusCode code) {
  return code == StatusCode::kPermissionDenied ? 403 : code == StatusCode::kAlreadyExists ? 409 : 400;
}

std::string Notice(const RequestContext& ctx) {
  const std::string done = QueryParam(ctx.req, "done");
  if (done == "added") return "Mailbox added.";
  if (done == "saved") return "Mailbox saved.";
  if (done == "deleted") return "Mailbox deleted.";
  return "";
}

// Loads the mailbox named by {id}; sends the error page and returns nullopt when it cannot.
std::optional<app::MailboxSettingsView> LoadOrFail(RequestContext& ctx, app::MailSettings& settings) {
  const MailboxId id(PathId(ctx));
  auto got = settings.Get(*ctx.actor, id);
  if (!got.ok()) {
    SendStatusPage(ctx, got.status());
    return std::nullopt;
  }
  return *got;
}

}  // namespace

void ShowEmailSettings(RequestContext& ctx, const WebEnv& env) {
  if (RefuseUnlessManager(ctx)) return;
  RenderList(ctx, env, 200, NewDraft(), Status::Ok(), Notice(ctx));
}

void AddMailbox(RequestContext& ctx, const WebEnv& env) {
  if (RefuseUnlessManager(ctx)) return;
  const Form form(ctx.req);
  Draft draft;
  const app::MailboxFields fields = ReadForm(form, draft);
  app::MailSettings settings(env.deps.pool, env.deps.clock);
  auto made = settings.Create(*ctx.actor, fields);
  if (!made.ok()) {
    const StatusCode code = made.status().code();
    if (IsFormError(code)) {
      RenderList(ctx, env, FormErrorHttpStatus(code), draft, made.status(), "");
    } else {
      SendStatusPage(ctx, made.status());
    }
    return;
  }
  RedirectTo(ctx, "/settings/email?done=added");
}

void ShowMailbox(RequestContext& ctx, const WebEnv& env) {
  if (RefuseUnlessManager(ctx)) return;
  app::MailSettings settings(env.deps.pool, env.deps.clock);
  auto stored = LoadOrFail(ctx, settings);
  if (!stored) return;
  RenderMailbox(ctx, 200, *stored, DraftOf(*stored), Status::Ok(), Notice(ctx));
}

void SaveMailbox(RequestContext& ctx, const WebEnv& env) {
  if (RefuseUnlessManager(ctx)) return;
  app::MailSettings settings(env.deps.pool, env.deps.clock);
  auto stored = LoadOrFail(ctx, settings);
  if (!stored) return;
  const Form form(ctx.req);
  Draft draft = DraftOf(*stored);
  const app::MailboxFields fields = ReadForm(form, draft);
  auto saved = settings.Update(*ctx.actor, stored->mailbox.id, fields);
  if (!saved.ok()) {
    const StatusCode code = saved.status().code();
    if (IsFormError(code)) {
      RenderMailbox(ctx, FormErrorHttpStatus(code), *stored, draft, saved.status(), "");
    } else {
      SendStatusPage(ctx, saved.status());
    }
    return;
  }
  RedirectTo(ctx, "/settings/email/" + std::to_string(stored->mailbox.id.value) + "?done=saved");
}

void DeleteMailbox(RequestContext& ctx, const WebEnv& env) {
  if (RefuseUnlessManager(ctx)) return;
  app::MailSettings settings(env.deps.pool, env.deps.clock);
  auto stored = LoadOrFail(ctx, settings);
  if (!stored) return;
  const Form form(ctx.req);
  if (form.Get("confirm") != "yes") {
    RenderMailbox(ctx, 400, *stored, DraftOf(*stored),
                  Status::FieldError("confirm", "Tick the box to confirm that this mailbox should be deleted."), "");
    return;
  }
  if (Status deleted = settings.Delete(*ctx.actor, stored->mailbox.id); !deleted.ok()) {
    SendStatusPage(ctx, deleted);
    return;
  }
  RedirectTo(ctx, "/settings/email?done=deleted");
}

void TestMailbox(RequestContext& ctx, const WebEnv& env) {
  if (RefuseUnlessManager(ctx)) return;
  app::MailSettings settings(env.deps.pool, env.deps.clock);
  auto stored = LoadOrFail(ctx, settings);
  if (!stored) return;
  auto tested = settings.TestImap(*ctx.actor, stored->mailbox.id, env.deps.imap);
  if (!tested.ok()) {
    SendStatusPage(ctx, tested.status());
    return;
  }
  RenderMailbox(ctx, 200, *stored, DraftOf(*stored), Status::Ok(), "", TestOutcome{true, *tested});
}

}  // namespace rapport::http::web
