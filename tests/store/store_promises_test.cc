// Contract: the promises' records (business hours, holidays, response policies, a client's plan, a
// person's on-call flag), and migration 4 on a database that already holds records.
#include <memory>
#include <string>
#include <vector>

#include "store/codec.h"
#include "store/migrations.h"
#include "store/sql/postgres_connection.h"
#include "store/sql/sqlite_connection.h"
#include "store_fixture.h"

namespace rapport::store_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using std::chrono::minutes;
using rapport::testing::Backend;

class StorePromisesTest : public StoreTest {};

// A database made by the release before migration 4: migrations 1-3 applied, records in it.
// SQLite: a second file; PostgreSQL: a second schema of the test's database.
Result<std::unique_ptr<store::sql::Connection>> OpenVersion3(rapport::testing::TestDatabase& db) {
  std::unique_ptr<store::sql::Connection> conn;
  if (db.backend() == Backend::kSqlite) {
    RAPPORT_ASSIGN_OR_RETURN(conn, store::sql::OpenSqlite(db.temp_dir() + "/version3.db"));
  } else {
    RAPPORT_ASSIGN_OR_RETURN(conn, store::sql::OpenPostgres(db.url()));
    RAPPORT_RETURN_IF_ERROR(conn->Execute("CREATE SCHEMA version3; SET search_path TO version3"));
  }
  RAPPORT_RETURN_IF_ERROR(conn->Execute(
      "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL,"
      " applied_at BIGINT NOT NULL)"));
  for (const store::Migration& m : store::MigrationsFor(conn->dialect())) {
    if (m.version > 3) break;
    RAPPORT_RETURN_IF_ERROR(conn->Execute(m.sql));
    RAPPORT_RETURN_IF_ERROR(conn->Execute("INSERT INTO schema_migrations VALUES (" + std::to_string(m.version) +
                                          ", 'before 4', 0)"));
  }
  return conn;
}

struct EventRow {
  std::int64_t ticket_id;
  std::int64_t at;
  std::string kind;
  std::string status;
  friend bool operator==(const EventRow&, const EventRow&) = default;
  friend std::ostream& operator<<(std::ostream& os, const EventRow& e) {
    return os << e.ticket_id << "@" << e.at << ":" << e.kind << "/" << e.status;
  }
};

TEST_P(StorePromisesTest, Migration4UpgradesADatabaseWithRecords) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<store::sql::Connection> conn, OpenVersion3(db()));
  ASSERT_OK(conn->Execute(
      "INSERT INTO users (id, email, name, role, time_zone, created_at) VALUES (1, 'a@x.com', 'A', 'agent', 'UTC', 0);"
      "INSERT INTO clients (id, name, created_at, updated_at) VALUES (1, 'Acme', 0, 0);"
      "INSERT INTO contacts (id, client_id, name, created_at, updated_at) VALUES (1, 1, 'Ann', 0, 0);"
      "INSERT INTO tickets (id, number, subject, client_id, contact_id, channel, status, priority, created_at,"
      " updated_at, last_message_at) VALUES"
      " (1, 1, 'Open one', 1, 1, 'email', 'open', 'normal', 100, 400, 300),"
      " (2, 2, 'Waiting one', 1, 1, 'email', 'waiting_on_client', 'high', 500, 700, 600);"
      "INSERT INTO messages (ticket_id, kind, channel, author_contact_id, author_user_id, body_text, body_html,"
      " created_at) VALUES"
      " (1, 'inbound', 'email', 1, NULL, 'help', '', 100),"
      " (1, 'note', 'email', NULL, 1, 'internal', '', 150),"
      " (1, 'reply', 'email', NULL, 1, 'on it', '', 200),"
      " (1, 'inbound', 'email', 1, NULL, 'thanks', '', 300),"
      " (2, 'inbound', 'email', 1, NULL, 'hello', '', 500),"
      " (2, 'reply', 'email', NULL, 1, 'which one?', '', 600)"));

  ASSERT_OK(store::Migrate(*conn));

  {
    ASSERT_OK_AND_ASSIGN(store::sql::Query q,
                         conn->Prepare("SELECT ticket_id, at, kind, status FROM ticket_events ORDER BY ticket_id, at, id"));
    std::vector<EventRow> events;
    for (;;) {
      ASSERT_OK_AND_ASSIGN(bool row, q->Next());
      if (!row) break;
      events.push_back({q->Int(0), q->Int(1), q->Text(2), q->Text(3)});
    }
    // Notes are not events; the open ticket has no status event, the waiting one has its current status.
    EXPECT_THAT(events, ElementsAre(EventRow{1, 100, "client_message", ""}, EventRow{1, 200, "agent_reply", ""},
                                    EventRow{1, 300, "client_message", ""}, EventRow{2, 500, "client_message", ""},
                                    EventRow{2, 600, "agent_reply", ""},
                                    EventRow{2, 700, "status", "waiting_on_client"}));
  }
  {
    ASSERT_OK_AND_ASSIGN(store::sql::Query q,
                         conn->Prepare("SELECT w.business_hours, c.plan, u.on_call, t.sla_state FROM workspace w,"
                                       " clients c, users u, tickets t WHERE t.id = 1"));
    ASSERT_OK_AND_ASSIGN(bool row, q->Next());
    ASSERT_TRUE(row);
    EXPECT_EQ(q->Text(0), "");
    EXPECT_EQ(q->Text(1), "");
    EXPECT_EQ(q->Int(2), 0);
    EXPECT_EQ(q->Text(3), "none");
  }
  // Running it again applies nothing.
  ASSERT_OK(store::Migrate(*conn));
}

TEST_P(StorePromisesTest, WorkspaceKeepsItsBusinessHoursIncludingOvernightOnes) {
  ASSERT_OK_AND_ASSIGN(Workspace w, session().GetWorkspace());
  EXPECT_TRUE(w.business_hours.empty()) << "not set until the owner sets them";
  w.business_hours = {{1, 540, 750}, {1, 810, 1050}, {5, 1320, 360}, {0, 0, 1440}};
  ASSERT_OK(session().SaveWorkspace(w));
  ASSERT_OK_AND_ASSIGN(Workspace got, session().GetWorkspace());
  EXPECT_EQ(got.business_hours, w.business_hours);
  EXPECT_EQ(got.time_zone, w.time_zone);
  got.business_hours.clear();
  ASSERT_OK(session().SaveWorkspace(got));
  ASSERT_OK_AND_ASSIGN(Workspace cleared, session().GetWorkspace());
  EXPECT_TRUE(cleared.business_hours.empty());
}

TEST(WorkingHoursCodecTest, RoundTripsOvernightAndWholeDayIntervals) {
  const std::vector<WorkingInterval> hours = {{5, 1320, 360}, {6, 0, 1440}, {2, 1439, 1}};
  EXPECT_EQ(store::DecodeWorkingHours(store::EncodeWorkingHours(hours)), hours);
}

TEST_P(StorePromisesTest, ClientPlanAndOnCallRoundTrip) {
  Client c = MakeClient("Acme", {"acme.com"});
  c.plan = "premium";
  ASSERT_OK_AND_ASSIGN(ClientId id, session().InsertClient(c));
  ASSERT_OK_AND_ASSIGN(Client got, session().GetClient(id));
  EXPECT_EQ(got.plan, "premium");
  got.plan = "";
  ASSERT_OK(session().UpdateClient(got));
  ASSERT_OK_AND_ASSIGN(auto page, session().ListClients({}));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].plan, "");

  User u = MakeUser("ann@example.com");
  u.on_call = true;
  ASSERT_OK_AND_ASSIGN(UserId uid, session().InsertUser(u));
  ASSERT_OK_AND_ASSIGN(User stored, session().GetUser(uid));
  EXPECT_TRUE(stored.on_call);
  stored.on_call = false;
  ASSERT_OK(session().UpdateUser(stored));
  ASSERT_OK_AND_ASSIGN(auto found, session().FindUserByEmail("ann@example.com"));
  ASSERT_TRUE(found.has_value());
  EXPECT_FALSE(found->on_call);
}

TEST_P(StorePromisesTest, HolidaysAreOrderedByDateAndUniquePerDate) {
  ASSERT_OK_AND_ASSIGN(app::HolidayId one_off, session().InsertHoliday({2026, 5, 14, "Ascension"}));
  ASSERT_OK_AND_ASSIGN(app::HolidayId christmas, session().InsertHoliday({0, 12, 25, "Christmas"}));
  ASSERT_OK_AND_ASSIGN(app::HolidayId new_year, session().InsertHoliday({0, 1, 1, "New Year"}));
  ASSERT_OK_AND_ASSIGN(app::HolidayId earlier, session().InsertHoliday({2025, 12, 31, "Closed"}));
  // The same day in another year, or yearly and one-off, are different dates.
  ASSERT_OK_AND_ASSIGN(app::HolidayId next_year, session().InsertHoliday({2027, 5, 14, "Ascension"}));

  auto dup = session().InsertHoliday({0, 12, 25, "Xmas again"});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(dup.status().message(), HasSubstr("12/25"));

  ASSERT_OK_AND_ASSIGN(std::vector<app::HolidayRecord> all, session().ListHolidays());
  std::vector<std::int64_t> ids;
  for (const auto& h : all) ids.push_back(h.id.value);
  EXPECT_THAT(ids, ElementsAre(new_year.value, christmas.value, earlier.value, one_off.value, next_year.value));
  EXPECT_EQ(all[1].holiday, (Holiday{0, 12, 25, "Christmas"}));

  ASSERT_OK(session().DeleteHoliday(christmas));
  EXPECT_EQ(session().DeleteHoliday(christmas).code(), StatusCode::kNotFound);
  ASSERT_OK_AND_ASSIGN(all, session().ListHolidays());
  EXPECT_EQ(all.size(), 4u);
  // The date is free again.
  ASSERT_OK(session().InsertHoliday({0, 12, 25, "Christmas"}).status());
}

SlaPolicy MakePolicy(const std::string& name, const std::string& plan) {
  SlaPolicy p;
  p.name = name;
  p.plan = plan;
  p.warning_percent = 80;
  p.For(Priority::kNormal) = {minutes(240), minutes(480), minutes(1440)};
  p.For(Priority::kUrgent) = {minutes(60), std::nullopt, minutes(480)};
  return p;
}

TEST_P(StorePromisesTest, PoliciesRoundTripWithTheirTargets) {
  ASSERT_OK_AND_ASSIGN(SlaPolicyId premium, session().InsertSlaPolicy(MakePolicy("Premium", "premium")));
  ASSERT_OK_AND_ASSIGN(SlaPolicyId standard, session().InsertSlaPolicy(MakePolicy("Standard", "")));
  ASSERT_OK_AND_ASSIGN(std::vector<SlaPolicy> all, session().ListSlaPolicies());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, standard) << "the default policy (plan \"\") first";
  EXPECT_EQ(all[1].id, premium);
  const SlaPolicy& p = all[1];
  EXPECT_EQ(p.name, "Premium");
  EXPECT_EQ(p.plan, "premium");
  EXPECT_EQ(p.warning_percent, 80);
  EXPECT_EQ(p.For(Priority::kNormal), (ResponseTargets{minutes(240), minutes(480), minutes(1440)}));
  EXPECT_EQ(p.For(Priority::kUrgent), (ResponseTargets{minutes(60), std::nullopt, minutes(480)}));
  EXPECT_EQ(p.For(Priority::kLow), ResponseTargets{});
  EXPECT_EQ(p.For(Priority::kHigh), ResponseTargets{});
  EXPECT_EQ(ChoosePolicy(all, "premium")->id, premium);
  EXPECT_EQ(ChoosePolicy(all, "basic")->id, standard);
}

TEST_P(StorePromisesTest, OnePolicyPerPlan) {
  ASSERT_OK(session().InsertSlaPolicy(MakePolicy("Premium", "premium")).status());
  ASSERT_OK_AND_ASSIGN(SlaPolicyId standard, session().InsertSlaPolicy(MakePolicy("Standard", "")));
  {
    // Refused inside a transaction without spoiling it (PostgreSQL aborts a transaction on an error).
    app::Transaction tx(session());
    ASSERT_OK(tx.began());
    auto dup = session().InsertSlaPolicy(MakePolicy("Premium 2", "premium"));
    ASSERT_FALSE(dup.ok());
    EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
    EXPECT_THAT(dup.status().message(), HasSubstr("premium"));
    EXPECT_EQ(session().InsertSlaPolicy(MakePolicy("Default 2", "")).status().code(), StatusCode::kAlreadyExists);
    ASSERT_OK(session().InsertSlaPolicy(MakePolicy("Gold", "gold")).status());
    ASSERT_OK(tx.Commit());
  }
  SlaPolicy moved = MakePolicy("Standard", "premium");
  moved.id = standard;
  EXPECT_EQ(session().UpdateSlaPolicy(moved).code(), StatusCode::kAlreadyExists);
  ASSERT_OK_AND_ASSIGN(std::vector<SlaPolicy> all, session().ListSlaPolicies());
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].plan, "");
  EXPECT_EQ(all[0].name, "Standard");
  EXPECT_EQ(all[1].plan, "gold");
  EXPECT_EQ(all[2].name, "Premium");
}

TEST_P(StorePromisesTest, UpdateReplacesTargetsAndDeleteRemovesThem) {
  ASSERT_OK_AND_ASSIGN(SlaPolicyId id, session().InsertSlaPolicy(MakePolicy("Premium", "premium")));
  SlaPolicy p = MakePolicy("Premium plus", "premium-plus");
  p.id = id;
  p.warning_percent = 50;
  p.For(Priority::kUrgent) = {};
  p.For(Priority::kLow) = {std::nullopt, std::nullopt, minutes(10080)};
  ASSERT_OK(session().UpdateSlaPolicy(p));
  ASSERT_OK_AND_ASSIGN(std::vector<SlaPolicy> all, session().ListSlaPolicies());
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].name, "Premium plus");
  EXPECT_EQ(all[0].plan, "premium-plus");
  EXPECT_EQ(all[0].warning_percent, 50);
  EXPECT_EQ(all[0].For(Priority::kUrgent), ResponseTargets{});
  EXPECT_EQ(all[0].For(Priority::kLow), (ResponseTargets{std::nullopt, std::nullopt, minutes(10080)}));
  EXPECT_EQ(all[0].For(Priority::kNormal), p.For(Priority::kNormal));

  SlaPolicy missing = p;
  missing.id = SlaPolicyId(id.value + 100);
  EXPECT_EQ(session().UpdateSlaPolicy(missing).code(), StatusCode::kNotFound);

  ASSERT_OK(session().DeleteSlaPolicy(id));
  EXPECT_EQ(session().DeleteSlaPolicy(id).code(), StatusCode::kNotFound);
  ASSERT_OK_AND_ASSIGN(all, session().ListSlaPolicies());
  EXPECT_TRUE(all.empty());
  // Its targets went with it: a new policy starts with none but its own.
  SlaPolicy bare;
  bare.name = "Bare";
  ASSERT_OK(session().InsertSlaPolicy(bare).status());
  ASSERT_OK_AND_ASSIGN(all, session().ListSlaPolicies());
  ASSERT_EQ(all.size(), 1u);
  for (Priority pr : {Priority::kLow, Priority::kNormal, Priority::kHigh, Priority::kUrgent}) {
    EXPECT_EQ(all[0].For(pr), ResponseTargets{});
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, StorePromisesTest, rapport::testing::AllBackends(),
                         rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::store_test
