#pragma once
// Input checks shared by the use cases. Each returns a message fit for a field error.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace rapport::app {

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

// True when `zone` names a time zone of the IANA database ("Europe/Berlin", "UTC").
bool IsKnownTimeZone(const std::string& zone);

// Collects field errors, so that a form shows every mistake at once rather than one per try.
class FieldErrors {
 public:
  void Add(const std::string& field, const std::string& message);
  // Adds "must have at most N characters" / "is not valid text" when `value` breaks either rule.
  // Returns true when the value passed.
  bool CheckText(const std::string& field, std::string_view value, std::size_t max_chars);
  bool empty() const { return errors_.empty(); }
  // kInvalidArgument naming every field, or OK when there is none.
  Status ToStatus() const;

 private:
  std::vector<std::pair<std::string, std::string>> errors_;
};

}  // namespace rapport::app
