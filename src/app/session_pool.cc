#include "app/session_pool.h"

namespace rapport::app {

SessionPool::Lease::~Lease() {
  if (pool_ != nullptr && session_ != nullptr) {
    session_->Rollback();
    pool_->Return(std::move(session_));
  }
}

Result<SessionPool::Lease> SessionPool::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      auto s = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(s));
    }
  }
  auto opened = store_.OpenSession();
  if (!opened.ok()) return opened.status();
  ++opened_;
  return Lease(*this, std::move(opened).value());
}

void SessionPool::Return(std::unique_ptr<StoreSession> s) {
  std::lock_guard<std::mutex> lock(mu_);
  idle_.push_back(std::move(s));
}

}  // namespace rapport::app
