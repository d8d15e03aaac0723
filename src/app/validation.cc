#include "app/validation.h"

#include <date/tz.h>

#include <exception>

namespace rapport::app {

std::size_t CharacterCount(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

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

Status FieldErrors::ToStatus() const {
  if (errors_.empty()) return Status::Ok();
  std::string message;
  for (const auto& [field, text] : errors_) {
    if (!message.empty()) message += "; ";
    message += field + ": " + text;
  }
  Status s = Status::InvalidArgument(message);
  for (const auto& [field, text] : errors_) s.AddFieldError(field, text);
  return s;
}

}  // namespace rapport::app
