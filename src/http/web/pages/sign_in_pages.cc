#include <httplib.h>


#include "http/web/form.h"
#include "http/web/pages/pages.h"
#include "http/web/view_format.h"
#include "security/digest.h"
#include "security/tokens.h"

namespace rapport::http::web {
namespace {

// The sign-in form has no session yet, so its CSRF token is a double-submit cookie: a random value
// set with the form and posted back in it. A cross-site page can post the form but cannot read the
// cookie to copy its value.
constexpr char kSignInCookie[] = "rapport_sign_in";

std::string CookieValue(const httplib::Request& req, std::string_view name) {
  const std::string header = req.get_header_value("Cookie");
  std::size_t pos = 0;
  while (pos < header.size()) {
    std::size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string_view part(header.data() + pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name && part[name.size()] == '=') {
      return std::string(part.substr(name.size() + 1));
    }
    pos = end + 1;
  }
  return {};
}

// Only a path on this site: "/tickets/4". Anything else ("//evil.example", "https://...") is
// dropped so the sign-in page cannot be used to send people elsewhere.
std::string SafeNext(const std::string& next) {
  if (next.size() < 1 || next[0] != '/' || (next.size() > 1 && (next[1] == '/' || next[1] == '\\'))) return "/";
  for (char c : next) {
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20) return "/";
  }
  return next;
}

std::string CookieAttributes(const WebEnv& env) {
  return std::string("; Path=/; HttpOnly; SameSite=Lax") + (env.options.secure_cookies ? "; Secure" : "");
}

void RenderSignIn(RequestContext& ctx, const WebEnv& env, int status, const std::string& email, const std::string& next,
                  const std::string& error) {
  auto random = security::RandomToken();
  const std::string token = random.ok() ? *random : std::string();
  ctx.res.set_header("Set-Cookie", std::string(kSignInCookie) + "=" + token + CookieAttributes(env) + "; Max-Age=3600");
  Data d = FrameData(ctx, "Sign in", "");
  d.set("csrf_token", token);
  d.set("email", email);
  d.set("next", next);
  d.set("error", error);
  d.set("has_error", !error.empty());
  SendPage(ctx, status, "sign_in", std::move(d));
}

}  // namespace

void ShowSignIn(RequestContext& ctx, const WebEnv& env) {
  const std::string next = SafeNext(QueryParam(ctx.req, "next"));
  const std::string session = CookieValue(ctx.req, kSessionCookie);
  if (!session.empty()) {
    auto resumed = env.deps.accounts.ResumeSession(session);
    if (resumed.ok() && resumed->has_value()) {
      RedirectTo(ctx, next);
      return;
    }
  }
  RenderSignIn(ctx, env, 200, "", next, "");
}

void SignIn(RequestContext& ctx, const WebEnv& env) {
  const Form form(ctx.req);
  const std::string email = form.Get("email");
  const std::string next = SafeNext(form.Get("next"));
  const std::string expected = CookieValue(ctx.req, kSignInCookie);
  if (expected.empty() || !security::ConstantTimeEquals(form.Get("csrf_token"), expected)) {
    RenderSignIn(ctx, env, 403, email, next,
                 "This sign-in form has expired. Please enter your email and password again.");
    return;
  }
  auto signed_in = env.deps.accounts.SignIn(email, form.Get("password"), ctx.req.remote_addr);
  if (!signed_in.ok()) {
    switch (signed_in.status().code()) {
      case StatusCode::kUnauthenticated:
      case StatusCode::kInvalidArgument:
        RenderSignIn(ctx, env, 401, email, next, "That email and password do not match an active account.");
        return;
      case StatusCode::kResourceExhausted:
        RenderSignIn(ctx, env, 429, email, next,
                     "Too many failed sign-ins. Wait 15 minutes and try again, or ask an admin to set a new password.");
        return;
      default:
        RenderSignIn(ctx, env, 503, email, next, "Signing in is not possible right now. Try again in a minute.");
        return;
    }
  }
  ctx.res.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + signed_in->session_cookie +
                                       CookieAttributes(env) + "; Max-Age=1209600");
  RedirectTo(ctx, next);
}

void SignOut(RequestContext& ctx, const WebEnv& env) {
  const std::string session = CookieValue(ctx.req, kSessionCookie);
  if (!session.empty()) {
    // Signing out of a session that is already gone is still a sign-out: ignore the result.
    (void)env.deps.accounts.SignOut(session);
  }
  ctx.res.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + CookieAttributes(env) + "; Max-Age=0");
  RedirectTo(ctx, "/sign-in");
}

}  // namespace rapport::http::web
