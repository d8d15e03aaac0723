#pragma once
// Builds the `detail` of an AuditEntry: a small JSON object of the changed fields. Written with the
// standard library only, so that app/ needs no JSON library: values are strings, numbers, booleans,
// null, string lists, or {"from": old, "to": new} pairs.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rapport::app {

// The JSON string literal for `s`, quotes included. Control characters are escaped; bytes that are
// not valid UTF-8 are replaced by U+FFFD so the detail is always valid JSON.
std::string JsonQuote(std::string_view s);

class AuditDetail {
 public:
  AuditDetail& Set(std::string_view field, std::string_view value);
  AuditDetail& Set(std::string_view field, std::int64_t value);
  AuditDetail& Set(std::string_view field, const std::vector<std::string>& values);
  // {"field": {"from": old, "to": new}}; an absent value is written as null.
  AuditDetail& Change(std::string_view field, const std::optional<std::string>& from,
                      const std::optional<std::string>& to);
  AuditDetail& Change(std::string_view field, const std::vector<std::string>& from,
                      const std::vector<std::string>& to);

  bool empty() const { return members_.empty(); }
  std::string ToJson() const;

 private:
  void Add(std::string_view field, std::string json_value);
  std::vector<std::string> members_;  // each `"field": value`
};

}  // namespace rapport::app
