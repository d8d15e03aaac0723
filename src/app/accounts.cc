#include "app/accounts.h"

namespace rapport::app {

Accounts::Accounts(SessionPool& pool, const Clock& clock, AccountsOptions options)
    : pool_(pool),
      clock_(clock),
      options_(options),
      failures_by_email_(options.max_failed_sign_ins, options.sign_in_window),
      failures_by_address_(options.max_failed_sign_ins, options.sign_in_window) {}

Result<User> Accounts::CreateUser(const Actor*, const NewUser&) { return Status::Internal("not implemented yet"); }
Status Accounts::SetPassword(UserId, const std::string&) { return Status::Internal("not implemented yet"); }
Result<SignedIn> Accounts::SignIn(const std::string&, const std::string&, const std::string&) {
  return Status::Internal("not implemented yet");
}
Result<std::optional<SessionInfo>> Accounts::ResumeSession(const std::string&) {
  return Status::Internal("not implemented yet");
}
Status Accounts::SignOut(const std::string&) { return Status::Internal("not implemented yet"); }
Result<std::string> Accounts::CreateApiToken(const std::string&, const std::string&) {
  return Status::Internal("not implemented yet");
}
Result<Actor> Accounts::AuthenticateToken(const std::string&) { return Status::Internal("not implemented yet"); }

}  // namespace rapport::app
