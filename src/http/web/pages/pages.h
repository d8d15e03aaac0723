#pragma once
// The page handlers of the web UI. routes.cc binds each to its method and path; the router has
// already authenticated the user, checked CSRF on writes and the route's declared access.

#include "http/web/page.h"

namespace rapport::http::web {

// GET /sign-in, POST /sign-in, POST /sign-out (sign_in_pages.cc).
void ShowSignIn(RequestContext& ctx, const WebEnv& env);
void SignIn(RequestContext& ctx, const WebEnv& env);
void SignOut(RequestContext& ctx, const WebEnv& env);

// GET / (inbox_page.cc). An htmx request gets only the ticket list.
void ShowInbox(RequestContext& ctx, const WebEnv& env);

// GET /tickets/{id}, POST /tickets/{id}/messages, POST /tickets/{id} (ticket_page.cc).
void ShowTicket(RequestContext& ctx, const WebEnv& env);
void AddTicketMessage(RequestContext& ctx, const WebEnv& env);
void UpdateTicketFields(RequestContext& ctx, const WebEnv& env);
// The whole ticket page with `status`; `notice` and `error` show above the conversation and `draft`
// refills the reply box (a form posted elsewhere, such as "Remind me", shows its mistake here).
void RenderTicketPage(RequestContext& ctx, const WebEnv& env, TicketId id, int status, const std::string& notice,
                      const std::string& error, const std::string& draft);

// GET /clients, /clients/{id}, /contacts/{id} (client_pages.cc).
void ShowClients(RequestContext& ctx, const WebEnv& env);
void ShowClient(RequestContext& ctx, const WebEnv& env);
void ShowContact(RequestContext& ctx, const WebEnv& env);
// The whole client page with `status` and the outcome of a form posted from it (its plan, zone,
// review or reminder form): the error shows at the top, the field errors by their fields.
void RenderClientPage(RequestContext& ctx, const WebEnv& env, ClientId id, int status, const Status& result);

// GET/POST /settings, GET/POST /settings/users (settings_pages.cc). Owner and admin only.
void ShowSettings(RequestContext& ctx, const WebEnv& env);
void SaveSettings(RequestContext& ctx, const WebEnv& env);
void SaveFollowUps(RequestContext& ctx, const WebEnv& env);  // acknowledgements and nudges, on /settings
void ShowUsers(RequestContext& ctx, const WebEnv& env);
void AddUser(RequestContext& ctx, const WebEnv& env);

// GET/POST /settings/email, GET/POST /settings/email/{id}, POST /settings/email/{id}/delete and
// /test (email_settings_pages.cc). Owner and admin only.
void ShowEmailSettings(RequestContext& ctx, const WebEnv& env);
void AddMailbox(RequestContext& ctx, const WebEnv& env);
void ShowMailbox(RequestContext& ctx, const WebEnv& env);
void SaveMailbox(RequestContext& ctx, const WebEnv& env);
void DeleteMailbox(RequestContext& ctx, const WebEnv& env);
void TestMailbox(RequestContext& ctx, const WebEnv& env);

// Shared by the settings pages (settings_pages.cc). RefuseUnlessManager sends the 403 page and
// returns true unless the user is an owner or admin; TimeZoneOptions lists the tz database's zones;
// SetFormOutcome sets a form's "errors" (per field), "error" and "notice".
bool RefuseUnlessManager(RequestContext& ctx);
Data TimeZoneOptions(const std::string& selected);
void SetFormOutcome(Data& d, const Status& result, const std::string& notice);

// Business hours, holidays and response policies (promise_pages.cc); owner and admin only.
void ShowBusinessHours(RequestContext& ctx, const WebEnv& env);
void SaveBusinessHours(RequestContext& ctx, const WebEnv& env);
void ShowHolidays(RequestContext& ctx, const WebEnv& env);
void AddHoliday(RequestContext& ctx, const WebEnv& env);
void DeleteHoliday(RequestContext& ctx, const WebEnv& env);
void ShowPromises(RequestContext& ctx, const WebEnv& env);
void AddPromisePolicy(RequestContext& ctx, const WebEnv& env);
void SavePromisePolicy(RequestContext& ctx, const WebEnv& env);
void DeletePromisePolicy(RequestContext& ctx, const WebEnv& env);
// POST /clients/{id}/plan (staff), POST /profile/on-call (oneself), POST /settings/users/{id}/on-call
// (owner and admin).
void SaveClientPlan(RequestContext& ctx, const WebEnv& env);
void SaveClientZone(RequestContext& ctx, const WebEnv& env);  // a client's time zone (client_pages.cc)
void SetMyOnCall(RequestContext& ctx, const WebEnv& env);
void SetUserOnCall(RequestContext& ctx, const WebEnv& env);

// Options of a <select>: a list of {value, label, selected}.
Data SelectOptions(const std::vector<std::pair<std::string, std::string>>& options, const std::string& selected);

}  // namespace rapport::http::web
