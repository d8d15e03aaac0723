#pragma once
// Turning the bytes of a text part (or an undeclared header) into UTF-8. Mail declares charsets
// wrongly often enough that a declaration is a hint: undeclared 8-bit text is tried as UTF-8 first,
// then read as windows-1252, and each guess is reported so the parser can list it in `warnings`.

#include <string>
#include <string_view>

namespace rapport::mail {

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view text);

// windows-1252 (a superset of ISO-8859-1, as browsers read both) to UTF-8. Never fails: the five
// unassigned bytes become the C1 controls of the same value.
std::string Windows1252ToUtf8(std::string_view text);

// `text` with every ill-formed UTF-8 sequence replaced by U+FFFD and NUL bytes removed (PostgreSQL
// text cannot hold them).
std::string SanitizeUtf8(std::string_view text);

struct DecodedText {
  std::string text;     // valid UTF-8 without NUL bytes
  std::string warning;  // empty when nothing had to be guessed
};

// `bytes` in `declared_charset` (as written in the Content-Type; may be empty) as UTF-8. ASCII text
// in an ASCII-compatible charset is returned as it is. Unknown charsets and undeclared 8-bit text are
// guessed (UTF-8 when valid, else windows-1252); bytes that are invalid in a known charset become
// U+FFFD. Thread-safe.
DecodedText DecodeToUtf8(std::string_view bytes, std::string_view declared_charset);

// The charset to try for raw 8-bit header text of a message whose body declares `body_charset`, as
// an iconv name; "" when that adds nothing to the UTF-8 / windows-1252 guesses. ISO-2022-JP mail
// becomes CP932: raw 8-bit Japanese is Shift_JIS (ISO-2022-JP itself is 7-bit).
std::string HeaderFallbackCharset(std::string_view body_charset);

// Opens (once per process, thread-safe) converters for the common mail charsets and keeps them, so
// that glibc keeps their modules loaded; see parse_charset.cc. Called by the parser's set-up.
void PinCommonConverters();

}  // namespace rapport::mail
