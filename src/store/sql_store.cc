#include "store/sql_store.h"

#include <mutex>

#include "store/migrations.h"
#include "store/search.h"
#include "store/sql/postgres_connection.h"
#include "store/sql/sqlite_connection.h"
#include "store/sql_session.h"

namespace rapport::store {
namespace {

class SqliteStore final : public app::Store {
 public:
  SqliteStore(std::string path, const app::StoreOptions& options)
      : path_(std::move(path)),
        write_gate_(std::make_shared<std::timed_mutex>()),
        use_(options.bulk_load ? sql::SqliteUse::kBulkLoad : sql::SqliteUse::kShared) {}
  std::string Kind() const override { return "sqlite"; }

  Status Migrate() override {
    RAPPORT_ASSIGN_OR_RETURN(auto conn, sql::OpenSqlite(path_, write_gate_, use_));
    return store::Migrate(*conn);
  }

  Result<std::unique_ptr<app::StoreSession>> OpenSession() override {
    RAPPORT_ASSIGN_OR_RETURN(auto conn, sql::OpenSqlite(path_, write_gate_, use_));
    conn->set_before_commit(FlushSqliteSearchQueue);
    return std::unique_ptr<app::StoreSession>(std::make_unique<SqlSession>(std::move(conn)));
  }

  Status Backup(const std::string& path) override {
    if (path.empty()) return Status::FieldError("path", "name the file to write the backup to");
    if (path == path_) return Status::FieldError("path", "the backup cannot overwrite the database itself");
    RAPPORT_ASSIGN_OR_RETURN(auto conn, sql::OpenSqlite(path_));
    return sql::BackupSqlite(*conn, path);
  }

 private:
  std::string path_;
  // Shared with every connection (sqlite_connection.h). shared_ptr: a session may outlive its store.
  std::shared_ptr<std::timed_mutex> write_gate_;
  sql::SqliteUse use_;
};

class PostgresStore final : public app::Store {
 public:
  explicit PostgresStore(std::string url) : url_(std::move(url)) {}
  std::string Kind() const override { return "postgresql"; }

  Status Migrate() override {
    RAPPORT_ASSIGN_OR_RETURN(auto conn, sql::OpenPostgres(url_));
    return store::Migrate(*conn);
  }

  Result<std::unique_ptr<app::StoreSession>> OpenSession() override {
    RAPPORT_ASSIGN_OR_RETURN(auto conn, sql::OpenPostgres(url_));
    return std::unique_ptr<app::StoreSession>(std::make_unique<SqlSession>(std::move(conn)));
  }

  Status Backup(const std::string& /*path*/) override {
    return Status::InvalidArgument(
        "backups of a PostgreSQL database are made with PostgreSQL's own tools: run "
        "`pg_dump --format=custom --file=rapport.dump '<your database URL>'`");
  }

 private:
  std::string url_;
};

}  // namespace

std::unique_ptr<app::Store> MakeSqliteStore(std::string path, const app::StoreOptions& options) {
  return std::make_unique<SqliteStore>(std::move(path), options);
}
std::unique_ptr<app::Store> MakePostgresStore(std::string url) {
  return std::make_unique<PostgresStore>(std::move(url));
}

}  // namespace rapport::store
