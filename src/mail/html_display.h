#pragma once
// Received mail, made fit to show and to index. Mail HTML is hostile input: it may carry script, tracking
// pixels and markup written to break out of whatever page embeds it. Everything here parses it with a
// real HTML5 parser (gumbo) and writes new output from the tree; nothing copies input bytes through.
// None of these functions fail: any byte string gives some (possibly empty) result. Before parsing,
// start tags nested deeper than 1000 elements (or 100 open formatting elements) are left out, which only
// hostile mail reaches and which keeps parsing linear (see html_nesting_guard.h).

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
//     characters and soft hyphens (newsletter preheader padding) are removed; <pre> keeps its line
//     breaks and indentation (blank lines too, one at most in a row, as everywhere).
//   - Lines inside <blockquote> start with "> ", one per nesting level.
//   - No trailing spaces, no leading or trailing blank lines, at most one blank line in a row.
// Input must be UTF-8 (convert the part's charset first); invalid bytes become U+FFFD, never an error.
std::string HtmlToText(std::string_view html);

// ---- Showing received HTML ----

struct SanitizeOptions {
  // Load images from http(s) URLs. Off by default: remote images tell the sender when and where the
  // mail was read.
  bool allow_remote_images = false;
  // Maps a Content-ID (as in <img src="cid:...">, percent-decoded, without angle brackets) to the URL
  // the UI serves that attachment from (e.g. "/tickets/12/attachments/34"), or nullopt when the message
  // has no such part. May be empty: then every cid image is removed.
  std::function<std::optional<std::string>(std::string_view content_id)> resolve_cid;
  // Wrap quoted history in <details class="quoted"><summary>Show quoted text</summary>...</details>, so
  // it folds without script. Recognised: Gmail (div.gmail_quote), Apple Mail (blockquote type=cite),
  // Thunderbird (div.moz-cite-prefix + blockquote), Yahoo (div.yahoo_quoted), Outlook web
  // (div#divRplyFwdMsg and all that follows), Outlook desktop (the bordered "From:" header block and
  // all that follows) and "-----Original Message-----" (and all that follows).
  bool fold_quotes = false;
};

struct SanitizedHtml {
  // A fragment to place inside an element of the page (give it overflow: auto, so wide newsletter tables
  // and floats stay inside); never a whole document.
  std::string html;
  // Remote images and backgrounds that were not loaded (0 when allow_remote_images).
  int blocked_remote_images = 0;
};

// Makes received HTML safe to embed in the agent's page. The input is parsed as a browser would
// (gumbo, HTML5) and a new fragment is written from the tree, keeping only what is on an allow-list:
//
// Elements kept (HTML namespace only): text formatting (b i u s em strong small big sub sup mark code
//   kbd samp var tt del ins abbr cite dfn q time bdi bdo font span strike center), structure (div p br hr
//   h1-h6 pre blockquote address article aside section header footer main nav figure figcaption details
//   summary), lists (ul ol li dl dt dd), tables (table caption colgroup col thead tbody tfoot tr td th),
//   a and img (with the URL rules below). <body> becomes a <div> carrying its colours.
// Elements dropped with everything inside: script, style, head, title, meta (so no refresh), link, base,
//   iframe, frame, frameset, object, embed, applet, param, form, input, button, select, option, textarea,
//   noscript, noembed, noframes, template, svg, math (and anything else outside the HTML namespace,
//   which removes namespace-confusion tricks), audio, video, source, track, canvas, map, area,
//   keygen, datalist, optgroup, isindex, menuitem.
// Every other element (unknown tags such as Outlook's <o:p>, html, picture, label, marquee, dialog ...) is
//   replaced by its content. Comments (including IE conditional comments) are dropped.
// Attributes kept: presentational ones (align valign width height bgcolor color face size border
//   bordercolor cellpadding cellspacing colspan rowspan nowrap hspace vspace clear span scope abbr start
//   reversed type-on-lists dir lang title alt datetime) and a filtered `style`. Dropped: every event
//   handler (on*), id, name, class (they could clobber the page's scripts or borrow its CSS), srcset,
//   and everything else.
// style: only an allow-listed set of properties (colours, fonts, text, margins/paddings/borders,
//   sizes, display, list and table layout) survive; a declaration is dropped when its value has
//   anything but plain tokens (functions other than rgb()/rgba()/hsl()/hsla(), or negative margins);
//   the whole attribute is dropped when it contains a backslash, a comment, "url(", "expression",
//   "@import", "behavior", "-moz-binding" or "javascript". position, z-index, transforms, filters,
//   content, cursor and the like never survive, so mail cannot overlay the page.
// Links: href only with http, https, mailto or tel (after removing the tabs/newlines/controls browsers
//   ignore, so "jav&#x09;ascript:" is caught); others lose their href. Every link gets
//   rel="noopener noreferrer nofollow" target="_blank".
// Images: cid: -> resolve_cid's URL, or the image is removed; data:image/{png,jpeg,gif,webp};base64 is
//   kept; http(s) and protocol-relative URLs are kept only with allow_remote_images, otherwise the
//   image keeps no src, gets data-remote-src="<url>" and class="remote-blocked" and is counted; any
//   other src removes the image. background="..." attributes follow the same rule (data-remote-background).
// The output is well-formed: every element closed, all text and attribute values escaped.
SanitizedHtml SanitizeEmailHtml(std::string_view html, const SanitizeOptions& options = {});

// ---- Quotes and signatures ----

struct TextSegment {
  enum class Kind { kBody, kQuote, kSignature };
  Kind kind = Kind::kBody;
  std::string text;

  bool operator==(const TextSegment&) const = default;
};

// Splits a plain-text body into what the sender wrote, the quoted history and the signature, so that
// the UI can fold the latter two. Nothing is ever removed: concatenating the segments' text gives back
// `text` exactly (line endings included). Works line by line:
//   quote      - lines starting with ">" (blank lines between two of them join them);
//              - an attribution line ("On ... wrote:", "Am ... schrieb ...:", "Le ... a écrit :",
//                "El ... escribió:", "Il ... ha scritto:", "Op ... schreef/geschreven:", "Em ... escreveu:",
//                also wrapped over two lines) joins the ">" lines after it; when no ">" lines follow,
//                it starts unprefixed history and everything after it is quote;
//              - an Outlook header block ("-----Original Message-----" and its German/French forms, or
//                "From:"/"Von:"/"De :" followed within four lines by "Sent:"/"Date:"/"Gesendet:"/
//                "Datum:"/"Envoyé :", also in Outlook's "*From:*" form, with a "_____" rule just above
//                it) and everything after it.
//              Answers written between ">" lines (inline replies) stay body.
//   signature  from the last "-- " (or "--") line before the unprefixed history up to the next quoted
//              line; without one, a trailing "Sent from my iPhone" / "Get Outlook for ..." /
//              "Von meinem ... gesendet" line (the last thing written before any quote).
// Adjacent segments never have the same kind; empty input gives no segments. Linear in the input.
std::vector<TextSegment> SegmentPlainText(std::string_view text);

// A plain-text body as an HTML fragment: every character escaped, line breaks kept (white-space is left
// to the page's CSS: wrap the result in an element with `white-space: pre-wrap`), http(s) URLs made
// into links (rel="noopener noreferrer nofollow", target="_blank"), and quoted history and signature
// folded as SegmentPlainText finds them, in <details class="quoted"> / <details class="signature">.
std::string RenderPlainTextBody(std::string_view text);

}  // namespace rapport::mail
