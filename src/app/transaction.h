#pragma once
// RAII transaction: rolls back unless Commit() succeeded. A use case owns its transaction.

#include "app/ports/store.h"

namespace rapport::app {

class Transaction {
 public:
  // Check began() before use: a failed BEGIN (database unavailable) is reported there.
  explicit Transaction(StoreSession& s, TransactionMode mode = TransactionMode::kReadWrite)
      : s_(s), begin_status_(s.Begin(mode)) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (begin_status_.ok() && !done_) s_.Rollback();
  }
  const Status& began() const { return begin_status_; }
  Status Commit() {
    done_ = true;
    return s_.Commit();
  }

 private:
  StoreSession& s_;
  Status begin_status_;
  bool done_ = false;
};

}  // namespace rapport::app
