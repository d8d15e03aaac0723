#pragma once
// The email ports: the values that cross between the use cases (app/) and the mail channel (mail/),
// and the interfaces mail/ implements — parsing, composing, sending over SMTP and reading an IMAP
// mailbox. The use cases and workers see only these, so they are tested with real servers through
// mail/ and need no network code of their own.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace rapport::app {

struct EmailAddress {
  std::string name;     // display name, decoded to UTF-8; may be empty
  std::string address;  // addr-spec as written (local@domain); callers normalise before matching
  friend bool operator==(const EmailAddress&, const EmailAddress&) = default;
};

struct EmailAttachment {
  std::string filename;      // decoded UTF-8, no directory part; never empty (the parser names unnamed parts)
  std::string content_type;  // lower-case type/subtype, e.g. "image/png", "text/calendar"
  std::string content_id;    // without angle brackets; empty when the part has none
  bool is_inline = false;    // shown in the body (Content-Disposition inline with a Content-ID)
  std::int64_t size = 0;     // decoded size in bytes, also when `data` was left out
  std::string data;          // decoded bytes; empty when `omitted_reason` is set
  std::string omitted_reason;  // non-empty when the part was too large to keep ("larger than 25 MB")
  std::string sha256;          // of `data`, hex, when already computed (see app::ComputeDigests); "" = not yet
};

// Why a message must never trigger automatic mail from Rapport.
enum class AutoReplyKind {
  kNone,
  kAutoReply,  // Auto-Submitted (not "no"), X-Autoreply, X-Autorespond, out-of-office subject patterns
  kBulk,       // Precedence bulk/junk/list, List-Id, List-Unsubscribe
  kBounce,     // a delivery status notification (multipart/report; report-type=delivery-status)
};

// What a bounce says about one message Rapport sent.
struct DeliveryFailure {
  std::string original_message_id;  // of the message that failed, without <>; empty when not found
  std::string recipient;            // final or original recipient, if given
  std::string status;               // enhanced status code, e.g. "5.1.1"
  std::string action;               // "failed", "delayed", ...
  std::string diagnostic;           // the remote server's words, e.g. "550 5.1.1 user unknown"
};

// The original of a forwarded message: an attached message/rfc822, or an inline forward
// ("---------- Forwarded message ---------" / "-----Original Message-----" with From:/Subject: lines).
struct ForwardedOriginal {
  EmailAddress from;
  std::string subject;
  std::string message_id;  // without <>; empty for inline forwards that do not carry one
  std::optional<Instant> date;
};

struct InboundEmail {
  std::string message_id;                // without <>; empty when the message has none
  std::vector<std::string> in_reply_to;  // ids without <>, in order
  std::vector<std::string> references;   // ids without <>, oldest first
  std::string thread_index;              // Outlook's Thread-Index, as written (base64)
  std::string thread_topic;              // Outlook's Thread-Topic, decoded
  std::string subject;                   // decoded UTF-8, unfolded
  std::optional<EmailAddress> from;
  std::vector<EmailAddress> reply_to;
  std::vector<EmailAddress> to;
  std::vector<EmailAddress> cc;
  std::vector<EmailAddress> delivered_to;  // Delivered-To / X-Original-To: which support address got it
  std::optional<Instant> date;             // the Date header, in UTC; nullopt when missing or unreadable
  std::string text;  // plain text (UTF-8) for search and preview: text/plain, else derived from the HTML
  std::string html;  // the HTML alternative (UTF-8) as received, NOT sanitised; empty when none
  std::vector<EmailAttachment> attachments;  // attachments, inline images, calendar invitations
  AutoReplyKind auto_reply = AutoReplyKind::kNone;
  std::optional<DeliveryFailure> delivery_failure;  // set for bounces
  std::optional<ForwardedOriginal> forwarded;       // set when the message forwards another
  std::vector<std::string> warnings;  // what the parser had to guess, e.g. "undeclared 8-bit text read as windows-1252"
};

// Limits that keep one hostile message from exhausting memory or time.
struct EmailLimits {
  std::int64_t max_message_bytes = 50LL << 20;     // larger: kInvalidArgument
  std::int64_t max_attachment_bytes = 25LL << 20;  // larger parts are listed with omitted_reason
  int max_mime_depth = 32;                         // deeper nesting is not descended into
  int max_parts = 1000;
};

class EmailParser {
 public:
  virtual ~EmailParser() = default;
  // kInvalidArgument (with a reason a person can act on) for input that is not a message at all.
  // Anything that is recognisably mail parses, with guesses listed in `warnings`.
  virtual Result<InboundEmail> Parse(std::string_view raw) const = 0;
};

struct OutgoingEmail {
  std::string message_id;  // without <>; made by the caller so that it is stored before sending
  std::vector<std::string> in_reply_to;
  std::vector<std::string> references;  // oldest first
  std::string thread_index;             // base64; made with the ticket's first Thread-Index
  std::string thread_topic;
  EmailAddress from;
  std::vector<EmailAddress> reply_to;
  std::vector<EmailAddress> to;
  std::vector<EmailAddress> cc;
  std::string subject;  // UTF-8; the ticket reference "[#1234]" is already in it
  Instant date{};
  std::string markdown;  // the body as the agent wrote it: sent as text/plain and rendered to text/html
  std::vector<EmailAttachment> attachments;
  bool auto_submitted = false;  // acknowledgements, notices: "Auto-Submitted: auto-replied"
};

class EmailComposer {
 public:
  virtual ~EmailComposer() = default;
  // The RFC 5322 message, CRLF line endings, ready for SMTP DATA.
  virtual Result<std::string> Compose(const OutgoingEmail& email) const = 0;
};

enum class TransportSecurity { kTls, kStartTls, kNone };

struct SmtpSettings {
  std::string host;
  int port = 587;
  TransportSecurity security = TransportSecurity::kStartTls;
  std::string user;      // empty: no AUTH
  std::string password;
  std::string ca_file;   // empty: the system's trust store
  std::chrono::seconds timeout{60};
};

struct SmtpOutcome {
  enum class Kind { kSent, kTemporaryFailure, kPermanentFailure };
  Kind kind = Kind::kTemporaryFailure;
  int code = 0;             // the server's last reply code; 0 when it never answered
  std::string server_reply; // the server's words or the connection error, for the UI
};

class EmailSender {
 public:
  virtual ~EmailSender() = default;
  // Never throws. kTemporaryFailure: worth retrying later (4xx, connection failures, timeouts);
  // kPermanentFailure: 5xx, retrying will not help.
  virtual SmtpOutcome Send(const SmtpSettings& settings, const std::string& envelope_from,
                           const std::vector<std::string>& recipients, const std::string& raw_message) = 0;
};

struct ImapSettings {
  std::string host;
  int port = 993;
  TransportSecurity security = TransportSecurity::kTls;
  std::string user;
  std::string password;
  std::string folder = "INBOX";
  std::string processed_folder;  // empty: flag \Seen after storing; else move there after storing
  std::string ca_file;
  std::chrono::seconds timeout{60};
};

struct ImapFolderState {
  std::uint32_t uid_validity = 0;
  std::uint32_t uid_next = 0;
  std::uint32_t exists = 0;
};

// One logged-in IMAP connection with the configured folder selected. Not thread-safe.
class ImapSession {
 public:
  virtual ~ImapSession() = default;
  virtual const ImapFolderState& folder_state() const = 0;
  virtual bool supports_idle() const = 0;
  // UIDs >= first_uid in ascending order (UID SEARCH UID first:*; the server's quirk of returning
  // the last message for an empty range is filtered out).
  virtual Result<std::vector<std::uint32_t>> UidsFrom(std::uint32_t first_uid) = 0;
  // The whole message, without setting \Seen (BODY.PEEK[]). kNotFound when the UID is gone.
  virtual Result<std::string> Fetch(std::uint32_t uid) = 0;
  virtual Status MarkSeen(std::uint32_t uid) = 0;
  // MOVE when offered, else COPY + \Deleted + UID EXPUNGE.
  virtual Status Move(std::uint32_t uid, const std::string& folder) = 0;
  // IDLE until the server reports a change or `max_wait` passes; true when something changed.
  // Refreshes folder_state(). Without IDLE support: a NOOP after sleeping up to `max_wait`.
  virtual Result<bool> WaitForChange(std::chrono::seconds max_wait) = 0;
};

class ImapConnector {
 public:
  virtual ~ImapConnector() = default;
  // Connects, logs in, selects settings.folder. kUnavailable for network/server trouble (retry),
  // kPermissionDenied for refused credentials, kNotFound for a missing folder.
  virtual Result<std::unique_ptr<ImapSession>> Connect(const ImapSettings& settings) = 0;
};

}  // namespace rapport::app
