#pragma once
// The web UI's routes: sign-in, the inbox, tickets, clients and contacts, settings, and the
// static files under /static/. Pages are Auth::kCookie (the router signs people in, checks CSRF on
// posts and each route's Access); /sign-in and /static are public.

#include "http/router.h"
#include "http/server.h"
#include "http/web/page.h"

namespace rapport::http {

// Adds every web route to `router`. `deps` must outlive the router. `options.secure_cookies` adds
// the Secure flag to the session cookie (pass HttpOptions::secure_cookies).
void AddWebRoutes(Router& router, const HttpDeps& deps, const web::WebOptions& options = {});

}  // namespace rapport::http
