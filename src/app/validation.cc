#include "app/validation.h"

#include <date/tz.h>

#include <exception>

namespace rapport::app {

bool IsKnownTimeZone(const std::string& zone) {
  if (zone.empty() || zone.size() > 64) return false;
  try {
    return date::locate_zone(zone) != nullptr;
  } catch (const std::exception&) {
    // date throws std::runtime_error for an unknown name: an answer here, not an error.
    return false;
  }
}

void FieldErrors::Add(const std::string& field, const std::string& message) {
  for (const auto& [f, m] : errors_) {
    if (f == field) return;  // the first problem of a field is the one to fix first
  }
  errors_.emplace_back(field, message);
}

bool FieldErrors::CheckText(const std::string& field, std::string_view value, std::size_t max_chars) {
  if (!IsStorableText(value)) {
    Add(field, "is not valid UTF-8 text (or holds a NUL character)");
    return false;
  }
  if (CharacterCount(value) > max_chars) {
    Add(field, "must have at most " + std::to_string(max_chars) + " characters");
    return false;
  }
  return true;
}

Status FieldErrors::ToStatus() const { return InvalidFields("invalid fields", errors_); }

}  // namespace rapport::app
