#pragma once
// Builds the RFC 5322 message for a reply, acknowledgement or notice (app::OutgoingEmail) with GMime.
//
// Headers, in this order: From, Reply-To, To, Cc, Subject, Date, Message-ID, In-Reply-To,
// References, Thread-Index, Thread-Topic, Auto-Submitted + X-Auto-Response-Suppress (only when
// `auto_submitted`), MIME-Version, then the body's Content-* headers. Display names, the subject and
// the thread topic are RFC 2047-encoded (UTF-8) when not ASCII; long headers are folded at 78
// columns. Message ids are written in angle brackets.
//
// Body: the agent's Markdown as text/plain and, rendered by RenderMarkdown, as text/html (a minimal
// document declaring UTF-8), in multipart/alternative. Each part gets the best encoding for a
// 7-bit transport (7bit, quoted-printable or base64), so no line exceeds 998 octets.
// Attachments (always base64; filenames without any directory part, RFC 2231-encoded when not
// ASCII):
//   - an inline attachment with a Content-ID goes into multipart/related next to the HTML, so that
//     <img src="cid:..."> in the HTML finds it: alternative(plain, related(html, inline...));
//   - every other attachment (and an inline one without a Content-ID, which nothing can refer to)
//     goes into multipart/mixed after the body, with disposition "attachment" (or "inline").
// Every line ends in CRLF. The output depends only on the input, except for the MIME boundaries,
// which are random.

#include <string>

#include "app/ports/email.h"

namespace rapport::mail {

class GmimeEmailComposer final : public app::EmailComposer {
 public:
  // kInvalidArgument, naming the field, for:
  //  - a missing or malformed message_id, a malformed In-Reply-To/References id (ids are given
  //    without <>; an id may not contain whitespace, '<', '>' or non-ASCII);
  //  - a missing From address; any address that is not an ASCII addr-spec local@domain (dot-atom
  //    local part, DNS domain) — quoted local parts, address literals and international addresses
  //    are refused rather than sent in a form the next server may reject;
  //  - a display name, subject or thread topic that is not UTF-8 or contains a control character
  //    (CR or LF there would inject headers);
  //  - a Thread-Index that is not a valid Thread-Index (see core/thread_index.h);
  //  - a Markdown body that is not UTF-8 text (a NUL byte or a broken sequence);
  //  - an attachment without its data (omitted_reason set), or with a malformed content type,
  //    Content-ID or filename (control characters).
  // kInternal when GMime fails to write the message or the system has no random source for the
  // boundaries (neither expected). Thread-safe.
  Result<std::string> Compose(const app::OutgoingEmail& email) const override;
};

}  // namespace rapport::mail
