#include "mail/parse_rfc2047.h"

#include <glib.h>

#include "core/base64.h"

#include <algorithm>
#include <cstdint>

namespace rapport::mail {
namespace {

constexpr std::size_t kMaxCharsetBytes = 75;

struct EncodedWord {
  std::size_t begin = 0;  // of "=?"
  std::size_t end = 0;    // one past "?="
  std::string_view charset;
  char encoding = 0;
  std::string_view payload;
};

// The encoded word starting at `pos` (which holds "=?"), if it is one.
bool ReadEncodedWord(std::string_view s, std::size_t pos, EncodedWord& word) {
  const std::size_t q1 = s.find('?', pos + 2);
  if (q1 == std::string_view::npos || q1 == pos + 2 || q1 - pos - 2 > kMaxCharsetBytes) return false;
  std::string_view charset = s.substr(pos + 2, q1 - pos - 2);
  if (charset.find_first_of(" \t\r\n\"") != std::string_view::npos) return false;
  if (q1 + 2 >= s.size() || s[q1 + 2] != '?') return false;
  const char enc = s[q1 + 1];
  const std::size_t close = s.find("?=", q1 + 3);
  if (close == std::string_view::npos) return false;
  word = {pos, close + 2, charset, enc, s.substr(q1 + 3, close - q1 - 3)};
  return true;
}

}  // namespace

bool HasBEncodedWord(std::string_view raw) {
  return raw.find("?B?") != std::string_view::npos || raw.find("?b?") != std::string_view::npos;
}

std::string BEncodedWordsAsQ(std::string_view raw) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(raw.size() * 2);
  std::size_t pos = 0;
  while (pos < raw.size()) {
    const std::size_t start = raw.find("=?", pos);
    if (start == std::string_view::npos) break;
    EncodedWord word;
    if (!ReadEncodedWord(raw, start, word)) {
      out.append(raw.substr(pos, start + 2 - pos));
      pos = start + 2;
      continue;
    }
    out.append(raw.substr(pos, word.begin - pos));
    if (word.encoding == 'B' || word.encoding == 'b') {
      const std::string bytes = DecodeBase64Leniently(word.payload);
      out += "=?";
      // ISO-2022-JP is 7-bit; 8-bit bytes under that label are Shift_JIS from Japanese Windows mailers.
      const bool mislabelled_sjis =
          word.charset.size() >= 11 && g_ascii_strncasecmp(word.charset.data(), "iso-2022-jp", 11) == 0 &&
          std::any_of(bytes.begin(), bytes.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
      out += mislabelled_sjis ? std::string_view("CP932") : word.charset;
      out += "?Q?";
      for (char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        if ((u >= '0' && u <= '9') || (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z')) {
          out += c;
        } else {
          out += '=';
          out += kHex[u >> 4];
          out += kHex[u & 0xF];
        }
      }
      out += "?=";
    } else {
      out.append(raw.substr(word.begin, word.end - word.begin));
    }
    pos = word.end;
  }
  if (pos < raw.size()) out.append(raw.substr(pos));
  return out;
}

}  // namespace rapport::mail
