#include "store/search.h"

#include "store/codec.h"

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

void AppendSearchCondition(sql::Dialect dialect, const std::string& word, SqlBuilder& q) {
  if (dialect == sql::Dialect::kSqlite) {
    // A quoted FTS5 string followed by * is a prefix query; the word holds no quote by construction.
    std::string term = "\"" + word + "\"*";
    q.Sql(" AND t.id IN (SELECT rowid / 1048576 FROM ticket_text WHERE ticket_text MATCH ?"
          " UNION SELECT t2.id FROM tickets t2 WHERE t2.contact_id IN"
          " (SELECT rowid FROM contact_text WHERE contact_text MATCH ?))")
        .Value(term)
        .Value(term);
    return;
  }
  // A quoted tsquery lexeme with a prefix marker; the word holds no quote or backslash by construction.
  std::string term = "'" + word + "':*";
  q.Sql(" AND (t.subject_tsv @@ to_tsquery('simple', ?)"
        " OR t.id IN (SELECT m.ticket_id FROM messages m WHERE m.body_tsv @@ to_tsquery('simple', ?))"
        " OR t.contact_id IN (SELECT c2.id FROM contacts c2 WHERE c2.search_tsv @@ to_tsquery('simple', ?)))")
      .Value(term)
      .Value(term)
      .Value(term);
}

}  // namespace rapport::store
