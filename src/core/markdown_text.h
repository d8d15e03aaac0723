#pragma once
// Untrusted text inside a Markdown body. The automatic mail (core/auto_followup_text.h) and the
// notices put a client's display name or a ticket's subject into Markdown that the composer renders
// to HTML (mail/markdown.h), with the business as the sender. Without escaping, a display name such
// as "[Verify your account](https://evil.example)" would arrive as a live link.

#include <string>
#include <string_view>

namespace rapport {

// `text` as Markdown that renders to exactly that text within a line: no link, image, autolink
// (<https://...>, a bare https:// or www. address, an email address: a zero-width space follows
// each '@', since no escape stops GitHub's email autolink), raw HTML, emphasis, strikethrough, code
// span or entity. Control characters (line breaks included) become spaces, so
// the text cannot start a block of its own (a heading, a link reference definition). Characters that
// need no escaping stay as they are, so the plain-text part of the mail (the Markdown itself) reads
// naturally: "Jane O'Brien (Acme, Inc.)", "R&D", "11:00" and "a > b" are unchanged.
std::string EscapeMarkdownText(std::string_view text);

// Several lines of untrusted text (a note, a body) as Markdown that renders to those lines: each line
// as EscapeMarkdownText, without its leading blanks (four would make a code block), with a backslash
// before a character that would start a block there (# - + = and the dot or parenthesis of "1."),
// and a hard line break between lines; an empty line stays a paragraph break. "\r\n" counts as "\n".
std::string EscapeMarkdownLines(std::string_view text);

}  // namespace rapport
