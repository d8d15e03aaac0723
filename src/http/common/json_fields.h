#pragma once
// Reads a JSON request body field by field, collecting one message per bad field, so that a client
// learns about every mistake at once. Unknown fields are errors too (a typo must not be ignored).
//
//   RAPPORT_ASSIGN_OR_RETURN(JsonFields f, JsonFields::Parse(req.body));
//   auto name = f.String("name");
//   f.Require("name");
//   RAPPORT_RETURN_IF_ERROR(f.Finish());  // kInvalidArgument with field_errors

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace rapport::http {

class JsonFields {
 public:
  // kInvalidArgument for malformed JSON, nesting deeper than 32 levels, or a body that is not an
  // object. An empty body reads as {}.
  static Result<JsonFields> Parse(std::string_view body);

  bool Has(const std::string& name) const;
  // An error "is required" when the field is absent or null.
  void Require(const std::string& name);

  // Each getter marks the field as known; nullopt when absent; an error when of the wrong type.
  std::optional<std::string> String(const std::string& name);
  std::optional<bool> Bool(const std::string& name);
  // A positive integer that fits int64 (ids).
  std::optional<std::int64_t> Id(const std::string& name);
  // Any integer that fits int64, zero and negative ones too (the caller checks the range); nullopt
  // when absent or null.
  std::optional<std::int64_t> Integer(const std::string& name);
  // Absent -> nullopt; null -> a set optional holding nullopt; else a positive integer.
  std::optional<std::optional<std::int64_t>> NullableId(const std::string& name);
  std::optional<std::vector<std::string>> StringList(const std::string& name);
  // A nested object, read with the same rules; its errors are named "parent.child".
  std::optional<JsonFields> Object(const std::string& name);
  // A list of objects, each read with the same rules; errors named "parent[2].child".
  std::optional<std::vector<JsonFields>> ObjectList(const std::string& name);

  // Records an error found by the caller (e.g. an unknown enum value).
  void Error(const std::string& name, const std::string& message);
  // Merges the errors of a nested reader (from Object/ObjectList) after reading it.
  void Absorb(const JsonFields& nested);

  // kInvalidArgument naming every bad and every unknown field; OK otherwise.
  Status Finish();

 private:
  JsonFields(nlohmann::json obj, std::string prefix) : obj_(std::move(obj)), prefix_(std::move(prefix)) {}
  const nlohmann::json* Find(const std::string& name);
  std::string Qualified(const std::string& name) const { return prefix_ + name; }

  nlohmann::json obj_;
  std::string prefix_;
  std::set<std::string> known_;
  std::map<std::string, std::string> errors_;
};

}  // namespace rapport::http
