#pragma once
// Runs one use case in one transaction on a pooled session: commits when the work succeeds, rolls
// back (through Transaction's destructor) when it returns an error.

#include <type_traits>
#include <utility>

#include "app/session_pool.h"
#include "app/transaction.h"

namespace rapport::app {

// `work` is called as work(StoreSession&) and returns a Result<T>. Errors from acquiring the
// session, BEGIN and COMMIT are returned as they are (kUnavailable, kInternal).
template <typename Work>
auto InTransaction(SessionPool& pool, TransactionMode mode, Work&& work)
    -> decltype(work(std::declval<StoreSession&>())) {
  auto lease = pool.Acquire();
  if (!lease.ok()) return lease.status();
  StoreSession& session = **lease;
  Transaction tx(session, mode);
  if (!tx.began().ok()) return tx.began();
  auto result = work(session);
  if (!result.ok()) return result;
  Status committed = tx.Commit();
  if (!committed.ok()) return committed;
  return result;
}

// A use case that changes something: takes the write lock at BEGIN.
template <typename Work>
auto InTransaction(SessionPool& pool, Work&& work) -> decltype(work(std::declval<StoreSession&>())) {
  return InTransaction(pool, TransactionMode::kReadWrite, std::forward<Work>(work));
}

// A use case that only reads: one consistent snapshot, in parallel with other readers and writers.
template <typename Work>
auto InReadOnlyTransaction(SessionPool& pool, Work&& work) -> decltype(work(std::declval<StoreSession&>())) {
  return InTransaction(pool, TransactionMode::kReadOnly, std::forward<Work>(work));
}

}  // namespace rapport::app
