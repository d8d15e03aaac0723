#pragma once
// A fresh, migrated store for each test, on SQLite or on PostgreSQL.
//
//   TestDatabase::Sqlite()    a new SQLite file in a new temporary directory, removed afterwards.
//   TestDatabase::Postgres()  a new database with a unique name (CREATE DATABASE) on the server named
//                             by the environment variable RAPPORT_TEST_PG_URL (scripts/run-tests sets
//                             it; for your own runs: export RAPPORT_TEST_PG_URL=$(bash
//                             scripts/test-postgres start /tmp/<you>-pg)), dropped afterwards.
//                             When the variable is unset the test FAILS with a message saying so.
//
// Both return a Result: check it with ASSERT_TRUE(db.ok()) << db.status().ToString(), or use the
// fixture below, which does that for you. Keep the TestDatabase alive as long as the store is used.
//
// Running a suite on both databases (what the store, app and http tests do):
//
//   class DeskTest : public rapport::testing::StoreTest {};   // fixture: db(), store(), session()
//   TEST_P(DeskTest, CreatesATicket) {
//     rapport::app::SessionPool pool(store());
//     ...
//   }
//   INSTANTIATE_TEST_SUITE_P(Backends, DeskTest, rapport::testing::AllBackends(),
//                            rapport::testing::BackendName);
//
// Link the test with rapport_test_support (it brings rapport_store and GoogleTest).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "app/ports/store.h"
#include "core/status.h"

namespace rapport::testing {

enum class Backend { kSqlite, kPostgres };

class TestDatabase {
 public:
  static Result<std::unique_ptr<TestDatabase>> Sqlite();
  static Result<std::unique_ptr<TestDatabase>> Postgres();
  static Result<std::unique_ptr<TestDatabase>> Create(Backend backend);

  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;
  ~TestDatabase();  // closes the store, then removes the file / drops the database

  Backend backend() const { return backend_; }
  // The URL the store was opened with (give it to `rapport --db URL` in CLI tests).
  const std::string& url() const { return url_; }
  // The opened, migrated store.
  app::Store& store() { return *store_; }
  // A new session (connection) on the store; fails the calling test on error.
  std::unique_ptr<app::StoreSession> NewSession();
  // SQLite only: the directory holding the database file, for other temporary files of the test
  // (removed with it). Empty for PostgreSQL.
  const std::string& temp_dir() const { return temp_dir_; }

 private:
  TestDatabase() = default;
  Backend backend_ = Backend::kSqlite;
  std::string url_;
  std::string temp_dir_;     // SQLite
  std::string admin_url_;    // PostgreSQL: the server's URL, to drop the database
  std::string pg_database_;  // PostgreSQL: the database created for this test
  std::unique_ptr<app::Store> store_;
};

// The backends for INSTANTIATE_TEST_SUITE_P: SQLite and PostgreSQL.
::testing::internal::ParamGenerator<Backend> AllBackends();
// Names the instantiations "Sqlite" / "Postgres" (the fourth argument of INSTANTIATE_TEST_SUITE_P).
std::string BackendName(const ::testing::TestParamInfo<Backend>& info);

// A parameterized fixture that gives each test a fresh database of the backend it runs on.
// SetUp fails the test (with the reason) when the database cannot be made.
class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;
  TestDatabase& db() { return *db_; }
  app::Store& store() { return db_->store(); }
  // A session opened in SetUp, for tests that need only one.
  app::StoreSession& session() { return *session_; }

 private:
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<app::StoreSession> session_;
};

}  // namespace rapport::testing
