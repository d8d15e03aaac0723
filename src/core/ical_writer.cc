#include "core/ical_writer.h"

#include <chrono>

namespace rapport::ical {
namespace {

constexpr std::size_t kMaxLineOctets = 75;

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }
bool IsContinuationByte(unsigned char c) { return (c & 0xC0) == 0x80; }

// A value that is not TEXT (a URI, a UID): control characters dropped.
std::string PlainValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (!IsControl(static_cast<unsigned char>(c))) out += c;
  }
  return out;
}

void AddLine(std::string& out, std::string_view name, std::string_view value) {
  std::string line(name);
  line += ':';
  line += value;
  out += FoldLine(line);
}

}  // namespace

std::string EscapeText(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\': out += "\\\\"; break;
      case ';': out += "\\;"; break;
      case ',': out += "\\,"; break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;  // CRLF is one break
        out += "\\n";
        break;
      case '\n': out += "\\n"; break;
      case '\t': out += c; break;
      default: out += IsControl(static_cast<unsigned char>(c)) ? ' ' : c;
    }
  }
  return out;
}

std::string FoldLine(std::string_view line) {
  std::string out;
  out.reserve(line.size() + line.size() / 70 * 3 + 2);
  std::size_t pos = 0;
  bool first = true;
  while (pos < line.size()) {
    // A continuation line starts with a space, which counts towards its 75 octets.
    const std::size_t room = first ? kMaxLineOctets : kMaxLineOctets - 1;
    std::size_t cut = std::min(line.size(), pos + room);
    // Back up to the start of a UTF-8 character. A character is at most 4 octets, so a valid
    // sequence always leaves some progress; malformed bytes are cut where the limit falls.
    if (cut < line.size()) {
      std::size_t back = cut;
      while (back > pos && IsContinuationByte(static_cast<unsigned char>(line[back]))) --back;
      if (back > pos) cut = back;
    }
    if (!first) out += ' ';
    out.append(line.substr(pos, cut - pos));
    out += "\r\n";
    pos = cut;
    first = false;
  }
  if (first) out += "\r\n";  // an empty line stays one (empty) line
  return out;
}

std::string WriteCalendar(const Calendar& calendar, Instant stamp) {
  std::string out;
  AddLine(out, "BEGIN", "VCALENDAR");
  AddLine(out, "VERSION", "2.0");
  AddLine(out, "PRODID", PlainValue(calendar.product_id));
  AddLine(out, "CALSCALE", "GREGORIAN");
  AddLine(out, "METHOD", "PUBLISH");
  if (!calendar.name.empty()) AddLine(out, "X-WR-CALNAME", EscapeText(calendar.name));
  const std::string dtstamp = FormatBasicUtc(stamp);
  for (const Event& e : calendar.events) {
    AddLine(out, "BEGIN", "VEVENT");
    AddLine(out, "UID", PlainValue(e.uid));
    AddLine(out, "DTSTAMP", dtstamp);
    AddLine(out, "DTSTART", FormatBasicUtc(e.start));
    AddLine(out, "DTEND", FormatBasicUtc(e.end > e.start ? e.end : e.start + std::chrono::minutes(1)));
    if (e.yearly) AddLine(out, "RRULE", "FREQ=YEARLY");
    AddLine(out, "SUMMARY", EscapeText(e.summary));
    if (!e.description.empty()) AddLine(out, "DESCRIPTION", EscapeText(e.description));
    if (!e.url.empty()) AddLine(out, "URL", PlainValue(e.url));
    AddLine(out, "END", "VEVENT");
  }
  AddLine(out, "END", "VCALENDAR");
  return out;
}

}  // namespace rapport::ical
