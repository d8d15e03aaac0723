#include "mail/parse_forward.h"

#include <array>

#include "core/identity.h"

namespace rapport::mail {
namespace {

constexpr std::size_t kMaxHeaderLines = 25;    // lines after the separator that may hold the fields
constexpr std::size_t kMaxFieldBytes = 1000;

// Drops quoting ("> > ") and the bold markers a text rendering of HTML leaves ("*From:*").
std::string_view Unquote(std::string_view line) {
  line = Trim(line);
  while (!line.empty() && (line.front() == '>' || line.front() == ' ')) line.remove_prefix(1);
  return line;
}

enum class Marker { kNone, kForwarded, kOriginal };

Marker MarkerOf(std::string_view line) {
  const std::string l = AsciiLower(Unquote(line));
  if (l.empty()) return Marker::kNone;
  if (l.starts_with("begin forwarded message") || l.starts_with("anfang der weitergeleiteten nachricht") ||
      l.starts_with("début du message réexpédié")) {
    return Marker::kForwarded;
  }
  if (l.front() == '-') {
    static constexpr std::array<std::string_view, 7> kForwarded = {
        "forwarded message", "weitergeleitete nachricht", "message transféré", "mensaje reenviado",
        "messaggio inoltrato", "doorgestuurd bericht", "forwarded e-mail"};
    static constexpr std::array<std::string_view, 6> kOriginal = {
        "original message", "ursprüngliche nachricht", "message d'origine", "mensaje original",
        "messaggio originale", "oorspronkelijk bericht"};
    for (std::string_view p : kForwarded) {
      if (l.find(p) != std::string::npos) return Marker::kForwarded;
    }
    for (std::string_view p : kOriginal) {
      if (l.find(p) != std::string::npos) return Marker::kOriginal;
    }
    return Marker::kNone;
  }
  if (l.size() >= 10 && l.find_first_not_of('_') == std::string::npos) return Marker::kOriginal;
  return Marker::kNone;
}

// "From: x" / "*Von:* x" -> {"from", "x"}; empty name when the line is not a field.
std::pair<std::string, std::string_view> FieldOf(std::string_view line) {
  line = Unquote(line);
  while (!line.empty() && line.front() == '*') line.remove_prefix(1);
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 20) return {};
  std::string name = AsciiLower(Trim(line.substr(0, colon)));
  std::string_view value = line.substr(colon + 1);
  while (!name.empty() && name.back() == '*') name.pop_back();
  while (!value.empty() && (value.front() == '*' || value.front() == ' ' || value.front() == '\t')) {
    value.remove_prefix(1);
  }
  return {name, Trim(value)};
}

std::string Clip(std::string_view v) { return std::string(v.substr(0, kMaxFieldBytes)); }

bool StartsWithPrefix(std::string_view subject, std::initializer_list<std::string_view> prefixes) {
  const std::string s = AsciiLower(Trim(subject));
  for (std::string_view p : prefixes) {
    if (!s.starts_with(p)) continue;
    std::string_view rest = std::string_view(s).substr(p.size());
    // "Re:", "Re :", "Re[2]:", "Fwd(2):"
    if (!rest.empty() && (rest.front() == '[' || rest.front() == '(')) {
      const std::size_t close = rest.find_first_of("])");
      if (close == std::string_view::npos) continue;
      rest.remove_prefix(close + 1);
    }
    rest = Trim(rest);
    if (!rest.empty() && rest.front() == ':') return true;
  }
  return false;
}

}  // namespace

bool HasForwardPrefix(std::string_view subject) {
  return StartsWithPrefix(subject, {"fwd", "fw", "wg", "tr", "rv", "enc", "vb", "vl", "doorst", "i"});
}

bool HasReplyPrefix(std::string_view subject) {
  return StartsWithPrefix(subject, {"re", "aw", "sv", "antw", "odp", "r", "ynt"});
}

std::optional<InlineForward> FindInlineForward(std::string_view text, bool original_message_counts) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const Marker marker = MarkerOf(text.substr(pos, end - pos));
    pos = end + 1;
    if (marker == Marker::kNone || (marker == Marker::kOriginal && !original_message_counts)) continue;

    InlineForward found;
    bool any = false;
    std::size_t field_pos = pos;
    for (std::size_t n = 0; n < kMaxHeaderLines && field_pos < text.size(); ++n) {
      std::size_t line_end = text.find('\n', field_pos);
      if (line_end == std::string_view::npos) line_end = text.size();
      std::string_view line = text.substr(field_pos, line_end - field_pos);
      field_pos = line_end + 1;
      if (Unquote(line).empty()) {
        if (any) break;  // the blank line after the fields ends them
        continue;
      }
      auto [name, value] = FieldOf(line);
      if (name == "from" || name == "von" || name == "de" || name == "da" || name == "van") {
        if (found.from.empty()) found.from = Clip(value);
        any = true;
      } else if (name == "subject" || name == "betreff" || name == "objet" || name == "asunto" ||
                 name == "oggetto" || name == "onderwerp" || name == "assunto") {
        if (found.subject.empty()) found.subject = Clip(value);
        any = true;
      } else if (name == "date" || name == "sent" || name == "datum" || name == "gesendet" || name == "envoyé" ||
                 name == "enviado" || name == "fecha" || name == "inviato" || name == "verzonden") {
        if (found.date.empty()) found.date = Clip(value);
      } else if (name == "message-id") {
        found.message_id = Clip(value);
      } else if (name.empty() && !any) {
        break;  // prose right after the separator: not a forwarded header block
      }
    }
    if (any) return found;
  }
  return std::nullopt;
}

}  // namespace rapport::mail
