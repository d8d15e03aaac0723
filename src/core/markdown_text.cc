#include "core/markdown_text.h"

namespace rapport {
namespace {

bool IsAsciiAlnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsControl(char c) { return static_cast<unsigned char>(c) < 0x20 || c == '\x7f'; }
bool IsW(char c) { return c == 'w' || c == 'W'; }
constexpr const char* kZeroWidthSpace = "\u200b";

// Characters that start or close inline markup wherever they stand: code spans, emphasis and
// strikethrough, links and images (brackets), autolinks and HTML (angle brackets), tables, and the
// escape character itself; ':' is the trigger of GitHub's bare URL autolinks.
bool AlwaysEscaped(char c) {
  switch (c) {
    case '\\': case '`': case '*': case '_': case '~': case '[': case ']': case '<': case '>': case '|':
    case ':':
      return true;
    default:
      return false;
  }
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
    // "&amp;" or "&#60;" would be read as an entity; a lone "&" (as in "Smith & Sons") is text.
    const bool entity = c == '&' && i + 1 < text.size() && (IsAsciiAlnum(text[i + 1]) || text[i + 1] == '#');
    // The dot of "www." (GitHub's bare www autolink); other dots are text.
    const bool www_dot = c == '.' && i >= 3 && IsW(text[i - 1]) && IsW(text[i - 2]) && IsW(text[i - 3]);
    if (AlwaysEscaped(c) || entity || www_dot) out += '\\';
    out += c;
    // GitHub's email autolink looks at the text after escapes are resolved, so "\\@" is still linked.
    // A zero-width space after '@' leaves no address to link (here, or in a mail client that links
    // addresses in plain text) and reads the same.
    if (c == '@') out += kZeroWidthSpace;
  }
  return out;
}

}  // namespace rapport
