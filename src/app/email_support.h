#pragma once
// Helpers shared by the email use cases (intake, replies, the outbox worker).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/ports/email_records.h"
#include "app/ports/store.h"

namespace rapport::app {

inline constexpr std::size_t kMaxEmailBodyBytes = 1u << 20;  // text and HTML each; the raw message keeps all
inline constexpr std::size_t kMaxEmailParticipants = 20;     // CC'd people added to a ticket from one message

// The identity under which a received message is stored once: its Message-ID, or for mail without
// one (or with an absurdly long one) the digest of its bytes (`raw_sha256`).
std::string EmailExternalId(std::string_view message_id, std::string_view raw_sha256);

// Stores the attachments of a message: each kept part's bytes as a blob (content-addressed, so the
// same file sent twice is stored once) and a row naming it. Returns the new attachments' ids in order.
Result<std::vector<AttachmentId>> StoreAttachments(StoreSession& s, MessageId message,
                                                   const std::vector<EmailAttachment>& attachments);

// The normalized address, or "" when it is not a usable address.
std::string NormalizedAddress(const EmailAddress& a);

// The mailbox an incoming message was delivered to: the first of Delivered-To, To and Cc that is a
// configured mailbox's address; else nullopt.
std::optional<MailboxId> ReceivingMailbox(const InboundEmail& e, const std::vector<Mailbox>& mailboxes);

// The mailbox a reply on a ticket leaves from: the one its latest email arrived in, else the default
// mailbox, else the first one; nullopt when none is configured.
std::optional<Mailbox> SendingMailbox(const std::vector<EmailRecord>& ticket_emails,
                                      const std::vector<Mailbox>& mailboxes);

}  // namespace rapport::app
