#include "support/test_database.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>

namespace rapport::testing {
namespace {

constexpr const char* kPgUrlVariable = "RAPPORT_TEST_PG_URL";

// `url` with its database name replaced by `database` (the path after the host part).
std::string WithDatabase(const std::string& url, const std::string& database) {
  const std::size_t scheme = url.find("://");
  const std::size_t host_start = scheme == std::string::npos ? 0 : scheme + 3;
  const std::size_t query = url.find('?', host_start);
  const std::size_t path = url.find('/', host_start);
  const std::size_t authority_end = (path != std::string::npos && (query == std::string::npos || path < query))
                                        ? path
                                        : (query == std::string::npos ? url.size() : query);
  std::string out = url.substr(0, authority_end) + "/" + database;
  if (query != std::string::npos) out += url.substr(query);
  return out;
}

Status RunAdmin(const std::string& admin_url, const std::string& sql) {
  PGconn* conn = PQconnectdb(admin_url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    Status s = Status::Unavailable(std::string("cannot connect to the test PostgreSQL at ") + admin_url + ": " +
                                   PQerrorMessage(conn));
    PQfinish(conn);
    return s;
  }
  PGresult* res = PQexec(conn, sql.c_str());
  Status s = Status::Ok();
  if (PQresultStatus(res) != PGRES_COMMAND_OK) {
    s = Status::Internal("`" + sql + "` failed: " + PQresultErrorMessage(res));
  }
  PQclear(res);
  PQfinish(conn);
  return s;
}

std::string UniqueSuffix() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return std::to_string(::getpid()) + "_" + std::to_string(counter.fetch_add(1)) + "_" + std::to_string(rd() % 100000);
}

}  // namespace

Result<std::unique_ptr<TestDatabase>> TestDatabase::Sqlite() {
  std::error_code ec;
  std::filesystem::path base = std::filesystem::temp_directory_path(ec);
  if (ec) base = "/tmp";
  std::string pattern = (base / "rapport-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) return Status::Internal("cannot create a temporary directory in " + base.string());
  std::unique_ptr<TestDatabase> db(new TestDatabase());
  db->backend_ = Backend::kSqlite;
  db->temp_dir_ = pattern;
  db->url_ = "sqlite:" + pattern + "/rapport.db";
  RAPPORT_ASSIGN_OR_RETURN(db->store_, app::OpenStore(db->url_));
  RAPPORT_RETURN_IF_ERROR(db->store_->Migrate());
  return db;
}

Result<std::unique_ptr<TestDatabase>> TestDatabase::Postgres() {
  const char* admin = std::getenv(kPgUrlVariable);
  if (admin == nullptr || *admin == '\0') {
    return Status::InvalidArgument(std::string(kPgUrlVariable) +
                                   " is not set, so the PostgreSQL tests cannot run. Run the tests through "
                                   "`make test` (scripts/run-tests), or start a server with `export " +
                                   kPgUrlVariable + "=$(bash scripts/test-postgres start /tmp/my-pg)`");
  }
  std::unique_ptr<TestDatabase> db(new TestDatabase());
  db->backend_ = Backend::kPostgres;
  db->admin_url_ = admin;
  const std::string name = "rapport_test_" + UniqueSuffix();
  RAPPORT_RETURN_IF_ERROR(RunAdmin(db->admin_url_, "CREATE DATABASE " + name));
  db->pg_database_ = name;
  db->url_ = WithDatabase(db->admin_url_, name);
  RAPPORT_ASSIGN_OR_RETURN(db->store_, app::OpenStore(db->url_));
  RAPPORT_RETURN_IF_ERROR(db->store_->Migrate());
  return db;
}

Result<std::unique_ptr<TestDatabase>> TestDatabase::Create(Backend backend) {
  return backend == Backend::kSqlite ? Sqlite() : Postgres();
}

TestDatabase::~TestDatabase() {
  store_.reset();
  if (!temp_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(temp_dir_, ec);
  }
  if (!pg_database_.empty()) {
    // FORCE: a session a test forgot to close must not leave the database behind.
    (void)RunAdmin(admin_url_, "DROP DATABASE IF EXISTS " + pg_database_ + " WITH (FORCE)");
  }
}

std::unique_ptr<app::StoreSession> TestDatabase::NewSession() {
  auto s = store_->OpenSession();
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  if (!s.ok()) return nullptr;
  return std::move(s).value();
}

::testing::internal::ParamGenerator<Backend> AllBackends() {
  return ::testing::Values(Backend::kSqlite, Backend::kPostgres);
}

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

void StoreTest::SetUp() {
  auto db = TestDatabase::Create(GetParam());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  db_ = std::move(db).value();
  auto s = db_->store().OpenSession();
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  session_ = std::move(s).value();
}

void StoreTest::TearDown() {
  session_.reset();
  db_.reset();
}

}  // namespace rapport::testing
