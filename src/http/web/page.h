#pragma once
// What every page handler shares: the dependencies, the frame of a signed-in page (who is signed
// in, the navigation, the CSRF token for forms), and the ways a handler answers (a page, an
// htmx fragment, a redirect, an error page).

#include <string>

#include "core/status.h"
#include "http/router.h"
#include "http/server.h"
#include "http/web/templates.h"

namespace rapport::http::web {

struct WebOptions {
  bool secure_cookies = false;  // add Secure to the session cookie (the site is served over TLS)
};

struct WebEnv {
  HttpDeps deps;
  WebOptions options;
};

// The data of layout.mustache for a signed-in page: title, the user's name and role, which nav
// entry is current ("inbox", "clients", "settings"), what the role may see, and the CSRF token.
Data FrameData(RequestContext& ctx, const std::string& title, const std::string& nav);

// True when htmx made the request (it then gets a fragment instead of a whole page).
bool IsHtmx(const RequestContext& ctx);

void SendPage(RequestContext& ctx, int status, std::string_view page, Data data);
void SendFragment(RequestContext& ctx, std::string_view fragment, Data data);
// 303 See Other, so that reloading the page after a form post does not post again.
void RedirectTo(RequestContext& ctx, const std::string& location);
// A calm error page (404, 403, 503 ...) that keeps the navigation.
void SendErrorPage(RequestContext& ctx, int status, const std::string& title,
                   const std::string& detail);
// The error page for a failed use case: kNotFound -> 404, kPermissionDenied -> 403, ...
void SendStatusPage(RequestContext& ctx, const Status& status);

// The same calm error page as a whole document, without the signed-in frame: for answers the
// router gives before any page handler runs (an unknown path, a role that may not open a page, an
// expired form). `title` and `detail` are escaped.
std::string StandaloneErrorPage(int status, const std::string& title, const std::string& detail);

// Security headers of every HTML answer (CSP without inline script, no framing, no sniffing).
void SetPageHeaders(RequestContext& ctx);

}  // namespace rapport::http::web
