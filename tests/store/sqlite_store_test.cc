// SQLite only: the bulk-load connections' rollback journal (sql::SqliteUse::kBulkLoad) and migration 8,
// which moved the search triggers onto a queue written at commit (search.h).
#include <fstream>
#include <memory>
#include <string>

#include "store/migrations.h"
#include "store/sql/sqlite_connection.h"
#include "store_fixture.h"

namespace rapport::store_test {
namespace {

using ::testing::ElementsAre;
using rapport::testing::TestDatabase;

// The journal mode recorded in the file itself (header bytes 18 and 19: 1 rollback journal, 2 WAL),
// read without opening a connection, which would change it.
int FileFormat(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  char header[20] = {};
  f.read(header, sizeof header);
  EXPECT_TRUE(f) << "cannot read the header of " << path;
  EXPECT_EQ(header[18], header[19]) << "read and write versions differ";
  return header[18];
}
constexpr int kRollbackJournal = 1;
constexpr int kWal = 2;

class SqliteBulkLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = TestDatabase::Sqlite();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    path_ = db_->temp_dir() + "/bulk.db";
    url_ = "sqlite:" + path_;
  }

  // A store on the file (migrated) and a session on it; the session closes first.
  struct Opened {
    std::unique_ptr<app::Store> store;
    std::unique_ptr<app::StoreSession> session;
  };
  void Open(bool bulk_load, Opened& out) {
    ASSERT_OK_AND_ASSIGN(out.store, app::OpenStore(url_, app::StoreOptions{.bulk_load = bulk_load}));
    ASSERT_OK(out.store->Migrate());
    ASSERT_OK_AND_ASSIGN(out.session, out.store->OpenSession());
  }

  std::unique_ptr<TestDatabase> db_;
  std::string path_;
  std::string url_;
};

TEST_F(SqliteBulkLoadTest, WritesThroughARollbackJournalAndLeavesTheFileInWal) {
  {
    Opened bulk;
    ASSERT_NO_FATAL_FAILURE(Open(/*bulk_load=*/true, bulk));
    EXPECT_EQ(FileFormat(path_), kRollbackJournal);
    ASSERT_OK_AND_ASSIGN(ContactId ann, bulk.session->InsertContact(MakeContact("Ann", {"ann@a.com"})));
    ASSERT_OK(bulk.session->InsertTicket(MakeTicket(ann, "Loaded in bulk")).status());
  }
  EXPECT_EQ(FileFormat(path_), kWal) << "the bulk connection puts WAL back when it closes";

  Opened server;
  ASSERT_NO_FATAL_FAILURE(Open(/*bulk_load=*/false, server));
  app::TicketQuery q;
  q.text = "bulk";
  ASSERT_OK_AND_ASSIGN(auto page, server.session->ListTickets(q));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].ticket.subject, "Loaded in bulk");
}

TEST_F(SqliteBulkLoadTest, StaysInWalWhileAServerHasTheFileOpen) {
  Opened server;
  ASSERT_NO_FATAL_FAILURE(Open(/*bulk_load=*/false, server));
  ASSERT_EQ(FileFormat(path_), kWal);

  Opened bulk;
  ASSERT_NO_FATAL_FAILURE(Open(/*bulk_load=*/true, bulk));
  EXPECT_EQ(FileFormat(path_), kWal);
  ASSERT_OK_AND_ASSIGN(ClientId id, bulk.session->InsertClient(MakeClient("Acme")));
  ASSERT_OK_AND_ASSIGN(Client c, server.session->GetClient(id));
  EXPECT_EQ(c.name, "Acme");
}

TEST_F(SqliteBulkLoadTest, AServerOpeningDuringTheLoadPutsTheFileBackInWalAndTheLoadGoesOn) {
  Opened bulk;
  ASSERT_NO_FATAL_FAILURE(Open(/*bulk_load=*/true, bulk));
  ASSERT_OK_AND_ASSIGN(ClientId first, bulk.session->InsertClient(MakeClient("Before")));
  ASSERT_EQ(FileFormat(path_), kRollbackJournal);

  Opened server;
  ASSERT_NO_FATAL_FAILURE(Open(/*bulk_load=*/false, server));
  EXPECT_EQ(FileFormat(path_), kWal);

  ASSERT_OK_AND_ASSIGN(ClientId second, bulk.session->InsertClient(MakeClient("After")));
  ASSERT_OK_AND_ASSIGN(Client a, server.session->GetClient(first));
  ASSERT_OK_AND_ASSIGN(Client b, server.session->GetClient(second));
  EXPECT_EQ(a.name, "Before");
  EXPECT_EQ(b.name, "After");
}

// A database indexed by version 2's triggers, upgraded: what was indexed before is still found, and the
// new triggers take it out again when it changes (a contentless 'delete' needs the indexed text).
TEST(SqliteMigration8Test, KeepsTheIndexOfAnOlderDatabaseAndMaintainsIt) {
  auto db = TestDatabase::Sqlite();
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  const std::string path = (*db)->temp_dir() + "/version7.db";
  {
    ASSERT_OK_AND_ASSIGN(auto conn, store::sql::OpenSqlite(path));
    ASSERT_OK(conn->Execute("CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL,"
                            " applied_at BIGINT NOT NULL)"));
    for (const store::Migration& m : store::MigrationsFor(conn->dialect())) {
      if (m.version > 7) break;
      ASSERT_OK(conn->Execute(m.sql));
      ASSERT_OK(conn->Execute("INSERT INTO schema_migrations VALUES (" + std::to_string(m.version) + ", 'old', 0)"));
    }
    ASSERT_OK(conn->Execute(
        "INSERT INTO contacts (id, name, search_text, created_at, updated_at) VALUES (1, 'Ann', 'ann annabel', 0, 0);"
        "INSERT INTO tickets (id, number, subject, contact_id, channel, status, priority, created_at, updated_at,"
        " last_message_at) VALUES (1, 1, 'Gazebo', 1, 'email', 'open', 'normal', 0, 0, 0);"
        "INSERT INTO messages (ticket_id, kind, channel, author_contact_id, body_text, body_html, created_at)"
        " VALUES (1, 'inbound', 'email', 1, 'pergola', '', 0)"));
  }
  ASSERT_OK_AND_ASSIGN(auto store, app::OpenStore("sqlite:" + path));
  ASSERT_OK(store->Migrate());
  ASSERT_OK_AND_ASSIGN(auto s, store->OpenSession());
  auto search = [&](const std::string& text) {
    app::TicketQuery q;
    q.text = text;
    std::vector<std::int64_t> ids;
    auto page = s->ListTickets(q);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (page.ok()) {
      for (const auto& row : page->items) ids.push_back(row.ticket.id.value);
    }
    return ids;
  };
  EXPECT_THAT(search("gazebo"), ElementsAre(1));
  EXPECT_THAT(search("pergola"), ElementsAre(1));
  EXPECT_THAT(search("annabel"), ElementsAre(1));

  ASSERT_OK_AND_ASSIGN(Ticket t, s->GetTicket(TicketId{1}));
  t.subject = "Greenhouse";
  ASSERT_OK(s->UpdateTicket(t));
  ASSERT_OK(s->InsertMessage(MakeMessage(TicketId{1}, "trellis")).status());
  EXPECT_TRUE(search("gazebo").empty());
  EXPECT_THAT(search("greenhouse"), ElementsAre(1));
  EXPECT_THAT(search("trellis"), ElementsAre(1));
  EXPECT_THAT(search("pergola"), ElementsAre(1));
}

}  // namespace
}  // namespace rapport::store_test
