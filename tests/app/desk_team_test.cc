// Desk's workspace settings and users against a real store, on SQLite and PostgreSQL.

#include <gtest/gtest.h>

#include "app_fixture.h"

namespace rapport::app {
namespace {

class DeskTeamTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    MakeTeam();
  }
};

TEST_P(DeskTeamTest, OnlyOwnerAndAdminChangeSettings) {
  Workspace w{"Lee Plumbing", "America/Chicago", "USD"};
  for (const User* u : {&agent_, &sub_}) {
    EXPECT_EQ(desk().UpdateWorkspace(As(*u), w).status().code(), StatusCode::kPermissionDenied) << u->email;
  }
  auto saved = desk().UpdateWorkspace(As(admin_), w);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_EQ(saved->name, "Lee Plumbing");
  EXPECT_EQ(Must(desk().GetWorkspace(As(sub_))).time_zone, "America/Chicago");
  auto entries = Must(db().NewSession()->ListAudit("workspace", 1, 10));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_NE(entries[0].detail.find("\"time_zone\":{\"from\":\"UTC\",\"to\":\"America/Chicago\"}"), std::string::npos)
      << entries[0].detail;
}

TEST_P(DeskTeamTest, WorkspaceValidation) {
  auto bad = desk().UpdateWorkspace(As(owner_), Workspace{"", "Mars/Base", "dollars"});
  ASSERT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(bad.status().field_errors().count("name"));
  EXPECT_TRUE(bad.status().field_errors().count("time_zone"));
  EXPECT_TRUE(bad.status().field_errors().count("currency"));
}

TEST_P(DeskTeamTest, UsersAreListedToEveryoneWithoutPasswordHashes) {
  for (const User* u : {&owner_, &sub_}) {
    auto users = Must(desk().ListUsers(As(*u)));
    EXPECT_EQ(users.size(), 5u);
    for (const auto& listed : users) EXPECT_TRUE(listed.password_hash.empty()) << listed.email;
  }
  EXPECT_TRUE(Must(desk().GetUser(As(sub_), owner_.id)).password_hash.empty());
  EXPECT_EQ(desk().GetUser(As(sub_), UserId(12345)).status().code(), StatusCode::kNotFound);
}

TEST_P(DeskTeamTest, ChangingUsersNeedsOwnerOrAdmin) {
  EXPECT_EQ(desk().UpdateUser(As(agent_), sub_.id, {.name = std::string("X")}).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(desk().UpdateUser(As(sub_), sub2_.id, {.active = false}).status().code(), StatusCode::kPermissionDenied);
  auto renamed = desk().UpdateUser(As(admin_), sub_.id, {.name = std::string("Samuel Sub")});
  ASSERT_TRUE(renamed.ok()) << renamed.status().ToString();
  EXPECT_EQ(renamed->name, "Samuel Sub");
}

TEST_P(DeskTeamTest, UsersMayChangeTheirOwnProfileButNotTheirRole) {
  std::vector<WorkingInterval> hours{{1, 9 * 60, 17 * 60}, {2, 9 * 60, 13 * 60}};
  auto me = desk().UpdateUser(As(sub_), sub_.id, {.time_zone = std::string("Asia/Tokyo"), .working_hours = hours});
  ASSERT_TRUE(me.ok()) << me.status().ToString();
  EXPECT_EQ(me->time_zone, "Asia/Tokyo");
  EXPECT_EQ(me->working_hours, hours);
  EXPECT_EQ(desk().UpdateUser(As(sub_), sub_.id, {.role = Role::kAdmin}).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(desk().UpdateUser(As(agent_), agent_.id, {.email = std::string("me@x.test")}).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_P(DeskTeamTest, UserFieldValidation) {
  auto bad = desk().UpdateUser(As(owner_), agent_.id,
                               {.email = std::string("bad"), .name = std::string(" "), .time_zone = std::string("Nowhere/Town"),
                                .working_hours = std::vector<WorkingInterval>{{7, 600, 500}}});
  ASSERT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  for (const char* f : {"email", "name", "time_zone", "working_hours"}) EXPECT_TRUE(bad.status().field_errors().count(f)) << f;
  auto taken = desk().UpdateUser(As(owner_), agent_.id, {.email = std::string("ADMIN@desk.test")});
  EXPECT_EQ(taken.status().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(taken.status().field_errors().count("email"));
}

TEST_P(DeskTeamTest, OnlyAnOwnerPromotesToOrChangesAnOwner) {
  EXPECT_EQ(desk().UpdateUser(As(admin_), agent_.id, {.role = Role::kOwner}).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(desk().UpdateUser(As(admin_), owner_.id, {.role = Role::kAgent}).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(desk().UpdateUser(As(admin_), owner_.id, {.active = false}).status().code(), StatusCode::kPermissionDenied);
  auto promoted = desk().UpdateUser(As(admin_), agent_.id, {.role = Role::kAdmin});
  ASSERT_TRUE(promoted.ok());
  EXPECT_EQ(promoted->role, Role::kAdmin);
  EXPECT_EQ(Must(desk().UpdateUser(As(owner_), sub_.id, {.role = Role::kOwner})).role, Role::kOwner);
}

TEST_P(DeskTeamTest, TheLastActiveOwnerStays) {
  auto demote_self = desk().UpdateUser(As(owner_), owner_.id, {.role = Role::kAdmin});
  EXPECT_EQ(demote_self.status().code(), StatusCode::kConflict);
  EXPECT_EQ(desk().UpdateUser(As(owner_), owner_.id, {.active = false}).status().code(), StatusCode::kConflict);
  Must(desk().UpdateUser(As(owner_), admin_.id, {.role = Role::kOwner}));
  EXPECT_TRUE(desk().UpdateUser(As(owner_), owner_.id, {.role = Role::kAdmin}).ok());
}

TEST_P(DeskTeamTest, UserChangesAreAudited) {
  Must(desk().UpdateUser(As(owner_), agent_.id, {.role = Role::kSubcontractor, .active = false}));
  auto entries = Must(db().NewSession()->ListAudit("user", agent_.id.value, 10));
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].action, "update");
  EXPECT_EQ(entries[0].actor_id, owner_.id);
  EXPECT_NE(entries[0].detail.find("\"role\":{\"from\":\"agent\",\"to\":\"subcontractor\"}"), std::string::npos)
      << entries[0].detail;
  EXPECT_NE(entries[0].detail.find("\"active\":{\"from\":\"true\",\"to\":\"false\"}"), std::string::npos);
}

TEST_P(DeskTeamTest, EveryRolesRights) {
  struct Row {
    const User* who;
    bool create_ticket, clients, settings, manage_users, grant_admin, grant_owner;
  };
  const Row rows[] = {
      {&owner_, true, true, true, true, true, true},
      {&admin_, true, true, true, true, true, false},
      {&agent_, true, true, false, false, false, false},
      {&sub_, false, false, false, false, false, false},
  };
  // Allowed means it succeeds; refused means kPermissionDenied, nothing else.
  const auto allowed = [](const Status& s) -> bool {
    if (!s.ok() && s.code() != StatusCode::kPermissionDenied) ADD_FAILURE() << "unexpected: " << s.ToString();
    return s.ok();
  };
  int n = 0;
  for (const Row& r : rows) {
    const Actor a = As(*r.who);
    const std::string who = r.who->email;
    NewTicket t;
    t.subject = "Rights check";
    t.contact.email = "rights@example.com";
    EXPECT_EQ(allowed(desk().CreateTicket(a, t).status()), r.create_ticket) << who;
    EXPECT_EQ(allowed(desk().ListClients(a, ClientQuery{}).status()), r.clients) << who;
    EXPECT_EQ(allowed(desk().CreateContact(a, {.name = std::string("C") + std::to_string(n)}).status()), r.clients) << who;
    EXPECT_EQ(allowed(desk().UpdateWorkspace(a, Workspace{"Biz", "UTC", "EUR"}).status()), r.settings) << who;
    EXPECT_EQ(allowed(desk().UpdateUser(a, sub2_.id, {.name = "Sue " + std::to_string(n)}).status()), r.manage_users) << who;
    const std::string tag = std::to_string(n++);
    EXPECT_EQ(allowed(accounts().CreateUser(&a, {"adm" + tag + "@desk.test", "A", Role::kAdmin, "UTC", "password 123"}).status()),
              r.grant_admin)
        << who;
    EXPECT_EQ(allowed(accounts().CreateUser(&a, {"own" + tag + "@desk.test", "O", Role::kOwner, "UTC", "password 123"}).status()),
              r.grant_owner)
        << who;
    // Reading the workspace and the team is open to all.
    EXPECT_TRUE(desk().GetWorkspace(a).ok()) << who;
    EXPECT_TRUE(desk().ListUsers(a).ok()) << who;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, DeskTeamTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::app
