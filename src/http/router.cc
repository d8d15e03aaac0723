#include "http/router.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <exception>
#include <string_view>

#include "app/accounts.h"
#include "http/common/problem.h"
#include "security/digest.h"

namespace rapport::http {
namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 1;  // paths start with '/'
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool IsParam(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

// Matches `path` against `pattern`. Returns the number of literal segments (higher = more
// specific) or -1 for no match; fills `params`.
int Match(const std::string& pattern, const std::string& path, std::map<std::string, std::string>& params) {
  if (path.empty() || path.front() != '/') return -1;
  const auto want = Segments(pattern);
  const auto got = Segments(path);
  if (want.size() != got.size()) return -1;
  int literals = 0;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (IsParam(want[i])) {
      if (got[i].empty()) return -1;
      found.emplace(std::string(want[i].substr(1, want[i].size() - 2)), std::string(got[i]));
    } else if (want[i] == got[i]) {
      ++literals;
    } else {
      return -1;
    }
  }
  params = std::move(found);
  return literals;
}

bool IsSafeMethod(const std::string& method) { return method == "GET" || method == "HEAD"; }

void SendError(const httplib::Request& req, httplib::Response& res, int http_status, const std::string& detail) {
  if (IsApiPath(req.path)) {
    SendProblem(res, http_status, detail);
  } else {
    SendErrorPage(res, http_status, detail);
  }
}

std::string CookieValue(const httplib::Request& req, const std::string& name) {
  for (std::size_t i = 0; i < req.get_header_value_count("Cookie"); ++i) {
    const std::string header = req.get_header_value("Cookie", i);
    std::size_t pos = 0;
    while (pos < header.size()) {
      std::size_t end = header.find(';', pos);
      if (end == std::string::npos) end = header.size();
      std::string_view pair(header.data() + pos, end - pos);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      const std::size_t eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
      pos = end + 1;
    }
  }
  return "";
}

// The CSRF token a form or an htmx request sent: the X-CSRF-Token header, the urlencoded field,
// or the multipart field.
std::string SubmittedCsrfToken(const httplib::Request& req) {
  if (req.has_header("X-CSRF-Token")) return req.get_header_value("X-CSRF-Token");
  if (req.is_multipart_form_data()) {
    return req.has_file("csrf_token") ? req.get_file_value("csrf_token").content : "";
  }
  // httplib parses an application/x-www-form-urlencoded body into params; the query string lands
  // there too, so only trust it when it came from the body.
  if (req.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) == 0) {
    httplib::Params body_fields;
    httplib::detail::parse_query_text(req.body, body_fields);
    auto it = body_fields.find("csrf_token");
    if (it != body_fields.end()) return it->second;
  }
  return "";
}

// Drops whatever the handler had written (keeping the security headers) and answers 500.
void ReplaceWithServerError(const httplib::Request& req, httplib::Response& res) {
  for (const char* header : {"Content-Type", "Content-Length", "Location"}) res.headers.erase(header);
  res.body.clear();
  SendError(req, res, 500, "the server failed while handling this request; the error is in the server's log");
}

bool Allowed(Access access, const std::optional<Actor>& actor) {
  switch (access) {
    case Access::kAnyone: return true;
    case Access::kAnyUser: return actor.has_value();
    case Access::kStaff: return actor.has_value() && actor->role != Role::kSubcontractor;
    case Access::kManageSettings: return actor.has_value() && CanManageSettings(*actor);
  }
  return false;
}

}  // namespace

bool IsApiPath(const std::string& path) { return path == "/api" || path.rfind("/api/", 0) == 0; }

std::string Router::Dispatch(const httplib::Request& req, httplib::Response& res) const {
  const std::string method = req.method == "HEAD" ? "GET" : req.method;
  const Route* best = nullptr;
  int best_score = -1;
  std::map<std::string, std::string> best_params;
  std::string allow;
  for (const Route& route : routes_) {
    std::map<std::string, std::string> params;
    const int score = Match(route.pattern, req.path, params);
    if (score < 0) continue;
    if (route.method != method) {
      if (allow.find(route.method) == std::string::npos) allow += (allow.empty() ? "" : ", ") + route.method;
      continue;
    }
    if (score > best_score) {
      best = &route;
      best_score = score;
      best_params = std::move(params);
    }
  }
  if (best == nullptr) {
    if (!allow.empty()) {
      res.set_header("Allow", allow);
      SendError(req, res, 405, "this address does not accept " + req.method + "; it accepts " + allow);
      return "unmatched";
    }
    SendError(req, res, 404, "there is nothing at " + req.path);
    return "unmatched";
  }

  try {
    RequestContext ctx{req, res, std::nullopt, "", std::move(best_params), std::nullopt};
    switch (best->auth) {
      case Auth::kNone: break;
      case Auth::kBearer: {
        const std::string header = req.get_header_value("Authorization");
        constexpr std::string_view kScheme = "Bearer ";
        if (header.size() <= kScheme.size() || header.compare(0, kScheme.size(), kScheme) != 0) {
          res.set_header("WWW-Authenticate", "Bearer realm=\"rapport\"");
          SendProblem(res, 401, "send an API token in the header \"Authorization: Bearer TOKEN\" "
                                "(create one with `rapport user token`)");
          return best->pattern;
        }
        auto actor = accounts_.AuthenticateToken(header.substr(kScheme.size()));
        if (!actor.ok()) {
          if (actor.status().code() == StatusCode::kUnauthenticated) {
            res.set_header("WWW-Authenticate", "Bearer realm=\"rapport\", error=\"invalid_token\"");
          }
          SendStatus(res, actor.status());
          return best->pattern;
        }
        ctx.actor = *actor;
        break;
      }
      case Auth::kCookie: {
        const std::string cookie = CookieValue(req, kSessionCookie);
        std::optional<app::SessionInfo> session;
        if (!cookie.empty()) {
          auto resumed = accounts_.ResumeSession(cookie);
          if (!resumed.ok()) {
            SendErrorPage(res, HttpStatusFor(resumed.status().code()), resumed.status().message());
            return best->pattern;
          }
          session = std::move(resumed).value();
        }
        if (!session) {
          const std::string next = IsSafeMethod(req.method) ? (req.target.empty() ? req.path : req.target) : "/";
          const std::string sign_in = "/sign-in?next=" + httplib::detail::encode_query_param(next);
          if (req.get_header_value("HX-Request") == "true") {
            // An htmx request would follow a 303 and swap the whole sign-in page into a fragment:
            // ask htmx to load the sign-in page itself instead.
            res.set_header("HX-Redirect", sign_in);
            SendErrorPage(res, 401, "your session has ended; sign in again");
            return best->pattern;
          }
          res.status = 303;
          res.set_header("Location", sign_in);
          return best->pattern;
        }
        if (!IsSafeMethod(req.method) &&
            !security::ConstantTimeEquals(SubmittedCsrfToken(req), session->csrf_token)) {
          SendErrorPage(res, 403,
                        "this form has expired or did not come from Rapport; reload the page and try again");
          return best->pattern;
        }
        ctx.actor = session->actor;
        ctx.csrf_token = session->csrf_token;
        session->user.password_hash.clear();
        ctx.user = std::move(session->user);
        break;
      }
    }
    if (!Allowed(best->access, ctx.actor)) {
      SendError(req, res, 403, "your role may not use " + best->method + " " + best->pattern);
      return best->pattern;
    }
    best->handler(ctx);
  } catch (const std::exception& e) {
    spdlog::error("{} {} failed with an exception: {}", req.method, best->pattern, e.what());
    ReplaceWithServerError(req, res);
  } catch (...) {
    spdlog::error("{} {} failed with an exception of unknown type", req.method, best->pattern);
    ReplaceWithServerError(req, res);
  }
  return best->pattern;
}

}  // namespace rapport::http
