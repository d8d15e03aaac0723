#include "app/accounts.h"

#include <variant>

#include "app/audit_detail.h"
#include "app/unit_of_work.h"
#include "app/validation.h"
#include "core/identity.h"
#include "security/digest.h"
#include "security/passwords.h"
#include "security/tokens.h"

namespace rapport::app {
namespace {

constexpr std::size_t kMinPasswordChars = 10;
constexpr std::size_t kMaxPasswordBytes = 1024;  // bounds the work an attacker can ask of Argon2
constexpr std::size_t kMaxNameChars = 200;
constexpr std::size_t kMaxTokenLabelChars = 100;
constexpr std::string_view kTokenPrefix = "rpt_";
constexpr std::size_t kMaxKeyBytes = 256;  // of a rate-limiter key (an email or a client address)
// One message for an unknown email and a wrong password, so sign-in does not tell which emails exist.
constexpr const char* kWrongCredentials = "wrong email or password";

using Done = std::monostate;

std::optional<std::string> PasswordProblem(const std::string& password) {
  if (CharacterCount(password) < kMinPasswordChars) {
    return "must have at least " + std::to_string(kMinPasswordChars) + " characters";
  }
  if (password.size() > kMaxPasswordBytes) return "must have at most " + std::to_string(kMaxPasswordBytes) + " bytes";
  return std::nullopt;
}

Status Audit(StoreSession& s, std::optional<UserId> actor, std::int64_t user_id, std::string action,
             const AuditDetail& detail, Instant now) {
  AuditEntry e;
  // An actor without a stored id (the CLI's console owner) is recorded as the system.
  e.actor_id = actor && actor->valid() ? actor : std::nullopt;
  e.entity = "user";
  e.entity_id = user_id;
  e.action = std::move(action);
  e.detail = detail.ToJson();
  e.at = now;
  return s.AppendAudit(e);
}

}  // namespace

Accounts::Accounts(SessionPool& pool, const Clock& clock, AccountsOptions options)
    : pool_(pool),
      clock_(clock),
      options_(options),
      failures_by_email_(options.max_failed_sign_ins, options.sign_in_window),
      failures_by_address_(options.max_failed_sign_ins, options.sign_in_window) {}

Result<User> Accounts::CreateUser(const Actor* actor, const NewUser& u) {
  if (actor != nullptr && !CanGrantRole(*actor, u.role)) {
    return Status::PermissionDenied(CanManageUsers(*actor) ? "only an owner may create another owner"
                                                           : "only an owner or admin may add users");
  }
  FieldErrors errors;
  User user;
  if (auto email = NormalizeEmail(u.email); email.ok()) {
    user.email = *email;
  } else {
    errors.Add("email", email.status().message());
  }
  user.name = std::string(Trim(u.name));
  if (user.name.empty()) user.name = user.email.substr(0, user.email.find('@'));
  errors.CheckText("name", user.name, kMaxNameChars);
  if (Name(u.role) == "unknown") errors.Add("role", "is not one of owner, admin, agent, subcontractor");
  user.role = u.role;
  user.time_zone = std::string(Trim(u.time_zone));
  if (!IsKnownTimeZone(user.time_zone)) {
    errors.Add("time_zone", "'" + user.time_zone + "' is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)");
  }
  if (!u.password.empty()) {
    if (auto problem = PasswordProblem(u.password)) errors.Add("password", *problem);
  }
  RAPPORT_RETURN_IF_ERROR(errors.ToStatus());

  // Hash before the transaction: Argon2 is slow on purpose and must not hold a database lock.
  if (!u.password.empty()) {
    RAPPORT_ASSIGN_OR_RETURN(user.password_hash,
                             security::HashPassword(u.password, {options_.argon_ops, options_.argon_mem_bytes}));
  }
  user.active = true;
  user.created_at = clock_.Now();

  return InTransaction(pool_, [&](StoreSession& s) -> Result<User> {
    if (actor == nullptr) {
      // Nobody may act only to create the first user of a workspace (the CLI and the demo seed).
      RAPPORT_ASSIGN_OR_RETURN(auto existing, s.ListUsers());
      if (!existing.empty()) {
        return Status::PermissionDenied("the workspace already has users: an owner or admin must add new ones");
      }
    }
    RAPPORT_ASSIGN_OR_RETURN(auto existing_email, s.FindUserByEmail(user.email));
    if (existing_email) {
      return Status(StatusCode::kAlreadyExists, "a user with email " + user.email + " already exists")
          .AddFieldError("email", "is already taken");
    }
    RAPPORT_ASSIGN_OR_RETURN(user.id, s.InsertUser(user));
    AuditDetail d;
    d.Set("email", user.email).Set("name", user.name).Set("role", Name(user.role)).Set("time_zone", user.time_zone);
    RAPPORT_RETURN_IF_ERROR(Audit(s, actor ? std::optional(actor->id) : std::nullopt, user.id.value, "create", d,
                                  user.created_at));
    return s.GetUser(user.id);
  });
}

Status Accounts::SetPassword(UserId user, const std::string& password) {
  if (auto problem = PasswordProblem(password)) return Status::FieldError("password", *problem);
  auto hash = security::HashPassword(password, {options_.argon_ops, options_.argon_mem_bytes});
  if (!hash.ok()) return hash.status();
  return InTransaction(pool_, [&](StoreSession& s) -> Result<Done> {
           RAPPORT_ASSIGN_OR_RETURN(User u, s.GetUser(user));
           u.password_hash = *hash;
           RAPPORT_RETURN_IF_ERROR(s.UpdateUser(u));
           RAPPORT_RETURN_IF_ERROR(Audit(s, std::nullopt, u.id.value, "set_password", AuditDetail{}, clock_.Now()));
           return Done{};
         })
      .status();
}

Result<SignedIn> Accounts::SignIn(const std::string& email, const std::string& password,
                                  const std::string& client_address) {
  const Instant now = clock_.Now();
  auto normalized = NormalizeEmail(email);
  // An unparseable email is limited under its raw spelling, so it cannot dodge the limit either.
  // Keys are capped in length: the limiter keeps them in memory for the whole window.
  const std::string email_key = normalized.ok() ? *normalized : std::string(Trim(email).substr(0, kMaxKeyBytes));
  const std::string address_key = client_address.substr(0, kMaxKeyBytes);
  {
    std::lock_guard<std::mutex> lock(limiter_mu_);
    if (failures_by_email_.Exceeded(email_key, now) ||
        (!address_key.empty() && failures_by_address_.Exceeded(address_key, now))) {
      return Status::ResourceExhausted("too many failed sign-ins; wait " +
                                       std::to_string(options_.sign_in_window.count() / 60) +
                                       " minutes and try again, or ask an owner to reset your password");
    }
  }
  const auto record_failure = [&] {
    std::lock_guard<std::mutex> lock(limiter_mu_);
    failures_by_email_.Record(email_key, now);
    if (!address_key.empty()) failures_by_address_.Record(address_key, now);
  };

  // The look-up runs on its own and the session is written in a transaction after the password
  // check: Argon2 is slow on purpose, and no transaction should stay open while it runs.
  std::optional<User> user;
  if (normalized.ok()) {
    auto lease = pool_.Acquire();
    if (!lease.ok()) return lease.status();
    RAPPORT_ASSIGN_OR_RETURN(user, (*lease)->FindUserByEmail(*normalized));
  }
  if (!user || user->password_hash.empty()) {
    // Spend the time a real check would take, so the answer's timing does not reveal that the
    // email is unknown: hashing costs the same as verifying with the same Argon2 parameters.
    (void)security::HashPassword(password.substr(0, kMaxPasswordBytes), {options_.argon_ops, options_.argon_mem_bytes});
    record_failure();
    return Status::Unauthenticated(kWrongCredentials);
  }
  if (password.size() > kMaxPasswordBytes || !security::VerifyPassword(user->password_hash, password)) {
    record_failure();
    return Status::Unauthenticated(kWrongCredentials);
  }
  if (!user->active) {
    return Status::Unauthenticated("this account is deactivated; ask an owner or admin to reactivate it");
  }
  {
    std::lock_guard<std::mutex> lock(limiter_mu_);
    failures_by_email_.Reset(email_key);
  }

  RAPPORT_ASSIGN_OR_RETURN(std::string cookie, security::RandomToken());
  RAPPORT_ASSIGN_OR_RETURN(std::string csrf, security::RandomToken());
  WebSession session;
  session.id_hash = security::Sha256Hex(cookie);
  session.user_id = user->id;
  session.csrf_token = csrf;
  session.created_at = now;
  session.expires_at = now + options_.session_lifetime;
  auto stored = InTransaction(pool_, [&](StoreSession& s) -> Result<Done> {
    RAPPORT_RETURN_IF_ERROR(s.DeleteExpiredWebSessions(now));
    RAPPORT_RETURN_IF_ERROR(s.InsertWebSession(session));
    AuditDetail d;
    if (!address_key.empty()) d.Set("client_address", address_key);
    RAPPORT_RETURN_IF_ERROR(Audit(s, user->id, user->id.value, "sign_in", d, now));
    return Done{};
  });
  if (!stored.ok()) return stored.status();
  SignedIn out;
  out.user = *user;
  out.session_cookie = std::move(cookie);
  out.csrf_token = std::move(csrf);
  return out;
}

Result<std::optional<SessionInfo>> Accounts::ResumeSession(const std::string& session_cookie) {
  if (session_cookie.empty() || session_cookie.size() > 256) return std::optional<SessionInfo>();
  const std::string id_hash = security::Sha256Hex(session_cookie);
  const Instant now = clock_.Now();
  // Read-only: every signed-in page runs this, so it must not take the write lock. Expired sessions
  // are simply not honoured here; SignIn purges them.
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) -> Result<std::optional<SessionInfo>> {
    RAPPORT_ASSIGN_OR_RETURN(auto session, s.FindWebSession(id_hash));
    if (!session || session->expires_at <= now) return std::optional<SessionInfo>();
    auto user = s.GetUser(session->user_id);
    if (!user.ok() && user.status().code() != StatusCode::kNotFound) return user.status();
    if (!user.ok() || !user->active) return std::optional<SessionInfo>();
    SessionInfo info;
    info.actor = Actor{user->id, user->role};
    info.user = *user;
    info.csrf_token = session->csrf_token;
    return std::optional<SessionInfo>(std::move(info));
  });
}

Status Accounts::SignOut(const std::string& session_cookie) {
  if (session_cookie.empty()) return Status::Ok();
  const std::string id_hash = security::Sha256Hex(session_cookie);
  return InTransaction(pool_, [&](StoreSession& s) -> Result<Done> {
           RAPPORT_ASSIGN_OR_RETURN(auto session, s.FindWebSession(id_hash));
           if (!session) return Done{};  // signing out twice is not an error
           RAPPORT_RETURN_IF_ERROR(s.DeleteWebSession(id_hash));
           RAPPORT_RETURN_IF_ERROR(
               Audit(s, session->user_id, session->user_id.value, "sign_out", AuditDetail{}, clock_.Now()));
           return Done{};
         })
      .status();
}

Result<std::string> Accounts::CreateApiToken(const std::string& user_email, const std::string& label) {
  auto email = NormalizeEmail(user_email);
  if (!email.ok()) return Status::FieldError("email", email.status().message());
  const std::string clean_label(Trim(label));
  if (CharacterCount(clean_label) > kMaxTokenLabelChars) {
    return Status::FieldError("label", "must have at most " + std::to_string(kMaxTokenLabelChars) + " characters");
  }
  RAPPORT_ASSIGN_OR_RETURN(std::string secret, security::RandomToken());
  std::string token = std::string(kTokenPrefix) + secret;
  const Instant now = clock_.Now();
  return InTransaction(pool_, [&](StoreSession& s) -> Result<std::string> {
    RAPPORT_ASSIGN_OR_RETURN(auto user, s.FindUserByEmail(*email));
    if (!user) return Status::NotFound("no user has the email " + *email);
    if (!user->active) return Status::Conflict(user->email + " is deactivated: reactivate the user before giving them a token");
    RAPPORT_RETURN_IF_ERROR(s.InsertApiToken(user->id, security::Sha256Hex(token), clean_label, now));
    AuditDetail d;
    d.Set("label", clean_label);
    RAPPORT_RETURN_IF_ERROR(Audit(s, std::nullopt, user->id.value, "create_api_token", d, now));
    return token;
  });
}

Result<Actor> Accounts::AuthenticateToken(const std::string& token) {
  if (token.size() <= kTokenPrefix.size() || token.size() > 256 || token.compare(0, kTokenPrefix.size(), kTokenPrefix) != 0) {
    return Status::Unauthenticated("not a Rapport API token (it starts with rpt_)");
  }
  const std::string hash = security::Sha256Hex(token);
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) -> Result<Actor> {
    RAPPORT_ASSIGN_OR_RETURN(auto user_id, s.FindUserIdByTokenHash(hash));
    if (!user_id) return Status::Unauthenticated("unknown API token");
    auto user = s.GetUser(*user_id);
    if (!user.ok()) {
      if (user.status().code() == StatusCode::kNotFound) return Status::Unauthenticated("unknown API token");
      return user.status();
    }
    if (!user->active) return Status::Unauthenticated("the token's user is deactivated");
    return Actor{user->id, user->role};
  });
}

}  // namespace rapport::app
