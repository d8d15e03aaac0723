#pragma once
// Rules for text from outside (mail, uploads, forms): UTF-8 validity, what the databases can store, and
// safe file names. Pure functions (no I/O, no time-zone data), so the mail parser's fuzz build links them
// with nothing more.

#include <cstddef>
#include <string>
#include <string_view>

namespace rapport {

// Number of characters (UTF-8 code points) in `s`: every byte but a continuation byte counts.
std::size_t CharacterCount(std::string_view s);

// Length of the valid UTF-8 sequence that starts at s[i] (1 to 4), or 0 when none does (a stray
// byte, an overlong form, a surrogate, beyond U+10FFFF, or cut short).
std::size_t Utf8SequenceLength(std::string_view s, std::size_t i);

// True for valid UTF-8 without NUL bytes: what every text column of both databases accepts.
bool IsStorableText(std::string_view s);

// `s` made storable: bytes that are not valid UTF-8 (stray bytes, overlong forms, surrogates) and NUL
// bytes are dropped, and the text is cut at a character boundary to at most `max_bytes` bytes
// (std::string_view::npos: no limit). For text from outside (mail bodies) and the store's columns.
std::string StorableText(std::string_view s, std::size_t max_bytes);

// A file name from outside (a mail part, an upload) made safe to store and offer for download: the
// last path component only, no control characters, trimmed, at most 255 bytes of valid UTF-8. ""
// when nothing usable remains ("", ".", ".."): the caller picks a name then.
std::string SafeFileName(std::string_view name);

}  // namespace rapport
