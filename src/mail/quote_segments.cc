// SegmentPlainText: classify each line of a plain-text body, then merge runs of one kind into segments.
// Lines keep their line ends, so the segments always concatenate back to the input.
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/identity.h"
#include "mail/html_display.h"
#include "mail/quote_markers.h"

namespace rapport::mail {
namespace {

using Kind = TextSegment::Kind;

// A line without its "\n" / "\r\n" and surrounding white space.
std::string_view Content(std::string_view line) { return rapport::Trim(line); }

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool IsBlank(std::string_view line) { return Content(line).empty(); }

bool IsQuoted(std::string_view line) {
  while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  return !line.empty() && line.front() == '>';
}

// "On <date>, <name> wrote:" and its translations; `text` may be two lines joined by a space.
bool IsAttribution(std::string_view text) {
  struct Pattern {
    std::string_view start;
    std::string_view end;
  };
  constexpr Pattern kPatterns[] = {
      {"On ", "wrote:"},          {"On ", "writes:"},         {"Am ", "schrieb:"},   {"Am ", ":"},
      {"Le ", "a \xC3\xA9" "crit :"}, {"Le ", "a \xC3\xA9" "crit:"}, {"El ", "escribi\xC3\xB3:"},
      {"Il ", "ha scritto:"},     {"Op ", "geschreven:"},     {"Op ", ":"},          {"Em ", "escreveu:"},
  };
  if (text.size() > 400) return false;
  for (const Pattern& pattern : kPatterns) {
    if (!StartsWith(text, pattern.start) || !EndsWith(text, pattern.end)) continue;
    // The bare ":" endings are only attributions with the verb in the middle ("Am ... schrieb X <x@y>:").
    if (pattern.end == ":" && text.find(" schrieb ") == std::string_view::npos &&
        text.find(" schreef ") == std::string_view::npos) {
      continue;
    }
    return true;
  }
  return false;
}

// Number of lines (1 or 2, since clients wrap long attributions) of an attribution starting at line i.
size_t AttributionLines(const std::vector<std::string_view>& lines, size_t i) {
  const std::string_view first = Content(lines[i]);
  if (IsAttribution(first)) return 1;
  if (i + 1 < lines.size()) {
    const std::string joined = std::string(first) + " " + std::string(Content(lines[i + 1]));
    if (IsAttribution(joined)) return 2;
  }
  return 0;
}

bool IsOriginalMessageLine(std::string_view content) {
  for (std::string_view marker : kOriginalMessageMarkers) {
    if (content == marker) return true;
  }
  return false;
}

// A header label at the start of a line, also in Outlook's bold form "*From:*".
bool HasLabel(std::string_view content, std::initializer_list<std::string_view> labels) {
  if (!content.empty() && content.front() == '*') content.remove_prefix(1);
  for (std::string_view label : labels) {
    if (StartsWith(content, label)) return true;
  }
  return false;
}

// "From: ..." followed within four lines by "Sent:"/"Date:" (and the German and French forms).
bool IsHeaderBlockStart(const std::vector<std::string_view>& lines, size_t i) {
  const std::string_view content = Content(lines[i]);
  if (!HasLabel(content, {"From:", "Von:", "De :", "De:"})) return false;
  for (size_t k = i + 1; k < lines.size() && k <= i + 4; ++k) {
    if (HasLabel(Content(lines[k]), {"Sent:", "Date:", "Gesendet:", "Datum:", "Envoy\xC3\xA9 :", "Envoy\xC3\xA9:",
                                     "Date :"})) {
      return true;
    }
  }
  return false;
}

bool IsUnderscoreRule(std::string_view content) {
  return content.size() >= 10 && content.find_first_not_of('_') == std::string_view::npos;
}

bool IsSignatureDelimiter(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  return line == "-- " || line == "--";
}

bool IsMobileFooter(std::string_view content) {
  for (std::string_view prefix : {"Sent from my ", "Sent from Mail for ", "Get Outlook for ", "Sent from Outlook",
                                  "Von meinem ", "Gesendet von meinem ", "Envoy\xC3\xA9 de mon ", "Enviado desde mi "}) {
    if (StartsWith(content, prefix) && content.size() < 80) return true;
  }
  return false;
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    const size_t newline = text.find('\n', start);
    const size_t end = newline == std::string_view::npos ? text.size() : newline + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

}  // namespace

std::vector<TextSegment> SegmentPlainText(std::string_view text) {
  const std::vector<std::string_view> lines = SplitLines(text);
  const size_t n = lines.size();
  std::vector<Kind> kinds(n, Kind::kBody);

  // 1. Where unprefixed quoted history starts: everything from there on is quote.
  size_t history = n;
  for (size_t i = 0; i < n && history == n; ++i) {
    const std::string_view content = Content(lines[i]);
    if (IsOriginalMessageLine(content) || IsHeaderBlockStart(lines, i)) {
      history = i;
      // Outlook puts a rule of underscores just above the header block.
      size_t above = i;
      while (above > 0 && IsBlank(lines[above - 1])) --above;
      if (above > 0 && IsUnderscoreRule(Content(lines[above - 1]))) history = above - 1;
    } else if (const size_t attribution = AttributionLines(lines, i); attribution > 0) {
      size_t next = i + attribution;
      while (next < n && IsBlank(lines[next])) ++next;
      if (next == n || !IsQuoted(lines[next])) history = i;  // history without ">" prefixes (or nothing)
      // With ">" lines following, the attribution belongs to them and inline answers stay body (step 2).
      if (next < n && IsQuoted(lines[next])) {
        for (size_t k = i; k < i + attribution; ++k) kinds[k] = Kind::kQuote;
        i += attribution - 1;
      }
    }
  }
  for (size_t i = history; i < n; ++i) kinds[i] = Kind::kQuote;

  // 2. ">" lines before that; blank lines between two quoted lines join the quote.
  for (size_t i = 0; i < history; ++i) {
    if (IsQuoted(lines[i])) kinds[i] = Kind::kQuote;
  }
  for (size_t i = 0; i < history;) {
    if (!IsBlank(lines[i]) || kinds[i] == Kind::kQuote) {
      ++i;
      continue;
    }
    size_t end = i;  // the run of blank body lines is [i, end)
    while (end < history && IsBlank(lines[end]) && kinds[end] != Kind::kQuote) ++end;
    if (i > 0 && kinds[i - 1] == Kind::kQuote && end < history && kinds[end] == Kind::kQuote) {
      for (size_t k = i; k < end; ++k) kinds[k] = Kind::kQuote;
    }
    i = end;
  }

  // 3. The signature: from the last "-- " line before the history, or from a "Sent from my iPhone" line
  //    that is the last thing written, up to the next quoted line.
  size_t signature = n;
  for (size_t i = 0; i < history; ++i) {
    if (IsSignatureDelimiter(lines[i]) && kinds[i] == Kind::kBody) signature = i;
  }
  if (signature == n) {
    size_t last = history;
    while (last > 0 && (IsBlank(lines[last - 1]) || kinds[last - 1] == Kind::kQuote)) --last;
    if (last > 0 && IsMobileFooter(Content(lines[last - 1]))) signature = last - 1;
  }
  for (size_t i = signature; i < history && kinds[i] != Kind::kQuote; ++i) kinds[i] = Kind::kSignature;

  std::vector<TextSegment> segments;
  for (size_t i = 0; i < n; ++i) {
    if (segments.empty() || segments.back().kind != kinds[i]) segments.push_back({kinds[i], std::string()});
    segments.back().text.append(lines[i]);
  }
  return segments;
}

}  // namespace rapport::mail
