#include "mail/parse_message_ids.h"

#include <algorithm>

#include "mail/parse_charset.h"

namespace rapport::mail {
namespace {

constexpr std::size_t kMaxIdBytes = 998;  // a header line's limit; longer "ids" are garbage

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

void Add(std::vector<std::string>& ids, std::string id) {
  if (id.empty() || id.size() > kMaxIdBytes) return;
  if (!IsValidUtf8(id)) id = SanitizeUtf8(id);
  if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(std::move(id));
}

std::string WithoutSpaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (!IsSpace(c)) out += c;
  }
  return out;
}

}  // namespace

std::vector<std::string> ParseMessageIds(std::string_view value, std::size_t max_ids) {
  std::vector<std::string> ids;
  bool bracketed = false;
  for (std::size_t pos = 0; pos < value.size();) {
    const std::size_t open = value.find('<', pos);
    if (open == std::string_view::npos) break;
    const std::size_t close = value.find_first_of("<>", open + 1);
    if (close == std::string_view::npos) break;
    if (value[close] == '<') {  // "<<id>" or a stray '<': start again at the inner one
      pos = close;
      continue;
    }
    bracketed = true;
    Add(ids, WithoutSpaces(value.substr(open + 1, close - open - 1)));
    pos = close + 1;
  }
  if (!bracketed) {
    std::size_t pos = 0;
    while (pos < value.size()) {
      while (pos < value.size() && (IsSpace(value[pos]) || value[pos] == ',')) ++pos;
      std::size_t end = pos;
      while (end < value.size() && !IsSpace(value[end]) && value[end] != ',') ++end;
      std::string_view word = value.substr(pos, end - pos);
      if (word.find('@') != std::string_view::npos && word.front() != '(' && word.back() != ')') {
        Add(ids, std::string(word));
      }
      pos = end;
    }
  }
  if (ids.size() > max_ids) ids.erase(ids.begin(), ids.end() - static_cast<std::ptrdiff_t>(max_ids));
  return ids;
}

std::string ParseMessageId(std::string_view value) {
  std::vector<std::string> ids = ParseMessageIds(value, 1000);
  if (!ids.empty()) return std::move(ids.front());
  // A Message-ID without '@' and brackets ("12345.ABC") is still the sender's id for this message.
  std::string bare = WithoutSpaces(value);
  if (bare.size() > kMaxIdBytes) return {};
  return SanitizeUtf8(bare);
}

}  // namespace rapport::mail
