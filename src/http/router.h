#pragma once
// One table of every route, used three ways: to serve requests, to generate and check the OpenAPI
// document, and by the test that walks every route with every role. A route declares who may call
// it; the router authenticates (bearer token for /api, session cookie for pages), checks CSRF on
// cookie-authenticated writes, and enforces the declared access before the handler runs.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/permissions.h"

namespace httplib {
struct Request;
struct Response;
class Server;
}  // namespace httplib

namespace rapport::http {

enum class Auth {
  kNone,    // public: sign-in page, /healthz, /metrics, static assets
  kBearer,  // API: Authorization: Bearer TOKEN
  kCookie,  // web pages: the session cookie; writes need the CSRF token
};

// Who may call a route, checked from the actor's role (per-object rules, like a subcontractor's
// own tickets, are the use case's job).
enum class Access {
  kAnyone,         // with Auth::kNone
  kAnyUser,        // every signed-in role
  kStaff,          // owner, admin, agent (not subcontractors): clients, contacts, creating tickets
  kManageSettings, // owner, admin
};

struct RequestContext {
  const httplib::Request& req;
  httplib::Response& res;
  std::optional<Actor> actor;        // set for Auth::kBearer / kCookie routes
  std::string csrf_token;            // the session's token, for forms (cookie routes)
  std::map<std::string, std::string> path_params;  // {id} -> "42"
  // The signed-in user (cookie routes), read with the session, so that pages need not read it again
  // for the name in the header or the time zone of dates. Without its password hash.
  std::optional<User> user;
};

struct Route {
  std::string method;   // GET, POST, PATCH, DELETE
  std::string pattern;  // OpenAPI style: /api/v1/tickets/{id}
  Auth auth = Auth::kBearer;
  Access access = Access::kAnyUser;
  std::string summary;  // one line, for the OpenAPI document
  std::function<void(RequestContext&)> handler;
};

}  // namespace rapport::http

namespace rapport::app {
class Accounts;
}  // namespace rapport::app

namespace rapport::http {

// The name of the web sign-in cookie; its value is the secret that app::Accounts::ResumeSession takes.
inline constexpr const char* kSessionCookie = "rapport_session";

// The route table and the dispatcher in front of it. Add every route before serving: the table is
// read by the server's threads without a lock, so it must not change once requests arrive.
//
// For each request Dispatch():
//   1. finds the route whose pattern matches the path (literal segments beat {params}); no pattern ->
//      404, a pattern without this method -> 405 with Allow (problem+json under /api, a plain page
//      elsewhere);
//   2. authenticates: kBearer -> the Authorization header through Accounts::AuthenticateToken, 401
//      problem+json when missing or wrong; kCookie -> the rapport_session cookie through
//      Accounts::ResumeSession, a 303 to /sign-in?next=... when there is none (for an htmx request,
//      HX-Request: true, a 401 with HX-Redirect to that address, so the whole page goes to sign in);
//   3. on kCookie routes with a method other than GET/HEAD, checks CSRF: the form field csrf_token or
//      the X-CSRF-Token header must equal the session's token, else 403;
//   4. checks the route's Access against the actor's role, else 403;
//   5. runs the handler. An exception escaping it becomes a 500 problem+json (the server never dies).
class Router {
 public:
  explicit Router(app::Accounts& accounts) : accounts_(accounts) {}
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Inline so that route providers (the web UI) need only this header, not the library.
  void Add(Route route) { routes_.push_back(std::move(route)); }
  const std::vector<Route>& routes() const { return routes_; }

  // Serves one request and returns the pattern of the route that matched ("" when none did), for
  // the request metrics.
  std::string Dispatch(const httplib::Request& req, httplib::Response& res) const;

 private:
  app::Accounts& accounts_;
  std::vector<Route> routes_;
};

// True for paths served as JSON (problem+json errors) rather than pages.
bool IsApiPath(const std::string& path);

}  // namespace rapport::http
