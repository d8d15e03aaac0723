// Accounts against a real store, on SQLite and PostgreSQL.

#include "app/accounts.h"

#include <gtest/gtest.h>

#include "app_fixture.h"
#include "security/digest.h"

namespace rapport::app {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

class AccountsTest : public AppTest {};

TEST_P(AccountsTest, FirstUserNeedsNoActorButLaterOnesDo) {
  auto first = accounts().CreateUser(nullptr, {"  Boss@Example.COM ", "Boss", Role::kOwner, "UTC", "first password"});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->email, "boss@example.com");
  EXPECT_TRUE(first->id.valid());
  EXPECT_TRUE(first->active);
  EXPECT_EQ(first->created_at, kStartTime);

  auto second = accounts().CreateUser(nullptr, {"other@example.com", "Other", Role::kOwner, "UTC", "other password"});
  EXPECT_EQ(second.status().code(), StatusCode::kPermissionDenied);
}

TEST_P(AccountsTest, ConsoleOwnerWithoutIdIsAuditedAsTheSystem) {
  MakeTeam();
  const Actor console{UserId(), Role::kOwner};  // what `rapport user add` acts as
  auto u = accounts().CreateUser(&console, {"cli@desk.test", "", Role::kAdmin, "UTC", "cli password 1"});
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->name, "cli") << "an empty name falls back to the email's local part";
  auto entries = Must(db().NewSession()->ListAudit("user", u->id.value, 10));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_FALSE(entries[0].actor_id.has_value());
}

TEST_P(AccountsTest, HostileSignInInputIsRefusedCalmly) {
  MakeTeam();
  const std::string huge(100'000, 'x');
  EXPECT_EQ(accounts().SignIn(huge, huge, huge).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(accounts().SignIn("agent@desk.test", huge, "10.9.9.9").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(accounts().SignIn(std::string("agent@desk.test\0", 16), "agent password 1", "").status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_FALSE(Must(accounts().ResumeSession(huge)).has_value());
  EXPECT_EQ(accounts().AuthenticateToken("rpt_" + huge).status().code(), StatusCode::kUnauthenticated);
}

TEST_P(AccountsTest, StoresAnArgon2idHashNotThePassword) {
  MakeTeam();
  auto s = db().NewSession();
  User stored = Must(s->GetUser(owner_.id));
  EXPECT_EQ(stored.password_hash.rfind("$argon2id$", 0), 0u) << stored.password_hash;
  EXPECT_EQ(stored.password_hash.find("owner password 1"), std::string::npos);
}

TEST_P(AccountsTest, ValidatesNewUsersWithFieldNames) {
  MakeTeam();
  const Actor o = As(owner_);
  auto bad = accounts().CreateUser(&o, {"not-an-email", "X", Role::kAgent, "Mars/Olympus_Mons", "short"});
  ASSERT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  const Status st = bad.status();  // status() returns a copy: keep it alive
  const auto& fields = st.field_errors();
  EXPECT_TRUE(fields.count("email"));
  EXPECT_TRUE(fields.count("time_zone"));
  EXPECT_TRUE(fields.count("password"));

  // Ten characters is enough, counted as characters, not bytes.
  auto ten = accounts().CreateUser(&o, {"ten@desk.test", "Ten", Role::kAgent, "America/New_York", "0123456789"});
  EXPECT_TRUE(ten.ok()) << ten.status().ToString();
  auto nine_chars_many_bytes = accounts().CreateUser(&o, {"nine@desk.test", "Nine", Role::kAgent, "UTC", "ééééééééé"});
  EXPECT_TRUE(nine_chars_many_bytes.status().field_errors().count("password"));
}

TEST_P(AccountsTest, DuplicateEmailIsAlreadyExists) {
  MakeTeam();
  const Actor o = As(owner_);
  auto dup = accounts().CreateUser(&o, {"AGENT@desk.test", "Again", Role::kAgent, "UTC", "another password"});
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(dup.status().field_errors().count("email"));
}

TEST_P(AccountsTest, RoleGrantingFollowsPermissions) {
  MakeTeam();
  const Actor admin = As(admin_), agent = As(agent_), sub = As(sub_), owner = As(owner_);
  EXPECT_EQ(accounts().CreateUser(&admin, {"o2@desk.test", "O2", Role::kOwner, "UTC", "password 123"}).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(accounts().CreateUser(&admin, {"a2@desk.test", "A2", Role::kAdmin, "UTC", "password 123"}).ok());
  EXPECT_EQ(accounts().CreateUser(&agent, {"g2@desk.test", "G2", Role::kAgent, "UTC", "password 123"}).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(accounts().CreateUser(&sub, {"s3@desk.test", "S3", Role::kSubcontractor, "UTC", "password 123"}).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(accounts().CreateUser(&owner, {"o3@desk.test", "O3", Role::kOwner, "UTC", "password 123"}).ok());
}

TEST_P(AccountsTest, CreatingAUserIsAudited) {
  MakeTeam();
  auto s = db().NewSession();
  auto entries = Must(s->ListAudit("user", agent_.id.value, 10));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].action, "create");
  EXPECT_EQ(entries[0].actor_id, owner_.id);
  EXPECT_NE(entries[0].detail.find("\"role\":\"agent\""), std::string::npos) << entries[0].detail;
  EXPECT_EQ(entries[0].detail.find("password"), std::string::npos);
}

TEST_P(AccountsTest, SignInStartsASessionStoredOnlyAsAHash) {
  MakeTeam();
  auto in = accounts().SignIn(" Agent@Desk.test", "agent password 1", "10.0.0.1");
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  EXPECT_EQ(in->user.id, agent_.id);
  EXPECT_GE(in->session_cookie.size(), 40u);
  EXPECT_GE(in->csrf_token.size(), 40u);
  EXPECT_NE(in->session_cookie, in->csrf_token);

  auto s = db().NewSession();
  EXPECT_FALSE(Must(s->FindWebSession(in->session_cookie)).has_value());
  auto stored = Must(s->FindWebSession(security::Sha256Hex(in->session_cookie)));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->user_id, agent_.id);
  EXPECT_EQ(stored->csrf_token, in->csrf_token);

  auto resumed = Must(accounts().ResumeSession(in->session_cookie));
  ASSERT_TRUE(resumed.has_value());
  EXPECT_EQ(resumed->actor.id, agent_.id);
  EXPECT_EQ(resumed->actor.role, Role::kAgent);
  EXPECT_EQ(resumed->csrf_token, in->csrf_token);
}

TEST_P(AccountsTest, WrongPasswordAndUnknownEmailLookTheSame) {
  MakeTeam();
  auto wrong_password = accounts().SignIn("agent@desk.test", "not the password", "10.0.0.1");
  auto unknown_email = accounts().SignIn("nobody@desk.test", "agent password 1", "10.0.0.2");
  auto malformed_email = accounts().SignIn("nobody", "agent password 1", "10.0.0.3");
  EXPECT_EQ(wrong_password.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(unknown_email.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(malformed_email.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(wrong_password.status().message(), unknown_email.status().message());
  EXPECT_EQ(wrong_password.status().message(), malformed_email.status().message());
}

TEST_P(AccountsTest, TooManyFailuresForAnEmailAreRefusedUntilTheWindowPasses) {
  MakeTeam();
  for (int i = 0; i < 5; ++i) {
    // A different address each time: the limit per email applies on its own.
    EXPECT_EQ(accounts().SignIn("agent@desk.test", "wrong password", "10.0.1." + std::to_string(i)).status().code(),
              StatusCode::kUnauthenticated);
  }
  auto blocked = accounts().SignIn("AGENT@desk.test", "agent password 1", "10.0.2.1");
  EXPECT_EQ(blocked.status().code(), StatusCode::kResourceExhausted) << blocked.status().ToString();

  clock_.Advance(minutes(15) + seconds(1));
  EXPECT_TRUE(accounts().SignIn("agent@desk.test", "agent password 1", "10.0.2.1").ok());
}

TEST_P(AccountsTest, TooManyFailuresFromAnAddressAreRefused) {
  MakeTeam();
  for (int i = 0; i < 5; ++i) {
    (void)accounts().SignIn("guess" + std::to_string(i) + "@desk.test", "whatever pass", "203.0.113.9");
  }
  EXPECT_EQ(accounts().SignIn("agent@desk.test", "agent password 1", "203.0.113.9").status().code(),
            StatusCode::kResourceExhausted);
  // Another address is not affected, nor is the email that was never guessed.
  EXPECT_TRUE(accounts().SignIn("agent@desk.test", "agent password 1", "198.51.100.7").ok());
}

TEST_P(AccountsTest, SuccessResetsTheFailuresOfThatEmail) {
  MakeTeam();
  for (int i = 0; i < 4; ++i) (void)accounts().SignIn("agent@desk.test", "wrong password", "10.0.3." + std::to_string(i));
  ASSERT_TRUE(accounts().SignIn("agent@desk.test", "agent password 1", "10.0.4.1").ok());
  for (int i = 0; i < 4; ++i) (void)accounts().SignIn("agent@desk.test", "wrong password", "10.0.5." + std::to_string(i));
  EXPECT_TRUE(accounts().SignIn("agent@desk.test", "agent password 1", "10.0.4.2").ok());
}

TEST_P(AccountsTest, InactiveUsersCannotSignInOrUseSessionsOrTokens) {
  MakeTeam();
  auto in = Must(accounts().SignIn("agent@desk.test", "agent password 1", "10.0.0.1"));
  const std::string token = Must(accounts().CreateApiToken("agent@desk.test", "laptop"));
  Must(desk().UpdateUser(As(owner_), agent_.id, UserFields{.active = false}));

  EXPECT_EQ(accounts().SignIn("agent@desk.test", "agent password 1", "10.0.0.1").status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_FALSE(Must(accounts().ResumeSession(in.session_cookie)).has_value());
  EXPECT_EQ(accounts().AuthenticateToken(token).status().code(), StatusCode::kUnauthenticated);
}

TEST_P(AccountsTest, SessionsExpire) {
  MakeTeam();
  auto in = Must(accounts().SignIn("sub@desk.test", "sub password 12", "10.0.0.1"));
  clock_.Advance(std::chrono::hours(24 * 14) - seconds(1));
  EXPECT_TRUE(Must(accounts().ResumeSession(in.session_cookie)).has_value());
  clock_.Advance(seconds(1));
  EXPECT_FALSE(Must(accounts().ResumeSession(in.session_cookie)).has_value());
  // Resuming only reads (it runs on every page); the next sign-in purges expired sessions from the store.
  auto s = db().NewSession();
  EXPECT_TRUE(Must(s->FindWebSession(security::Sha256Hex(in.session_cookie))).has_value());
  Must(accounts().SignIn("owner@desk.test", "owner password 1", "10.0.0.2"));
  EXPECT_FALSE(Must(s->FindWebSession(security::Sha256Hex(in.session_cookie))).has_value());
}

TEST_P(AccountsTest, SignOutEndsTheSession) {
  MakeTeam();
  auto in = Must(accounts().SignIn("owner@desk.test", "owner password 1", "10.0.0.1"));
  EXPECT_TRUE(accounts().SignOut(in.session_cookie).ok());
  EXPECT_FALSE(Must(accounts().ResumeSession(in.session_cookie)).has_value());
  EXPECT_TRUE(accounts().SignOut(in.session_cookie).ok()) << "signing out twice is harmless";
  EXPECT_FALSE(Must(accounts().ResumeSession("")).has_value());
  EXPECT_FALSE(Must(accounts().ResumeSession("made-up-cookie")).has_value());
}

TEST_P(AccountsTest, SetPasswordReplacesTheOldOne) {
  MakeTeam();
  EXPECT_TRUE(accounts().SetPassword(agent_.id, "a brand new password").ok());
  EXPECT_FALSE(accounts().SignIn("agent@desk.test", "agent password 1", "10.0.0.1").ok());
  EXPECT_TRUE(accounts().SignIn("agent@desk.test", "a brand new password", "10.0.0.1").ok());
  EXPECT_TRUE(accounts().SetPassword(agent_.id, "short").field_errors().count("password"));
  EXPECT_EQ(accounts().SetPassword(UserId(9999), "long enough password").code(), StatusCode::kNotFound);
}

TEST_P(AccountsTest, UserWithoutPasswordCannotSignIn) {
  MakeTeam();
  const Actor o = As(owner_);
  Must(accounts().CreateUser(&o, {"nopass@desk.test", "No Pass", Role::kAgent, "UTC", ""}));
  EXPECT_EQ(accounts().SignIn("nopass@desk.test", "", "10.0.0.1").status().code(), StatusCode::kUnauthenticated);
}

TEST_P(AccountsTest, ApiTokensAuthenticateTheirUser) {
  MakeTeam();
  const std::string token = Must(accounts().CreateApiToken("Admin@desk.test", "zapier"));
  EXPECT_EQ(token.rfind("rpt_", 0), 0u);
  auto actor = accounts().AuthenticateToken(token);
  ASSERT_TRUE(actor.ok()) << actor.status().ToString();
  EXPECT_EQ(actor->id, admin_.id);
  EXPECT_EQ(actor->role, Role::kAdmin);

  auto s = db().NewSession();
  EXPECT_EQ(Must(s->FindUserIdByTokenHash(security::Sha256Hex(token))), std::optional<UserId>(admin_.id));
  EXPECT_FALSE(Must(s->FindUserIdByTokenHash(token)).has_value()) << "the token itself is never stored";

  std::string tampered = token;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(accounts().AuthenticateToken(tampered).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(accounts().AuthenticateToken(token.substr(4)).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(accounts().AuthenticateToken("").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(accounts().CreateApiToken("nobody@desk.test", "x").status().code(), StatusCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountsTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::app
