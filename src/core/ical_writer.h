#pragma once
// An iCalendar (RFC 5545) writer for the personal calendar feeds: one VCALENDAR of VEVENTs with UTC
// times. Pure: no I/O, no clock (the caller passes DTSTAMP).
//
// What it guarantees, whatever the input text:
//   - TEXT values (SUMMARY, DESCRIPTION, X-WR-CALNAME) escape backslash, semicolon and comma, turn
//     every line break (CRLF, LF, CR) into the two characters "\n", and replace other control
//     characters with a space (RFC 5545 3.3.11 allows none in TEXT);
//   - URI and other values lose control characters (a value can never start a new property);
//   - every line ends with CRLF and is folded so that no line is longer than 75 octets, counting the
//     space that starts a continuation line; a fold never splits a UTF-8 character (3.1).

#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace rapport::ical {

struct Event {
  std::string uid;          // stable across fetches: "reminder-42@desk.example"
  Instant start{};          // DTSTART, written as UTC (…Z)
  Instant end{};            // DTEND; must be after start (an equal end is written one minute later)
  std::string summary;
  std::string description;  // may be empty (then omitted)
  std::string url;          // may be empty (then omitted)
  bool yearly = false;      // RRULE:FREQ=YEARLY
};

struct Calendar {
  std::string product_id = "-//Rapport//Rapport help desk//EN";
  std::string name;  // X-WR-CALNAME, shown by most calendar programs; may be empty
  std::vector<Event> events;
};

// The escaped form of a TEXT value (see above).
std::string EscapeText(std::string_view text);
// One content line ("NAME:value" or "NAME;PARAM=x:value"), folded, with its final CRLF.
std::string FoldLine(std::string_view line);
// The whole document. `stamp` is every event's DTSTAMP (when the feed was generated).
std::string WriteCalendar(const Calendar& calendar, Instant stamp);

}  // namespace rapport::ical
