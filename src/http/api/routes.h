#pragma once
// The JSON API under /api/v1: tickets, messages, clients, contacts, users, the workspace and the
// caller. Each Add* function adds its routes to the router's table; handlers turn JSON into app
// use-case calls and the results back into JSON, and do nothing else.

#include "app/desk.h"
#include "app/idempotency.h"
#include "app/ports/clock.h"
#include "app/ports/email.h"
#include "app/session_pool.h"
#include "http/router.h"

namespace rapport::http::api {

struct ApiDeps {
  app::Desk& desk;
  app::IdempotencyKeys& idempotency;
};

void AddTicketRoutes(Router& router, ApiDeps deps);
void AddDirectoryRoutes(Router& router, ApiDeps deps);  // clients and contacts
void AddTeamRoutes(Router& router, ApiDeps deps);       // users, workspace, me

// The mailboxes' settings (mailbox_routes.cc), owner and admin only. `imap` tests connections; null
// when the server runs without mail (the test route then answers 503).
struct MailboxApiDeps {
  app::SessionPool& pool;
  const app::Clock& clock;
  app::ImapConnector* imap;
  app::IdempotencyKeys& idempotency;
};
void AddMailboxRoutes(Router& router, MailboxApiDeps deps);

// Notices and reminders of the caller (follow_up_routes.cc).
struct FollowUpApiDeps {
  app::SessionPool& pool;
  const app::Clock& clock;
  app::IdempotencyKeys& idempotency;
};
void AddFollowUpRoutes(Router& router, FollowUpApiDeps deps);

// Business hours, holidays and response policies (promise_routes.cc): every role reads, owners and
// admins change.
struct PromiseApiDeps {
  app::SessionPool& pool;
  const app::Clock& clock;
  app::IdempotencyKeys& idempotency;
};
void AddPromiseRoutes(Router& router, PromiseApiDeps deps);

inline void AddApiRoutes(Router& router, ApiDeps deps) {
  AddTicketRoutes(router, deps);
  AddDirectoryRoutes(router, deps);
  AddTeamRoutes(router, deps);
}

}  // namespace rapport::http::api
