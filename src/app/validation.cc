#include "app/validation.h"

#include "app/zone_lookup.h"

namespace rapport::app {

bool IsKnownTimeZone(const std::string& zone) {
  return !zone.empty() && zone.size() <= 64 && LocateZone(zone) != nullptr;
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
