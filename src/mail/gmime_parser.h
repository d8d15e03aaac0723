#pragma once
// app::EmailParser on GMime 3: one raw RFC 5322 message in, one app::InboundEmail out.
//
// What it does with the parts of a message:
//   - Headers: RFC 2047 encoded words (also sloppy ones: unspaced, split in a character, inside
//     quotes) and undeclared 8-bit headers (tried as UTF-8, else windows-1252) are decoded to UTF-8.
//     Message-ID / In-Reply-To / References become lists of bare ids; Delivered-To and X-Original-To
//     fill `delivered_to`; Date becomes UTC (nullopt when unreadable).
//   - Body: the text/plain part (or parts, joined) is `text`; the text/html alternative is `html`.
//     For HTML-only mail, `text` is HtmlToText(html). Text in any charset iconv knows is converted;
//     undeclared 8-bit text is tried as UTF-8, then windows-1252, with a warning.
//   - Attachments: every other leaf part, including text/calendar (unnamed: "invite.ics"), TNEF
//     winmail.dat (kept, not decoded), signatures of multipart/signed, and attached messages
//     (message/rfc822, named after their subject + ".eml"). Filenames are decoded (RFC 2231 and
//     RFC 2047), directory parts dropped; unnamed parts are named from the Content-Description or as
//     "attachment-<n>.<ext>". Parts above limits.max_attachment_bytes keep their size and get
//     `omitted_reason` instead of data. An attachment is inline when its disposition says so or the
//     HTML refers to its Content-ID.
//   - Forwards: the first attached message/rfc822 outside a bounce, else an inline forward in the text
//     (see parse_forward.h), fills `forwarded`.
//   - Automatic mail: see parse_auto_reply.h for the classification rules; bounces also get
//     `delivery_failure` from the message/delivery-status part (or the text of a classic bounce) and
//     the failed message's Message-ID from the returned message or headers.
//   - Limits: MIME nesting deeper than max_mime_depth and parts after the max_parts-th are not read
//     (a warning says so); GMime itself stops hostile nesting during parsing.
// Thread-safe: Parse keeps no state between calls and may run on several threads at once.

#include <string_view>

#include "app/ports/email.h"

namespace rapport::mail {

class GmimeEmailParser final : public app::EmailParser {
 public:
  explicit GmimeEmailParser(app::EmailLimits limits = {});

  // kInvalidArgument when `raw` is larger than limits.max_message_bytes, empty, or does not start
  // with a header field (optionally after an mbox "From " line): binary data, a bare body, HTML.
  // Everything else parses; what had to be guessed is listed in `warnings`.
  Result<app::InboundEmail> Parse(std::string_view raw) const override;

 private:
  app::EmailLimits limits_;
};

}  // namespace rapport::mail
