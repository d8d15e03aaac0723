#pragma once
// Hands out store sessions (connections) to threads and takes them back, so that a request reuses a
// warm connection with its prepared statements instead of opening a new one.

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "app/ports/store.h"

namespace rapport::app {

class SessionPool {
 public:
  explicit SessionPool(Store& store) : store_(store) {}
  SessionPool(const SessionPool&) = delete;
  SessionPool& operator=(const SessionPool&) = delete;

  // A session on loan; goes back to the pool when destroyed. A session whose transaction was left
  // open is rolled back first.
  class Lease {
   public:
    Lease(SessionPool& pool, std::unique_ptr<StoreSession> s) : pool_(&pool), session_(std::move(s)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) noexcept = default;
    ~Lease();
    StoreSession& operator*() const { return *session_; }
    StoreSession* operator->() const { return session_.get(); }

   private:
    SessionPool* pool_;
    std::unique_ptr<StoreSession> session_;
  };

  // kUnavailable when no idle session exists and a new one cannot be opened.
  Result<Lease> Acquire();
  Store& store() { return store_; }
  // Sessions this pool has opened and still holds, idle or on loan (the pool never closes one before
  // it is destroyed). For the /metrics gauge.
  std::size_t OpenSessions() const { return opened_.load(); }

 private:
  void Return(std::unique_ptr<StoreSession> s);

  Store& store_;
  std::mutex mu_;
  std::vector<std::unique_ptr<StoreSession>> idle_;  // GUARDED_BY(mu_)
  std::atomic<std::size_t> opened_{0};
};

}  // namespace rapport::app
