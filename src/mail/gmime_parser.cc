#include "mail/gmime_parser.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/text_rules.h"
#include "core/identity.h"
#include "mail/gmime_runtime.h"
#include "mail/html_display.h"
#include "mail/parse_auto_reply.h"
#include "mail/parse_charset.h"
#include "mail/parse_delivery_report.h"
#include "mail/parse_forward.h"
#include "mail/parse_message_ids.h"
#include "mail/parse_rfc2047.h"

namespace rapport::mail {
namespace {

constexpr std::size_t kMaxWarnings = 20;
constexpr std::size_t kMaxAddresses = 1000;      // per header; more is a mailing accident or an attack
constexpr std::size_t kMaxFilenameBytes = 255;
constexpr std::size_t kMaxHeaderScanBytes = 1000;  // the first header name must end within this

// ---- RAII for GLib/GMime handles -------------------------------------------------------------

struct GObjectUnref {
  void operator()(gpointer p) const {
    if (p != nullptr) g_object_unref(p);
  }
};
template <typename T>
using GObjectPtr = std::unique_ptr<T, GObjectUnref>;

struct GFree {
  void operator()(gpointer p) const { g_free(p); }
};
using GChars = std::unique_ptr<char, GFree>;

struct ParserOptionsFree {
  void operator()(GMimeParserOptions* p) const { g_mime_parser_options_free(p); }
};
struct DateTimeUnref {
  void operator()(GDateTime* p) const { g_date_time_unref(p); }
};

// The input lent to GMime without a copy: a GByteArray that borrows `raw`. GMime only reads it (the
// stream is set not to own it), and the destructor releases the array without freeing the bytes.
class BorrowedBytes {
 public:
  explicit BorrowedBytes(std::string_view raw)
      : array_(g_byte_array_new_take(reinterpret_cast<guint8*>(const_cast<char*>(raw.data())), raw.size())) {}
  ~BorrowedBytes() { g_byte_array_free(array_, FALSE); }
  BorrowedBytes(const BorrowedBytes&) = delete;
  BorrowedBytes& operator=(const BorrowedBytes&) = delete;
  GByteArray* get() const { return array_; }

 private:
  GByteArray* array_;
};

// ---- small string helpers ----------------------------------------------------------------------

std::string Str(const char* s) { return s == nullptr ? std::string() : std::string(s); }

// True when `s` shows nothing: ASCII whitespace, no-break, zero-width and ideographic spaces only
// (HTML-first mailers send a text/plain alternative of a lone no-break space).
bool IsBlank(std::string_view s) {
  static constexpr std::string_view kInvisible[] = {"\xC2\xA0", "\xE2\x80\x8B", "\xE3\x80\x80", "\xEF\xBB\xBF"};
  for (std::size_t i = 0; i < s.size();) {
    if (g_ascii_isspace(s[i])) {
      ++i;
      continue;
    }
    const auto it = std::find_if(std::begin(kInvisible), std::end(kInvisible),
                                 [&](std::string_view v) { return s.substr(i).starts_with(v); });
    if (it == std::end(kInvisible)) return false;
    i += it->size();
  }
  return true;
}

std::string CrlfToLf(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t from = 0;
  for (std::size_t cr = s.find("\r\n"); cr != std::string_view::npos; cr = s.find("\r\n", from)) {
    out.append(s.substr(from, cr - from));
    from = cr + 1;  // keep the '\n'
  }
  out.append(s.substr(from));
  return out;
}

// Header text as UTF-8 without control characters except tab (folding leftovers become spaces).
std::string CleanHeaderText(const char* s) {
  std::string out = SanitizeUtf8(Str(s));
  for (char& c : out) {
    if (c == '\r' || c == '\n' || c == '\t') c = ' ';
  }
  return out;
}

std::string FormatBytes(std::int64_t bytes) {
  if (bytes >= (1LL << 20) && bytes % (1LL << 20) == 0) return std::to_string(bytes >> 20) + " MB";
  if (bytes >= (1LL << 10) && bytes % (1LL << 10) == 0) return std::to_string(bytes >> 10) + " KB";
  return std::to_string(bytes) + " bytes";
}

// ---- warnings ------------------------------------------------------------------------------------

class Warnings {
 public:
  void Add(std::string warning) {
    if (warning.empty() || list_.size() >= kMaxWarnings) return;
    if (std::find(list_.begin(), list_.end(), warning) == list_.end()) list_.push_back(std::move(warning));
  }
  std::vector<std::string> Take() { return std::move(list_); }

 private:
  std::vector<std::string> list_;
};

void OnParserWarning(gint64 /*offset*/, GMimeParserWarning code, const gchar* /*item*/, gpointer user_data) {
  auto* warnings = static_cast<Warnings*>(user_data);
  switch (code) {
    case GMIME_CRIT_NESTING_OVERFLOW:
      warnings->Add("MIME parts nested too deeply; the innermost were not read");
      break;
    case GMIME_WARN_TRUNCATED_MESSAGE:
      warnings->Add("the message is truncated");
      break;
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
      warnings->Add("a multipart part has no boundary and was read as one part");
      break;
    case GMIME_WARN_MALFORMED_MULTIPART:
      warnings->Add("a multipart part has no parts");
      break;
    case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
      warnings->Add("a MIME part has neither headers nor content");
      break;
    default:
      break;  // duplicated headers, odd parameters ...: GMime copes and nobody needs to know
  }
}

// ---- input check ---------------------------------------------------------------------------------

bool IsFieldNameChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 33 && u <= 126 && c != ':';
}

std::string_view NextLine(std::string_view s) {
  const std::size_t nl = s.find('\n');
  return nl == std::string_view::npos ? std::string_view() : s.substr(nl + 1);
}

// The length of the header field name that starts `s` ("Subject" in "Subject : x"), 0 when `s` does not
// start with "<name>:".
std::size_t FieldNameLength(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && i < kMaxHeaderScanBytes && IsFieldNameChar(s[i])) ++i;
  const std::size_t name_end = i;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return name_end > 0 && i < s.size() && s[i] == ':' ? name_end : 0;
}

// True when the header block at `s` has a field every mail has one of.
bool HasCommonMailHeader(std::string_view s) {
  static constexpr std::string_view kCommon[] = {"from", "to", "subject", "date", "message-id", "received",
                                                 "return-path", "mime-version", "content-type", "delivered-to"};
  for (int line = 0; line < 200 && !s.empty() && s.front() != '\n' && s.front() != '\r'; ++line) {
    const std::size_t n = FieldNameLength(s);
    if (n > 0) {
      const std::string name = AsciiLower(s.substr(0, n));
      if (std::find(std::begin(kCommon), std::end(kCommon), name) != std::end(kCommon)) return true;
    }
    s = NextLine(s);
  }
  return false;
}

// Where the header block starts, or kInvalidArgument when there is none. Skipped: a byte-order mark,
// an mbox "From " line, blanks before the first field, and up to three lines of junk that export
// tools put above the headers ("---- Original email message ----") when what follows is clearly mail.
Result<std::string_view> HeaderStart(std::string_view raw) {
  if (raw.empty()) return Status::InvalidArgument("the message is empty");
  std::string_view s = raw;
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
  if (s.starts_with("From ")) s = NextLine(s);
  for (int junk_lines = 0; junk_lines <= 3 && !s.empty(); ++junk_lines, s = NextLine(s)) {
    std::string_view candidate = s;
    while (!candidate.empty() && (candidate.front() == ' ' || candidate.front() == '\t')) candidate.remove_prefix(1);
    if (FieldNameLength(candidate) > 0 && (junk_lines == 0 || HasCommonMailHeader(candidate))) return candidate;
  }
  return Status::InvalidArgument(
      "not an email message: it does not start with a header field such as \"From: ...\" "
      "(a bare body, an HTML page or binary data cannot be read as mail)");
}

// ---- header values -------------------------------------------------------------------------------

std::optional<Instant> ToInstant(GDateTime* date) {
  if (date == nullptr) return std::nullopt;
  return InstantFromUnix(g_date_time_to_unix(date));
}

void AppendAddresses(InternetAddressList* list, std::vector<app::EmailAddress>& out, int depth = 0) {
  if (list == nullptr || depth > 3) return;
  const int n = internet_address_list_length(list);
  for (int i = 0; i < n && out.size() < kMaxAddresses; ++i) {
    InternetAddress* a = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_GROUP(a)) {
      AppendAddresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a)), out, depth + 1);
      continue;
    }
    if (!INTERNET_ADDRESS_IS_MAILBOX(a)) continue;
    app::EmailAddress address{CleanHeaderText(internet_address_get_name(a)),
                              CleanHeaderText(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a)))};
    address.name = std::string(Trim(address.name));
    address.address = std::string(Trim(address.address));
    if (address.address.empty() && address.name.empty()) continue;
    out.push_back(std::move(address));
  }
}

std::vector<app::EmailAddress> Addresses(InternetAddressList* list) {
  std::vector<app::EmailAddress> out;
  AppendAddresses(list, out);
  return out;
}

std::optional<app::EmailAddress> FirstAddress(InternetAddressList* list) {
  std::vector<app::EmailAddress> all = Addresses(list);
  if (all.empty()) return std::nullopt;
  return std::move(all.front());
}

std::string DecodeUnstructured(const char* raw, GMimeParserOptions* options);

// Addresses from a header GMime's parser gives up on ("Max Kohl | [example.com] <kohl@example.com>",
// "Test test@example.com", "=?...?= (hans@example.com)"): in each comma-separated piece, the first
// <...> holding an '@', else the first word holding one, is the address; the rest, decoded and without
// quotes and parentheses, is the name.
std::vector<app::EmailAddress> AddressesByHand(std::string_view raw, GMimeParserOptions* options) {
  std::vector<std::string> pieces(1);
  bool quoted = false;
  int angle = 0;
  for (char c : raw) {
    if (c == '"') quoted = !quoted;
    if (!quoted && c == '<') ++angle;
    if (!quoted && c == '>' && angle > 0) --angle;
    if (c == ',' && !quoted && angle == 0) {
      pieces.emplace_back();
      continue;
    }
    pieces.back() += (c == '\r' || c == '\n' || c == '\t') ? ' ' : c;
  }
  std::vector<app::EmailAddress> out;
  for (const std::string& piece : pieces) {
    std::string address;
    std::string name = piece;
    const std::size_t open = piece.find('<');
    const std::size_t close = open == std::string::npos ? std::string::npos : piece.find('>', open);
    if (close != std::string::npos && piece.substr(open, close - open).find('@') != std::string::npos) {
      address = std::string(Trim(piece.substr(open + 1, close - open - 1)));
      name = piece.substr(0, open) + piece.substr(close + 1);
    } else {
      std::size_t at = piece.find('@');
      if (at == std::string::npos) continue;
      std::size_t begin = piece.find_last_of(" \t(<[\"", at);
      begin = begin == std::string::npos ? 0 : begin + 1;
      std::size_t end = piece.find_first_of(" \t)>]\";", at);
      if (end == std::string::npos) end = piece.size();
      address = piece.substr(begin, end - begin);
      name = piece.substr(0, begin) + piece.substr(end);
    }
    std::string cleaned;
    for (char c : name) {
      if (c != '"' && c != '(' && c != ')') cleaned += c;
    }
    const std::string decoded = DecodeUnstructured(cleaned.c_str(), options);
    if (!IsValidUtf8(address)) {  // raw 8-bit in the address itself: the same guess as for header text
      GChars guessed(g_mime_utils_decode_8bit(options, address.data(), address.size()));
      address = Str(guessed.get());
    }
    if (!address.empty()) out.push_back({decoded, CleanHeaderText(address.c_str())});
  }
  return out;
}

// The raw (folded, undecoded) value of the first header called `name`, or nullptr.
const char* RawHeader(GMimeObject* object, const char* name) {
  GMimeHeaderList* list = g_mime_object_get_header_list(object);
  GMimeHeader* header = list == nullptr ? nullptr : g_mime_header_list_get_header(list, name);
  return header == nullptr ? nullptr : g_mime_header_get_raw_value(header);
}

// A raw header value GMime can decode correctly (see parse_rfc2047.h).
std::string Repaired(const char* raw) { return HasBEncodedWord(raw) ? BEncodedWordsAsQ(raw) : std::string(raw); }

// An unstructured header (Subject, Thread-Topic) decoded to UTF-8, unfolded and trimmed.
std::string DecodeUnstructured(const char* raw, GMimeParserOptions* options) {
  if (raw == nullptr) return {};
  GChars unfolded(g_mime_utils_header_unfold(Repaired(raw).c_str()));
  GChars decoded(g_mime_utils_header_decode_text(options, unfolded.get()));
  return std::string(Trim(CleanHeaderText(decoded.get())));
}

// Every address of every header called `name` (To may be repeated), groups flattened.
std::vector<app::EmailAddress> AddressHeader(GMimeObject* object, const char* name, GMimeParserOptions* options) {
  std::vector<app::EmailAddress> out;
  GMimeHeaderList* list = g_mime_object_get_header_list(object);
  const int count = list == nullptr ? 0 : g_mime_header_list_get_count(list);
  for (int i = 0; i < count; ++i) {
    GMimeHeader* header = g_mime_header_list_get_header_at(list, i);
    const char* raw = g_mime_header_get_raw_value(header);
    if (raw == nullptr || g_ascii_strcasecmp(g_mime_header_get_name(header), name) != 0) continue;
    const std::string repaired = Repaired(raw);
    GObjectPtr<InternetAddressList> parsed(internet_address_list_parse(options, repaired.c_str()));
    std::vector<app::EmailAddress> read;
    AppendAddresses(parsed.get(), read);
    const bool has_at = repaired.find('@') != std::string::npos;
    const bool all_have_at = std::all_of(read.begin(), read.end(), [](const app::EmailAddress& a) {
      return a.address.find('@') != std::string::npos;
    });
    // GMime drops what it cannot read (an address with raw 8-bit bytes, a name with specials) without
    // saying so; when it read fewer addresses than the header has '@'s, read it by hand too.
    const auto at_count = static_cast<std::size_t>(std::count(repaired.begin(), repaired.end(), '@'));
    if (has_at && (read.empty() || !all_have_at || at_count > read.size())) {
      std::vector<app::EmailAddress> by_hand = AddressesByHand(repaired, options);
      if (read.empty() || !all_have_at || by_hand.size() > read.size()) read = std::move(by_hand);
    }
    // "MAILER-DAEMON (Mail Delivery System)": the comment is the only name there is.
    if (read.size() == 1 && read[0].name.empty()) {
      const std::size_t open = repaired.rfind('(');
      const std::size_t close = repaired.rfind(')');
      if (open != std::string::npos && close != std::string::npos && open < close &&
          repaired.find('<') == std::string::npos) {
        read[0].name = DecodeUnstructured(repaired.substr(open + 1, close - open - 1).c_str(), options);
      }
    }
    for (app::EmailAddress& a : read) {
      if (out.size() < kMaxAddresses) out.push_back(std::move(a));
    }
  }
  return out;
}

std::optional<app::EmailAddress> FirstAddressHeader(GMimeObject* object, const char* name,
                                                    GMimeParserOptions* options) {
  std::vector<app::EmailAddress> all = AddressHeader(object, name, options);
  if (all.empty()) return std::nullopt;
  return std::move(all.front());
}

// The decoded filename of a part: Content-Disposition filename, else Content-Type name (RFC 2231
// and encoded words both). Headers with B-encoded words are re-read after repair.
std::string FilenameOf(GMimeObject* object, GMimeParserOptions* options) {
  const char* disposition = RawHeader(object, "Content-Disposition");
  const char* type = RawHeader(object, "Content-Type");
  const auto needs_repair = [](const char* raw) {
    return raw != nullptr && (HasBEncodedWord(raw) || !IsValidUtf8(raw));
  };
  if (needs_repair(disposition) || needs_repair(type)) {
    std::string name;
    if (disposition != nullptr) {
      GChars unfolded(g_mime_utils_header_unfold(Repaired(disposition).c_str()));
      GObjectPtr<GMimeContentDisposition> parsed(g_mime_content_disposition_parse(options, unfolded.get()));
      if (parsed) name = Str(g_mime_content_disposition_get_parameter(parsed.get(), "filename"));
    }
    if (name.empty() && type != nullptr) {
      GChars unfolded(g_mime_utils_header_unfold(Repaired(type).c_str()));
      GObjectPtr<GMimeContentType> parsed(g_mime_content_type_parse(options, unfolded.get()));
      if (parsed) name = Str(g_mime_content_type_get_parameter(parsed.get(), "name"));
    }
    if (!name.empty()) return name;
  }
  std::string name = Str(g_mime_object_get_content_disposition_parameter(object, "filename"));
  if (name.empty()) name = Str(g_mime_object_get_content_type_parameter(object, "name"));
  return name;
}

// Reads an address written in a text (an inline forward's "From:" line). Outlook writes
// "Jane Doe [mailto:jane@example.com]"; that becomes "Jane Doe <jane@example.com>" first.
app::EmailAddress AddressFromText(std::string text, GMimeParserOptions* options) {
  const std::size_t mailto = AsciiLower(text).find("[mailto:");
  if (mailto != std::string::npos) {
    const std::size_t close = text.find(']', mailto);
    if (close != std::string::npos) {
      text = text.substr(0, mailto) + "<" + text.substr(mailto + 8, close - mailto - 8) + ">" + text.substr(close + 1);
    }
  }
  GObjectPtr<InternetAddressList> list(internet_address_list_parse(options, text.c_str()));
  if (std::optional<app::EmailAddress> a = FirstAddress(list.get()); a && !a->address.empty()) return *a;
  return {SanitizeUtf8(Trim(text)), {}};
}

// ---- text bodies ---------------------------------------------------------------------------------

// RFC 3676 format=flowed: lines ending in a space continue on the next line of the same quote depth.
std::string Unflow(std::string_view text, bool delsp) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  bool joining = false;
  std::size_t joining_depth = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    const bool last = end == text.size();
    pos = end + 1;
    std::size_t depth = 0;
    while (depth < line.size() && line[depth] == '>') ++depth;
    std::string_view content = line.substr(depth);
    if (!content.empty() && content.front() == ' ') content.remove_prefix(1);  // space-stuffing
    if (joining && depth != joining_depth) out += '\n';  // a flowed line cannot continue across depths
    if (!joining || depth != joining_depth) out.append(line.substr(0, depth)).append(depth > 0 ? " " : "");
    const bool soft = !content.empty() && content.back() == ' ' && content != "-- ";
    if (soft) {
      if (delsp) content.remove_suffix(1);
      out += content;
      joining = true;
      joining_depth = depth;
    } else {
      out += content;
      if (!last) out += '\n';
      joining = false;
    }
    if (last) break;
  }
  return out;
}

// The charset an HTML document declares in a <meta> tag, for HTML parts without a charset parameter.
std::string SniffHtmlCharset(std::string_view html) {
  const std::string head = AsciiLower(html.substr(0, 4096));
  std::size_t pos = head.find("charset=");
  if (pos == std::string::npos) return {};
  pos += 8;
  while (pos < head.size() && (head[pos] == '"' || head[pos] == '\'' || head[pos] == ' ')) ++pos;
  std::size_t end = pos;
  while (end < head.size() && (g_ascii_isalnum(head[end]) || head[end] == '-' || head[end] == '_' ||
                               head[end] == ':' || head[end] == '.')) {
    ++end;
  }
  return head.substr(pos, end - pos);
}

struct Body {
  std::string text;
  std::string html;
};

void AppendPiece(std::string& to, std::string_view piece) {
  if (piece.empty()) return;
  if (!to.empty() && to.back() != '\n') to += '\n';
  to += piece;
}

void AppendBody(Body& to, const Body& from) {
  AppendPiece(to.text, from.text);
  AppendPiece(to.html, from.html);
}

// ---- attachment names --------------------------------------------------------------------------

std::string ExtensionFor(std::string_view type) {
  static constexpr std::pair<std::string_view, std::string_view> kExtensions[] = {
      {"image/png", "png"},
      {"image/jpeg", "jpg"},
      {"image/jpg", "jpg"},
      {"image/pjpeg", "jpg"},
      {"image/gif", "gif"},
      {"image/bmp", "bmp"},
      {"image/webp", "webp"},
      {"image/tiff", "tif"},
      {"image/svg+xml", "svg"},
      {"application/pdf", "pdf"},
      {"application/zip", "zip"},
      {"application/gzip", "gz"},
      {"application/json", "json"},
      {"application/xml", "xml"},
      {"text/xml", "xml"},
      {"text/plain", "txt"},
      {"text/html", "html"},
      {"text/csv", "csv"},
      {"text/calendar", "ics"},
      {"text/vcard", "vcf"},
      {"text/x-vcard", "vcf"},
      {"text/rfc822-headers", "txt"},
      {"message/rfc822", "eml"},
      {"message/delivery-status", "txt"},
      {"message/disposition-notification", "txt"},
      {"application/msword", "doc"},
      {"application/vnd.ms-excel", "xls"},
      {"application/vnd.ms-powerpoint", "ppt"},
      {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"},
      {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"},
      {"application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"},
      {"application/pgp-signature", "asc"},
      {"application/pgp-encrypted", "asc"},
      {"application/pgp-keys", "asc"},
      {"application/pkcs7-signature", "p7s"},
      {"application/x-pkcs7-signature", "p7s"},
      {"application/pkcs7-mime", "p7m"},
      {"application/x-pkcs7-mime", "p7m"},
      {"application/ms-tnef", "dat"},
      {"application/vnd.ms-tnef", "dat"},
      {"audio/mpeg", "mp3"},
      {"audio/wav", "wav"},
      {"video/mp4", "mp4"},
      {"video/quicktime", "mov"},
  };
  for (const auto& [t, ext] : kExtensions) {
    if (t == type) return std::string(ext);
  }
  return "bin";
}

// A decoded name made safe to store and offer for download (invalid bytes marked, as everywhere in
// the parser's text, before the shared rules apply).
std::string SafeFilename(std::string_view name) { return SafeFileName(SanitizeUtf8(name)); }

std::string WithExtension(std::string name, std::string_view type) {
  if (name.find('.') == std::string::npos) name += "." + ExtensionFor(type);
  return name;
}

// ---- the MIME tree -------------------------------------------------------------------------------

std::string MimeType(GMimeObject* object) {
  GMimeContentType* ct = g_mime_object_get_content_type(object);
  if (ct == nullptr) return "text/plain";
  return AsciiLower(Str(g_mime_content_type_get_media_type(ct))) + "/" +
         AsciiLower(Str(g_mime_content_type_get_media_subtype(ct)));
}

// What `write` writes to a memory stream, as a string.
template <typename Write>
std::string WrittenBytes(Write write) {
  GObjectPtr<GMimeStream> out(g_mime_stream_mem_new());
  write(out.get());
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
  if (bytes == nullptr || bytes->len == 0) return {};
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

std::string DecodeContent(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (content == nullptr) return {};
  return WrittenBytes([&](GMimeStream* out) { g_mime_data_wrapper_write_to_stream(content, out); });
}

std::string Serialize(GMimeObject* object) {
  return WrittenBytes([&](GMimeStream* out) { g_mime_object_write_to_stream(object, nullptr, out); });
}

app::ForwardedOriginal OriginalOf(GMimeMessage* message, GMimeParserOptions* options) {
  auto* object = GMIME_OBJECT(message);
  app::ForwardedOriginal original;
  if (std::optional<app::EmailAddress> from = FirstAddressHeader(object, "From", options)) original.from = *from;
  original.subject = DecodeUnstructured(RawHeader(object, "Subject"), options);
  original.message_id = ParseMessageId(Str(RawHeader(object, "Message-ID")));
  original.date = ToInstant(g_mime_message_get_date(message));
  return original;
}

// Walks the MIME tree once: text and HTML bodies into a Body, everything else into attachments, and
// notes what bounces and forwards need.
class Walker {
 public:
  Walker(const app::EmailLimits& limits, GMimeParserOptions* options, Warnings& warnings,
         std::vector<app::EmailAttachment>& attachments)
      : limits_(limits), options_(options), warnings_(warnings), attachments_(attachments) {}

  void Walk(GMimeObject* object, int depth, Body& body, bool body_allowed) {
    if (object == nullptr) return;
    if (depth > limits_.max_mime_depth) {
      warnings_.Add("MIME parts nested deeper than " + std::to_string(limits_.max_mime_depth) +
                    " levels were not read");
      return;
    }
    if (++parts_ > limits_.max_parts) {
      warnings_.Add("the message has more than " + std::to_string(limits_.max_parts) +
                    " MIME parts; the rest were not read");
      return;
    }
    if (GMIME_IS_MULTIPART(object)) {
      WalkMultipart(GMIME_MULTIPART(object), depth, body, body_allowed);
    } else if (GMIME_IS_MESSAGE_PART(object)) {
      AddMessagePart(object, GMIME_MESSAGE_PART(object));
    } else if (GMIME_IS_PART(object)) {
      WalkLeaf(object, GMIME_PART(object), depth, body, body_allowed);
    }
  }

  bool delivery_report() const { return delivery_report_; }
  bool disposition_report() const { return disposition_report_; }
  std::optional<app::DeliveryFailure>& delivery_status() { return delivery_status_; }
  const std::string& returned_message_id() const { return returned_message_id_; }
  std::optional<app::ForwardedOriginal>& forwarded() { return forwarded_; }

 private:
  void WalkMultipart(GMimeMultipart* multipart, int depth, Body& body, bool body_allowed) {
    auto* object = GMIME_OBJECT(multipart);
    const std::string subtype = AsciiLower(Str(g_mime_content_type_get_media_subtype(g_mime_object_get_content_type(object))));
    const int count = g_mime_multipart_get_count(multipart);
    if (subtype == "alternative") {
      // Each alternative is walked on its own; the first plain text and the last (richest) HTML win.
      Body chosen;
      for (int i = 0; i < count; ++i) {
        Body alternative;
        Walk(g_mime_multipart_get_part(multipart, i), depth + 1, alternative, body_allowed);
        if (IsBlank(chosen.text) && !IsBlank(alternative.text)) chosen.text = std::move(alternative.text);
        if (!IsBlank(alternative.html)) chosen.html = std::move(alternative.html);
      }
      AppendBody(body, chosen);
      return;
    }
    int body_index = 0;  // the part that may hold the body; the others are attachments
    bool all_may_be_body = false;
    if (subtype == "related") {
      const char* start = g_mime_object_get_content_type_parameter(object, "start");
      if (start != nullptr) {
        const std::string wanted = ParseMessageId(start);
        for (int i = 0; i < count; ++i) {
          const char* cid = g_mime_object_get_content_id(g_mime_multipart_get_part(multipart, i));
          if (cid != nullptr && wanted == cid) body_index = i;
        }
      }
    } else if (subtype == "report") {
      const std::string report_type = AsciiLower(Str(g_mime_object_get_content_type_parameter(object, "report-type")));
      if (report_type == "delivery-status" || report_type == "global-delivery-status") delivery_report_ = true;
      if (report_type == "disposition-notification") disposition_report_ = true;
    } else if (subtype == "encrypted") {
      body_index = -1;
    } else if (subtype != "signed") {
      all_may_be_body = true;  // mixed, digest, parallel and unknown subtypes
    }
    const bool report = subtype == "report";
    if (report) ++report_depth_;
    for (int i = 0; i < count; ++i) {
      GMimeObject* child = g_mime_multipart_get_part(multipart, i);
      if (subtype == "encrypted" && MimeType(child) == "application/pgp-encrypted") continue;  // "Version: 1"
      Walk(child, depth + 1, body, body_allowed && (all_may_be_body || i == body_index));
    }
    if (report) --report_depth_;
  }

  void WalkLeaf(GMimeObject* object, GMimePart* part, int depth, Body& body, bool body_allowed) {
    const std::string type = MimeType(object);
    const std::string disposition = AsciiLower(Str(g_mime_object_get_disposition(object)));
    const std::string filename = FilenameOf(object, options_);
    const bool text_type = type == "text/plain" || type == "text/html";
    // A named part is an attachment unless it is the whole message and not marked as one.
    const bool is_body = body_allowed && text_type && disposition != "attachment" &&
                         (filename.empty() || (depth == 1 && disposition.empty()));
    std::string data = DecodeContent(part);
    if (is_body) {
      std::string charset = Str(g_mime_object_get_content_type_parameter(object, "charset"));
      if (charset.empty() && type == "text/html") charset = SniffHtmlCharset(data);
      DecodedText decoded = DecodeToUtf8(data, charset);
      warnings_.Add(std::move(decoded.warning));
      std::string text = CrlfToLf(decoded.text);
      if (type == "text/plain") {
        if (AsciiLower(Str(g_mime_object_get_content_type_parameter(object, "format"))) == "flowed") {
          text = Unflow(text, AsciiLower(Str(g_mime_object_get_content_type_parameter(object, "delsp"))) == "yes");
        }
        AppendPiece(body.text, text);
      } else {
        AppendPiece(body.html, text);
      }
      return;
    }
    if (type == "message/delivery-status" || type == "message/global-delivery-status") {
      delivery_report_ = true;
      if (!delivery_status_) delivery_status_ = ParseDeliveryStatus(data);
    } else if ((type == "text/rfc822-headers" || type == "message/global-headers") && report_depth_ > 0 &&
               returned_message_id_.empty()) {
      returned_message_id_ = FindMessageIdInHeaders(data);
    }
    // Text sent as text lines (7bit, or a textual type not in base64) is stored with LF line ends, as
    // a local mailbox has it: the same message then gives the same bytes whether it came over IMAP or
    // from an mbox. Binary content sent as quoted-printable keeps its CRLFs.
    const GMimeContentEncoding encoding = g_mime_part_get_content_encoding(part);
    const bool seven_bit = encoding == GMIME_CONTENT_ENCODING_DEFAULT || encoding == GMIME_CONTENT_ENCODING_7BIT;
    const bool textual = type.starts_with("text/") || type.starts_with("message/") ||
                         type.starts_with("application/pgp");
    if (seven_bit || (textual && encoding != GMIME_CONTENT_ENCODING_BASE64 &&
                      encoding != GMIME_CONTENT_ENCODING_UUENCODE && encoding != GMIME_CONTENT_ENCODING_BINARY)) {
      data = CrlfToLf(data);
    }
    AddAttachment(object, type, disposition, filename, std::move(data));
  }

  void AddMessagePart(GMimeObject* object, GMimeMessagePart* part) {
    GMimeMessage* inner = g_mime_message_part_get_message(part);
    std::string data;
    std::string subject;
    if (inner != nullptr) {
      data = CrlfToLf(Serialize(GMIME_OBJECT(inner)));
      if (IsBlank(data)) data.clear();  // an empty message/rfc822 part serialises to a lone newline
      app::ForwardedOriginal original = OriginalOf(inner, options_);
      subject = original.subject;
      if (report_depth_ > 0) {
        // The returned copy of a message that failed, not a forward.
        if (returned_message_id_.empty()) returned_message_id_ = original.message_id;
      } else if (!forwarded_) {
        forwarded_ = std::move(original);
      }
    }
    std::string filename = FilenameOf(object, options_);
    if (SafeFilename(filename).empty() && !subject.empty()) filename = subject + ".eml";
    AddAttachment(object, MimeType(object), AsciiLower(Str(g_mime_object_get_disposition(object))), filename,
                  std::move(data));
  }

  void AddAttachment(GMimeObject* object, const std::string& type, const std::string& disposition,
                     const std::string& filename, std::string data) {
    app::EmailAttachment a;
    a.content_type = SanitizeUtf8(type);
    a.content_id = SanitizeUtf8(Str(g_mime_object_get_content_id(object)));
    a.is_inline = disposition == "inline";
    a.filename = SafeFilename(filename);
    if (a.filename.empty()) a.filename = NameFor(object, type);
    a.size = static_cast<std::int64_t>(data.size());
    if (a.size > limits_.max_attachment_bytes) {
      a.omitted_reason = "larger than " + FormatBytes(limits_.max_attachment_bytes);
    } else {
      a.data = std::move(data);
    }
    attachments_.push_back(std::move(a));
  }

  std::string NameFor(GMimeObject* object, const std::string& type) {
    if (type == "text/calendar") return "invite.ics";
    const char* description = g_mime_object_get_header(object, "Content-Description");
    std::string from_description = SafeFilename(StorableText(CleanHeaderText(description), 100));
    if (!from_description.empty()) return WithExtension(std::move(from_description), type);
    if (type == "message/delivery-status") return "delivery-status.txt";
    if (type == "text/rfc822-headers") return "rfc822-headers.txt";
    return "attachment-" + std::to_string(attachments_.size() + 1) + "." + ExtensionFor(type);
  }

  const app::EmailLimits& limits_;
  GMimeParserOptions* options_;
  Warnings& warnings_;
  std::vector<app::EmailAttachment>& attachments_;
  int parts_ = 0;
  int report_depth_ = 0;  // > 0 inside a multipart/report
  bool delivery_report_ = false;
  bool disposition_report_ = false;
  std::optional<app::DeliveryFailure> delivery_status_;
  std::string returned_message_id_;
  std::optional<app::ForwardedOriginal> forwarded_;
};

// The header fallback (HeaderFallbackCharset) for the first text part, also of attached messages,
// whose charset gives one; "" when none does.
std::string BodyFallbackCharset(GMimeObject* object, int depth) {
  if (object == nullptr || depth > 8) return {};
  if (GMIME_IS_MULTIPART(object)) {
    auto* multipart = GMIME_MULTIPART(object);
    const int count = std::min(g_mime_multipart_get_count(multipart), 8);
    for (int i = 0; i < count; ++i) {
      std::string charset = BodyFallbackCharset(g_mime_multipart_get_part(multipart, i), depth + 1);
      if (!charset.empty()) return charset;
    }
    return {};
  }
  if (GMIME_IS_MESSAGE_PART(object)) {
    GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
    return inner == nullptr ? std::string() : BodyFallbackCharset(g_mime_message_get_mime_part(inner), depth + 1);
  }
  if (!GMIME_IS_PART(object) || !MimeType(object).starts_with("text/")) return {};
  return HeaderFallbackCharset(Str(g_mime_object_get_content_type_parameter(object, "charset")));
}

// ---- the top-level headers -----------------------------------------------------------------------

// Text without 8-bit bytes is ASCII and so valid UTF-8: the check alone finds raw 8-bit non-UTF-8.
bool Has8BitNonUtf8(const char* raw) { return raw != nullptr && !IsValidUtf8(raw); }

void ReadHeaders(GMimeMessage* message, GMimeParserOptions* options, app::InboundEmail& email,
                 AutoReplySignals& signals, Warnings& warnings) {
  GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(message));
  const int count = headers == nullptr ? 0 : g_mime_header_list_get_count(headers);
  bool undeclared_8bit = false;
  for (int i = 0; i < count; ++i) {
    GMimeHeader* header = g_mime_header_list_get_header_at(headers, i);
    const std::string name = AsciiLower(Str(g_mime_header_get_name(header)));
    const char* raw = g_mime_header_get_raw_value(header);
    if (raw == nullptr) continue;
    if (name == "message-id") {
      if (email.message_id.empty()) email.message_id = ParseMessageId(raw);
    } else if (name == "in-reply-to") {
      if (email.in_reply_to.empty()) email.in_reply_to = ParseMessageIds(raw);
    } else if (name == "references") {
      if (email.references.empty()) email.references = ParseMessageIds(raw);
    } else if (name == "thread-index") {
      email.thread_index = std::string(Trim(CleanHeaderText(raw)));
    } else if (name == "thread-topic") {
      email.thread_topic = DecodeUnstructured(raw, options);
    } else if (name == "delivered-to" || name == "x-original-to") {
      GObjectPtr<InternetAddressList> list(internet_address_list_parse(options, raw));
      for (app::EmailAddress& a : Addresses(list.get())) {
        a.name.clear();
        const bool seen = std::any_of(email.delivered_to.begin(), email.delivered_to.end(),
                                      [&](const app::EmailAddress& d) { return d.address == a.address; });
        if (!seen && !a.address.empty() && email.delivered_to.size() < kMaxAddresses) email.delivered_to.push_back(a);
      }
    } else if (name == "auto-submitted") {
      signals.has_auto_submitted = true;
      signals.auto_submitted = CleanHeaderText(raw);
    } else if (name == "x-autoreply") {
      signals.has_x_autoreply = true;
      signals.x_autoreply = CleanHeaderText(raw);
    } else if (name == "x-autorespond") {
      signals.has_x_autorespond = true;
      signals.x_autorespond = CleanHeaderText(raw);
    } else if (name == "precedence") {
      signals.precedence = CleanHeaderText(raw);
    } else if (name == "list-id") {
      signals.has_list_id = true;
    } else if (name == "list-unsubscribe") {
      signals.has_list_unsubscribe = true;
    } else if (name == "subject" || name == "from" || name == "to" || name == "cc" || name == "reply-to") {
      undeclared_8bit = undeclared_8bit || Has8BitNonUtf8(raw);
    }
  }
  if (undeclared_8bit) warnings.Add("undeclared 8-bit header text; its charset was guessed");

  auto* object = GMIME_OBJECT(message);
  email.subject = DecodeUnstructured(RawHeader(object, "Subject"), options);
  email.from = FirstAddressHeader(object, "From", options);
  for (const char* stand_in : {"Sender", "Reply-To", "Return-Path"}) {
    if (email.from) break;
    email.from = FirstAddressHeader(object, stand_in, options);
    if (email.from) warnings.Add(std::string("no From header; the sender was taken from ") + stand_in);
  }
  email.reply_to = AddressHeader(object, "Reply-To", options);
  email.to = AddressHeader(object, "To", options);
  email.cc = AddressHeader(object, "Cc", options);
  email.date = ToInstant(g_mime_message_get_date(message));
  if (email.date == std::nullopt && g_mime_object_get_header(GMIME_OBJECT(message), "Date") != nullptr) {
    warnings.Add("the Date header could not be read");
  }
}

std::optional<app::ForwardedOriginal> InlineForwardOf(const app::InboundEmail& email, GMimeParserOptions* options) {
  const bool is_reply = !email.in_reply_to.empty() || !email.references.empty() || HasReplyPrefix(email.subject);
  std::optional<InlineForward> found = FindInlineForward(email.text, HasForwardPrefix(email.subject) || !is_reply);
  if (!found) return std::nullopt;
  app::ForwardedOriginal original;
  if (!found->from.empty()) original.from = AddressFromText(found->from, options);
  original.subject = SanitizeUtf8(found->subject);
  original.message_id = ParseMessageId(found->message_id);
  if (!found->date.empty()) {
    std::unique_ptr<GDateTime, DateTimeUnref> date(g_mime_utils_header_decode_date(found->date.c_str()));
    original.date = ToInstant(date.get());
  }
  return original;
}

}  // namespace

GmimeEmailParser::GmimeEmailParser(app::EmailLimits limits) : limits_(limits) {
  EnsureGmime();
  PinCommonConverters();
}

Result<app::InboundEmail> GmimeEmailParser::Parse(std::string_view raw) const {
  if (static_cast<std::int64_t>(raw.size()) > limits_.max_message_bytes) {
    return Status::InvalidArgument("the message is " + FormatBytes(static_cast<std::int64_t>(raw.size())) +
                                   ", more than the limit of " + FormatBytes(limits_.max_message_bytes));
  }
  RAPPORT_ASSIGN_OR_RETURN(const std::string_view message_bytes, HeaderStart(raw));
  EnsureGmime();

  // Declared in this order so that they are destroyed in reverse: the message before the stream it
  // reads from, the stream before the borrowed bytes, and the options (which the message's headers
  // point to for lazy decoding) last.
  Warnings warnings;
  std::unique_ptr<GMimeParserOptions, ParserOptionsFree> options(g_mime_parser_options_new());
  static const char* kFallbackCharsets[] = {"utf-8", "windows-1252", "iso-8859-1", nullptr};
  g_mime_parser_options_set_fallback_charsets(options.get(), kFallbackCharsets);
  g_mime_parser_options_set_warning_callback(options.get(), OnParserWarning, &warnings);
  g_mime_parser_options_set_allow_addresses_without_domain(options.get(), TRUE);  // "MAILER-DAEMON"
  BorrowedBytes bytes(message_bytes);
  GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_byte_array(bytes.get()));
  g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream.get()), FALSE);
  GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  GObjectPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options.get()));
  if (message == nullptr) return Status::InvalidArgument("not an email message: GMime found no message headers");
  // Raw 8-bit header text is most often in the charset the body declares (GBK, Shift_JIS ...):
  // try that after UTF-8 and before windows-1252.
  const std::string body_charset = BodyFallbackCharset(g_mime_message_get_mime_part(message.get()), 0);
  if (!body_charset.empty()) {
    const char* charsets[] = {"utf-8", body_charset.c_str(), "windows-1252", "iso-8859-1", nullptr};
    g_mime_parser_options_set_fallback_charsets(options.get(), charsets);
  }

  app::InboundEmail email;
  AutoReplySignals signals;
  ReadHeaders(message.get(), options.get(), email, signals, warnings);

  Walker walker(limits_, options.get(), warnings, email.attachments);
  Body body;
  walker.Walk(g_mime_message_get_mime_part(message.get()), 1, body, true);
  email.html = std::move(body.html);
  email.text = IsBlank(body.text) && !email.html.empty() ? HtmlToText(email.html) : std::move(body.text);

  // Inline images: an HTML reference to a part's Content-ID makes it inline whatever its disposition.
  for (app::EmailAttachment& a : email.attachments) {
    if (!a.is_inline && !a.content_id.empty() && email.html.find("cid:" + a.content_id) != std::string::npos) {
      a.is_inline = true;
    }
  }

  signals.subject = email.subject;
  signals.from = email.from.value_or(app::EmailAddress{});
  signals.text = email.text;
  signals.is_delivery_report = walker.delivery_report();
  signals.is_disposition_report = walker.disposition_report();
  email.auto_reply = ClassifyAutoReply(signals);

  email.forwarded = std::move(walker.forwarded());
  if (email.auto_reply == app::AutoReplyKind::kBounce) {
    const bool from_report = walker.delivery_status().has_value();
    app::DeliveryFailure failure = from_report ? std::move(*walker.delivery_status()) : ParseBounceText(email.text);
    if (failure.original_message_id.empty()) failure.original_message_id = walker.returned_message_id();
    // A classic bounce attaches the returned message without a report around it: not a forward.
    if (email.forwarded) {
      if (failure.original_message_id.empty()) failure.original_message_id = email.forwarded->message_id;
      email.forwarded.reset();
    }
    // The text was read above when there is no report; read it again only for the id a report lacked.
    if (failure.original_message_id.empty() && from_report) {
      failure.original_message_id = ParseBounceText(email.text).original_message_id;
    }
    email.delivery_failure = std::move(failure);
  } else if (!email.forwarded) {
    email.forwarded = InlineForwardOf(email, options.get());
  }
  email.warnings = warnings.Take();
  return email;
}

}  // namespace rapport::mail
