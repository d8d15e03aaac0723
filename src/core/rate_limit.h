#pragma once
// A sliding-window counter per key: at most `limit` events per key within `window`.
// Pure: the caller passes the time of each event.

#include <chrono>
#include <deque>
#include <string>
#include <unordered_map>

#include "core/time.h"

namespace rapport {

class RateLimiter {
 public:
  RateLimiter(int limit, std::chrono::seconds window) : limit_(limit), window_(window) {}
  // True when another event for `key` at `now` would exceed the limit.
  bool Exceeded(const std::string& key, Instant now);
  void Record(const std::string& key, Instant now);
  void Reset(const std::string& key) { events_.erase(key); }

 private:
  void Expire(std::deque<Instant>& q, Instant now) const;
  int limit_;
  std::chrono::seconds window_;
  std::unordered_map<std::string, std::deque<Instant>> events_;
};

}  // namespace rapport
