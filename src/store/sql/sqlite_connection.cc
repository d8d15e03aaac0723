#include "store/sql/sqlite_connection.h"

#include <sqlite3.h>

#include <chrono>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace rapport::store::sql {
namespace {

constexpr int kBusyTimeoutMs = 10000;
// Private page caches, in KiB (see SqliteUse).
constexpr int kSharedCacheKib = 2 * 1024;
constexpr int kBulkLoadCacheKib = 64 * 1024;
// Dynamic list queries make a statement per filter combination; past this many the cache starts over.
constexpr std::size_t kMaxCachedStatements = 256;

Status ErrorStatus(sqlite3* db, int rc, const std::string& context) {
  const int extended = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  std::string msg = context + ": " + (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (extended) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return Status::AlreadyExists(msg);
    case SQLITE_CONSTRAINT_FOREIGNKEY:
    case SQLITE_CONSTRAINT_NOTNULL:
    case SQLITE_CONSTRAINT_CHECK:
      return Status::InvalidArgument(msg);
    default:
      break;
  }
  switch (extended & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
      return Status::Unavailable("the SQLite database is unavailable (" + msg + "); retry later");
    default:
      return Status::Internal(msg);
  }
}

class SqliteStatement final : public Statement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  void BindInt(std::int64_t v) override { sqlite3_bind_int64(stmt_, ++bound_, v); }
  void BindText(std::string_view v) override {
    sqlite3_bind_text64(stmt_, ++bound_, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  }
  void BindNull() override { sqlite3_bind_null(stmt_, ++bound_); }
  void BindBlob(std::string_view v) override {
    // A zero-length blob must still be a blob, not NULL: sqlite3_bind_blob64 with a null pointer binds NULL.
    static const char kEmpty = 0;
    // SQLITE_STATIC: blobs are the large values (raw messages, attachments); the caller keeps the
    // bytes alive until the statement has run (Statement::BindBlob's contract), so no copy is made.
    sqlite3_bind_blob64(stmt_, ++bound_, v.empty() ? &kEmpty : v.data(), v.size(), SQLITE_STATIC);
  }

  Result<bool> Next() override {
    if (done_) return false;
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    done_ = true;
    if (rc == SQLITE_DONE) return false;
    Status s = ErrorStatus(db_, rc, "SQLite");
    sqlite3_reset(stmt_);
    return s;
  }
  bool IsNull(int col) const override { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::int64_t Int(int col) const override { return sqlite3_column_int64(stmt_, col); }
  std::string Text(int col) const override {
    const auto* p = sqlite3_column_text(stmt_, col);
    if (p == nullptr) return {};
    return std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
  }
  std::string Blob(int col) const override {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
    if (p == nullptr) return {};
    return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
  }
  void Reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    bound_ = 0;
    done_ = false;
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  int bound_ = 0;
  bool done_ = false;
};

// Asks for the journal mode `mode` and returns the mode the file is in afterwards ("wal",
// "truncate", ...). Without waiting: leaving WAL fails at once while another connection has the file
// open, and waiting the busy timeout would not change that.
std::string SwitchJournalMode(sqlite3* db, const std::string& mode) {
  sqlite3_busy_timeout(db, 0);
  (void)sqlite3_exec(db, ("PRAGMA journal_mode=" + mode).c_str(), nullptr, nullptr, nullptr);  // may be refused
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  std::string now;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    if (text != nullptr) now = text;
  }
  sqlite3_finalize(stmt);
  return now;
}

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(sqlite3* db, std::shared_ptr<std::timed_mutex> gate) : db_(db), gate_(std::move(gate)) {}
  ~SqliteConnection() override {
    cache_.clear();  // statements first: sqlite3_close refuses while statements are alive
    if (restore_wal_) SwitchJournalMode(db_, "WAL");
    sqlite3_close(db_);
    ReleaseGate();
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Dialect dialect() const override { return Dialect::kSqlite; }

  Result<Query> Prepare(const std::string& sql) override {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
      if (cache_.size() >= kMaxCachedStatements) std::erase_if(cache_, [](const auto& e) { return !e.second->leased(); });
      sqlite3_stmt* stmt = nullptr;
      const int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size() + 1), SQLITE_PREPARE_PERSISTENT,
                                        &stmt, nullptr);
      if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return ErrorStatus(db_, rc, "SQLite prepare");
      }
      it = cache_.emplace(sql, std::make_unique<SqliteStatement>(db_, stmt)).first;
    }
    return Query(it->second.get());
  }

  Status Execute(const std::string& sql) override {
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    sqlite3_free(err);
    Status s = rc == SQLITE_OK ? Status::Ok() : ErrorStatus(db_, rc, "SQLite");
    if (!InTransaction()) ReleaseGate();  // the transaction ended (COMMIT, ROLLBACK) or never began
    return s;
  }

  Status Begin() override {
    if (InTransaction()) return Status::Internal("a transaction is already open on this session");
    if (gate_ != nullptr && !holds_gate_) {
      if (!gate_->try_lock_for(std::chrono::milliseconds(kBusyTimeoutMs))) {
        return Status::Unavailable("the SQLite database stayed busy with other writes; retry later");
      }
      holds_gate_ = true;
    }
    return Execute("BEGIN IMMEDIATE");
  }

  // WAL readers read a snapshot without any lock that writers wait for, so no gate here.
  Status BeginReadOnly() override {
    if (InTransaction()) return Status::Internal("a transaction is already open on this session");
    return Execute("BEGIN");
  }

  bool InTransaction() const override { return sqlite3_get_autocommit(db_) == 0; }
  bool InWriteTransaction() const override { return sqlite3_txn_state(db_, nullptr) == SQLITE_TXN_WRITE; }

  sqlite3* db() const { return db_; }
  // This connection took the file out of WAL; it puts it back when it closes.
  void RestoreWalOnClose() { restore_wal_ = true; }

 private:
  void ReleaseGate() {
    if (!holds_gate_) return;
    holds_gate_ = false;
    gate_->unlock();
  }

  sqlite3* db_;
  std::shared_ptr<std::timed_mutex> gate_;  // shared by the connections of one store; may be null
  bool holds_gate_ = false;
  bool restore_wal_ = false;
  std::unordered_map<std::string, std::unique_ptr<SqliteStatement>> cache_;
};

}  // namespace

Result<std::unique_ptr<Connection>> OpenSqlite(const std::string& path, std::shared_ptr<std::timed_mutex> write_gate,
                                               SqliteUse use) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return Status::Unavailable("cannot open the SQLite database " + path + ": " + msg +
                               "; check that the directory exists and is writable");
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  auto conn = std::make_unique<SqliteConnection>(db, std::move(write_gate));
  // Memory: the server keeps up to one connection per worker thread (64 by default). A private page
  // cache per connection would multiply (64 MiB each measured 1.5 GiB under load), so each keeps a
  // small cache and reads are served from the OS page cache, which all connections share.
  const bool bulk = use == SqliteUse::kBulkLoad;
  std::string journal = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; ";
  if (bulk && SwitchJournalMode(db, "TRUNCATE") == "truncate") {
    // A rollback journal is safe from corruption on power loss only with FULL (WAL is with NORMAL).
    journal = "PRAGMA synchronous=FULL; ";
    conn->RestoreWalOnClose();
  }
  Status s = conn->Execute(journal + "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-" +
                           std::to_string(bulk ? kBulkLoadCacheKib : kSharedCacheKib));
  if (!s.ok()) return s;
  return std::unique_ptr<Connection>(std::move(conn));
}

Status BackupSqlite(Connection& from, const std::string& to_path) {
  auto* source = dynamic_cast<SqliteConnection*>(&from);
  if (source == nullptr) return Status::Internal("BackupSqlite needs a SQLite connection");
  sqlite3* dest = nullptr;
  int rc = sqlite3_open_v2(to_path.c_str(), &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = dest != nullptr ? sqlite3_errmsg(dest) : sqlite3_errstr(rc);
    sqlite3_close(dest);
    return Status::InvalidArgument("cannot create the backup file " + to_path + ": " + msg);
  }
  sqlite3_busy_timeout(dest, kBusyTimeoutMs);
  sqlite3_backup* backup = sqlite3_backup_init(dest, "main", source->db(), "main");
  if (backup == nullptr) {
    Status s = Status::Internal(std::string("cannot start the backup: ") + sqlite3_errmsg(dest));
    sqlite3_close(dest);
    return s;
  }
  // Copy in chunks, yielding between them so that writers are not held up for the whole copy.
  do {
    rc = sqlite3_backup_step(backup, 1024);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(backup);
  Status s = Status::Ok();
  if (rc != SQLITE_DONE) {
    s = Status::Unavailable(std::string("the backup did not finish: ") + sqlite3_errstr(rc) + "; retry later");
  }
  sqlite3_close(dest);
  return s;
}

}  // namespace rapport::store::sql
