#pragma once
// The email records the store keeps beside tickets and messages: the threading headers of every
// email message (received or sent), attachments (content-addressed blobs), participants and links of
// tickets, the configured mailboxes with their IMAP checkpoints, and the outbox.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/ports/email.h"
#include "core/entities.h"
#include "core/ids.h"

namespace rapport::app {

// The email side of one stored message.
struct EmailRecord {
  MessageId message_id;
  TicketId ticket_id;
  std::string rfc_message_id;           // without <>
  std::vector<std::string> in_reply_to;
  std::vector<std::string> references;  // oldest first
  std::string thread_index;             // as sent or received
  std::string thread_index_root;        // the thread's first 22 bytes, base64 (see core/thread_index.h); "" none
  EmailAddress from;
  std::vector<EmailAddress> to;
  std::vector<EmailAddress> cc;
  std::string subject;
  std::optional<MailboxId> mailbox_id;  // the mailbox it arrived in or leaves from
  AutoReplyKind auto_reply = AutoReplyKind::kNone;
  std::string raw_sha256;               // the received bytes as a blob; "" for mail Rapport sent
  std::vector<std::string> warnings;    // the parser's guesses
};

struct StoredAttachment {
  AttachmentId id;
  MessageId message_id;
  TicketId ticket_id;  // the message's ticket, read with the attachment (set by the store on insert)
  std::string filename;
  std::string content_type;
  std::string content_id;
  bool is_inline = false;
  std::int64_t size = 0;
  std::string sha256;  // of the data, the blob's key; "" when omitted
  std::string omitted_reason;
};

struct Mailbox {
  MailboxId id;
  std::string name;          // for people: "Support"
  std::string address;       // the support address, normalized: support@example.com
  std::string display_name;  // the From name of outgoing mail: "Acme Support"
  bool is_default = false;   // replies to tickets that did not arrive by email leave from it
  bool fetch_enabled = false;
  ImapSettings imap;
  SmtpSettings smtp;
  // The IMAP worker's checkpoint and health.
  std::uint32_t uid_validity = 0;
  std::uint32_t last_uid = 0;
  std::string last_error;     // "" when the last attempt worked
  std::optional<Instant> last_checked_at;
};

enum class OutboxState { kQueued, kSending, kSent, kFailed };
std::string_view OutboxStateName(OutboxState s);  // "queued", "sending", "sent", "failed"
std::optional<OutboxState> ParseOutboxState(std::string_view s);

enum class OutboxPurpose { kReply, kAutomatic };  // automatic: acknowledgements, nudges, notices

// Stable names, as stored and as shown in the API.
std::string_view AutoReplyKindName(AutoReplyKind k);  // "none", "auto_reply", "bulk", "bounce"
std::optional<AutoReplyKind> ParseAutoReplyKind(std::string_view s);
std::string_view TransportSecurityName(TransportSecurity s);  // "tls", "starttls", "none"
std::optional<TransportSecurity> ParseTransportSecurity(std::string_view s);
std::string_view OutboxPurposeName(OutboxPurpose p);  // "reply", "automatic"
std::optional<OutboxPurpose> ParseOutboxPurpose(std::string_view s);

struct OutboxEntry {
  OutboxId id;
  std::optional<TicketId> ticket_id;
  std::optional<MessageId> message_id;  // the ticket message this mail carries, if any
  std::optional<MailboxId> mailbox_id;  // whose SMTP server sends it
  OutboxPurpose purpose = OutboxPurpose::kReply;
  OutgoingEmail email;                  // without attachment data: see attachment_ids
  std::vector<AttachmentId> attachment_ids;
  std::string envelope_from;
  std::vector<std::string> recipients;  // normalized addresses: To and Cc
  OutboxState state = OutboxState::kQueued;
  int attempts = 0;
  Instant next_attempt_at{};
  std::optional<Instant> lease_until;   // while kSending: the sender's claim expires then
  int last_code = 0;
  std::string last_reply;               // the server's words, or why it failed
  std::optional<Instant> sent_at;
  Instant created_at{};
};

}  // namespace rapport::app
