#include "app/audit_detail.h"

#include <cstdio>

#include "app/validation.h"

namespace rapport::app {
namespace {

std::string JsonList(const std::vector<std::string>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ",";
    out += JsonQuote(values[i]);
  }
  return out + "]";
}

}  // namespace

std::string JsonQuote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    const std::size_t n = Utf8SequenceLength(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    if (n > 1) {
      out.append(s.substr(i, n));
      i += n;
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += buf;
        } else {
          out.push_back(c);
        }
    }
    ++i;
  }
  out.push_back('"');
  return out;
}

void AuditDetail::Add(std::string_view field, std::string json_value) {
  members_.push_back(JsonQuote(field) + ":" + std::move(json_value));
}

AuditDetail& AuditDetail::Set(std::string_view field, std::string_view value) {
  Add(field, JsonQuote(value));
  return *this;
}

AuditDetail& AuditDetail::Set(std::string_view field, std::int64_t value) {
  Add(field, std::to_string(value));
  return *this;
}

AuditDetail& AuditDetail::Set(std::string_view field, const std::vector<std::string>& values) {
  Add(field, JsonList(values));
  return *this;
}

AuditDetail& AuditDetail::Change(std::string_view field, const std::optional<std::string>& from,
                                 const std::optional<std::string>& to) {
  Add(field, "{\"from\":" + (from ? JsonQuote(*from) : "null") + ",\"to\":" + (to ? JsonQuote(*to) : "null") + "}");
  return *this;
}

AuditDetail& AuditDetail::Change(std::string_view field, const std::vector<std::string>& from,
                                 const std::vector<std::string>& to) {
  Add(field, "{\"from\":" + JsonList(from) + ",\"to\":" + JsonList(to) + "}");
  return *this;
}

std::string AuditDetail::ToJson() const {
  std::string out = "{";
  for (std::size_t i = 0; i < members_.size(); ++i) {
    if (i > 0) out += ",";
    out += members_[i];
  }
  return out + "}";
}

}  // namespace rapport::app
