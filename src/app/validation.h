#pragma once
// Input checks shared by the use cases. Each returns a message fit for a field error.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/text_rules.h"

namespace rapport::app {

// The text rules live in core/text_rules.h (pure, so that the mail parser's fuzz build needs no
// time-zone data); the use cases keep calling them as app::StorableText and so on.
using rapport::CharacterCount;
using rapport::IsStorableText;
using rapport::SafeFileName;
using rapport::StorableText;
using rapport::Utf8SequenceLength;

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
