#include "core/ical_writer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rapport::ical {
namespace {

const Instant kStamp = InstantFromUnix(1'795'359'845);  // 2026-11-22T15:04:05Z

std::vector<std::string> Lines(const std::string& doc) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < doc.size()) {
    const std::size_t end = doc.find("\r\n", pos);
    if (end == std::string::npos) {
      out.push_back(doc.substr(pos));
      break;
    }
    out.push_back(doc.substr(pos, end - pos));
    pos = end + 2;
  }
  return out;
}

// Undoes the folding: a line starting with a space continues the previous one.
std::string Unfold(const std::string& doc) {
  std::string out;
  for (const std::string& line : Lines(doc)) {
    if (!line.empty() && line[0] == ' ') {
      out += line.substr(1);
    } else {
      if (!out.empty()) out += '\n';
      out += line;
    }
  }
  return out;
}

bool ValidUtf8(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

TEST(IcalWriter, EscapesTextSpecials) {
  EXPECT_EQ(EscapeText("a\\b;c,d"), "a\\\\b\\;c\\,d");
  EXPECT_EQ(EscapeText("one\ntwo\r\nthree\rfour"), "one\\ntwo\\nthree\\nfour");
  EXPECT_EQ(EscapeText("colon: stays"), "colon: stays");
  EXPECT_EQ(EscapeText(std::string("bell\x07") + "nul" + std::string(1, '\0') + "x"), "bell nul x");
  EXPECT_EQ(EscapeText("tab\there"), "tab\there");
}

TEST(IcalWriter, ShortLinesAreNotFolded) {
  EXPECT_EQ(FoldLine("SUMMARY:hello"), "SUMMARY:hello\r\n");
  const std::string exact = "SUMMARY:" + std::string(67, 'a');  // 75 octets
  EXPECT_EQ(FoldLine(exact), exact + "\r\n");
}

TEST(IcalWriter, FoldsAsciiAtSeventyFiveOctets) {
  const std::string line = "DESCRIPTION:" + std::string(200, 'x');
  const std::string folded = FoldLine(line);
  const auto lines = Lines(folded);
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[0].size(), 75u);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i][0], ' ');
    EXPECT_LE(lines[i].size(), 75u);
  }
  EXPECT_EQ(lines[1].size(), 75u) << "a full continuation line holds the space and 74 octets";
  EXPECT_EQ(Unfold(folded), line);
}

TEST(IcalWriter, NeverSplitsAMultibyteCharacter) {
  // Two-, three- and four-octet characters at every alignment against the 75-octet limit.
  for (const std::string& ch : {std::string("é"), std::string("€"), std::string("日"), std::string("😀")}) {
    for (int prefix = 0; prefix < 5; ++prefix) {
      std::string value(static_cast<std::size_t>(prefix), 'a');
      for (int i = 0; i < 60; ++i) value += ch;
      const std::string line = "SUMMARY:" + value;
      const std::string folded = FoldLine(line);
      for (const std::string& l : Lines(folded)) {
        EXPECT_LE(l.size(), 75u) << ch << " prefix " << prefix;
        EXPECT_TRUE(ValidUtf8(l)) << "split inside a character: " << ch << " prefix " << prefix;
      }
      EXPECT_EQ(Unfold(folded), line);
      EXPECT_EQ(folded.substr(folded.size() - 2), "\r\n");
    }
  }
}

TEST(IcalWriter, MalformedBytesStillTerminate) {
  const std::string line = "SUMMARY:" + std::string(300, '\x80');
  const std::string folded = FoldLine(line);
  for (const std::string& l : Lines(folded)) EXPECT_LE(l.size(), 75u);
  EXPECT_EQ(Unfold(folded), line);
}

TEST(IcalWriter, WritesEventsWithRruleAndCrlfEverywhere) {
  Calendar cal;
  cal.name = "Ada's follow-ups";
  Event reminder;
  reminder.uid = "reminder-7@desk.example";
  reminder.start = kStamp;
  reminder.end = kStamp + std::chrono::minutes(15);
  reminder.summary = "Call back; ask about invoice, part 2";
  reminder.description = "line one\nline two";
  reminder.url = "https://desk.example/tickets/12";
  Event review;
  review.uid = "meeting-3@desk.example";
  review.start = kStamp;
  review.end = kStamp;  // equal: written a minute later
  review.summary = "Annual review";
  review.yearly = true;
  cal.events = {reminder, review};
  const std::string doc = WriteCalendar(cal, kStamp);

  // Every line ends in CRLF: no bare LF or CR anywhere.
  for (std::size_t i = 0; i < doc.size(); ++i) {
    if (doc[i] == '\n') {
      EXPECT_TRUE(i > 0 && doc[i - 1] == '\r') << "bare LF at " << i;
    }
    if (doc[i] == '\r') {
      EXPECT_TRUE(i + 1 < doc.size() && doc[i + 1] == '\n') << "bare CR at " << i;
    }
  }
  const std::string text = Unfold(doc);
  EXPECT_EQ(text.rfind("BEGIN:VCALENDAR\nVERSION:2.0\n", 0), 0u);
  EXPECT_NE(text.find("X-WR-CALNAME:Ada's follow-ups\n"), std::string::npos);
  EXPECT_NE(text.find("UID:reminder-7@desk.example\nDTSTAMP:20261122T150405Z\nDTSTART:20261122T150405Z\n"
                      "DTEND:20261122T151905Z\n"),
            std::string::npos);
  EXPECT_NE(text.find("SUMMARY:Call back\\; ask about invoice\\, part 2\n"), std::string::npos);
  EXPECT_NE(text.find("DESCRIPTION:line one\\nline two\n"), std::string::npos);
  EXPECT_NE(text.find("URL:https://desk.example/tickets/12\n"), std::string::npos);
  EXPECT_NE(text.find("DTSTART:20261122T150405Z\nDTEND:20261122T150505Z\nRRULE:FREQ=YEARLY\nSUMMARY:Annual review"),
            std::string::npos);
  EXPECT_EQ(text.find("RRULE", text.find("RRULE") + 1), std::string::npos) << "only the yearly event recurs";
  EXPECT_EQ(doc.substr(doc.size() - 15), "END:VCALENDAR\r\n");
}

TEST(IcalWriter, AUrlCannotInjectAProperty) {
  Calendar cal;
  Event e;
  e.uid = "x\r\nATTENDEE:evil";
  e.start = kStamp;
  e.end = kStamp + std::chrono::hours(1);
  e.summary = "s";
  e.url = "https://a.example/\r\nATTENDEE:evil";
  cal.events = {e};
  const std::string text = Unfold(WriteCalendar(cal, kStamp));
  EXPECT_EQ(text.find("\nATTENDEE"), std::string::npos);
}

}  // namespace
}  // namespace rapport::ical
