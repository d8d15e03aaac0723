#include "store/search.h"

#include "store/codec.h"

#include <algorithm>
#include <iterator>

namespace rapport::store {
namespace {
constexpr std::size_t kMaxWordBytes = 64;

bool IsWordByte(char ch) {
  const auto u = static_cast<unsigned char>(ch);
  return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || u >= 0x80;
}

// Cuts at a UTF-8 character boundary so a long word stays valid text.
void TruncateUtf8(std::string& word, std::size_t max) {
  if (word.size() <= max) return;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(word[n]) & 0xC0) == 0x80) --n;
  word.resize(n);
}
}  // namespace

std::vector<std::string> SearchWords(std::string_view raw) {
  const std::string text = ScrubUtf8(raw);
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    TruncateUtf8(word, kMaxWordBytes);
    if (!word.empty() && words.size() < kMaxSearchWords) words.push_back(word);
    word.clear();
  };
  for (char ch : text) {
    if (IsWordByte(ch)) {
      word += (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
    } else {
      flush();
    }
  }
  flush();
  return words;
}

void AppendPostgresSearchCondition(const std::string& word, SqlBuilder& q) {
  // A quoted tsquery lexeme with a prefix marker; the word holds no quote or backslash by construction.
  std::string term = "'" + word + "':*";
  q.Sql(" AND (t.subject_tsv @@ to_tsquery('simple', ?)"
        " OR t.id IN (SELECT m.ticket_id FROM messages m WHERE m.body_tsv @@ to_tsquery('simple', ?))"
        " OR t.contact_id IN (SELECT c2.id FROM contacts c2 WHERE c2.search_tsv @@ to_tsquery('simple', ?)))")
      .Value(term)
      .Value(term)
      .Value(term);
}

namespace {

// Reads a column of ascending ids, dropping repeats.
Result<std::vector<std::int64_t>> ReadIds(sql::Connection& c, const std::string& sql, const std::string& term) {
  RAPPORT_ASSIGN_OR_RETURN(sql::Query q, c.Prepare(sql));
  q->Bind(term);
  std::vector<std::int64_t> ids;
  for (;;) {
    RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
    if (!row) break;
    const std::int64_t id = q->Int(0);
    if (ids.empty() || ids.back() != id) ids.push_back(id);
  }
  return ids;
}

// Past this many matches, walking the sort index is cheaper than sorting the matches.
constexpr std::size_t kDriveFromMatchesLimit = 3000;

}  // namespace

Result<std::vector<std::int64_t>> SqliteSearchTicketIds(sql::Connection& c, const std::vector<std::string>& words) {
  std::vector<std::int64_t> result;
  bool first = true;
  for (const auto& word : words) {
    // A quoted FTS5 string followed by * is a prefix query; the word holds no quote by construction.
    const std::string term = "\"" + word + "\"*";
    RAPPORT_ASSIGN_OR_RETURN(
        std::vector<std::int64_t> in_text,
        ReadIds(c, "SELECT rowid / 1048576 FROM ticket_text WHERE ticket_text MATCH ? ORDER BY rowid", term));
    RAPPORT_ASSIGN_OR_RETURN(std::vector<std::int64_t> by_contact,
                             ReadIds(c,
                                     "SELECT t.id FROM tickets t WHERE t.contact_id IN"
                                     " (SELECT rowid FROM contact_text WHERE contact_text MATCH ?) ORDER BY t.id",
                                     term));
    std::vector<std::int64_t> matches;
    matches.reserve(in_text.size() + by_contact.size());
    std::set_union(in_text.begin(), in_text.end(), by_contact.begin(), by_contact.end(), std::back_inserter(matches));
    if (first) {
      result = std::move(matches);
      first = false;
    } else {
      std::vector<std::int64_t> both;
      std::set_intersection(result.begin(), result.end(), matches.begin(), matches.end(), std::back_inserter(both));
      result = std::move(both);
    }
    if (result.empty()) break;
  }
  return result;
}

void AppendSqliteSearchIds(const std::vector<std::int64_t>& ids, SqlBuilder& q) {
  std::string json = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) json += ',';
    json += std::to_string(ids[i]);
  }
  json += ']';
  // The unary + keeps SQLite from driving the query from the list when the list is long.
  q.Sql(ids.size() <= kDriveFromMatchesLimit ? " AND t.id IN (SELECT value FROM json_each(?))"
                                             : " AND +t.id IN (SELECT value FROM json_each(?))")
      .Value(std::move(json));
}

Status FlushSqliteSearchQueue(sql::Connection& c) {
  {
    // Nothing queued (a read-only transaction, or a write to no searched table): write nothing. A
    // read-only transaction must not write at all: on an old snapshot that fails (SQLITE_BUSY_SNAPSHOT).
    RAPPORT_ASSIGN_OR_RETURN(sql::Query q, c.Prepare("SELECT 1 FROM search_queue LIMIT 1"));
    RAPPORT_ASSIGN_OR_RETURN(bool queued, q->Next());
    if (!queued) return Status::Ok();
  }
  // FTS5's special column (named after the table) carries the command: NULL indexes, 'delete' removes.
  // In rowid order: FTS5 writes its pending data out whenever a row comes with a lower rowid than
  // the one before, and an import's messages join tickets all over the id range (ordered by seq, a
  // 100,000-message import spent 10.1 s here; by doc, 4.4 s). Rows of one doc keep their order.
  for (const char* sql :
       {"INSERT INTO ticket_text (ticket_text, rowid, body) "
        "SELECT command, doc, body FROM search_queue WHERE fts = 'ticket_text' ORDER BY doc, seq",
        "INSERT INTO contact_text (contact_text, rowid, body) "
        "SELECT command, doc, body FROM search_queue WHERE fts = 'contact_text' ORDER BY doc, seq",
        "DELETE FROM search_queue"}) {
    RAPPORT_ASSIGN_OR_RETURN(sql::Query q, c.Prepare(sql));
    RAPPORT_RETURN_IF_ERROR(q->Run());
  }
  return Status::Ok();
}

}  // namespace rapport::store
