#include "app/ticket_mail.h"

#include "app/desk_support.h"
#include "app/unit_of_work.h"

namespace rapport::app {

Result<TicketMailView> TicketMail::View(const Actor& actor, TicketId ticket) {
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) -> Result<TicketMailView> {
    RAPPORT_RETURN_IF_ERROR(LoadVisibleTicket(s, actor, ticket).status());
    TicketMailView v;
    RAPPORT_ASSIGN_OR_RETURN(auto emails, s.ListEmailRecords(ticket));
    for (auto& e : emails) v.emails.emplace(e.message_id, std::move(e));
    RAPPORT_ASSIGN_OR_RETURN(auto attachments, s.ListAttachments(ticket));
    for (auto& a : attachments) v.attachments[a.message_id].push_back(std::move(a));
    RAPPORT_ASSIGN_OR_RETURN(auto outbox, s.ListOutboxForTicket(ticket));
    for (auto& o : outbox) {
      if (o.message_id) {
        v.deliveries[*o.message_id] = std::move(o);
      } else {
        v.other_deliveries.push_back(std::move(o));
      }
    }
    RAPPORT_ASSIGN_OR_RETURN(auto participants, s.ListParticipants(ticket));
    for (ContactId id : participants) {
      RAPPORT_ASSIGN_OR_RETURN(Contact c, s.GetContact(id));
      v.participants.push_back(std::move(c));
    }
    RAPPORT_ASSIGN_OR_RETURN(auto linked, s.ListLinkedTickets(ticket));
    for (TicketId id : linked) {
      // A linked ticket the actor may not see (a subcontractor's view) is left out, not an error.
      auto t = LoadVisibleTicket(s, actor, id);
      if (t.ok()) {
        v.linked_tickets.push_back(std::move(*t));
      } else if (t.status().code() != StatusCode::kNotFound) {
        return t.status();
      }
    }
    return v;
  });
}

Result<AttachmentDownload> TicketMail::Attachment(const Actor& actor, TicketId ticket, AttachmentId id) {
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) -> Result<AttachmentDownload> {
    RAPPORT_RETURN_IF_ERROR(LoadVisibleTicket(s, actor, ticket).status());
    RAPPORT_ASSIGN_OR_RETURN(StoredAttachment a, s.GetAttachment(id));
    if (a.ticket_id != ticket) return Status::NotFound("no attachment " + std::to_string(id.value) + " on this ticket");
    if (!a.omitted_reason.empty()) return Status::NotFound("the attachment was not kept: " + a.omitted_reason);
    RAPPORT_ASSIGN_OR_RETURN(auto data, s.GetBlob(a.sha256));
    if (!data) return Status::Internal("the attachment's data is missing from the store");
    return AttachmentDownload{std::move(a), std::move(*data)};
  });
}

}  // namespace rapport::app
