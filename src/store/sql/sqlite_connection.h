#pragma once
// The SQL layer over the sqlite3 C API. Every connection runs with foreign_keys=ON and a busy
// timeout, so that two writers wait for each other rather than fail. The server's connections use
// WAL with synchronous=NORMAL, so that readers never block the writer; a bulk load may use a
// rollback journal instead (SqliteUse::kBulkLoad).

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
// `use` tunes the connection:
//   kShared    the server's (and every tool's): WAL and a 2 MiB private page cache, since a server
//              keeps up to one connection per worker thread and reads go through the OS page cache,
//              which the connections share.
//   kBulkLoad  a one-off bulk load by a short-lived process with one writer (`rapport import`): a
//              64 MiB page cache, so that the indexes being filled stay in memory, and a rollback
//              journal (journal_mode=TRUNCATE, synchronous=FULL) instead of WAL. In WAL every page
//              is written twice, to the log and again by the checkpoint; with a rollback journal the
//              pages that a transaction appends to the file (the raw messages and attachments, most
//              of an import's bytes) are written once, since there is nothing to roll back in them.
//              Leaving WAL needs the file to itself, so while another process (a running server) has
//              the database open the connection stays in WAL and the load is simply slower. A server
//              that opens the database during the load puts it back in WAL, which the load follows
//              (SQLite reads the mode from the file at every transaction). The connection puts the
//              file back in WAL when it closes; any later kShared open would too.
enum class SqliteUse { kShared, kBulkLoad };
Result<std::unique_ptr<Connection>> OpenSqlite(const std::string& path,
                                               std::shared_ptr<std::timed_mutex> write_gate = nullptr,
                                               SqliteUse use = SqliteUse::kShared);

// An online, consistent copy of the open database `from` into the file `to_path` (sqlite3 backup API).
Status BackupSqlite(Connection& from, const std::string& to_path);

}  // namespace rapport::store::sql
