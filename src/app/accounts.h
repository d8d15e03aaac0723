#pragma once
// Sign-in and credentials: users with Argon2id passwords, API bearer tokens, web sessions with a
// CSRF token each, and a limit on sign-in attempts. Secrets are never stored: tokens and session ids
// are kept as SHA-256 hashes, passwords as Argon2id strings.

#include <mutex>
#include <optional>
#include <string>

#include "app/ports/clock.h"
#include "app/session_pool.h"
#include "core/permissions.h"
#include "core/rate_limit.h"

namespace rapport::app {

struct NewUser {
  std::string email;
  std::string name;
  Role role = Role::kAgent;
  std::string time_zone = "UTC";
  std::string password;  // at least 10 characters; empty = no password sign-in
};

struct SignedIn {
  User user;
  std::string session_cookie;  // the secret for the cookie; only its hash is stored
  std::string csrf_token;      // to embed in every form of this session
};

struct SessionInfo {
  Actor actor;
  User user;
  std::string csrf_token;
};

struct AccountsOptions {
  // Argon2id cost. The defaults are libsodium's "interactive" limits; tests lower them.
  unsigned long long argon_ops = 2;
  std::size_t argon_mem_bytes = 64u << 20;
  std::chrono::seconds session_lifetime{std::chrono::hours(24 * 14)};
  // At most this many failed sign-ins per email and per client address in the window.
  int max_failed_sign_ins = 5;
  std::chrono::seconds sign_in_window{std::chrono::minutes(15)};
};

class Accounts {
 public:
  Accounts(SessionPool& pool, const Clock& clock, AccountsOptions options = {});

  // Creates a user. The first user of a workspace may be created by nobody (actor == nullptr,
  // used by the CLI and the demo seed); later ones need an actor with CanGrantRole.
  // kInvalidArgument (email, password, time zone), kAlreadyExists (email), kPermissionDenied.
  Result<User> CreateUser(const Actor* actor, const NewUser& u);
  Status SetPassword(UserId user, const std::string& password);

  // kUnauthenticated for a wrong email or password (the same message for both), an inactive user;
  // kResourceExhausted after too many failures for that email or client address.
  Result<SignedIn> SignIn(const std::string& email, const std::string& password, const std::string& client_address);
  // nullopt for an unknown or expired session.
  Result<std::optional<SessionInfo>> ResumeSession(const std::string& session_cookie);
  Status SignOut(const std::string& session_cookie);

  // Creates an API token for the user with that email and returns it (shown once).
  Result<std::string> CreateApiToken(const std::string& user_email, const std::string& label);
  // kUnauthenticated for an unknown token or an inactive user.
  Result<Actor> AuthenticateToken(const std::string& token);

 private:
  SessionPool& pool_;
  const Clock& clock_;
  AccountsOptions options_;
  std::mutex limiter_mu_;
  RateLimiter failures_by_email_;    // GUARDED_BY(limiter_mu_)
  RateLimiter failures_by_address_;  // GUARDED_BY(limiter_mu_)
};

}  // namespace rapport::app
