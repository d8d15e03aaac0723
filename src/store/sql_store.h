#pragma once
// The two Store implementations: one opens SQLite connections to a file, the other libpq
// connections to a server URL. Both hand out SqlSession (sql_session.h).

#include <memory>
#include <string>

#include "app/ports/store.h"

namespace rapport::store {

// `path` is the database file; its parent directory must exist (OpenStore creates it).
std::unique_ptr<app::Store> MakeSqliteStore(std::string path, const app::StoreOptions& options = {});
// `url` is given to PQconnectdb unchanged.
std::unique_ptr<app::Store> MakePostgresStore(std::string url);

}  // namespace rapport::store
