#pragma once
// ASCII case folding, never through the C locale: header names, charsets, reply prefixes, HTML tag
// names, URL schemes and CSS keywords are ASCII and case-insensitive, and mail text is arbitrary bytes.
// Header-only (the parser fuzz build compiles what it includes and nothing more).

#include <cstddef>
#include <string_view>

namespace rapport {

// A-Z lower-cased; every other byte (including UTF-8 bytes) as it is.
inline char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// `lower` is lower-case in each of these.
inline bool StartsWithNoCase(std::string_view s, std::string_view lower) {
  if (s.size() < lower.size()) return false;
  for (std::size_t i = 0; i < lower.size(); ++i) {
    if (AsciiLower(s[i]) != lower[i]) return false;
  }
  return true;
}

inline bool EqualsNoCase(std::string_view s, std::string_view lower) {
  return s.size() == lower.size() && StartsWithNoCase(s, lower);
}

inline bool ContainsNoCase(std::string_view haystack, std::string_view lower) {
  for (std::size_t i = 0; i + lower.size() <= haystack.size(); ++i) {
    if (StartsWithNoCase(haystack.substr(i), lower)) return true;
  }
  return false;
}

}  // namespace rapport
