#pragma once
// Versioned schema migrations, one numbered list per dialect. Each step runs in its own transaction
// and is recorded in schema_migrations, so Migrate() applies only what is missing and running it
// twice changes nothing. On SQLite, `PRAGMA quick_check` runs first: a damaged file is reported
// instead of being migrated further.
//
// Both dialects store the same columns with the same types as far as the SQL of the sessions sees:
// ids and times are 64-bit integers (times in UTC unix seconds), flags are 0/1 integers, enums are
// their stable names (core/vocabulary.h), lists are packed as codec.h says.

#include <span>

#include "core/status.h"
#include "store/sql/connection.h"

namespace rapport::store {

struct Migration {
  int version;
  const char* description;
  const char* sql;  // one or more statements, no parameters
};

std::span<const Migration> MigrationsFor(sql::Dialect dialect);

// kUnavailable (database busy or unreachable), kInternal (a failed step, a damaged database, or a
// database made by a newer Rapport).
Status Migrate(sql::Connection& c);

}  // namespace rapport::store
