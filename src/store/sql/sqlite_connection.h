#pragma once
// The SQL layer over the sqlite3 C API. Every connection runs with WAL, synchronous=NORMAL,
// foreign_keys=ON and a busy timeout, so that readers never block the writer and two writers wait
// for each other rather than fail.

#include <memory>
#include <mutex>
#include <string>

#include "store/sql/connection.h"

struct sqlite3;

namespace rapport::store::sql {

// Opens (creating if needed) the database file at `path`. kUnavailable when it cannot be opened.
//
// `write_gate`, shared by the connections of one store, is held from Begin() to the end of the
// transaction. Transactions take SQLite's write lock at once (BEGIN IMMEDIATE: a transaction that
// reads and then writes cannot fail on a stale snapshot), and the gate makes the threads of this
// process queue for it on a mutex instead of SQLite's sleep-and-retry busy handler, which would
// cost milliseconds per hand-over. Statements outside a transaction do not take the gate: reads
// run in parallel on WAL snapshots.
//
// `cache_kib` is the connection's private page cache (see OpenSqlite's comment on memory).
inline constexpr int kDefaultSqliteCacheKib = 2048;
Result<std::unique_ptr<Connection>> OpenSqlite(const std::string& path,
                                               std::shared_ptr<std::timed_mutex> write_gate = nullptr,
                                               int cache_kib = kDefaultSqliteCacheKib);

// An online, consistent copy of the open database `from` into the file `to_path` (sqlite3 backup API).
Status BackupSqlite(Connection& from, const std::string& to_path);

}  // namespace rapport::store::sql
