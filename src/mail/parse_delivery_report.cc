#include "mail/parse_delivery_report.h"

#include <cctype>
#include <vector>

#include "core/identity.h"
#include "mail/parse_charset.h"
#include "mail/parse_message_ids.h"

namespace rapport::mail {
namespace {

constexpr std::size_t kMaxFieldBytes = 2000;  // a diagnostic longer than this is cut (it is for people)

struct Field {
  std::string name;  // lower case
  std::string value;
};
using Block = std::vector<Field>;

// Splits text into lines without their CR/LF.
std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    pos = end + 1;
  }
  return lines;
}

// Header-style blocks separated by blank lines; continuation lines are appended to the field.
std::vector<Block> Blocks(std::string_view text) {
  std::vector<Block> blocks(1);
  for (std::string_view line : Lines(text)) {
    if (Trim(line).empty()) {
      if (!blocks.back().empty()) blocks.emplace_back();
      continue;
    }
    if ((line.front() == ' ' || line.front() == '\t') && !blocks.back().empty()) {
      std::string& value = blocks.back().back().value;
      if (value.size() < kMaxFieldBytes) {
        value += ' ';
        value += Trim(line);
      }
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;
    blocks.back().push_back({AsciiLower(Trim(line.substr(0, colon))), std::string(Trim(line.substr(colon + 1)))});
  }
  if (blocks.back().empty()) blocks.pop_back();
  return blocks;
}

const std::string* Get(const Block& block, std::string_view name) {
  for (const Field& f : block) {
    if (f.name == name) return &f.value;
  }
  return nullptr;
}

// "rfc822; user@example.com" -> "user@example.com"; also drops <> around the address.
std::string AfterType(std::string_view value) {
  const std::size_t semi = value.find(';');
  std::string_view v = Trim(semi == std::string_view::npos ? value : value.substr(semi + 1));
  if (v.size() >= 2 && v.front() == '<' && v.back() == '>') v = v.substr(1, v.size() - 2);
  return std::string(Trim(v));
}

std::string Clip(std::string s) {
  if (s.size() > kMaxFieldBytes) s.resize(kMaxFieldBytes);
  return SanitizeUtf8(s);
}

std::string_view FirstWord(std::string_view s) {
  s = Trim(s);
  return s.substr(0, s.find_first_of(" \t;("));
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The first enhanced status code (class 2/4/5 "." subject "." detail) standing as a word.
std::string FindStatusCode(std::string_view text) {
  for (std::size_t i = 0; i + 5 <= text.size(); ++i) {
    const char c = text[i];
    if (c != '2' && c != '4' && c != '5') continue;
    if (i > 0 && (IsDigit(text[i - 1]) || text[i - 1] == '.')) continue;
    if (text[i + 1] != '.') continue;
    std::size_t j = i + 2;
    const std::size_t subject_start = j;
    while (j < text.size() && IsDigit(text[j]) && j - subject_start < 3) ++j;
    if (j == subject_start || j >= text.size() || text[j] != '.') continue;
    const std::size_t detail_start = ++j;
    while (j < text.size() && IsDigit(text[j]) && j - detail_start < 3) ++j;
    if (j == detail_start) continue;
    if (j < text.size() && (IsDigit(text[j]) || text[j] == '.')) continue;
    return std::string(text.substr(i, j - i));
  }
  return {};
}

bool LooksLikeAddress(std::string_view s) {
  const std::size_t at = s.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= s.size()) return false;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '<' || c == '>' || c == '(' || c == ')') return false;
  }
  return s.find('.', at) != std::string_view::npos;
}

}  // namespace

std::optional<app::DeliveryFailure> ParseDeliveryStatus(std::string_view text) {
  const std::vector<Block> blocks = Blocks(text);
  std::string original_id;
  const Block* chosen = nullptr;
  for (const Block& block : blocks) {
    if (const std::string* id = Get(block, "x-original-message-id"); id != nullptr && original_id.empty()) {
      original_id = ParseMessageId(*id);
    }
    if (Get(block, "final-recipient") == nullptr && Get(block, "original-recipient") == nullptr) continue;
    const std::string* action = Get(block, "action");
    if (chosen == nullptr) chosen = &block;
    if (action != nullptr && AsciiLower(Trim(*action)) == "failed") {
      if (Get(*chosen, "action") == nullptr || AsciiLower(Trim(*Get(*chosen, "action"))) != "failed") chosen = &block;
    }
  }
  if (chosen == nullptr) return std::nullopt;
  app::DeliveryFailure failure;
  failure.original_message_id = original_id;
  if (const std::string* r = Get(*chosen, "final-recipient")) failure.recipient = Clip(AfterType(*r));
  if (failure.recipient.empty()) {
    if (const std::string* r = Get(*chosen, "original-recipient")) failure.recipient = Clip(AfterType(*r));
  }
  if (const std::string* a = Get(*chosen, "action")) failure.action = Clip(AsciiLower(FirstWord(*a)));
  if (const std::string* st = Get(*chosen, "status")) {
    failure.status = FindStatusCode(*st);
    if (failure.status.empty()) failure.status = Clip(std::string(Trim(*st)).substr(0, 20));
  }
  if (const std::string* d = Get(*chosen, "diagnostic-code")) failure.diagnostic = Clip(AfterType(*d));
  return failure;
}

std::string FindMessageIdInHeaders(std::string_view headers) {
  for (const Block& block : Blocks(headers)) {
    if (const std::string* id = Get(block, "message-id")) {
      std::string parsed = ParseMessageId(*id);
      if (!parsed.empty()) return parsed;
    }
  }
  return {};
}

app::DeliveryFailure ParseBounceText(std::string_view text) {
  app::DeliveryFailure failure;
  failure.action = "failed";
  failure.status = FindStatusCode(text);
  const std::vector<std::string_view> lines = Lines(text);
  for (std::size_t i = 0; i < lines.size() && failure.recipient.empty(); ++i) {
    std::string_view line = Trim(lines[i]);
    // Postfix / qmail: "<user@example.com>: host mx said: 550 ..." (qmail without the host part).
    if (line.size() > 3 && line.front() == '<') {
      const std::size_t close = line.find('>');
      if (close == std::string_view::npos) continue;
      std::string_view address = line.substr(1, close - 1);
      if (!LooksLikeAddress(address)) continue;
      std::string_view rest = Trim(line.substr(close + 1));
      if (!rest.empty() && rest.front() != ':') continue;
      failure.recipient = Clip(std::string(address));
      std::string diagnostic(Trim(rest.empty() ? rest : rest.substr(1)));
      for (std::size_t k = i + 1; k < lines.size() && !Trim(lines[k]).empty() && diagnostic.size() < 500; ++k) {
        if (!diagnostic.empty()) diagnostic += ' ';
        diagnostic += Trim(lines[k]);
      }
      failure.diagnostic = Clip(std::move(diagnostic));
    } else if (LooksLikeAddress(line)) {  // Exim: an indented address on its own line
      failure.recipient = Clip(std::string(line));
      std::string diagnostic;
      for (std::size_t k = i + 1; k < lines.size() && !Trim(lines[k]).empty() && diagnostic.size() < 500; ++k) {
        if (!diagnostic.empty()) diagnostic += ' ';
        diagnostic += Trim(lines[k]);
      }
      failure.diagnostic = Clip(std::move(diagnostic));
    }
  }
  // The returned original's headers are quoted somewhere below, often indented.
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = Trim(lines[i]);
    if (line.size() < 11 || AsciiLower(line.substr(0, 11)) != "message-id:") continue;
    std::string value(line.substr(11));
    if (i + 1 < lines.size() && !lines[i + 1].empty() && (lines[i + 1][0] == ' ' || lines[i + 1][0] == '\t')) {
      value += Trim(lines[i + 1]);
    }
    failure.original_message_id = ParseMessageId(value);
    if (!failure.original_message_id.empty()) break;
  }
  return failure;
}

}  // namespace rapport::mail
