#pragma once
// The SQL layer over the sqlite3 C API. Every connection runs with WAL, synchronous=NORMAL,
// foreign_keys=ON and a busy timeout, so that readers never block the writer and two writers wait
// for each other rather than fail.

#include <memory>
#include <string>

#include "store/sql/connection.h"

struct sqlite3;

namespace rapport::store::sql {

// Opens (creating if needed) the database file at `path`. kUnavailable when it cannot be opened.
Result<std::unique_ptr<Connection>> OpenSqlite(const std::string& path);

// An online, consistent copy of the open database `from` into the file `to_path` (sqlite3 backup API).
Status BackupSqlite(Connection& from, const std::string& to_path);

}  // namespace rapport::store::sql
