#include "app/audit_detail.h"

#include <cstdio>

namespace rapport::app {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not valid.
std::size_t Utf8SequenceLength(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  std::size_t n = 0;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c >= 0xE0 && c <= 0xEF) n = 3;
  else if (c >= 0xF0 && c <= 0xF4) n = 4;
  else return 0;
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  // Reject overlong forms, surrogates and code points above U+10FFFF.
  if (c == 0xE0 && byte(i + 1) < 0xA0) return 0;
  if (c == 0xED && byte(i + 1) > 0x9F) return 0;
  if (c == 0xF0 && byte(i + 1) < 0x90) return 0;
  if (c == 0xF4 && byte(i + 1) > 0x8F) return 0;
  return n;
}

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
