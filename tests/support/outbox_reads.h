#pragma once
// The whole outbox of a test's fresh database, read without taking anything: ClaimDueOutbox would
// mark the entries as being sent, and a notice's email has no ticket for ListOutboxForTicket.

#include <cstdint>
#include <vector>

#include "app/ports/store.h"

namespace rapport::testing {

// Every outbox entry, oldest first, by id (ids count up from 1 in a fresh database and nothing in
// the tests deletes an entry). Stops at the first id that is not found; another error is returned.
inline Result<std::vector<app::OutboxEntry>> ReadWholeOutbox(app::StoreSession& s) {
  std::vector<app::OutboxEntry> out;
  for (std::int64_t id = 1;; ++id) {
    auto e = s.GetOutbox(OutboxId(id));
    if (!e.ok()) {
      if (e.status().code() == StatusCode::kNotFound) return out;
      return e.status();
    }
    out.push_back(std::move(e).value());
  }
}

}  // namespace rapport::testing
