#include "mail/imap_response.h"

#include <charconv>

namespace rapport::mail {
namespace {

// The literal announced at the end of a line: "{123}" or the non-synchronising "{123+}".
std::optional<size_t> AnnouncedLiteral(std::string_view line) {
  if (line.empty() || line.back() != '}') return std::nullopt;
  const size_t open = line.rfind('{');
  if (open == std::string_view::npos) return std::nullopt;
  std::string_view digits = line.substr(open + 1, line.size() - open - 2);
  if (!digits.empty() && digits.back() == '+') digits.remove_suffix(1);
  if (digits.empty() || digits.size() > 12) return std::nullopt;
  size_t n = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return n;
}

bool IsAtomEnd(char c) { return c == ' ' || c == '(' || c == ')' || c == '"' || c == '{' || c == '\r' || c == '\n'; }

}  // namespace

void ImapResponseReader::Feed(std::string_view bytes) { buffer_.append(bytes); }

Result<std::optional<ImapResponse>> ImapResponseReader::Next() {
  while (true) {
    if (literal_) {
      if (buffer_.size() - pos_ < *literal_) return std::optional<ImapResponse>();
      current_.literals.push_back(buffer_.substr(pos_, *literal_));
      pos_ += *literal_;
      literal_.reset();
      scanned_ = 0;
    }
    const size_t newline = buffer_.find('\n', pos_ + scanned_);
    if (newline == std::string::npos) {
      scanned_ = buffer_.size() - pos_;
      if (current_.text.size() + scanned_ > kMaxTextBytes) {
        return Status::ResourceExhausted("an IMAP response line is longer than 16 MB");
      }
      // Drop what was taken already, so a long wait for bytes does not keep it twice.
      if (pos_ > 0 && pos_ >= buffer_.size() / 2) {
        buffer_.erase(0, pos_);
        pos_ = 0;
      }
      return std::optional<ImapResponse>();
    }
    std::string_view line(buffer_.data() + pos_, newline - pos_);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    current_.text.append(line);
    pos_ = newline + 1;
    scanned_ = 0;
    if (current_.text.size() > kMaxTextBytes) return Status::ResourceExhausted("an IMAP response is longer than 16 MB");
    if (const std::optional<size_t> n = AnnouncedLiteral(line)) {
      if (*n > kMaxLiteralBytes) return Status::ResourceExhausted("the IMAP server announced a literal over 256 MB");
      literal_ = *n;
      continue;
    }
    ImapResponse done = std::move(current_);
    current_ = ImapResponse();
    buffer_.erase(0, pos_);
    pos_ = 0;
    return std::optional<ImapResponse>(std::move(done));
  }
}

void ImapTokenizer::SkipSpaces() {
  while (pos_ < response_.text.size() && response_.text[pos_] == ' ') ++pos_;
}

ImapToken ImapTokenizer::Next() {
  const std::string& text = response_.text;
  SkipSpaces();
  ImapToken token;
  if (pos_ >= text.size()) return token;  // kEnd
  const char c = text[pos_];
  if (c == '(') {
    ++pos_;
    token.kind = ImapToken::Kind::kOpen;
    return token;
  }
  if (c == ')') {
    ++pos_;
    token.kind = ImapToken::Kind::kClose;
    return token;
  }
  if (c == '"') {
    ++pos_;
    token.kind = ImapToken::Kind::kString;
    while (pos_ < text.size() && text[pos_] != '"') {
      if (text[pos_] == '\\' && pos_ + 1 < text.size()) ++pos_;
      token.value.push_back(text[pos_++]);
    }
    if (pos_ >= text.size()) {
      token.kind = ImapToken::Kind::kError;  // unterminated
      return token;
    }
    ++pos_;
    return token;
  }
  if (c == '{') {
    const size_t close = text.find('}', pos_);
    // The reader only keeps "{n}" where it ended a line and a literal followed.
    if (close == std::string::npos || next_literal_ >= static_cast<int>(response_.literals.size())) {
      token.kind = ImapToken::Kind::kError;
      return token;
    }
    pos_ = close + 1;
    token.kind = ImapToken::Kind::kString;
    token.literal_index = next_literal_++;
    return token;
  }
  // An atom; a '[' opens a section ("BODY[HEADER.FIELDS (FROM TO)]") that may hold spaces.
  const size_t start = pos_;
  while (pos_ < text.size() && !IsAtomEnd(text[pos_])) {
    if (text[pos_] == '[') {
      const size_t close = text.find(']', pos_);
      pos_ = close == std::string::npos ? text.size() : close + 1;
    } else {
      ++pos_;
    }
  }
  token.value = text.substr(start, pos_ - start);
  token.kind = AsciiUpper(token.value) == "NIL" ? ImapToken::Kind::kNil : ImapToken::Kind::kAtom;
  if (token.value.empty()) token.kind = ImapToken::Kind::kError;
  return token;
}

std::string_view ImapTokenizer::Rest() {
  if (pos_ < response_.text.size() && response_.text[pos_] == ' ') ++pos_;
  return std::string_view(response_.text).substr(pos_);
}

bool ImapTokenizer::SkipValue() {
  ImapToken token = Next();
  if (token.kind == ImapToken::Kind::kOpen) {
    int depth = 1;
    while (depth > 0) {
      token = Next();
      if (token.kind == ImapToken::Kind::kOpen) ++depth;
      if (token.kind == ImapToken::Kind::kClose) --depth;
      if (token.kind == ImapToken::Kind::kEnd || token.kind == ImapToken::Kind::kError) return false;
    }
    return true;
  }
  return token.kind == ImapToken::Kind::kAtom || token.kind == ImapToken::Kind::kString ||
         token.kind == ImapToken::Kind::kNil;
}

std::string_view TokenString(const ImapResponse& response, const ImapToken& token) {
  if (token.kind != ImapToken::Kind::kString) return {};
  if (token.literal_index >= 0) return response.literals[static_cast<size_t>(token.literal_index)];
  return token.value;
}

std::optional<std::uint32_t> TokenNumber(const ImapToken& token) {
  if (token.kind != ImapToken::Kind::kAtom || token.value.empty() || token.value.size() > 10) return std::nullopt;
  std::uint64_t n = 0;
  for (const char c : token.value) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (n > 0xFFFFFFFFu) return std::nullopt;
  return static_cast<std::uint32_t>(n);
}

ImapRespText ParseRespText(std::string_view rest) {
  ImapRespText out;
  if (rest.starts_with('[')) {
    const size_t close = rest.find(']');
    if (close != std::string_view::npos) {
      std::string_view inside = rest.substr(1, close - 1);
      const size_t space = inside.find(' ');
      out.code = AsciiUpper(inside.substr(0, space));
      if (space != std::string_view::npos) out.code_args = std::string(inside.substr(space + 1));
      rest.remove_prefix(close + 1);
      if (rest.starts_with(' ')) rest.remove_prefix(1);
    }
  }
  out.text = std::string(rest);
  return out;
}

namespace {

// Appends `units` as modified BASE64 (RFC 3501 5.1.3): big-endian UTF-16, ',' for '/', no padding.
void AppendModifiedBase64(const std::u16string& units, std::string& out) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";
  std::string bytes;
  for (const char16_t u : units) {
    bytes.push_back(static_cast<char>(u >> 8));
    bytes.push_back(static_cast<char>(u & 0xFF));
  }
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const auto b0 = static_cast<unsigned char>(bytes[i]);
    const auto b1 = static_cast<unsigned char>(bytes[i + 1]);
    const auto b2 = static_cast<unsigned char>(bytes[i + 2]);
    out.push_back(kAlphabet[b0 >> 2]);
    out.push_back(kAlphabet[((b0 & 0x03) << 4) | (b1 >> 4)]);
    out.push_back(kAlphabet[((b1 & 0x0F) << 2) | (b2 >> 6)]);
    out.push_back(kAlphabet[b2 & 0x3F]);
  }
  const size_t left = bytes.size() - i;
  if (left == 1) {
    const auto b0 = static_cast<unsigned char>(bytes[i]);
    out.push_back(kAlphabet[b0 >> 2]);
    out.push_back(kAlphabet[(b0 & 0x03) << 4]);
  } else if (left == 2) {
    const auto b0 = static_cast<unsigned char>(bytes[i]);
    const auto b1 = static_cast<unsigned char>(bytes[i + 1]);
    out.push_back(kAlphabet[b0 >> 2]);
    out.push_back(kAlphabet[((b0 & 0x03) << 4) | (b1 >> 4)]);
    out.push_back(kAlphabet[(b1 & 0x0F) << 2]);
  }
}

// Decodes one UTF-8 sequence at `i`; nullopt when invalid (overlong, surrogate, truncated, > U+10FFFF).
std::optional<char32_t> DecodeUtf8(std::string_view s, size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  int length = 0;
  char32_t cp = 0;
  if (b0 < 0x80) {
    ++i;
    return b0;
  } else if ((b0 & 0xE0) == 0xC0) {
    length = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    length = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    length = 4;
    cp = b0 & 0x07;
  } else {
    return std::nullopt;
  }
  if (i + static_cast<size_t>(length) > s.size()) return std::nullopt;
  for (int k = 1; k < length; ++k) {
    const auto b = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
    if ((b & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (b & 0x3F);
  }
  static constexpr char32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinimum[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  i += static_cast<size_t>(length);
  return cp;
}

}  // namespace

Result<std::string> QuoteMailbox(std::string_view utf8_name) {
  if (utf8_name.empty()) return Status::InvalidArgument("the IMAP folder name is empty");
  std::string out = "\"";
  std::u16string pending;  // non-ASCII run waiting to be encoded
  auto flush = [&] {
    if (pending.empty()) return;
    out.push_back('&');
    AppendModifiedBase64(pending, out);
    out.push_back('-');
    pending.clear();
  };
  size_t i = 0;
  while (i < utf8_name.size()) {
    const std::optional<char32_t> cp = DecodeUtf8(utf8_name, i);
    if (!cp) return Status::InvalidArgument("the IMAP folder name is not valid UTF-8");
    if (*cp < 0x20 || *cp == 0x7F) {
      return Status::InvalidArgument("the IMAP folder name contains a control character");
    }
    if (*cp < 0x80) {
      flush();
      if (*cp == '&') {
        out += "&-";
      } else {
        if (*cp == '"' || *cp == '\\') out.push_back('\\');
        out.push_back(static_cast<char>(*cp));
      }
      continue;
    }
    if (*cp >= 0x10000) {
      const char32_t v = *cp - 0x10000;
      pending.push_back(static_cast<char16_t>(0xD800 + (v >> 10)));
      pending.push_back(static_cast<char16_t>(0xDC00 + (v & 0x3FF)));
    } else {
      pending.push_back(static_cast<char16_t>(*cp));
    }
  }
  flush();
  out.push_back('"');
  return out;
}

std::string AsciiUpper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

}  // namespace rapport::mail
