#include "core/text_rules.h"

#include <algorithm>

#include "core/identity.h"

namespace rapport {

std::size_t CharacterCount(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::size_t Utf8SequenceLength(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  std::size_t n = 0;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  // Overlong forms, UTF-16 surrogates and code points above U+10FFFF are not UTF-8.
  if (c == 0xE0 && byte(i + 1) < 0xA0) return 0;
  if (c == 0xED && byte(i + 1) > 0x9F) return 0;
  if (c == 0xF0 && byte(i + 1) < 0x90) return 0;
  if (c == 0xF4 && byte(i + 1) > 0x8F) return 0;
  return n;
}

bool IsStorableText(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '\0') return false;
    const std::size_t n = Utf8SequenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string StorableText(std::string_view s, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(s.size(), max_bytes));
  // Runs of good characters are copied whole: a mail body is one run, and a copy per character made
  // this a noticeable part of an import's storing thread.
  std::size_t run = 0;  // where the run of good characters not yet copied starts
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t n = s[i] == '\0' ? 0 : Utf8SequenceLength(s, i);
    if (n != 0 && out.size() + (i - run) + n <= max_bytes) {
      i += n;
      continue;
    }
    out.append(s.substr(run, i - run));
    if (n != 0) return out;  // the next character would pass max_bytes
    run = ++i;               // a stray byte or NUL: dropped, and the text resynchronises
  }
  out.append(s.substr(run, i - run));
  return out;
}

std::string SafeFileName(std::string_view name) {
  const std::size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u != 0x7F) out += c;
  }
  const std::string_view trimmed = Trim(out);
  if (trimmed == "." || trimmed == "..") return {};
  return StorableText(trimmed, 255);
}

}  // namespace rapport
