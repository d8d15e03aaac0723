// Contract: migration 4 on a database that already holds records.
#include <memory>
#include <string>
#include <vector>

#include "store/migrations.h"
#include "store/sql/postgres_connection.h"
#include "store/sql/sqlite_connection.h"
#include "store_fixture.h"

namespace rapport::store_test {
namespace {

using ::testing::ElementsAre;
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

INSTANTIATE_TEST_SUITE_P(Backends, StorePromisesTest, rapport::testing::AllBackends(),
                         rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::store_test
