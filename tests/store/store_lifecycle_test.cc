// Contract: opening stores by URL, migrations, backups, and sessions used from two threads at once.
#include <chrono>
#include <filesystem>
#include <thread>

#include "app/transaction.h"
#include "store_fixture.h"

namespace rapport::store_test {
namespace {

using ::testing::HasSubstr;
using rapport::testing::Backend;
using rapport::testing::TestDatabase;

class StoreLifecycleTest : public StoreTest {};

TEST_P(StoreLifecycleTest, MigrateTwiceChangesNothing) {
  ASSERT_OK_AND_ASSIGN(ClientId id, session().InsertClient(MakeClient("Acme", {"acme.com"})));
  ASSERT_OK(store().Migrate());
  ASSERT_OK(store().Migrate());
  ASSERT_OK_AND_ASSIGN(Client c, session().GetClient(id));
  EXPECT_EQ(c.name, "Acme");
  ASSERT_OK_AND_ASSIGN(Workspace w, session().GetWorkspace());
  EXPECT_EQ(w.currency, "USD");
  EXPECT_EQ(store().Kind(), GetParam() == Backend::kSqlite ? "sqlite" : "postgresql");
}

TEST_P(StoreLifecycleTest, OpenStoreReachesTheSameDatabase) {
  ASSERT_OK_AND_ASSIGN(ClientId id, session().InsertClient(MakeClient("Acme")));
  ASSERT_OK_AND_ASSIGN(auto again, app::OpenStore(db().url()));
  ASSERT_OK(again->Migrate());
  ASSERT_OK_AND_ASSIGN(auto s, again->OpenSession());
  ASSERT_OK_AND_ASSIGN(Client c, s->GetClient(id));
  EXPECT_EQ(c.name, "Acme");
}

TEST_P(StoreLifecycleTest, Backup) {
  ASSERT_OK_AND_ASSIGN(ContactId ann, session().InsertContact(MakeContact("Ann", {"ann@a.com"})));
  ASSERT_OK_AND_ASSIGN(Ticket t, session().InsertTicket(MakeTicket(ann, "Backed up ticket")));
  ASSERT_OK(session().InsertMessage(MakeMessage(t.id, "searchable body")).status());
  if (GetParam() == Backend::kPostgres) {
    Status s = store().Backup("/tmp/never-written.db");
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(s.message(), HasSubstr("pg_dump"));
    return;
  }
  const std::string path = db().temp_dir() + "/backup.db";
  ASSERT_OK(store().Backup(path));
  ASSERT_OK_AND_ASSIGN(auto copy, app::OpenStore("sqlite:" + path));
  ASSERT_OK(copy->Migrate());  // passes the integrity check, nothing to apply
  ASSERT_OK_AND_ASSIGN(auto s, copy->OpenSession());
  ASSERT_OK_AND_ASSIGN(Ticket got, s->GetTicket(t.id));
  EXPECT_EQ(got.subject, "Backed up ticket");
  app::TicketQuery q;
  q.text = "searchable";
  ASSERT_OK_AND_ASSIGN(auto page, s->ListTickets(q));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].contact_name, "Ann");
}

TEST_P(StoreLifecycleTest, TwoThreadsAtOnce) {
  ASSERT_OK_AND_ASSIGN(ContactId ann, session().InsertContact(MakeContact("Ann", {"ann@a.com"})));
  constexpr int kPerThread = 40;
  auto work = [&](int thread, std::vector<std::string>* errors) {
    auto s = db().store().OpenSession();
    if (!s.ok()) {
      errors->push_back(s.status().ToString());
      return;
    }
    app::StoreSession& session = **s;
    for (int i = 0; i < kPerThread; ++i) {
      app::Transaction tx(session);
      if (!tx.began().ok()) {
        errors->push_back(tx.began().ToString());
        continue;
      }
      auto t = session.InsertTicket(MakeTicket(ann, "thread " + std::to_string(thread) + " #" + std::to_string(i)));
      if (!t.ok()) {
        errors->push_back(t.status().ToString());
        continue;
      }
      auto m = session.InsertMessage(MakeMessage(t->id, "body"));
      if (!m.ok()) errors->push_back(m.status().ToString());
      Status c = tx.Commit();
      if (!c.ok()) errors->push_back(c.ToString());
      auto page = session.ListTickets({});  // reads between writes, outside a transaction
      if (!page.ok()) errors->push_back(page.status().ToString());
    }
  };
  std::vector<std::string> errors_a, errors_b;
  std::thread a(work, 1, &errors_a);
  std::thread b(work, 2, &errors_b);
  a.join();
  b.join();
  EXPECT_TRUE(errors_a.empty()) << errors_a.front();
  EXPECT_TRUE(errors_b.empty()) << errors_b.front();
  ASSERT_OK_AND_ASSIGN(std::int64_t n, session().CountTickets({}));
  EXPECT_EQ(n, 2 * kPerThread);
  // Numbers stayed unique and gapless under concurrency.
  ASSERT_OK_AND_ASSIGN(auto last, session().FindTicketByNumber(2 * kPerThread));
  EXPECT_TRUE(last.has_value());
}

// Reads outside a transaction neither wait for nor block an open write transaction (SQLite: WAL).
TEST_P(StoreLifecycleTest, ReadsDoNotWaitForAWriter) {
  ASSERT_OK_AND_ASSIGN(ContactId ann, session().InsertContact(MakeContact("Ann", {"ann@a.com"})));
  ASSERT_OK_AND_ASSIGN(Ticket before, session().InsertTicket(MakeTicket(ann, "Before")));
  ASSERT_OK(session().Begin());
  ASSERT_OK_AND_ASSIGN(Ticket during, session().InsertTicket(MakeTicket(ann, "During")));

  auto reader = db().NewSession();
  ASSERT_NE(reader, nullptr);
  const auto start = std::chrono::steady_clock::now();
  ASSERT_OK_AND_ASSIGN(Ticket got, reader->GetTicket(before.id));
  EXPECT_EQ(got.subject, "Before");
  EXPECT_EQ(reader->GetTicket(during.id).status().code(), StatusCode::kNotFound);  // not committed yet
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  ASSERT_OK(session().Commit());
  ASSERT_OK_AND_ASSIGN(Ticket after, reader->GetTicket(during.id));
  EXPECT_EQ(after.subject, "During");
}

// A read-only transaction reads one snapshot without waiting for an open write transaction, so the
// read use cases (every page view, every GET) never queue behind a writer.
TEST_P(StoreLifecycleTest, ReadOnlyTransactionDoesNotWaitForAWriter) {
  ASSERT_OK_AND_ASSIGN(ContactId ann, session().InsertContact(MakeContact("Ann", {"ann@a.com"})));
  ASSERT_OK_AND_ASSIGN(Ticket before, session().InsertTicket(MakeTicket(ann, "Before")));
  ASSERT_OK(session().Begin(app::TransactionMode::kReadWrite));
  ASSERT_OK_AND_ASSIGN(Ticket during, session().InsertTicket(MakeTicket(ann, "During")));

  auto reader = db().NewSession();
  ASSERT_NE(reader, nullptr);
  const auto start = std::chrono::steady_clock::now();
  {
    app::Transaction tx(*reader, app::TransactionMode::kReadOnly);
    ASSERT_OK(tx.began());
    ASSERT_OK_AND_ASSIGN(Ticket got, reader->GetTicket(before.id));
    EXPECT_EQ(got.subject, "Before");
    EXPECT_EQ(reader->GetTicket(during.id).status().code(), StatusCode::kNotFound);  // not committed yet
    ASSERT_OK(session().Commit());
    // Still the snapshot taken at the first read: the writer's commit is not seen inside it.
    EXPECT_EQ(reader->GetTicket(during.id).status().code(), StatusCode::kNotFound);
    ASSERT_OK(tx.Commit());
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  ASSERT_OK_AND_ASSIGN(Ticket after, reader->GetTicket(during.id));
  EXPECT_EQ(after.subject, "During");
}

// PostgreSQL enforces read-only intent, so a use case marked read-only that writes is caught by the
// PostgreSQL half of every suite.
TEST_P(StoreLifecycleTest, ReadOnlyTransactionRefusesWritesOnPostgres) {
  if (GetParam() != rapport::testing::Backend::kPostgres) GTEST_SKIP() << "SQLite does not enforce read-only intent";
  app::Transaction tx(session(), app::TransactionMode::kReadOnly);
  ASSERT_OK(tx.began());
  auto inserted = session().InsertContact(MakeContact("Bea", {"bea@b.com"}));
  EXPECT_FALSE(inserted.ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreLifecycleTest, rapport::testing::AllBackends(),
                         rapport::testing::BackendName);

TEST(OpenStoreTest, RefusesUnknownSchemes) {
  for (const char* url : {"mysql://x", "", "sqlite:", "file:/tmp/x.db", "postgresq://x"}) {
    auto s = app::OpenStore(url);
    EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument) << url;
  }
}

TEST(OpenStoreTest, CreatesParentDirectoriesForSqlite) {
  auto db = TestDatabase::Sqlite();
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  const std::string path = (*db)->temp_dir() + "/a/b/c/rapport.db";
  ASSERT_OK_AND_ASSIGN(auto store, app::OpenStore("sqlite:" + path));
  ASSERT_OK(store->Migrate());
  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST(OpenStoreTest, UnreachablePostgresIsUnavailable) {
  // Port 1 on loopback: nothing listens there.
  ASSERT_OK_AND_ASSIGN(auto store, app::OpenStore("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"));
  EXPECT_EQ(store->OpenSession().status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(store->Migrate().code(), StatusCode::kUnavailable);
}

TEST(OpenStoreTest, DamagedSqliteFileIsReported) {
  auto db = TestDatabase::Sqlite();
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  const std::string path = (*db)->temp_dir() + "/garbage.db";
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::string junk(8192, 'x');
    std::fwrite(junk.data(), 1, junk.size(), f);
    std::fclose(f);
  }
  ASSERT_OK_AND_ASSIGN(auto store, app::OpenStore("sqlite:" + path));
  Status s = store->Migrate();
  EXPECT_FALSE(s.ok());
}

}  // namespace
}  // namespace rapport::store_test
