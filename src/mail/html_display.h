#pragma once
// Received mail, made fit to show and to index. Mail HTML is hostile input: it may carry script, tracking
// pixels and markup written to break out of whatever page embeds it. Everything here parses it with a
// real HTML5 parser (gumbo) and writes new output from the tree; nothing copies input bytes through.
// None of these functions fail: any byte string gives some (possibly empty) result.

#include <string>
#include <string_view>

namespace rapport::mail {

// Plain text from an HTML body, for the search index and the one-line preview of HTML-only mail.
//   - Block elements (p, div, li, tr, h1-h6 ...) end lines; p, headings, lists, tables and blockquotes
//     are set off by a blank line, except Outlook's "MsoNormal" paragraphs, which Outlook writes one per
//     line (its empty lines are explicit empty paragraphs, which become blank lines). <br> is a newline.
//   - List items start with "- " (numbered "1. " in <ol>), indented two spaces per nesting level.
//   - Table cells of one row are separated by a space.
//   - A link keeps its text, followed by " <url>" when the URL (http, https, mailto, ftp) says something
//     the text does not (the text is not the URL itself, give or take the scheme and a trailing slash).
//   - Contents of script, style, head, title, template, noscript, svg, math and object are dropped, as
//     are comments and images.
//   - Entities are decoded; runs of whitespace (including no-break space) become one space; zero-width
//     characters and soft hyphens (newsletter preheader padding) are removed; <pre> keeps its layout.
//   - Lines inside <blockquote> start with "> ", one per nesting level.
//   - No trailing spaces, no leading or trailing blank lines, at most one blank line in a row.
// Input is expected to be UTF-8 (the parser converts to it); invalid bytes are replaced, never rejected.
std::string HtmlToText(std::string_view html);

}  // namespace rapport::mail
