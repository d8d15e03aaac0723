#include "store/sql/postgres_connection.h"

#include <libpq-fe.h>

#include <charconv>
#include <cstring>
#include <unordered_map>
#include <vector>

namespace rapport::store::sql {
namespace {

constexpr std::size_t kMaxCachedStatements = 256;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

std::string Trimmed(const char* s) {
  std::string out = s != nullptr ? s : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

// Maps a failed result (or a failed send, res == nullptr) to a Status.
Status ErrorStatus(PGconn* conn, const PGresult* res) {
  if (PQstatus(conn) == CONNECTION_BAD) {
    return Status::Unavailable("the PostgreSQL connection was lost (" + Trimmed(PQerrorMessage(conn)) + "); retry later");
  }
  const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string msg = "PostgreSQL: " + Trimmed(res != nullptr ? PQresultErrorMessage(res) : PQerrorMessage(conn));
  if (state == nullptr) return Status::Internal(msg);
  std::string code(state);
  if (code == "23505") return Status::AlreadyExists(msg);
  if (code == "23503" || code == "23502" || code == "23514" || code == "22001") return Status::InvalidArgument(msg);
  if (code == "22021" || code == "22P05") return Status::InvalidArgument("the text is not valid UTF-8 (" + msg + ")");
  // Connection exceptions, serialization failures, deadlocks, lock timeouts, shutdowns, too many clients.
  if (code.starts_with("08") || code == "40001" || code == "40P01" || code == "55P03" || code.starts_with("57P") ||
      code == "53300") {
    return Status::Unavailable(msg + "; retry later");
  }
  return Status::Internal(msg);
}

class PostgresStatement final : public Statement {
 public:
  PostgresStatement(PGconn* conn, std::string name) : conn_(conn), name_(std::move(name)) {}

  void BindInt(std::int64_t v) override {
    params_.emplace_back(std::to_string(v));
  }
  void BindText(std::string_view v) override { params_.emplace_back(std::string(v)); }
  void BindNull() override { params_.emplace_back(std::nullopt); }
  void BindBlob(std::string_view v) override {
    binary_.resize(params_.size() + 1, 0);
    binary_.back() = 1;  // sent in binary format: no escaping, exact bytes
    params_.emplace_back(std::string(v));
  }

  Result<bool> Next() override {
    if (!executed_) {
      executed_ = true;
      std::vector<const char*> values;
      values.reserve(params_.size());
      for (const auto& p : params_) values.push_back(p ? p->c_str() : nullptr);
      std::vector<int> lengths;
      if (!binary_.empty()) {  // only statements with a blob pay for the length and format arrays
        binary_.resize(params_.size(), 0);
        lengths.reserve(params_.size());
        for (const auto& p : params_) lengths.push_back(p ? static_cast<int>(p->size()) : 0);
      }
      result_.reset(PQexecPrepared(conn_, name_.c_str(), static_cast<int>(values.size()), values.data(),
                                   binary_.empty() ? nullptr : lengths.data(),
                                   binary_.empty() ? nullptr : binary_.data(), 0));
      const ExecStatusType st = result_ ? PQresultStatus(result_.get()) : PGRES_FATAL_ERROR;
      if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        Status s = ErrorStatus(conn_, result_.get());
        result_.reset();
        return s;
      }
      rows_ = PQntuples(result_.get());
      row_ = -1;
    }
    if (!result_) return false;
    ++row_;
    return row_ < rows_;
  }

  bool IsNull(int col) const override { return PQgetisnull(result_.get(), row_, col) != 0; }
  std::int64_t Int(int col) const override {
    const char* v = PQgetvalue(result_.get(), row_, col);
    std::int64_t out = 0;
    std::from_chars(v, v + std::strlen(v), out);
    return out;
  }
  std::string Text(int col) const override {
    return std::string(PQgetvalue(result_.get(), row_, col),
                       static_cast<std::size_t>(PQgetlength(result_.get(), row_, col)));
  }
  std::string Blob(int col) const override {
    // Results come in text format, where bytea reads as "\\x" and hex digits.
    std::size_t n = 0;
    unsigned char* bytes = PQunescapeBytea(
        reinterpret_cast<const unsigned char*>(PQgetvalue(result_.get(), row_, col)), &n);
    if (bytes == nullptr) return {};
    std::string out(reinterpret_cast<const char*>(bytes), n);
    PQfreemem(bytes);
    return out;
  }
  void Reset() override {
    params_.clear();
    binary_.clear();
    result_.reset();
    executed_ = false;
    rows_ = 0;
    row_ = -1;
  }
  const std::string& name() const { return name_; }

 private:
  PGconn* conn_;
  std::string name_;
  std::vector<std::optional<std::string>> params_;
  std::vector<int> binary_;  // per parameter: 1 = binary format (a blob); empty when none is
  ResultPtr result_;
  bool executed_ = false;
  int rows_ = 0;
  int row_ = -1;
};

class PostgresConnection final : public Connection {
 public:
  explicit PostgresConnection(PGconn* conn) : conn_(conn) {}
  ~PostgresConnection() override {
    cache_.clear();
    PQfinish(conn_);
  }
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  Dialect dialect() const override { return Dialect::kPostgres; }

  Result<Query> Prepare(const std::string& sql) override {
    RAPPORT_RETURN_IF_ERROR(EnsureConnected());
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
      if (cache_.size() >= kMaxCachedStatements) Evict();
      std::string name = "rapport_" + std::to_string(++next_name_);
      ResultPtr res(PQprepare(conn_, name.c_str(), NumberPlaceholders(sql).c_str(), 0, nullptr));
      if (!res || PQresultStatus(res.get()) != PGRES_COMMAND_OK) return ErrorStatus(conn_, res.get());
      it = cache_.emplace(sql, std::make_unique<PostgresStatement>(conn_, std::move(name))).first;
    }
    return Query(it->second.get());
  }

  Status Execute(const std::string& sql) override {
    RAPPORT_RETURN_IF_ERROR(EnsureConnected());
    ResultPtr res(PQexec(conn_, sql.c_str()));
    const ExecStatusType st = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return ErrorStatus(conn_, res.get());
    return Status::Ok();
  }

  Status Begin() override {
    if (InTransaction()) return Status::Internal("a transaction is already open on this session");
    read_only_ = false;
    return Execute("BEGIN");
  }

  Status BeginReadOnly() override {
    if (InTransaction()) return Status::Internal("a transaction is already open on this session");
    read_only_ = true;
    // REPEATABLE READ: one snapshot for the whole use case (a ticket and its messages agree). A
    // read-only transaction at this level never fails with a serialization error.
    return Execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }

  bool InTransaction() const override {
    const PGTransactionStatusType t = PQtransactionStatus(conn_);
    return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
  }
  bool InWriteTransaction() const override { return InTransaction() && !read_only_; }

 private:
  // A connection lost between uses is re-opened once; its prepared statements are gone with it.
  Status EnsureConnected() {
    if (PQstatus(conn_) == CONNECTION_OK) return Status::Ok();
    cache_.clear();
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK) {
      return Status::Unavailable("cannot reach PostgreSQL (" + Trimmed(PQerrorMessage(conn_)) + "); retry later");
    }
    return Status::Ok();
  }

  void Evict() {
    for (auto it = cache_.begin(); it != cache_.end();) {
      if (it->second->leased()) {
        ++it;
        continue;
      }
      ResultPtr res(PQexec(conn_, ("DEALLOCATE " + it->second->name()).c_str()));
      it = cache_.erase(it);
    }
  }

  PGconn* conn_;
  std::unordered_map<std::string, std::unique_ptr<PostgresStatement>> cache_;
  std::uint64_t next_name_ = 0;
  bool read_only_ = false;  // the open transaction was begun read-only
};

}  // namespace

std::string NumberPlaceholders(const std::string& sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;  // inside '...' or "..."
  for (char ch : sql) {
    if (quote != 0) {
      if (ch == quote) quote = 0;
      out += ch;
    } else if (ch == '\'' || ch == '"') {
      quote = ch;
      out += ch;
    } else if (ch == '?') {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += ch;
    }
  }
  return out;
}

Result<std::unique_ptr<Connection>> OpenPostgres(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (conn == nullptr) return Status::Unavailable("cannot allocate a PostgreSQL connection");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = Trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    return Status::Unavailable("cannot connect to PostgreSQL: " + msg +
                               "; check the URL, that the server runs and accepts the user");
  }
  // Quiet NOTICEs (e.g. "text-search query doesn't contain lexemes") instead of printing to stderr.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  auto c = std::make_unique<PostgresConnection>(conn);
  Status s = c->Execute("SET client_min_messages = warning; SET TIME ZONE 'UTC'");
  if (!s.ok()) return s;
  return std::unique_ptr<Connection>(std::move(c));
}

}  // namespace rapport::store::sql
