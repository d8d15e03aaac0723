#include <date/tz.h>
#include <httplib.h>

#include <exception>
#include <functional>
#include <limits>

#include "app/validation.h"
#include "http/web/form.h"
#include "http/web/pages/pages.h"
#include "http/web/view_format.h"

namespace rapport::http::web {

// The route already requires kManageSettings; asking again here keeps the page safe if a route is
// ever declared more loosely, and gives the 403 page its own words.
bool RefuseUnlessManager(RequestContext& ctx) {
  if (ctx.actor && CanManageSettings(*ctx.actor)) return false;
  SendErrorPage(ctx, 403, "Only owners and admins can change settings",
                "Ask an owner or admin of this workspace if something here needs to change.");
  return true;
}

Data TimeZoneOptions(const std::string& selected) {
  std::vector<std::pair<std::string, std::string>> zones;
  try {
    for (const date::time_zone& z : date::get_tzdb().zones) zones.emplace_back(std::string(z.name()), std::string(z.name()));
  } catch (const std::exception&) {
    // No tz database: offer at least UTC and the current value.
  }
  if (zones.empty()) zones.emplace_back("UTC", "UTC");
  bool found = false;
  for (const auto& z : zones) found = found || z.first == selected;
  if (!found && !selected.empty()) zones.emplace_back(selected, selected);
  return SelectOptions(zones, selected);
}

namespace {
Data FieldErrors(const Status& s) {
  Data errors;
  for (const auto& [field, message] : s.field_errors()) errors.set(field, message);
  return errors;
}
}  // namespace

// What the last form post did: its field errors and message, or a notice of success.
void SetFormOutcome(Data& d, const Status& result, const std::string& notice) {
  d.set("errors", FieldErrors(result));
  d.set("has_error", !result.ok());
  d.set("error", result.ok() ? std::string() : result.message());
  d.set("has_notice", !notice.empty());
  d.set("notice", notice);
}

namespace {

void RenderSettings(RequestContext& ctx, int status, const Workspace& w, const Status& result,
                    const std::string& notice) {
  Data d = FrameData(ctx, "Settings", "settings");
  d.set("name", w.name);
  d.set("currency", w.currency);
  d.set("time_zone_options", TimeZoneOptions(w.time_zone));
  d.set("acknowledge_requests", w.acknowledge_requests);
  d.set("nudge_after_days", std::to_string(w.nudge_after_days));
  d.set("nudge_limit", std::to_string(w.nudge_limit));
  d.set("review_pack_days", std::to_string(w.review_pack_days));
  SetFormOutcome(d, result, notice);
  d.set("tab_workspace", true);
  SendPage(ctx, status, "settings", std::move(d));
}

// Saves one of the settings page's forms: `edit` changes the stored settings by what that form
// carries (or returns its field errors), and the rest is kept. On a field error the page shows
// again with what was typed.
void SaveWorkspaceForm(RequestContext& ctx, const WebEnv& env,
                       const std::function<Status(Workspace&, const Form&)>& edit) {
  if (RefuseUnlessManager(ctx)) return;
  auto current = env.deps.desk.GetWorkspace(*ctx.actor);
  if (!current.ok()) {
    SendStatusPage(ctx, current.status());
    return;
  }
  Workspace w = *current;
  Status result = edit(w, Form(ctx.req));
  if (result.ok()) result = env.deps.desk.UpdateWorkspace(*ctx.actor, w).status();
  AnswerPost(ctx, result, "/settings?done=saved", [&](int status) { RenderSettings(ctx, status, w, result, ""); });
}

struct UserDraft {
  std::string name, email, role = "agent", time_zone = "UTC";
};

void RenderUsers(RequestContext& ctx, const WebEnv& env, int status, const UserDraft& draft, const Status& result,
                 const std::string& notice) {
  const Actor& actor = *ctx.actor;
  auto users = env.deps.desk.ListUsers(actor);
  if (!users.ok()) {
    SendStatusPage(ctx, users.status());
    return;
  }
  Data d = FrameData(ctx, "Team", "settings");
  Data list(Data::type::list);
  for (const User& u : *users) {
    Data item;
    item.set("name", u.name);
    item.set("email", u.email);
    item.set("role", RoleLabel(u.role));
    item.set("time_zone", u.time_zone);
    item.set("active", u.active);
    item.set("id", std::to_string(u.id.value));
    item.set("on_call", u.on_call);
    list.push_back(item);
  }
  d.set("users", list);
  std::vector<std::pair<std::string, std::string>> roles;
  for (Role r : AllRoles()) {
    if (CanGrantRole(actor, r)) roles.emplace_back(std::string(Name(r)), RoleLabel(r));
  }
  d.set("role_options", SelectOptions(roles, draft.role));
  d.set("time_zone_options", TimeZoneOptions(draft.time_zone));
  d.set("draft_name", draft.name);
  d.set("draft_email", draft.email);
  SetFormOutcome(d, result, notice);
  d.set("tab_users", true);
  SendPage(ctx, status, "settings_users", std::move(d));
}

}  // namespace

void ShowSettings(RequestContext& ctx, const WebEnv& env) {
  if (RefuseUnlessManager(ctx)) return;
  auto w = env.deps.desk.GetWorkspace(*ctx.actor);
  if (!w.ok()) {
    SendStatusPage(ctx, w.status());
    return;
  }
  RenderSettings(ctx, 200, *w, Status::Ok(), QueryParam(ctx.req, "done") == "saved" ? "Settings saved." : "");
}

void SaveSettings(RequestContext& ctx, const WebEnv& env) {
  SaveWorkspaceForm(ctx, env, [](Workspace& w, const Form& form) {
    w.name = form.Get("name");
    w.time_zone = form.Get("time_zone");
    w.currency = form.Get("currency");
    return Status::Ok();
  });
}

void SaveFollowUps(RequestContext& ctx, const WebEnv& env) {
  SaveWorkspaceForm(ctx, env, [](Workspace& w, const Form& form) {
    w.acknowledge_requests = form.Get("acknowledge_requests") == "yes";
    app::FieldErrors errors;
    // Any whole number passes to the use case, whose field error names the range and the unit.
    const auto count = [&](const char* field, int& into) {
      if (auto n = form.Int(field, std::numeric_limits<int>::min(), std::numeric_limits<int>::max())) {
        into = *n;
      } else {
        errors.Add(field, "must be a whole number");
      }
    };
    count("nudge_after_days", w.nudge_after_days);
    count("nudge_limit", w.nudge_limit);
    count("review_pack_days", w.review_pack_days);
    return errors.ToStatus();
  });
}

void ShowUsers(RequestContext& ctx, const WebEnv& env) {
  if (RefuseUnlessManager(ctx)) return;
  RenderUsers(ctx, env, 200, UserDraft{}, Status::Ok(), QueryParam(ctx.req, "done") == "added" ? "User added." : "");
}

void AddUser(RequestContext& ctx, const WebEnv& env) {
  if (RefuseUnlessManager(ctx)) return;
  const Form form(ctx.req);
  UserDraft draft;
  draft.name = form.Get("name");
  draft.email = form.Get("email");
  draft.role = form.Get("role");
  draft.time_zone = form.Get("time_zone");
  app::NewUser u;
  u.name = draft.name;
  u.email = draft.email;
  u.time_zone = draft.time_zone.empty() ? std::string("UTC") : draft.time_zone;
  u.password = form.Get("password");
  auto role = ParseRole(draft.role);
  if (!role) {
    RenderUsers(ctx, env, 400, draft, Status::FieldError("role", "Choose a role from the list."), "");
    return;
  }
  u.role = *role;
  auto created = env.deps.accounts.CreateUser(&*ctx.actor, u);
  if (!created.ok()) {
    const StatusCode code = created.status().code();
    if (code == StatusCode::kInvalidArgument || code == StatusCode::kAlreadyExists ||
        code == StatusCode::kPermissionDenied) {
      RenderUsers(ctx, env, code == StatusCode::kPermissionDenied ? 403 : 400, draft, created.status(), "");
    } else {
      SendStatusPage(ctx, created.status());
    }
    return;
  }
  RedirectTo(ctx, "/settings/users?done=added");
}

}  // namespace rapport::http::web
