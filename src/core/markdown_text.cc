#include "core/markdown_text.h"

#include <vector>

namespace rapport {
namespace {

bool IsAsciiAlnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsControl(char c) { return static_cast<unsigned char>(c) < 0x20 || c == '\x7f'; }
bool IsW(char c) { return c == 'w' || c == 'W'; }
constexpr const char* kZeroWidthSpace = "\u200b";

// Characters that start or close inline markup wherever they stand: code spans, emphasis and
// strikethrough, links and images (brackets), autolinks and HTML (an opening angle bracket: without
// it a '>' is text), tables, and the escape character itself.
bool AlwaysEscaped(char c) {
  switch (c) {
    case '\\': case '`': case '*': case '_': case '~': case '[': case ']': case '<': case '|':
      return true;
    default:
      return false;
  }
}

// Whether text[i] == '&' starts an entity ("&amp;", "&#60;", "&#x3C;"); "R&D" and "Smith & Sons" are text.
bool StartsEntity(std::string_view text, std::size_t i) {
  std::size_t j = i + 1;
  if (j < text.size() && text[j] == '#') {
    ++j;
    if (j < text.size() && (text[j] == 'x' || text[j] == 'X')) ++j;
  }
  const std::size_t name = j;
  while (j < text.size() && IsAsciiAlnum(text[j])) ++j;
  return j > name && j < text.size() && text[j] == ';';
}

}  // namespace

std::string EscapeMarkdownText(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (IsControl(c)) {
      out += ' ';
      continue;
    }
    // Only what would be markup is escaped, since the plain-text part of a mail is the Markdown
    // itself and shows every backslash: "11:00", "R&D" and "a > b" stay as they are.
    const bool entity = c == '&' && StartsEntity(text, i);
    // The dot of "www." and the colon of "https://" (GitHub's bare URL autolinks); other dots and
    // colons are text ("mailto:" needs an '@', handled below).
    const bool www_dot = c == '.' && i >= 3 && IsW(text[i - 1]) && IsW(text[i - 2]) && IsW(text[i - 3]);
    const bool url_colon = c == ':' && i + 1 < text.size() && text[i + 1] == '/';
    // A '>' first on a line starts a block quote.
    const bool quote = c == '>' && i == 0;
    if (AlwaysEscaped(c) || entity || www_dot || url_colon || quote) out += '\\';
    out += c;
    // GitHub's email autolink looks at the text after escapes are resolved, so "\\@" is still linked.
    // A zero-width space after '@' leaves no address to link (here, or in a mail client that links
    // addresses in plain text) and reads the same.
    if (c == '@') out += kZeroWidthSpace;
  }
  return out;
}

std::string EscapeMarkdownLines(std::string_view text) {
  std::vector<std::string> lines;
  for (std::size_t start = 0;;) {
    const std::size_t end = text.find('\n', start);
    std::string_view line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    std::string escaped = EscapeMarkdownText(line);
    if (!escaped.empty() && (escaped[0] == '#' || escaped[0] == '-' || escaped[0] == '+' || escaped[0] == '=')) {
      escaped.insert(0, 1, '\\');
    }
    std::size_t digits = 0;
    while (digits < escaped.size() && escaped[digits] >= '0' && escaped[digits] <= '9') ++digits;
    if (digits > 0 && digits < escaped.size() && (escaped[digits] == '.' || escaped[digits] == ')')) {
      escaped.insert(digits, 1, '\\');
    }
    lines.push_back(std::move(escaped));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out += lines[i];
    if (i + 1 == lines.size()) break;
    // Two spaces end a line with a hard break; none before or after an empty line (a new paragraph).
    if (!lines[i].empty() && !lines[i + 1].empty()) out += "  ";
    out += '\n';
  }
  return out;
}

}  // namespace rapport
