#include "core/identity.h"

#include <algorithm>

#include "core/ascii.h"

namespace rapport {
namespace {

bool IsDomainChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || static_cast<unsigned char>(c) >= 0x80;
}

bool IsValidDomain(std::string_view d) {
  if (d.empty() || d.size() > 253 || d.front() == '.' || d.back() == '.' || d.find('.') == std::string_view::npos ||
      d.find("..") != std::string_view::npos) {
    return false;
  }
  return std::all_of(d.begin(), d.end(), IsDomainChar);
}

}  // namespace

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) { return AsciiLower(c); });
  return out;
}

std::string_view Trim(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

Result<std::string> NormalizeEmail(std::string_view raw) {
  std::string e = AsciiLower(Trim(raw));
  const auto at = e.find('@');
  if (e.empty() || e.size() > 254 || at == std::string::npos || at == 0 || e.find('@', at + 1) != std::string::npos) {
    return Status::InvalidArgument("'" + std::string(Trim(raw)) + "' is not an email address (expected name@example.com)");
  }
  for (char c : e) {
    if (c == ' ' || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' || static_cast<unsigned char>(c) < 0x20) {
      return Status::InvalidArgument("'" + std::string(Trim(raw)) + "' is not an email address (it has a space or a <>,;\" character)");
    }
  }
  if (!IsValidDomain(std::string_view(e).substr(at + 1))) {
    return Status::InvalidArgument("'" + std::string(Trim(raw)) + "' is not an email address (the part after @ is not a domain)");
  }
  return e;
}

std::string EmailDomain(std::string_view normalized_email) {
  const auto at = normalized_email.rfind('@');
  return at == std::string_view::npos ? std::string() : std::string(normalized_email.substr(at + 1));
}

Result<std::string> NormalizeEmailDomain(std::string_view raw) {
  std::string d = AsciiLower(Trim(raw));
  if (!d.empty() && d.front() == '@') d.erase(0, 1);
  if (!IsValidDomain(d)) {
    return Status::InvalidArgument("'" + std::string(Trim(raw)) + "' is not a domain (expected example.com)");
  }
  return d;
}

Result<std::string> NormalizePhone(std::string_view raw) {
  const std::string_view t = Trim(raw);
  std::string digits;
  bool plus = false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (c == '+' && digits.empty() && !plus) {
      plus = true;
    } else if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') {
      continue;
    } else {
      return Status::InvalidArgument("'" + std::string(t) + "' is not a phone number (unexpected '" + std::string(1, c) + "')");
    }
  }
  if (!plus && digits.rfind("00", 0) == 0) {
    digits.erase(0, 2);
    plus = true;
  }
  if (!plus) {
    return Status::InvalidArgument("'" + std::string(t) + "' has no country code: write it in international form, e.g. +1 415 555 0123");
  }
  if (digits.size() < 8 || digits.size() > 15 || digits.front() == '0') {
    return Status::InvalidArgument("'" + std::string(t) + "' is not an international phone number (E.164 has 8 to 15 digits after +, not starting with 0)");
  }
  return "+" + digits;
}

Result<std::string> NormalizeTag(std::string_view raw) {
  std::string tag = AsciiLower(Trim(raw));
  if (tag.empty() || tag.size() > 40) return Status::InvalidArgument("a tag has 1 to 40 characters");
  for (char c : tag) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
                    static_cast<unsigned char>(c) >= 0x80;
    if (!ok) return Status::InvalidArgument("tag '" + tag + "' may hold only letters, digits, '-', '_' and '.'");
  }
  return tag;
}

}  // namespace rapport
