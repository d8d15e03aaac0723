#include "http/common/json_fields.h"

#include <limits>

namespace rapport::http {
namespace {

constexpr int kMaxDepth = 32;

// nlohmann parses iteratively but destroys and walks recursively: bound the nesting before parsing
// so that "[[[[..." a megabyte deep cannot exhaust the stack.
bool TooDeep(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxDepth) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

const char* TypeName(const nlohmann::json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "an array";
  return "an object";
}

}  // namespace

Result<JsonFields> JsonFields::Parse(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return JsonFields(nlohmann::json::object(), "");
  if (TooDeep(body)) {
    return Status::InvalidArgument("the JSON body nests deeper than " + std::to_string(kMaxDepth) + " levels");
  }
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return Status::InvalidArgument("the request body is not valid JSON; send a JSON object such as {\"name\": \"Acme\"}");
  }
  if (!parsed.is_object()) {
    return Status::InvalidArgument(std::string("the request body must be a JSON object, not ") + TypeName(parsed));
  }
  return JsonFields(std::move(parsed), "");
}

const nlohmann::json* JsonFields::Find(const std::string& name) {
  known_.insert(name);
  auto it = obj_.find(name);
  if (it == obj_.end()) return nullptr;
  return &*it;
}

bool JsonFields::Has(const std::string& name) const {
  auto it = obj_.find(name);
  return it != obj_.end() && !it->is_null();
}

void JsonFields::Require(const std::string& name) {
  known_.insert(name);
  if (!Has(name) && errors_.count(Qualified(name)) == 0) Error(name, "is required");
}

void JsonFields::Error(const std::string& name, const std::string& message) {
  errors_.emplace(Qualified(name), message);
}

std::optional<std::string> JsonFields::String(const std::string& name) {
  const nlohmann::json* v = Find(name);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_string()) {
    Error(name, std::string("must be a string, not ") + TypeName(*v));
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<bool> JsonFields::Bool(const std::string& name) {
  const nlohmann::json* v = Find(name);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_boolean()) {
    Error(name, std::string("must be true or false, not ") + TypeName(*v));
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<std::int64_t> JsonFields::Id(const std::string& name) {
  const nlohmann::json* v = Find(name);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (v->is_number_unsigned()) {
    const auto u = v->get<std::uint64_t>();
    if (u == 0 || u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      Error(name, "must be a positive integer id");
      return std::nullopt;
    }
    return static_cast<std::int64_t>(u);
  }
  if (v->is_number_integer()) {  // signed and not unsigned: negative
    Error(name, "must be a positive integer id");
    return std::nullopt;
  }
  Error(name, std::string("must be an integer id, not ") + TypeName(*v));
  return std::nullopt;
}

std::optional<std::int64_t> JsonFields::Integer(const std::string& name) {
  const nlohmann::json* v = Find(name);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (v->is_number_unsigned() &&
      v->get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    Error(name, "is too large");
    return std::nullopt;
  }
  if (v->is_number_integer()) return v->get<std::int64_t>();
  Error(name, std::string("must be an integer, not ") + TypeName(*v));
  return std::nullopt;
}

std::optional<std::optional<std::int64_t>> JsonFields::NullableId(const std::string& name) {
  const nlohmann::json* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (v->is_null()) return std::optional<std::int64_t>();
  auto id = Id(name);
  if (!id) return std::nullopt;
  return std::optional<std::int64_t>(*id);
}

std::optional<std::vector<std::string>> JsonFields::StringList(const std::string& name) {
  const nlohmann::json* v = Find(name);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_array()) {
    Error(name, std::string("must be an array of strings, not ") + TypeName(*v));
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v->size(); ++i) {
    const auto& item = (*v)[i];
    if (!item.is_string()) {
      Error(name, "item " + std::to_string(i) + " must be a string, not " + TypeName(item));
      return std::nullopt;
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<JsonFields> JsonFields::Object(const std::string& name) {
  const nlohmann::json* v = Find(name);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_object()) {
    Error(name, std::string("must be an object, not ") + TypeName(*v));
    return std::nullopt;
  }
  return JsonFields(*v, Qualified(name) + ".");
}

std::optional<std::vector<JsonFields>> JsonFields::ObjectList(const std::string& name) {
  const nlohmann::json* v = Find(name);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_array()) {
    Error(name, std::string("must be an array of objects, not ") + TypeName(*v));
    return std::nullopt;
  }
  std::vector<JsonFields> out;
  for (std::size_t i = 0; i < v->size(); ++i) {
    const auto& item = (*v)[i];
    if (!item.is_object()) {
      Error(name, "item " + std::to_string(i) + " must be an object, not " + TypeName(item));
      return std::nullopt;
    }
    out.push_back(JsonFields(item, Qualified(name) + "[" + std::to_string(i) + "]."));
  }
  return out;
}

void JsonFields::Absorb(const JsonFields& nested) {
  // Nested readers report unknown fields as well: run their Finish logic on a copy.
  JsonFields copy = nested;
  Status s = copy.Finish();
  for (const auto& [field, message] : s.field_errors()) errors_.emplace(field, message);
}

Status JsonFields::Finish() {
  for (const auto& [key, value] : obj_.items()) {
    if (known_.count(key) == 0) errors_.emplace(Qualified(key), "is not a known field");
  }
  return InvalidFields("the request has " + std::to_string(errors_.size()) +
                           (errors_.size() == 1 ? " invalid field" : " invalid fields"),
                       errors_);
}

}  // namespace rapport::http
