// RenderPlainTextBody: plain text to an HTML fragment; the text is only ever written through AppendEscaped.
#include <string>
#include <string_view>

#include "core/ascii.h"
#include "mail/html_display.h"
#include "mail/html_escape.h"

namespace rapport::mail {
namespace {

bool EndsUrl(char c) {
  return static_cast<unsigned char>(c) <= 0x20 || c == '<' || c == '>' || c == '"' || c == '\x7F';
}

// Length of the URL starting at text[0] (which starts with http:// or https://), without the
// punctuation that usually ends the sentence around it.
size_t UrlLength(std::string_view text) {
  size_t end = 0;
  while (end < text.size() && !EndsUrl(text[end])) ++end;
  while (end > 0) {
    const char last = text[end - 1];
    if (last == '.' || last == ',' || last == ';' || last == ':' || last == '!' || last == '?' || last == '\'' ||
        last == ']' || last == '*') {
      --end;
      continue;
    }
    if (last == ')') {
      // Keep the ")" of a URL like https://en.wikipedia.org/wiki/Foo_(bar), drop one closing "(see https://x)".
      const std::string_view url = text.substr(0, end);
      size_t opens = 0;
      size_t closes = 0;
      for (char c : url) {
        opens += c == '(';
        closes += c == ')';
      }
      if (closes > opens) {
        --end;
        continue;
      }
    }
    break;
  }
  return end;
}

void AppendLinkified(std::string& out, std::string_view text) {
  size_t plain_start = 0;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    const bool boundary = i == 0 || !((text[i - 1] >= 'a' && text[i - 1] <= 'z') ||
                                      (text[i - 1] >= 'A' && text[i - 1] <= 'Z') ||
                                      (text[i - 1] >= '0' && text[i - 1] <= '9'));
    if ((c == 'h' || c == 'H') && boundary) {
      const std::string_view rest = text.substr(i);
      const size_t scheme = StartsWithNoCase(rest, "https://") ? 8 : StartsWithNoCase(rest, "http://") ? 7 : 0;
      if (scheme > 0) {
        const size_t length = UrlLength(rest);
        if (length > scheme) {
          html::AppendEscaped(out, text.substr(plain_start, i - plain_start));
          const std::string_view url = rest.substr(0, length);
          out.append("<a");
          html::AppendAttribute(out, "href", url);
          out.append(" rel=\"noopener noreferrer nofollow\" target=\"_blank\">");
          html::AppendEscaped(out, url);
          out.append("</a>");
          i += length;
          plain_start = i;
          continue;
        }
      }
    }
    ++i;
  }
  html::AppendEscaped(out, text.substr(plain_start));
}

}  // namespace

std::string RenderPlainTextBody(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (const TextSegment& segment : SegmentPlainText(text)) {
    switch (segment.kind) {
      case TextSegment::Kind::kBody:
        AppendLinkified(out, segment.text);
        break;
      case TextSegment::Kind::kQuote:
        out.append("<details class=\"quoted\"><summary>Show quoted text</summary>");
        AppendLinkified(out, segment.text);
        out.append("</details>");
        break;
      case TextSegment::Kind::kSignature:
        out.append("<details class=\"signature\"><summary>Show signature</summary>");
        AppendLinkified(out, segment.text);
        out.append("</details>");
        break;
    }
  }
  return out;
}

}  // namespace rapport::mail
