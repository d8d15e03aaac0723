#pragma once
// Input checks shared by the use cases. Each returns a message fit for a field error.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace rapport::app {

// Number of characters (UTF-8 code points) in `s`: every byte but a continuation byte counts.
std::size_t CharacterCount(std::string_view s);

// True when `zone` names a time zone of the IANA database ("Europe/Berlin", "UTC").
bool IsKnownTimeZone(const std::string& zone);

// Collects field errors, so that a form shows every mistake at once rather than one per try.
class FieldErrors {
 public:
  void Add(const std::string& field, const std::string& message);
  bool empty() const { return errors_.empty(); }
  // kInvalidArgument naming every field, or OK when there is none.
  Status ToStatus() const;

 private:
  std::vector<std::pair<std::string, std::string>> errors_;
};

}  // namespace rapport::app
