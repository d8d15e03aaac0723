#include "store/sql/connection.h"

namespace rapport::store::sql {

Status Statement::Run() {
  for (;;) {
    Result<bool> more = Next();
    if (!more.ok()) return more.status();
    if (!*more) return Status::Ok();
  }
}

Status Connection::Commit() {
  if (before_commit_ && InWriteTransaction()) RAPPORT_RETURN_IF_ERROR(before_commit_(*this));
  return Execute("COMMIT");
}

void Connection::Rollback() {
  if (InTransaction()) (void)Execute("ROLLBACK");
}

namespace {
constexpr const char* kSavepoint = "rapport_write";
}  // namespace

WriteScope::WriteScope(Connection& c) : c_(c) {
  if (c_.InTransaction()) {
    savepoint_ = true;
    began_ = c_.Execute(std::string("SAVEPOINT ") + kSavepoint);
  } else {
    began_ = c_.Begin();
  }
  if (!began_.ok()) done_ = true;
}

WriteScope::~WriteScope() {
  if (done_) return;
  if (savepoint_) {
    (void)c_.Execute(std::string("ROLLBACK TO SAVEPOINT ") + kSavepoint + "; RELEASE SAVEPOINT " + kSavepoint);
  } else {
    c_.Rollback();
  }
}

Status WriteScope::Commit() {
  done_ = true;
  if (savepoint_) return c_.Execute(std::string("RELEASE SAVEPOINT ") + kSavepoint);
  Status s = c_.Commit();
  if (!s.ok()) c_.Rollback();
  return s;
}

}  // namespace rapport::store::sql
