#pragma once
// The email parts of the ticket page: a message body shown safely (received HTML sanitised, quoted
// history folded, remote images held back until asked for; an agent's Markdown rendered), its
// attachments, and the delivery state of a reply. Also the attachment download and "send again".

#include "app/ticket_mail.h"
#include "http/web/page.h"

namespace rapport::http::web {

struct MessageDisplay {
  std::string body_html;  // safe to place in the page as is
  int blocked_remote_images = 0;
};

// `show_remote_images`: the reader asked to load the images of this ticket's mail.
MessageDisplay DisplayMessage(const Message& m, const app::TicketMailView& mail, bool show_remote_images);

// The message's attachments, email headers and delivery state, added to its template data.
void AddEmailData(Data& item, const Message& m, const app::TicketMailView& mail, const std::string& csrf_token,
                  const std::string& zone);

// GET /tickets/{id}/attachments/{attachment_id}
void DownloadAttachment(RequestContext& ctx, const WebEnv& env);
// POST /tickets/{id}/deliveries/{outbox_id}/retry
void RetryDelivery(RequestContext& ctx, const WebEnv& env);

}  // namespace rapport::http::web
