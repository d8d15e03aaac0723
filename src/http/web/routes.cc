#include "http/web/routes.h"

#include <memory>

#include "http/web/pages/pages.h"
#include "http/web/pages/report_pages.h"
#include "http/web/pages/review_pack_pages.h"
#include "http/web/pages/follow_up_pages.h"
#include "http/web/pages/ticket_mail_parts.h"
#include "http/web/static_files.h"

namespace rapport::http {

void AddWebRoutes(Router& router, const HttpDeps& deps, const web::WebOptions& options) {
  // Shared by every handler of the table, which lives as long as the router: shared_ptr because
  // std::function must be copyable.
  auto env = std::make_shared<const web::WebEnv>(deps, options);
  auto add = [&](const char* method, const char* pattern, Auth auth, Access access, const char* summary,
                 void (*page)(RequestContext&, const web::WebEnv&)) {
    router.Add(Route{method, pattern, auth, access, summary, [env, page](RequestContext& ctx) { page(ctx, *env); }});
  };
  add("GET", "/sign-in", Auth::kNone, Access::kAnyone, "The sign-in form", &web::ShowSignIn);
  add("POST", "/sign-in", Auth::kNone, Access::kAnyone, "Sign in with email and password", &web::SignIn);
  add("POST", "/sign-out", Auth::kCookie, Access::kAnyUser, "Sign out of this browser", &web::SignOut);

  add("GET", "/", Auth::kCookie, Access::kAnyUser, "The inbox: views, filters, search", &web::ShowInbox);
  add("GET", "/tickets/{id}", Auth::kCookie, Access::kAnyUser, "A ticket's conversation", &web::ShowTicket);
  add("POST", "/tickets/{id}", Auth::kCookie, Access::kAnyUser, "Change status, priority, assignee, tags",
      &web::UpdateTicketFields);
  add("POST", "/tickets/{id}/messages", Auth::kCookie, Access::kAnyUser, "Reply or add an internal note",
      &web::AddTicketMessage);
  add("GET", "/tickets/{id}/attachments/{attachment_id}", Auth::kCookie, Access::kAnyUser,
      "An attachment of a ticket's mail", &web::DownloadAttachment);
  add("POST", "/tickets/{id}/deliveries/{outbox_id}/retry", Auth::kCookie, Access::kAnyUser,
      "Send a failed email again", &web::RetryDelivery);

  add("GET", "/clients", Auth::kCookie, Access::kStaff, "Clients", &web::ShowClients);
  add("GET", "/clients/{id}", Auth::kCookie, Access::kStaff, "A client's contacts and tickets", &web::ShowClient);
  add("GET", "/contacts/{id}", Auth::kCookie, Access::kStaff, "A contact's addresses and tickets", &web::ShowContact);

  add("GET", "/settings", Auth::kCookie, Access::kManageSettings, "Workspace settings", &web::ShowSettings);
  add("POST", "/settings", Auth::kCookie, Access::kManageSettings, "Save workspace settings", &web::SaveSettings);
  add("POST", "/settings/follow-ups", Auth::kCookie, Access::kManageSettings,
      "Save the acknowledgement and nudge settings", &web::SaveFollowUps);
  add("GET", "/settings/users", Auth::kCookie, Access::kManageSettings, "The team", &web::ShowUsers);
  add("POST", "/settings/users", Auth::kCookie, Access::kManageSettings, "Add a user", &web::AddUser);
  add("GET", "/settings/email", Auth::kCookie, Access::kManageSettings, "Mailboxes and their health",
      &web::ShowEmailSettings);
  add("POST", "/settings/email", Auth::kCookie, Access::kManageSettings, "Add a mailbox", &web::AddMailbox);
  add("GET", "/settings/email/{id}", Auth::kCookie, Access::kManageSettings, "A mailbox's settings", &web::ShowMailbox);
  add("POST", "/settings/email/{id}", Auth::kCookie, Access::kManageSettings, "Save a mailbox", &web::SaveMailbox);
  add("POST", "/settings/email/{id}/delete", Auth::kCookie, Access::kManageSettings, "Delete a mailbox",
      &web::DeleteMailbox);
  add("POST", "/settings/email/{id}/test", Auth::kCookie, Access::kManageSettings,
      "Test the connection to a mailbox's IMAP server", &web::TestMailbox);
  // Notices, reminders, client reviews, the profile and the calendar feed (follow_up_pages.cc).
  web::AddFollowUpPages(router, env);
  add("GET", "/settings/business-hours", Auth::kCookie, Access::kManageSettings, "Business hours and time zone",
      &web::ShowBusinessHours);
  add("POST", "/settings/business-hours", Auth::kCookie, Access::kManageSettings, "Save the business hours",
      &web::SaveBusinessHours);
  add("GET", "/settings/holidays", Auth::kCookie, Access::kManageSettings, "Holidays", &web::ShowHolidays);
  add("POST", "/settings/holidays", Auth::kCookie, Access::kManageSettings, "Add a holiday", &web::AddHoliday);
  add("POST", "/settings/holidays/{id}/delete", Auth::kCookie, Access::kManageSettings, "Delete a holiday",
      &web::DeleteHoliday);
  add("GET", "/settings/promises", Auth::kCookie, Access::kManageSettings, "Response policies", &web::ShowPromises);
  add("POST", "/settings/promises", Auth::kCookie, Access::kManageSettings, "Add a response policy",
      &web::AddPromisePolicy);
  add("POST", "/settings/promises/{id}", Auth::kCookie, Access::kManageSettings, "Save a response policy",
      &web::SavePromisePolicy);
  add("POST", "/settings/promises/{id}/delete", Auth::kCookie, Access::kManageSettings, "Delete a response policy",
      &web::DeletePromisePolicy);
  add("POST", "/clients/{id}/plan", Auth::kCookie, Access::kStaff, "Set a client's plan", &web::SaveClientPlan);
  add("POST", "/clients/{id}/time-zone", Auth::kCookie, Access::kStaff, "Set a client's time zone",
      &web::SaveClientZone);
  add("POST", "/profile/on-call", Auth::kCookie, Access::kAnyUser, "Go on call or off call", &web::SetMyOnCall);
  add("POST", "/settings/users/{id}/on-call", Auth::kCookie, Access::kManageSettings, "Put a person on or off call",
      &web::SetUserOnCall);

  web::AddReportPages(router, deps);  // /reports (report_pages.cc)
  web::AddReviewPackPages(router, deps);  // /clients/{id}/review-packs/{pack_id} (review_pack_pages.cc)

  router.Add(Route{"GET", "/static/{file}", Auth::kNone, Access::kAnyone, "Static files (CSS, JS), versioned",
                   [](RequestContext& ctx) { web::ServeStaticFile(ctx); }});
}

}  // namespace rapport::http
