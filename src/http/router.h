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
