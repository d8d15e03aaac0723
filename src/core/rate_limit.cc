#include "core/rate_limit.h"

namespace rapport {

void RateLimiter::Expire(std::deque<Instant>& q, Instant now) const {
  while (!q.empty() && q.front() <= now - window_) q.pop_front();
}

bool RateLimiter::Exceeded(const std::string& key, Instant now) {
  auto it = events_.find(key);
  if (it == events_.end()) return false;
  Expire(it->second, now);
  if (it->second.empty()) {
    events_.erase(it);
    return false;
  }
  return static_cast<int>(it->second.size()) >= limit_;
}

void RateLimiter::Record(const std::string& key, Instant now) {
  auto& q = events_[key];
  Expire(q, now);
  q.push_back(now);
}

}  // namespace rapport
