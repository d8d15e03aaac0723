#pragma once
// The email side of a ticket as people see it: each message's headers, attachments and delivery
// state, the ticket's participants and linked tickets, and attachment downloads. Read-only; every
// read checks that the actor may see the ticket.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/ports/clock.h"
#include "app/ports/email_records.h"
#include "app/session_pool.h"
#include "core/permissions.h"

namespace rapport::app {

struct TicketMailView {
  std::map<MessageId, EmailRecord> emails;                            // by message
  std::map<MessageId, std::vector<StoredAttachment>> attachments;     // by message, in order
  std::map<MessageId, OutboxEntry> deliveries;                        // the outgoing mail of a message
  std::vector<OutboxEntry> other_deliveries;                          // automatic mail not tied to a message
  std::vector<Contact> participants;
  std::vector<Ticket> linked_tickets;
};

struct AttachmentDownload {
  StoredAttachment attachment;
  std::string data;
};

class TicketMail {
 public:
  explicit TicketMail(SessionPool& pool) : pool_(pool) {}
  Result<TicketMailView> View(const Actor& actor, TicketId ticket);
  // kNotFound also when the attachment's ticket is not the given one or not visible to the actor.
  Result<AttachmentDownload> Attachment(const Actor& actor, TicketId ticket, AttachmentId id);

 private:
  SessionPool& pool_;
};

}  // namespace rapport::app
