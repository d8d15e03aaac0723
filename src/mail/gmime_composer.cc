#include "mail/gmime_composer.h"

#include <gmime/gmime.h>

#include <memory>
#include <string_view>
#include <vector>

#include "core/text_rules.h"
#include "mail/gmime_runtime.h"
#include "mail/markdown.h"
#include "mail/message_id.h"
#include "core/thread_index.h"
#include "security/tokens.h"

namespace rapport::mail {
namespace {

struct GObjectUnref {
  void operator()(void* object) const { g_object_unref(object); }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

struct FormatOptionsFree {
  void operator()(GMimeFormatOptions* options) const { g_mime_format_options_free(options); }
};
struct DateTimeUnref {
  void operator()(GDateTime* date) const { g_date_time_unref(date); }
};

// ---- validation -------------------------------------------------------------------------------

bool HasControl(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) return true;
  }
  return false;
}

// Text that ends up inside a header: UTF-8, and no control character (CR/LF would end the header
// and start one of the sender's choosing).
bool IsHeaderText(std::string_view s) { return IsStorableText(s) && !HasControl(s); }

bool IsAddrSpec(std::string_view address) {
  const std::size_t at = address.rfind('@');
  if (at == std::string_view::npos || at > 64) return false;
  return IsDotAtom(address.substr(0, at)) && IsValidDomain(address.substr(at + 1));
}

// Ids of other people's messages (In-Reply-To, References) are echoed as received; they need not be
// well-formed, only safe to put between <> on a header line.
bool IsSafeReferenceId(std::string_view id) {
  if (id.empty() || id.size() > 900) return false;
  for (char c : id) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || c == '<' || c == '>') return false;
  }
  return true;
}

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || std::string_view("()<>@,;:\\\"/[]?=").find(c) != std::string_view::npos) {
      return false;
    }
  }
  return true;
}

Status CheckAddress(const std::string& field, const app::EmailAddress& a) {
  if (!IsAddrSpec(a.address)) return Status::FieldError(field, "\"" + a.address + "\" is not an email address");
  if (!IsHeaderText(a.name))
    return Status::FieldError(field, "the display name contains a line break or control character");
  return Status::Ok();
}

Status CheckAddresses(const std::string& field, const std::vector<app::EmailAddress>& list) {
  for (const app::EmailAddress& a : list) RAPPORT_RETURN_IF_ERROR(CheckAddress(field, a));
  return Status::Ok();
}

Status CheckReferenceIds(const std::string& field, const std::vector<std::string>& ids) {
  for (const std::string& id : ids) {
    if (!IsSafeReferenceId(id)) {
      return Status::FieldError(field, "a message id is empty or contains spaces, <, > or control characters");
    }
  }
  return Status::Ok();
}

Status Validate(const app::OutgoingEmail& e) {
  if (!IsValidMessageId(e.message_id))
    return Status::FieldError("message_id", "is not a message id (local@domain, no <>)");
  RAPPORT_RETURN_IF_ERROR(CheckReferenceIds("in_reply_to", e.in_reply_to));
  RAPPORT_RETURN_IF_ERROR(CheckReferenceIds("references", e.references));
  if (!e.thread_index.empty() && !ParseThreadIndex(e.thread_index)) {
    return Status::FieldError("thread_index", "is not an Outlook Thread-Index");
  }
  if (!IsHeaderText(e.thread_topic))
    return Status::FieldError("thread_topic", "contains a line break or control character");
  if (e.from.address.empty()) return Status::FieldError("from", "is required");
  RAPPORT_RETURN_IF_ERROR(CheckAddress("from", e.from));
  RAPPORT_RETURN_IF_ERROR(CheckAddresses("reply_to", e.reply_to));
  RAPPORT_RETURN_IF_ERROR(CheckAddresses("to", e.to));
  RAPPORT_RETURN_IF_ERROR(CheckAddresses("cc", e.cc));
  if (!IsHeaderText(e.subject)) return Status::FieldError("subject", "contains a line break or control character");
  if (!IsStorableText(e.markdown)) return Status::FieldError("markdown", "is not UTF-8 text");
  for (const app::EmailAttachment& a : e.attachments) {
    if (!a.omitted_reason.empty()) {
      return Status::FieldError("attachments", "\"" + a.filename + "\" was not kept (" + a.omitted_reason + ")");
    }
    if (!IsHeaderText(a.filename)) return Status::FieldError("attachments", "a filename contains a control character");
    if (!a.content_type.empty() && HasControl(a.content_type)) {
      return Status::FieldError("attachments", "a content type contains a control character");
    }
    if (!a.content_id.empty() && !IsSafeReferenceId(a.content_id)) {
      return Status::FieldError("attachments", "a Content-ID contains spaces, <, > or control characters");
    }
  }
  return Status::Ok();
}

// ---- building ---------------------------------------------------------------------------------

// Random boundaries, not GMime's: "=_" cannot occur in quoted-printable or base64 text, so no
// encoded body line can ever look like a boundary. The token's characters (A-Z a-z 0-9 - _) are
// all legal in a boundary, and the 53 characters stay under its limit of 70.
Result<std::string> NewBoundary() {
  RAPPORT_ASSIGN_OR_RETURN(std::string token, security::RandomToken());
  return "=_rapport_" + token;
}

// Markdown from a browser form may carry CRLF or lone CR; GMime writes every LF as CRLF.
std::string WithUnixNewlines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

// Always UTF-8: g_mime_text_part_set_text would pick the "best" charset (ISO-8859-1 for most
// European text), which would contradict the HTML's <meta charset="utf-8">.
GPtr<GMimeObject> TextPart(const char* subtype, const std::string& text) {
  GPtr<GMimeTextPart> part(g_mime_text_part_new_with_subtype(subtype));
  g_mime_text_part_set_charset(part.get(), "utf-8");
  GMimePart* as_part = GMIME_PART(part.get());
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(text.data(), text.size()));
  GPtr<GMimeDataWrapper> content(g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
  g_mime_part_set_content(as_part, content.get());
  g_mime_part_set_content_encoding(as_part,
                                   g_mime_part_get_best_content_encoding(as_part, GMIME_ENCODING_CONSTRAINT_7BIT));
  return GPtr<GMimeObject>(GMIME_OBJECT(part.release()));
}

std::string HtmlDocument(std::string_view fragment) {
  std::string html =
      "<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\n"
      "<meta charset=\"utf-8\">\n</head>\n<body>\n";
  html += fragment;
  html += "</body>\n</html>\n";
  return html;
}

Result<GPtr<GMimeMultipart>> Multipart(const char* subtype) {
  RAPPORT_ASSIGN_OR_RETURN(const std::string boundary, NewBoundary());
  GPtr<GMimeMultipart> multipart(g_mime_multipart_new_with_subtype(subtype));
  g_mime_multipart_set_boundary(multipart.get(), boundary.c_str());
  return multipart;
}

void Add(GMimeMultipart* multipart, const GPtr<GMimeObject>& part) {
  g_mime_multipart_add(multipart, part.get());  // takes its own reference
}

// The name without any directory part, so that no mail client is tempted to write outside its
// download folder; "attachment" when nothing is left.
std::string SafeFilename(std::string_view filename) {
  std::string name = SafeFileName(filename);
  return name.empty() ? std::string("attachment") : name;
}

Result<GPtr<GMimeObject>> AttachmentPart(const app::EmailAttachment& a, bool inline_disposition) {
  const std::string type_text = a.content_type.empty() ? "application/octet-stream" : a.content_type;
  GPtr<GMimeContentType> type(g_mime_content_type_parse(nullptr, type_text.c_str()));
  if (type == nullptr || !IsToken(g_mime_content_type_get_media_type(type.get())) ||
      !IsToken(g_mime_content_type_get_media_subtype(type.get())) || type_text.find('/') == std::string::npos) {
    return Status::FieldError("attachments", "\"" + type_text + "\" is not a content type");
  }
  GPtr<GMimePart> part(g_mime_part_new());
  g_mime_object_set_content_type(GMIME_OBJECT(part.get()), type.get());

  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(a.data.data(), a.data.size()));
  GPtr<GMimeDataWrapper> content(g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
  g_mime_part_set_content(part.get(), content.get());
  g_mime_part_set_content_encoding(part.get(), GMIME_CONTENT_ENCODING_BASE64);

  GMimeObject* object = GMIME_OBJECT(part.get());
  g_mime_object_set_disposition(object, inline_disposition ? GMIME_DISPOSITION_INLINE : GMIME_DISPOSITION_ATTACHMENT);
  g_mime_part_set_filename(part.get(), SafeFilename(a.filename).c_str());
  if (!a.content_id.empty()) g_mime_object_set_content_id(object, a.content_id.c_str());
  return GPtr<GMimeObject>(GMIME_OBJECT(part.release()));
}

Result<GPtr<GMimeObject>> Body(const app::OutgoingEmail& e) {
  GPtr<GMimeObject> plain = TextPart("plain", WithUnixNewlines(e.markdown));
  GPtr<GMimeObject> html = TextPart("html", HtmlDocument(RenderMarkdown(WithUnixNewlines(e.markdown))));

  std::vector<const app::EmailAttachment*> related;
  std::vector<const app::EmailAttachment*> mixed;
  for (const app::EmailAttachment& a : e.attachments) {
    (a.is_inline && !a.content_id.empty() ? related : mixed).push_back(&a);
  }

  if (!related.empty()) {
    RAPPORT_ASSIGN_OR_RETURN(GPtr<GMimeMultipart> with_images, Multipart("related"));
    g_mime_object_set_content_type_parameter(GMIME_OBJECT(with_images.get()), "type", "text/html");
    Add(with_images.get(), html);
    for (const app::EmailAttachment* a : related) {
      RAPPORT_ASSIGN_OR_RETURN(GPtr<GMimeObject> part, AttachmentPart(*a, true));
      Add(with_images.get(), part);
    }
    html.reset(GMIME_OBJECT(with_images.release()));
  }

  RAPPORT_ASSIGN_OR_RETURN(GPtr<GMimeMultipart> alternative, Multipart("alternative"));
  Add(alternative.get(), plain);
  Add(alternative.get(), html);
  GPtr<GMimeObject> body(GMIME_OBJECT(alternative.release()));
  if (mixed.empty()) return body;

  RAPPORT_ASSIGN_OR_RETURN(GPtr<GMimeMultipart> outer, Multipart("mixed"));
  Add(outer.get(), body);
  for (const app::EmailAttachment* a : mixed) {
    RAPPORT_ASSIGN_OR_RETURN(GPtr<GMimeObject> part, AttachmentPart(*a, a->is_inline));
    Add(outer.get(), part);
  }
  return GPtr<GMimeObject>(GMIME_OBJECT(outer.release()));
}

void AddMailboxes(GMimeMessage* message, GMimeAddressType type, const std::vector<app::EmailAddress>& list) {
  InternetAddressList* addresses = g_mime_message_get_addresses(message, type);  // owned by the message
  for (const app::EmailAddress& a : list) {
    GPtr<InternetAddress> mailbox(
        internet_address_mailbox_new(a.name.empty() ? nullptr : a.name.c_str(), a.address.c_str()));
    // Names are encoded as UTF-8, not in whatever narrower charset GMime would find "best".
    internet_address_set_charset(mailbox.get(), "utf-8");
    internet_address_list_add(addresses, mailbox.get());  // takes its own reference
  }
}

std::string IdList(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) {
    if (!out.empty()) out += ' ';
    out += '<' + id + '>';
  }
  return out;
}

// Outlook reads Thread-Index as one base64 word. GMime's default formatter would turn a word longer
// than a line into RFC 2047 encoded-words, so the value is written raw, unfolded. Past 900
// characters (~130 replies) a line would near SMTP's 998-octet limit; then only the 22-byte root
// is sent, which still places the message in its conversation.
void WriteThreadIndex(GMimeObject* object, std::string_view thread_index) {
  constexpr std::size_t kMaxThreadIndexChars = 900;
  std::string value;
  for (char c : thread_index) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') value += c;  // folding it may have arrived with
  }
  if (value.size() > kMaxThreadIndexChars) value = ThreadIndexRoot(value).value_or("");
  g_mime_object_set_header(object, "Thread-Index", value.c_str(), nullptr);
  GMimeHeader* header = g_mime_header_list_get_header(g_mime_object_get_header_list(object), "Thread-Index");
  if (header != nullptr) g_mime_header_set_raw_value(header, (" " + value + "\n").c_str());
}

}  // namespace

Result<std::string> GmimeEmailComposer::Compose(const app::OutgoingEmail& email) const {
  RAPPORT_RETURN_IF_ERROR(Validate(email));
  EnsureGmime();

  std::unique_ptr<GDateTime, DateTimeUnref> date(g_date_time_new_from_unix_utc(ToUnix(email.date)));
  if (date == nullptr) return Status::FieldError("date", "is outside the years 1 to 9999");

  // Without "pretty headers" GMime writes headers in the order they are set here.
  GPtr<GMimeMessage> message(g_mime_message_new(FALSE));
  GMimeMessage* m = message.get();
  GMimeObject* object = GMIME_OBJECT(m);
  AddMailboxes(m, GMIME_ADDRESS_TYPE_FROM, {email.from});
  AddMailboxes(m, GMIME_ADDRESS_TYPE_REPLY_TO, email.reply_to);
  AddMailboxes(m, GMIME_ADDRESS_TYPE_TO, email.to);
  AddMailboxes(m, GMIME_ADDRESS_TYPE_CC, email.cc);
  g_mime_message_set_subject(m, email.subject.c_str(), "utf-8");
  g_mime_message_set_date(m, date.get());
  g_mime_object_set_header(object, "Message-ID", ('<' + email.message_id + '>').c_str(), nullptr);
  if (!email.in_reply_to.empty())
    g_mime_object_set_header(object, "In-Reply-To", IdList(email.in_reply_to).c_str(), nullptr);
  if (!email.references.empty())
    g_mime_object_set_header(object, "References", IdList(email.references).c_str(), nullptr);
  if (!email.thread_index.empty()) WriteThreadIndex(object, email.thread_index);
  if (!email.thread_topic.empty())
    g_mime_object_set_header(object, "Thread-Topic", email.thread_topic.c_str(), "utf-8");
  if (email.auto_submitted) {
    g_mime_object_set_header(object, "Auto-Submitted", "auto-replied", nullptr);
    // Exchange's way of asking other robots (out-of-office, read receipts) not to answer.
    g_mime_object_set_header(object, "X-Auto-Response-Suppress", "All", nullptr);
  }

  RAPPORT_ASSIGN_OR_RETURN(GPtr<GMimeObject> body, Body(email));
  g_mime_message_set_mime_part(m, body.get());

  std::unique_ptr<GMimeFormatOptions, FormatOptionsFree> options(g_mime_format_options_new());
  g_mime_format_options_set_newline_format(options.get(), GMIME_NEWLINE_FORMAT_DOS);
  g_mime_format_options_set_param_encoding_method(options.get(), GMIME_PARAM_ENCODING_METHOD_RFC2231);
  GPtr<GMimeStream> out(g_mime_stream_mem_new());
  if (g_mime_object_write_to_stream(object, options.get(), out.get()) < 0) {
    return Status::Internal("GMime could not write the message");
  }
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

}  // namespace rapport::mail
