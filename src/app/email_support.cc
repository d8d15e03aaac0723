#include "app/email_support.h"

#include <algorithm>

#include "app/desk_support.h"
#include "core/identity.h"
#include "security/digest.h"

namespace rapport::app {

std::string EmailExternalId(std::string_view message_id, std::string_view raw_sha256) {
  if (!message_id.empty() && message_id.size() <= kMaxExternalIdChars && IsStorableText(message_id)) {
    return std::string(message_id);
  }
  return "sha256:" + std::string(raw_sha256);
}

Result<std::vector<AttachmentId>> StoreAttachments(StoreSession& s, MessageId message,
                                                   const std::vector<EmailAttachment>& attachments) {
  std::vector<AttachmentId> ids;
  ids.reserve(attachments.size());
  for (const auto& a : attachments) {
    StoredAttachment stored;
    stored.message_id = message;
    stored.filename = StorableText(OneLine(a.filename), 255);
    stored.content_type = StorableText(OneLine(a.content_type), 255);
    stored.content_id = StorableText(OneLine(a.content_id), 255);
    stored.is_inline = a.is_inline;
    stored.size = a.size;
    stored.omitted_reason = StorableText(a.omitted_reason, 500);
    if (a.omitted_reason.empty()) {
      stored.sha256 = a.sha256.empty() ? security::Sha256Hex(a.data) : a.sha256;
      RAPPORT_RETURN_IF_ERROR(s.PutBlob(stored.sha256, a.data));
    }
    RAPPORT_ASSIGN_OR_RETURN(AttachmentId id, s.InsertAttachment(stored));
    ids.push_back(id);
  }
  return ids;
}

std::string NormalizedAddress(const EmailAddress& a) {
  auto n = NormalizeEmail(a.address);
  return n.ok() ? *n : std::string();
}

std::optional<MailboxId> ReceivingMailbox(const InboundEmail& e, const std::vector<Mailbox>& mailboxes) {
  for (const auto* list : {&e.delivered_to, &e.to, &e.cc}) {
    for (const auto& a : *list) {
      const std::string address = NormalizedAddress(a);
      for (const auto& m : mailboxes) {
        if (!address.empty() && m.address == address) return m.id;
      }
    }
  }
  return std::nullopt;
}

std::optional<Mailbox> SendingMailbox(const std::vector<EmailRecord>& ticket_emails,
                                      const std::vector<Mailbox>& mailboxes) {
  if (mailboxes.empty()) return std::nullopt;
  for (auto it = ticket_emails.rbegin(); it != ticket_emails.rend(); ++it) {
    if (!it->mailbox_id) continue;
    for (const auto& m : mailboxes) {
      if (m.id == *it->mailbox_id) return m;
    }
  }
  auto def = std::find_if(mailboxes.begin(), mailboxes.end(), [](const Mailbox& m) { return m.is_default; });
  return def != mailboxes.end() ? *def : mailboxes.front();
}

}  // namespace rapport::app
