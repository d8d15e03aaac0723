#pragma once
// Reading result rows in the SqlSession files: every row of a query through a row reader, and the
// LIMIT of a list that a caller asked for.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "app/ports/store.h"
#include "core/status.h"
#include "store/sql/connection.h"

namespace rapport::store {

// Every row of `q`, each made by `read(const sql::Statement&)`.
template <typename T, typename Reader>
Result<std::vector<T>> ReadRows(sql::Query& q, Reader read) {
  std::vector<T> out;
  for (;;) {
    RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
    if (!row) return out;
    out.push_back(read(*q));
  }
}

// A list's LIMIT: at least 1, at most app::kMaxPageSize.
inline std::int64_t PageLimit(int limit) { return std::clamp(limit, 1, app::kMaxPageSize); }

}  // namespace rapport::store
