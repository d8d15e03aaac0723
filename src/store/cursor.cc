#include "store/cursor.h"

#include <sodium.h>

#include <charconv>
#include <vector>

namespace rapport::store {
namespace {

constexpr std::size_t kMaxCursorLength = 4096;

bool ParseInt64(std::string_view s, std::int64_t& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

Status Invalid() {
  return Status::FieldError("cursor", "is not a cursor from this list; start again from the first page");
}

}  // namespace

std::int64_t CursorPosition::IntKey() const {
  std::int64_t v = 0;
  ParseInt64(key, v);
  return v;
}

std::string EncodeCursor(char kind, std::int64_t id, std::string_view key) {
  std::string raw;
  raw += kind;
  raw += '|';
  raw += std::to_string(id);
  raw += '|';
  raw += key;
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(raw.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(), variant);
  out.resize(out.find('\0'));
  return out;
}

Result<CursorPosition> DecodeCursor(char kind, std::string_view cursor, bool int_key) {
  if (cursor.empty() || cursor.size() > kMaxCursorLength) return Invalid();
  std::vector<unsigned char> raw(cursor.size());
  std::size_t len = 0;
  if (sodium_base642bin(raw.data(), raw.size(), cursor.data(), cursor.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return Invalid();
  }
  std::string_view text(reinterpret_cast<const char*>(raw.data()), len);
  if (text.size() < 4 || text[0] != kind || text[1] != '|') return Invalid();
  text.remove_prefix(2);
  const std::size_t bar = text.find('|');
  if (bar == std::string_view::npos) return Invalid();
  CursorPosition pos;
  if (!ParseInt64(text.substr(0, bar), pos.id) || pos.id <= 0) return Invalid();
  pos.key = std::string(text.substr(bar + 1));
  std::int64_t ignored = 0;
  if (int_key && !ParseInt64(pos.key, ignored)) return Invalid();
  return pos;
}

}  // namespace rapport::store
