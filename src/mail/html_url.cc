#include "mail/html_url.h"

#include "core/ascii.h"

namespace rapport::mail::html {
namespace {

// Length of the scheme before the ':' ("https" -> 5), or 0 for a relative URL.
size_t SchemeLength(std::string_view url) {
  const char* data = url.data();
  const size_t n = url.size();
  for (size_t i = 0; i < n; ++i) {
    const char c = data[i];
    if (c == ':') return i;
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool other = (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    if (!letter && !(other && i > 0)) return 0;
  }
  return 0;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = AsciiLower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string CleanUrl(std::string_view url) {
  const char* begin = url.data();
  const char* end = begin + url.size();
  while (begin < end && static_cast<unsigned char>(*begin) <= 0x20) ++begin;
  while (end > begin && static_cast<unsigned char>(end[-1]) <= 0x20) --end;
  std::string clean(begin, static_cast<size_t>(end - begin));
  // Rare: only rebuild when a tab or line end hides inside.
  bool has_break = false;
  for (const char* p = begin; p < end; ++p) {
    if (*p == '\t' || *p == '\n' || *p == '\r') {
      has_break = true;
      break;
    }
  }
  if (has_break) {
    size_t kept = 0;
    for (char c : clean) {
      if (c != '\t' && c != '\n' && c != '\r') clean[kept++] = c;
    }
    clean.resize(kept);
  }
  return clean;
}

bool IsSafeLinkUrl(std::string_view clean_url) {
  const size_t length = SchemeLength(clean_url);
  if (length == 0) return false;
  for (std::string_view allowed : {"http", "https", "mailto", "tel"}) {
    if (length == allowed.size() && StartsWithNoCase(clean_url, allowed)) return true;
  }
  return false;
}

bool IsSafeDataImage(std::string_view clean_url) {
  std::string_view rest;
  bool matched = false;
  for (std::string_view prefix : {"data:image/png;base64,", "data:image/jpeg;base64,", "data:image/jpg;base64,",
                                  "data:image/gif;base64,", "data:image/webp;base64,"}) {
    if (StartsWithNoCase(clean_url, prefix)) {
      rest = clean_url.substr(prefix.size());
      matched = true;
      break;
    }
  }
  if (!matched || rest.empty()) return false;
  for (char c : rest) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
                    c == '/' || c == '=' || c == ' ';
    if (!ok) return false;
  }
  return true;
}

std::string RemoteUrl(std::string_view clean_url) {
  const size_t length = SchemeLength(clean_url);
  if ((length == 4 && StartsWithNoCase(clean_url, "http")) || (length == 5 && StartsWithNoCase(clean_url, "https"))) {
    return std::string(clean_url);
  }
  if (length == 0 && clean_url.size() > 2 && clean_url[0] == '/' && clean_url[1] == '/') {
    return "https:" + std::string(clean_url);
  }
  return "";
}

std::string ContentIdOf(std::string_view clean_url) {
  if (!StartsWithNoCase(clean_url, "cid:")) return "";
  std::string_view encoded = clean_url.substr(4);
  std::string id;
  for (size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] == '%' && i + 2 < encoded.size() && HexValue(encoded[i + 1]) >= 0 &&
        HexValue(encoded[i + 2]) >= 0) {
      id.push_back(static_cast<char>(HexValue(encoded[i + 1]) * 16 + HexValue(encoded[i + 2])));
      i += 2;
      continue;
    }
    id.push_back(encoded[i]);
  }
  if (id.size() >= 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
  return id;
}

}  // namespace rapport::mail::html
