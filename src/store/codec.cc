#include "store/codec.h"

#include "app/validation.h"

#include <charconv>
#include <cstdint>

namespace rapport::store {
namespace {
constexpr char kSeparator = '\x1f';
constexpr char kPairSeparator = '\x1e';

bool IsAsciiAlnum(char ch) {
  return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

bool ParseInt(std::string_view s, int& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}
}  // namespace

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += kSeparator;
    out += items[i];
  }
  return out;
}

std::vector<std::string> SplitList(std::string_view joined) {
  std::vector<std::string> out;
  if (joined.empty()) return out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = joined.find(kSeparator, start);
    out.emplace_back(joined.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::string EncodeSocialIds(const std::vector<SocialId>& ids) {
  std::vector<std::string> parts;
  parts.reserve(ids.size());
  for (const auto& s : ids) parts.push_back(s.network + kPairSeparator + s.id);
  return JoinList(parts);
}

std::vector<SocialId> DecodeSocialIds(std::string_view encoded) {
  std::vector<SocialId> out;
  for (const auto& part : SplitList(encoded)) {
    const std::size_t sep = part.find(kPairSeparator);
    if (sep == std::string::npos) continue;
    out.push_back(SocialId{part.substr(0, sep), part.substr(sep + 1)});
  }
  return out;
}

std::string SocialKey(const SocialId& s) { return s.network + ":" + s.id; }

std::string EncodeAddresses(const std::vector<app::EmailAddress>& addresses) {
  std::vector<std::string> parts;
  parts.reserve(addresses.size());
  for (const auto& a : addresses) {
    // The separators are control characters that a decoded display name never keeps.
    std::string name = a.name;
    for (char& ch : name) {
      if (ch == kSeparator || ch == kPairSeparator) ch = ' ';
    }
    parts.push_back(name + kPairSeparator + a.address);
  }
  return JoinList(parts);
}

std::vector<app::EmailAddress> DecodeAddresses(std::string_view encoded) {
  std::vector<app::EmailAddress> out;
  for (const auto& part : SplitList(encoded)) {
    const std::size_t sep = part.find(kPairSeparator);
    if (sep == std::string::npos) continue;
    out.push_back(app::EmailAddress{part.substr(0, sep), part.substr(sep + 1)});
  }
  return out;
}

std::string EncodeWorkingHours(const std::vector<WorkingInterval>& hours) {
  std::string out;
  for (const auto& h : hours) {
    if (!out.empty()) out += ',';
    out += std::to_string(h.weekday) + ':' + std::to_string(h.start_minute) + '-' + std::to_string(h.end_minute);
  }
  return out;
}

std::vector<WorkingInterval> DecodeWorkingHours(std::string_view encoded) {
  std::vector<WorkingInterval> out;
  while (!encoded.empty()) {
    const std::size_t comma = encoded.find(',');
    std::string_view part = encoded.substr(0, comma);
    encoded = comma == std::string_view::npos ? std::string_view() : encoded.substr(comma + 1);
    const std::size_t colon = part.find(':');
    const std::size_t dash = part.find('-');
    if (colon == std::string_view::npos || dash == std::string_view::npos || dash < colon) continue;
    WorkingInterval w;
    if (ParseInt(part.substr(0, colon), w.weekday) && ParseInt(part.substr(colon + 1, dash - colon - 1), w.start_minute) &&
        ParseInt(part.substr(dash + 1), w.end_minute)) {
      out.push_back(w);
    }
  }
  return out;
}

std::vector<std::string> Unique(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) {
    bool seen = false;
    for (const auto& o : out) seen = seen || o == item;
    if (!seen) out.push_back(item);
  }
  return out;
}

std::string ContactSearchText(const Contact& c) {
  std::string out = c.name;
  auto add_parts = [&out](const std::string& value) {
    std::string word;
    for (char ch : value) {
      if (IsAsciiAlnum(ch) || static_cast<unsigned char>(ch) >= 0x80) {
        word += ch;
      } else if (!word.empty()) {
        out += ' ' + word;
        word.clear();
      }
    }
    if (!word.empty()) out += ' ' + word;
  };
  for (const auto& e : c.emails) {
    out += ' ' + e;
    add_parts(e);
  }
  for (const auto& p : c.phones) {
    out += ' ' + p;
    add_parts(p);
  }
  return out;
}

std::string ScrubUtf8(std::string_view text) { return app::StorableText(text, std::string_view::npos); }

std::string ContainsPattern(std::string_view raw) {
  const std::string text = ScrubUtf8(raw);
  std::string out = "%";
  for (char ch : text) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    out += ch;
  }
  out += '%';
  return out;
}

}  // namespace rapport::store
