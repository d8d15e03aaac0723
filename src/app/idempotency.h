#pragma once
// Idempotency keys of API writes: the first response to a write sent with an Idempotency-Key is
// kept, so that a client retrying after a lost connection gets that response again instead of a
// second ticket. Keys are per user: two users may use the same key.

#include <optional>
#include <string>

#include "app/ports/clock.h"
#include "app/session_pool.h"

namespace rapport::app {

class IdempotencyKeys {
 public:
  IdempotencyKeys(SessionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  // The stored first response for (user, key), or nullopt. kUnavailable when the store is down.
  Result<std::optional<IdempotencyRecord>> Find(UserId user, const std::string& key);
  // Stores the first response, stamped with the clock's now. kAlreadyExists when a concurrent
  // request with the same key stored its response first.
  Status Remember(IdempotencyRecord record);

 private:
  SessionPool& pool_;
  const Clock& clock_;
};

}  // namespace rapport::app
