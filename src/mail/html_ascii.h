#pragma once
// ASCII case folding for the HTML code: tag names, URL schemes, CSS keywords and the markers mail
// clients leave are ASCII and case-insensitive, and mail text must not go through the C locale.
// Internal to rapport_mail; header-only, so the parser fuzz build needs nothing more.

#include <string_view>

namespace rapport::mail::html {

inline char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// `lower` is lower-case in each of these.
inline bool StartsWithNoCase(std::string_view s, std::string_view lower) {
  if (s.size() < lower.size()) return false;
  for (size_t i = 0; i < lower.size(); ++i) {
    if (AsciiLower(s[i]) != lower[i]) return false;
  }
  return true;
}

inline bool EqualsNoCase(std::string_view s, std::string_view lower) {
  return s.size() == lower.size() && StartsWithNoCase(s, lower);
}

inline bool ContainsNoCase(std::string_view haystack, std::string_view lower) {
  for (size_t i = 0; i + lower.size() <= haystack.size(); ++i) {
    if (StartsWithNoCase(haystack.substr(i), lower)) return true;
  }
  return false;
}

}  // namespace rapport::mail::html
