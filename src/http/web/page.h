#pragma once
// What every page handler shares: the dependencies, the frame of a signed-in page (who is signed
// in, the navigation, the CSRF token for forms), and the ways a handler answers (a page, an
// htmx fragment, a redirect, an error page).

#include <functional>
#include <string>

#include "app/calendar_feed.h"
#include "app/client_reviews.h"
#include "app/notices.h"
#include "app/reminders.h"
#include "core/status.h"
#include "http/router.h"
#include "http/server.h"
#include "http/web/templates.h"

namespace rapport::http::web {

struct WebOptions {
  bool secure_cookies = false;  // add Secure to the session cookie (the site is served over TLS)
};

struct WebEnv {
  WebEnv(const HttpDeps& d, const WebOptions& o)
      : deps(d),
        options(o),
        notices(d.pool, d.clock),
        reminders(d.pool, d.clock),
        reviews(d.pool, d.clock),
        feed(d.pool, d.clock) {}
  HttpDeps deps;
  WebOptions options;
  // The follow-up use cases, made once with the env. They hold only the pool and the clock (like
  // deps' references, calling them changes nothing of the env), hence mutable in the shared const env.
  mutable app::Notices notices;
  mutable app::Reminders reminders;
  mutable app::ClientReviews reviews;
  mutable app::CalendarFeed feed;
};

// The data of layout.mustache for a signed-in page: title, the user's name and role, which nav
// entry is current ("inbox", "clients", "settings"), what the role may see, and the CSRF token.
Data FrameData(RequestContext& ctx, const std::string& title, const std::string& nav);

// The IANA time zone the signed-in person reads times in (their profile's), "UTC" without one.
std::string ViewerZone(const RequestContext& ctx);

// The path parameter `name` ({id} by default) as a positive id; 0 when it is absent or not one
// (the use case then answers "not found").
std::int64_t PathId(const RequestContext& ctx, const char* name = "id");

// True when htmx made the request (it then gets a fragment instead of a whole page).
bool IsHtmx(const RequestContext& ctx);

void SendPage(RequestContext& ctx, int status, std::string_view page, Data data);
void SendFragment(RequestContext& ctx, std::string_view fragment, Data data);
// 303 See Other, so that reloading the page after a form post does not post again.
void RedirectTo(RequestContext& ctx, const std::string& location);
// Answers a form post: success redirects (303) to `done`, a page with "?done=<keyword>" that names
// its notice (never free text in the URL); a form mistake (kInvalidArgument -> 400, kAlreadyExists ->
// 409) calls rerender(status) to show the form again with what was typed and the errors; anything
// else gets the error page (SendStatusPage).
void AnswerPost(RequestContext& ctx, const Status& result, const std::string& done,
                const std::function<void(int status)>& rerender);
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
