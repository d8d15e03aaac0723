#include "mail/message_id.h"

#include <cstring>

namespace rapport::mail {
namespace {

// RFC 5322 atext: the characters of a dot-atom other than '.'.
bool IsAtext(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return c != '\0' && std::strchr("!#$%&'*+-/=?^_`{|}~", c) != nullptr;
}

}  // namespace

bool IsDotAtom(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  char previous = '\0';
  for (char c : s) {
    if (c == '.') {
      if (previous == '.') return false;
    } else if (!IsAtext(c)) {
      return false;
    }
    previous = c;
  }
  return true;
}

bool IsValidDomain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253) return false;
  std::size_t label = 0;
  char previous = '.';
  for (char c : domain) {
    if (c == '.') {
      if (label == 0 || previous == '-') return false;
      label = 0;
    } else {
      const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && c != '-') return false;
      if (c == '-' && label == 0) return false;
      if (++label > 63) return false;
    }
    previous = c;
  }
  return label > 0 && previous != '-';
}

bool IsValidMessageId(std::string_view id) {
  if (id.size() > 900) return false;
  const std::size_t at = id.rfind('@');
  if (at == std::string_view::npos) return false;
  return IsDotAtom(id.substr(0, at)) && IsDotAtom(id.substr(at + 1));
}

}  // namespace rapport::mail
