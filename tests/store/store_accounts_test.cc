// Contract: workspace settings, users, API tokens, web sessions, audit, idempotency records.
#include "store_fixture.h"

namespace rapport::store_test {
namespace {

using ::testing::HasSubstr;

class StoreAccountsTest : public StoreTest {};

TEST_P(StoreAccountsTest, WorkspaceStartsWithDefaultsAndSaves) {
  ASSERT_OK_AND_ASSIGN(Workspace w, session().GetWorkspace());
  EXPECT_EQ(w.name, "");
  EXPECT_EQ(w.time_zone, "UTC");
  EXPECT_EQ(w.currency, "USD");
  ASSERT_OK(session().SaveWorkspace(Workspace{"Acme IT", "America/New_York", "EUR"}));
  ASSERT_OK_AND_ASSIGN(Workspace saved, session().GetWorkspace());
  EXPECT_EQ(saved.name, "Acme IT");
  EXPECT_EQ(saved.time_zone, "America/New_York");
  EXPECT_EQ(saved.currency, "EUR");
}

TEST_P(StoreAccountsTest, UserRoundTripsEveryField) {
  User u = MakeUser("ann@example.com", "Ann");
  u.role = Role::kSubcontractor;
  u.active = false;
  ASSERT_OK_AND_ASSIGN(UserId id, session().InsertUser(u));
  EXPECT_TRUE(id.valid());
  ASSERT_OK_AND_ASSIGN(User got, session().GetUser(id));
  EXPECT_EQ(got.id, id);
  EXPECT_EQ(got.email, "ann@example.com");
  EXPECT_EQ(got.name, "Ann");
  EXPECT_EQ(got.role, Role::kSubcontractor);
  EXPECT_EQ(got.time_zone, "Europe/Paris");
  EXPECT_EQ(got.working_hours, u.working_hours);
  EXPECT_EQ(got.password_hash, u.password_hash);
  EXPECT_FALSE(got.active);
  EXPECT_EQ(got.created_at, At(0));
}

TEST_P(StoreAccountsTest, UserEmailIsUnique) {
  ASSERT_OK_AND_ASSIGN(UserId first, session().InsertUser(MakeUser("ann@example.com")));
  auto dup = session().InsertUser(MakeUser("ann@example.com"));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(dup.status().message(), HasSubstr("ann@example.com"));

  ASSERT_OK_AND_ASSIGN(UserId second, session().InsertUser(MakeUser("bob@example.com")));
  ASSERT_OK_AND_ASSIGN(User bob, session().GetUser(second));
  bob.email = "ann@example.com";
  Status s = session().UpdateUser(bob);
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists) << s.ToString();
  EXPECT_THAT(s.message(), HasSubstr("ann@example.com"));
  ASSERT_OK_AND_ASSIGN(User unchanged, session().GetUser(second));
  EXPECT_EQ(unchanged.email, "bob@example.com");
  EXPECT_NE(first, second);
}

TEST_P(StoreAccountsTest, UserNotFound) {
  EXPECT_EQ(session().GetUser(UserId(424242)).status().code(), StatusCode::kNotFound);
  User ghost = MakeUser("ghost@example.com");
  ghost.id = UserId(424242);
  EXPECT_EQ(session().UpdateUser(ghost).code(), StatusCode::kNotFound);
  ASSERT_OK_AND_ASSIGN(auto none, session().FindUserByEmail("ghost@example.com"));
  EXPECT_FALSE(none.has_value());
}

TEST_P(StoreAccountsTest, UsersAreListedByNameThenId) {
  ASSERT_OK_AND_ASSIGN(UserId c, session().InsertUser(MakeUser("c@example.com", "Carol")));
  ASSERT_OK_AND_ASSIGN(UserId a, session().InsertUser(MakeUser("a@example.com", "Ann")));
  ASSERT_OK_AND_ASSIGN(UserId b2, session().InsertUser(MakeUser("b2@example.com", "Bob")));
  ASSERT_OK_AND_ASSIGN(UserId b1, session().InsertUser(MakeUser("b1@example.com", "Bob")));
  ASSERT_OK_AND_ASSIGN(auto users, session().ListUsers());
  ASSERT_EQ(users.size(), 4u);
  EXPECT_EQ(users[0].id, a);
  EXPECT_EQ(users[1].id, b2);  // same name: lower id first
  EXPECT_EQ(users[2].id, b1);
  EXPECT_EQ(users[3].id, c);
  ASSERT_OK_AND_ASSIGN(auto found, session().FindUserByEmail("b1@example.com"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, b1);
}

TEST_P(StoreAccountsTest, UpdateUserChangesFields) {
  ASSERT_OK_AND_ASSIGN(UserId id, session().InsertUser(MakeUser("ann@example.com", "Ann")));
  ASSERT_OK_AND_ASSIGN(User u, session().GetUser(id));
  u.name = "Ann Smith";
  u.role = Role::kOwner;
  u.working_hours.clear();
  u.password_hash.clear();
  ASSERT_OK(session().UpdateUser(u));
  ASSERT_OK_AND_ASSIGN(User got, session().GetUser(id));
  EXPECT_EQ(got.name, "Ann Smith");
  EXPECT_EQ(got.role, Role::kOwner);
  EXPECT_TRUE(got.working_hours.empty());
  EXPECT_EQ(got.password_hash, "");
}

TEST_P(StoreAccountsTest, ApiTokensFindTheirUser) {
  ASSERT_OK_AND_ASSIGN(UserId id, session().InsertUser(MakeUser("ann@example.com")));
  ASSERT_OK(session().InsertApiToken(id, "hash-1", "laptop", At(5)));
  ASSERT_OK_AND_ASSIGN(auto found, session().FindUserIdByTokenHash("hash-1"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(*found, id);
  ASSERT_OK_AND_ASSIGN(auto missing, session().FindUserIdByTokenHash("hash-2"));
  EXPECT_FALSE(missing.has_value());
  EXPECT_EQ(session().InsertApiToken(id, "hash-1", "again", At(6)).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(session().InsertApiToken(UserId(999), "hash-3", "nobody", At(6)).code(), StatusCode::kNotFound);
}

TEST_P(StoreAccountsTest, WebSessionsExpire) {
  ASSERT_OK_AND_ASSIGN(UserId id, session().InsertUser(MakeUser("ann@example.com")));
  ASSERT_OK(session().InsertWebSession(app::WebSession{"old", id, "csrf-old", At(0), At(100)}));
  ASSERT_OK(session().InsertWebSession(app::WebSession{"edge", id, "csrf-edge", At(0), At(200)}));
  ASSERT_OK(session().InsertWebSession(app::WebSession{"new", id, "csrf-new", At(0), At(300)}));
  ASSERT_OK_AND_ASSIGN(auto got, session().FindWebSession("new"));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->user_id, id);
  EXPECT_EQ(got->csrf_token, "csrf-new");
  EXPECT_EQ(got->created_at, At(0));
  EXPECT_EQ(got->expires_at, At(300));

  ASSERT_OK(session().DeleteExpiredWebSessions(At(200)));  // expires_at <= now is expired
  ASSERT_OK_AND_ASSIGN(auto old_gone, session().FindWebSession("old"));
  EXPECT_FALSE(old_gone.has_value());
  ASSERT_OK_AND_ASSIGN(auto edge_gone, session().FindWebSession("edge"));
  EXPECT_FALSE(edge_gone.has_value());
  ASSERT_OK_AND_ASSIGN(auto kept, session().FindWebSession("new"));
  EXPECT_TRUE(kept.has_value());

  ASSERT_OK(session().DeleteWebSession("new"));
  ASSERT_OK_AND_ASSIGN(auto deleted, session().FindWebSession("new"));
  EXPECT_FALSE(deleted.has_value());
  ASSERT_OK(session().DeleteWebSession("never-existed"));
}

TEST_P(StoreAccountsTest, AuditIsNewestFirstPerEntity) {
  ASSERT_OK_AND_ASSIGN(UserId actor, session().InsertUser(MakeUser("ann@example.com")));
  ASSERT_OK(session().AppendAudit(AuditEntry{0, actor, "ticket", 7, "create", R"({"a":1})", At(10)}));
  ASSERT_OK(session().AppendAudit(AuditEntry{0, std::nullopt, "ticket", 7, "update", R"({"b":2})", At(20)}));
  ASSERT_OK(session().AppendAudit(AuditEntry{0, actor, "ticket", 7, "update", R"({"c":3})", At(20)}));
  ASSERT_OK(session().AppendAudit(AuditEntry{0, actor, "ticket", 8, "create", "{}", At(30)}));
  ASSERT_OK(session().AppendAudit(AuditEntry{0, actor, "client", 7, "create", "{}", At(40)}));
  ASSERT_OK_AND_ASSIGN(auto entries, session().ListAudit("ticket", 7, 10));
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].detail, R"({"c":3})");  // same instant: later insert first
  EXPECT_EQ(entries[1].detail, R"({"b":2})");
  EXPECT_FALSE(entries[1].actor_id.has_value());
  EXPECT_EQ(entries[2].action, "create");
  ASSERT_TRUE(entries[2].actor_id.has_value());
  EXPECT_EQ(*entries[2].actor_id, actor);
  EXPECT_EQ(entries[2].at, At(10));
  EXPECT_EQ(entries[2].entity, "ticket");
  EXPECT_EQ(entries[2].entity_id, 7);
  EXPECT_GT(entries[0].id, entries[2].id);
  ASSERT_OK_AND_ASSIGN(auto limited, session().ListAudit("ticket", 7, 2));
  EXPECT_EQ(limited.size(), 2u);
}

TEST_P(StoreAccountsTest, IdempotencyRecordsReplay) {
  ASSERT_OK_AND_ASSIGN(UserId user, session().InsertUser(MakeUser("ann@example.com")));
  ASSERT_OK_AND_ASSIGN(auto none, session().FindIdempotency(user, "k1"));
  EXPECT_FALSE(none.has_value());
  app::IdempotencyRecord r{user, "k1", "POST /api/tickets abc", 201, R"({"id":5})", At(50)};
  ASSERT_OK(session().InsertIdempotency(r));
  ASSERT_OK_AND_ASSIGN(auto got, session().FindIdempotency(user, "k1"));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->request_fingerprint, "POST /api/tickets abc");
  EXPECT_EQ(got->http_status, 201);
  EXPECT_EQ(got->response_body, R"({"id":5})");
  EXPECT_EQ(got->created_at, At(50));
  r.response_body = "other";
  EXPECT_EQ(session().InsertIdempotency(r).code(), StatusCode::kAlreadyExists);
  ASSERT_OK_AND_ASSIGN(auto still, session().FindIdempotency(user, "k1"));
  EXPECT_EQ(still->response_body, R"({"id":5})");
  // Keys are per user.
  ASSERT_OK_AND_ASSIGN(auto other_user, session().FindIdempotency(UserId(user.value + 1), "k1"));
  EXPECT_FALSE(other_user.has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreAccountsTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::store_test
