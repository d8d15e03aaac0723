// SQLite only: the bulk-load connections' rollback journal (sql::SqliteUse::kBulkLoad).
#include <fstream>
#include <memory>
#include <string>

#include "store_fixture.h"

namespace rapport::store_test {
namespace {

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

  std::unique_ptr<app::Store> Open(bool bulk_load) {
    auto store = app::OpenStore(url_, app::StoreOptions{.bulk_load = bulk_load});
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    if (!store.ok()) return nullptr;
    const Status migrated = (*store)->Migrate();
    EXPECT_TRUE(migrated.ok()) << migrated.ToString();
    return std::move(*store);
  }

  static std::unique_ptr<app::StoreSession> Session(app::Store& store) {
    auto s = store.OpenSession();
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }

  std::unique_ptr<TestDatabase> db_;
  std::string path_;
  std::string url_;
};

TEST_F(SqliteBulkLoadTest, WritesThroughARollbackJournalAndLeavesTheFileInWal) {
  {
    auto bulk = Open(/*bulk_load=*/true);
    ASSERT_NE(bulk, nullptr);
    auto s = Session(*bulk);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(FileFormat(path_), kRollbackJournal);
    ASSERT_OK_AND_ASSIGN(ContactId ann, s->InsertContact(MakeContact("Ann", {"ann@a.com"})));
    ASSERT_OK(s->InsertTicket(MakeTicket(ann, "Loaded in bulk")).status());
  }
  EXPECT_EQ(FileFormat(path_), kWal) << "the bulk connection puts WAL back when it closes";

  auto server = Open(/*bulk_load=*/false);
  ASSERT_NE(server, nullptr);
  auto s = Session(*server);
  ASSERT_NE(s, nullptr);
  app::TicketQuery q;
  q.text = "bulk";
  ASSERT_OK_AND_ASSIGN(auto page, s->ListTickets(q));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].ticket.subject, "Loaded in bulk");
}

TEST_F(SqliteBulkLoadTest, StaysInWalWhileAServerHasTheFileOpen) {
  auto server = Open(/*bulk_load=*/false);
  ASSERT_NE(server, nullptr);
  auto reader = Session(*server);
  ASSERT_NE(reader, nullptr);
  ASSERT_EQ(FileFormat(path_), kWal);

  auto bulk = Open(/*bulk_load=*/true);
  ASSERT_NE(bulk, nullptr);
  auto writer = Session(*bulk);
  ASSERT_NE(writer, nullptr);
  EXPECT_EQ(FileFormat(path_), kWal);
  ASSERT_OK_AND_ASSIGN(ClientId id, writer->InsertClient(MakeClient("Acme")));
  ASSERT_OK_AND_ASSIGN(Client c, reader->GetClient(id));
  EXPECT_EQ(c.name, "Acme");
}

TEST_F(SqliteBulkLoadTest, AServerOpeningDuringTheLoadPutsTheFileBackInWalAndTheLoadGoesOn) {
  auto bulk = Open(/*bulk_load=*/true);
  ASSERT_NE(bulk, nullptr);
  auto writer = Session(*bulk);
  ASSERT_NE(writer, nullptr);
  ASSERT_OK_AND_ASSIGN(ClientId first, writer->InsertClient(MakeClient("Before")));
  ASSERT_EQ(FileFormat(path_), kRollbackJournal);

  auto server = Open(/*bulk_load=*/false);
  ASSERT_NE(server, nullptr);
  auto reader = Session(*server);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(FileFormat(path_), kWal);

  ASSERT_OK_AND_ASSIGN(ClientId second, writer->InsertClient(MakeClient("After")));
  ASSERT_OK_AND_ASSIGN(Client a, reader->GetClient(first));
  ASSERT_OK_AND_ASSIGN(Client b, reader->GetClient(second));
  EXPECT_EQ(a.name, "Before");
  EXPECT_EQ(b.name, "After");
}

}  // namespace
}  // namespace rapport::store_test
