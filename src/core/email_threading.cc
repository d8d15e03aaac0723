#include "core/email_threading.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/ascii.h"

namespace rapport {
namespace {

bool IsRelated(const ThreadCandidate& ticket, const EmailSenderFacts& sender) {
  if (sender.is_team_member) return true;
  if (sender.contact_id) {
    if (*sender.contact_id == ticket.contact_id) return true;
    if (std::find(ticket.participants.begin(), ticket.participants.end(), *sender.contact_id) !=
        ticket.participants.end()) {
      return true;
    }
  }
  return sender.client_id && ticket.client_id && *sender.client_id == *ticket.client_id;
}

bool IsSpace(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; }

std::string_view TrimLeft(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  return s;
}

// The length of a reply/forward prefix at the start of `s` ("Re:", "Fwd: ", "RE[2]:", "Re :"), or 0.
std::size_t ReplyPrefixLength(std::string_view s) {
  // Lower-case; English, German (AW, WG), Scandinavian (SV, VS), French (TR), Dutch (Antw), Spanish (RV).
  static constexpr std::array<std::string_view, 10> kPrefixes = {"re", "fwd", "fw", "aw",   "wg",
                                                                 "sv", "vs",  "tr", "antw", "rv"};
  for (std::string_view p : kPrefixes) {
    if (!StartsWithNoCase(s, p)) continue;
    std::size_t i = p.size();
    if (i < s.size() && s[i] == '[') {  // "RE[2]:"
      std::size_t j = i + 1;
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      if (j < s.size() && s[j] == ']') i = j + 1;
    }
    while (i < s.size() && s[i] == ' ') ++i;
    if (i < s.size() && s[i] == ':') return i + 1;
    if (s.substr(i, 3) == "\xef\xbc\x9a") return i + 3;  // the full-width colon U+FF1A of CJK clients
  }
  return 0;
}

// The length of a "[#1234]" reference at the start of `s`, or 0.
std::size_t ReferenceLength(std::string_view s) {
  if (s.size() < 4 || s[0] != '[' || s[1] != '#') return 0;
  std::size_t i = 2;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i == 2 || i >= s.size() || s[i] != ']') return 0;
  return i + 1;
}

}  // namespace

ThreadDecision DecideThread(const ThreadingFacts& facts) {
  if (facts.by_headers) {
    return {ThreadDecision::Kind::kJoin, facts.by_headers->ticket_id, "in reply to a message of the ticket"};
  }
  if (facts.by_thread_index) {
    return {ThreadDecision::Kind::kJoin, facts.by_thread_index->ticket_id, "same Outlook thread (Thread-Index)"};
  }
  if (facts.by_subject) {
    if (IsRelated(*facts.by_subject, facts.sender)) {
      return {ThreadDecision::Kind::kJoin, facts.by_subject->ticket_id, "ticket reference in the subject"};
    }
    return {ThreadDecision::Kind::kNewLinkedTicket, facts.by_subject->ticket_id,
            "the subject names another ticket, but the sender is not part of it"};
  }
  return {ThreadDecision::Kind::kNewTicket, std::nullopt, "no earlier message matches"};
}

std::optional<std::int64_t> FindTicketReference(std::string_view subject) {
  for (std::size_t at = subject.find("[#"); at != std::string_view::npos; at = subject.find("[#", at + 1)) {
    const std::size_t len = ReferenceLength(subject.substr(at));
    if (len == 0 || len > 2 + 18 + 1) continue;  // more than 18 digits cannot be a ticket number
    std::int64_t n = 0;
    for (std::size_t i = at + 2; i < at + len - 1; ++i) n = n * 10 + (subject[i] - '0');
    if (n > 0) return n;
  }
  return std::nullopt;
}

std::string CleanSubject(std::string_view subject) {
  std::string_view s = TrimLeft(subject);
  for (;;) {
    if (std::size_t n = ReplyPrefixLength(s); n > 0) {
      s = TrimLeft(s.substr(n));
    } else if (std::size_t r = ReferenceLength(s); r > 0) {
      s = TrimLeft(s.substr(r));
    } else {
      break;
    }
  }
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char ch : s) {
    if (IsSpace(ch)) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += ch;
  }
  return out;
}

std::string SubjectWithTicketReference(std::int64_t number, std::string_view subject) {
  const std::string tag = "[#" + std::to_string(number) + "]";
  if (subject.find(tag) != std::string_view::npos) return std::string(subject);
  std::string cleaned = CleanSubject(subject);
  return cleaned.empty() ? tag : tag + " " + cleaned;
}

}  // namespace rapport
