#include "app/idempotency.h"

namespace rapport::app {

Result<std::optional<IdempotencyRecord>> IdempotencyKeys::Find(UserId user, const std::string& key) {
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  return (*lease)->FindIdempotency(user, key);
}

Status IdempotencyKeys::Remember(IdempotencyRecord record) {
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  record.created_at = clock_.Now();
  return (*lease)->InsertIdempotency(record);
}

}  // namespace rapport::app
