#pragma once
// The SQL layer over libpq. Statements are prepared once per connection (PQprepare) and run with
// PQexecPrepared, parameters sent as text; `?` placeholders become $1, $2, ... A lost connection is
// reported as kUnavailable and re-established (with an empty statement cache) on the next use.

#include <memory>
#include <string>

#include "store/sql/connection.h"

namespace rapport::store::sql {

// Connects with the URL as given to PQconnectdb. kUnavailable when the server cannot be reached.
Result<std::unique_ptr<Connection>> OpenPostgres(const std::string& url);

// `sql` with each `?` outside quoted text replaced by $1, $2, ... (exposed for tests).
std::string NumberPlaceholders(const std::string& sql);

}  // namespace rapport::store::sql
