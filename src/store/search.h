#pragma once
// Full-text search of tickets (TicketQuery.text): the subject, every message body, and the contact's
// name, emails and phones.
//
// What the user types is never passed to the search engine's query language. It is cut into words
// (runs of ASCII letters and digits and of non-ASCII characters); everything else, including quotes,
// '*', '-', ':', parentheses and operator words such as NEAR, OR and NOT, is just a separator or a
// plain word. Each word becomes a quoted prefix term, and a ticket must match every word, each word
// anywhere in the ticket or its contact. Input with no words adds no text filter.
//
// SQLite: FTS5 tables kept in sync by triggers (see migrations.cc). ticket_text holds the subject and
// each message body under rowid ticket_id * 2^20 + n, so a match yields its ticket id by a division
// without a lookup. contact_text holds each contact's search text under its id. The triggers queue
// their rows in search_queue, and each transaction moves them into the FTS5 tables at its commit
// (FlushSqliteSearchQueue, migration 8 says why): a search sees a write once it is committed, not
// from inside the writing transaction.
// PostgreSQL: generated tsvector columns ('simple' configuration) with GIN indexes.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/sql/connection.h"
#include "store/sql_builder.h"

namespace rapport::store {

// Lower-cased (ASCII) words of `text`, at most kMaxSearchWords of them, each at most 64 bytes.
std::vector<std::string> SearchWords(std::string_view text);
inline constexpr std::size_t kMaxSearchWords = 8;

// PostgreSQL: appends " AND (<condition on t.id / t.contact_id>)" for one word to a query over
// `tickets t`.
void AppendPostgresSearchCondition(const std::string& word, SqlBuilder& q);

// SQLite: the ids (ascending) of the tickets that match every word. Each word's matches are read
// straight from the FTS5 index (ticket ids come out in order, so merging is linear) and the sets
// are intersected here; the list query then receives the result as one JSON array and can pick the
// cheaper plan by its size (see AppendSqliteSearchIds).
Result<std::vector<std::int64_t>> SqliteSearchTicketIds(sql::Connection& c, const std::vector<std::string>& words);

// SQLite: " AND t.id IN (<ids>)". A few matches drive the query (look each up, then sort); many
// matches are only checked while the sort index is walked, which stops after one page.
void AppendSqliteSearchIds(const std::vector<std::int64_t>& ids, SqlBuilder& q);

// SQLite: moves the rows that the transaction's triggers queued into the FTS5 tables (each doc's rows
// in the order they were queued) and empties the queue. The store runs it before every commit of a
// session (sql::Connection::set_before_commit); with nothing queued it only reads that the queue is
// empty.
Status FlushSqliteSearchQueue(sql::Connection& c);

}  // namespace rapport::store
