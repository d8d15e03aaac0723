#pragma once
// Reading IMAP server responses (RFC 3501 section 7 and 9) without any I/O, so that it can be tested
// byte by byte. A response is one line, or several when it carries literals: "{n}" at the end of a
// line announces exactly n bytes that follow the line break and may contain anything at all (a
// message body with lines that look like tags or like further literals). The reader takes literal
// bytes by count and never looks inside them.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace rapport::mail {

// One complete response. `text` is its lines without line breaks, joined as sent, with each literal
// left out but its "{n}" announcement kept; `literals` are the literal bytes in order.
struct ImapResponse {
  std::string text;
  std::vector<std::string> literals;
};

// Splits a byte stream into responses. Feed() what the connection received; Next() returns each
// complete response once, nullopt while one is still incomplete.
class ImapResponseReader {
 public:
  // Limits against a server that sends without end: the text of one response and one literal.
  static constexpr size_t kMaxTextBytes = 16u << 20;
  static constexpr size_t kMaxLiteralBytes = 256u << 20;

  void Feed(std::string_view bytes);
  // kResourceExhausted when a limit is passed (the stream is then unusable).
  Result<std::optional<ImapResponse>> Next();

 private:
  std::string buffer_;
  size_t pos_ = 0;                 // first byte of buffer_ not yet taken into current_
  size_t scanned_ = 0;             // bytes after pos_ already searched for a line break
  std::optional<size_t> literal_;  // bytes of a literal still expected, when one was announced
  ImapResponse current_;
};

// Tokens of a response's text (RFC 3501 section 9): atoms (including flags such as \Seen, section
// specifiers such as BODY[HEADER.FIELDS (FROM)]<0>, numbers), strings (quoted, with escapes removed,
// or literals), NIL, and list parentheses.
struct ImapToken {
  enum class Kind { kAtom, kString, kNil, kOpen, kClose, kEnd, kError };
  Kind kind = Kind::kEnd;
  std::string value;       // atom text or quoted string contents; empty for literals
  int literal_index = -1;  // for literals: index into ImapResponse::literals
};

class ImapTokenizer {
 public:
  // Keeps references to `response`; it must outlive the tokenizer.
  explicit ImapTokenizer(const ImapResponse& response) : response_(response) {}
  ImapToken Next();
  // The rest of the text after skipping one space, for resp-text ("OK [UIDNEXT 5] Predicted ...").
  std::string_view Rest();
  // Skips one value (an atom, a string or a whole nested list); false at the end or on an error.
  bool SkipValue();

 private:
  void SkipSpaces();
  const ImapResponse& response_;
  size_t pos_ = 0;
  int next_literal_ = 0;
};

// The text of a string token (quoted contents or the literal's bytes); empty for other tokens.
std::string_view TokenString(const ImapResponse& response, const ImapToken& token);

// A number token as an IMAP nz-number/number (up to 2^32-1); nullopt otherwise.
std::optional<std::uint32_t> TokenNumber(const ImapToken& token);

// "OK [UIDNEXT 5] Predicted next UID" after the status word: the bracketed response code (upper-cased
// name and its arguments) and the human-readable text.
struct ImapRespText {
  std::string code;       // e.g. "UIDNEXT", "NONEXISTENT"; empty when there is none
  std::string code_args;  // e.g. "5"
  std::string text;
};
ImapRespText ParseRespText(std::string_view rest);

// The mailbox name as an IMAP quoted string: UTF-8 encoded as modified UTF-7 (RFC 3501 5.1.3),
// quotes and backslashes escaped. kInvalidArgument for empty names, invalid UTF-8 and control
// characters (which no quoted string can carry).
Result<std::string> QuoteMailbox(std::string_view utf8_name);

// ASCII upper-casing for keywords.
std::string AsciiUpper(std::string_view text);

}  // namespace rapport::mail
