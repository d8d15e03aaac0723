#pragma once
// A thin, database-neutral SQL layer: one interface, two implementations (sqlite_connection.h over
// the sqlite3 C API, postgres_connection.h over libpq). SQL is written once with `?` placeholders;
// the PostgreSQL side numbers them ($1, $2, ...). Library errors become Status values here:
//   kAlreadyExists     a unique or primary key is taken
//   kInvalidArgument   another constraint (foreign key, not null, check) refused the row
//   kUnavailable       the database is busy, locked, unreachable or the connection was lost
//   kInternal          anything else (bad SQL is a bug)
// A Connection is used by one thread at a time.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/ids.h"
#include "core/status.h"
#include "core/time.h"

namespace rapport::store::sql {

enum class Dialect { kSqlite, kPostgres };

// A prepared statement. Parameters are bound in the order of the `?` placeholders; Next() runs the
// statement on its first call and then steps through the result rows.
class Statement {
 public:
  virtual ~Statement() = default;

  virtual void BindInt(std::int64_t v) = 0;
  virtual void BindText(std::string_view v) = 0;
  virtual void BindNull() = 0;
  // Bytes that are not text (attachments, raw messages): a BLOB on SQLite, a bytea on PostgreSQL.
  // Binds bytes without copying them where the driver allows (SQLite): they must stay valid until
  // the statement has run (Run, or the last Next).
  virtual void BindBlob(std::string_view bytes) = 0;

  // true: a row is available through the column accessors; false: no more rows.
  [[nodiscard]] virtual Result<bool> Next() = 0;
  // Column accessors for the current row (0-based). A NULL reads as 0 or "".
  virtual bool IsNull(int col) const = 0;
  virtual std::int64_t Int(int col) const = 0;
  virtual std::string Text(int col) const = 0;
  virtual std::string Blob(int col) const = 0;  // a column bound with BindBlob
  // Clears bindings and results so the statement can run again.
  virtual void Reset() = 0;

  // Conveniences over the primitives above.
  void Bind(std::int64_t v) { BindInt(v); }
  void Bind(std::string_view v) { BindText(v); }
  void Bind(const std::string& v) { BindText(v); }
  void Bind(const char* v) { BindText(v); }
  void Bind(Instant t) { BindInt(ToUnix(t)); }
  template <typename Tag>
  void Bind(Id<Tag> id) {
    BindInt(id.value);
  }
  template <typename T>
  void Bind(const std::optional<T>& v) {
    if (v) {
      Bind(*v);
    } else {
      BindNull();
    }
  }
  std::optional<std::int64_t> OptionalInt(int col) const {
    return IsNull(col) ? std::nullopt : std::optional<std::int64_t>(Int(col));
  }
  std::optional<Instant> OptionalInstant(int col) const {  // a column of unix seconds
    return IsNull(col) ? std::nullopt : std::optional<Instant>(InstantFromUnix(Int(col)));
  }
  // Runs a statement that returns no rows (or whose rows are not needed).
  [[nodiscard]] Status Run();

  // True while a Query holds the statement: a cache must not drop it then.
  bool leased() const { return leased_; }

 private:
  friend class Query;
  bool leased_ = false;
};

// A cached statement on loan: reset when the loan ends, so that an unfinished SELECT never keeps a
// read transaction (and an old snapshot) open.
class Query {
 public:
  explicit Query(Statement* s) : s_(s) { s_->leased_ = true; }
  Query(Query&& o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
  Query& operator=(Query&&) = delete;
  Query(const Query&) = delete;
  ~Query() {
    if (s_ != nullptr) {
      s_->Reset();
      s_->leased_ = false;
    }
  }
  Statement* operator->() const { return s_; }
  Statement& operator*() const { return *s_; }

 private:
  Statement* s_;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;

  // The cached prepared statement for `sql` (prepared on first use). The statement stays owned by
  // the connection; the Query must not outlive it. Preparing the same SQL while its Query is still
  // alive is a programmer error.
  [[nodiscard]] virtual Result<Query> Prepare(const std::string& sql) = 0;
  // Runs statements without parameters (DDL, BEGIN, SAVEPOINT ...). Several may be separated by ';'.
  [[nodiscard]] virtual Status Execute(const std::string& sql) = 0;

  // Transactions. On SQLite, BEGIN takes the write lock at once (BEGIN IMMEDIATE, see
  // sqlite_connection.h), so transactions wait for each other instead of failing on a lock upgrade.
  [[nodiscard]] virtual Status Begin() = 0;
  // A transaction that only reads one consistent snapshot: it neither waits for nor blocks writers
  // (SQLite: deferred BEGIN, no write gate; PostgreSQL: BEGIN READ ONLY, which refuses writes).
  [[nodiscard]] virtual Status BeginReadOnly() = 0;
  // Runs the before-commit step, then COMMIT. On an error the transaction stays open (the caller
  // rolls it back).
  [[nodiscard]] Status Commit();
  void Rollback();
  virtual bool InTransaction() const = 0;
  // A transaction is open that may write: SQLite, one that holds the write lock (BEGIN IMMEDIATE, or a
  // deferred one that wrote); PostgreSQL, one not begun read-only.
  virtual bool InWriteTransaction() const = 0;

  // A step run inside every transaction that may write, just before its COMMIT (also the top-level
  // commit of a WriteScope); its error fails the commit. The store uses it on SQLite sessions to
  // write the transaction's queued search rows (search.h, FlushSqliteSearchQueue).
  void set_before_commit(std::function<Status(Connection&)> step) { before_commit_ = std::move(step); }

 private:
  std::function<Status(Connection&)> before_commit_;
};

// Rolls back unless Commit() was called; when a transaction is already open it uses a savepoint, so
// that a failed step undoes only its own writes (and on PostgreSQL does not abort the caller's
// transaction).
class WriteScope {
 public:
  explicit WriteScope(Connection& c);
  WriteScope(const WriteScope&) = delete;
  WriteScope& operator=(const WriteScope&) = delete;
  ~WriteScope();
  const Status& began() const { return began_; }
  [[nodiscard]] Status Commit();

 private:
  Connection& c_;
  bool savepoint_ = false;
  bool done_ = false;
  Status began_;
};

}  // namespace rapport::store::sql
