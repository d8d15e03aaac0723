#pragma once
// The follow-up pages: notices (/notices, and the unread badge in the header), reminders
// (/reminders, and the "Remind me" forms of ticket and client pages), a client's annual review (on
// the client page), and the person's profile with their private calendar feed (/profile,
// /calendar/<token>.ics). Their routes are added by AddFollowUpPages; the ticket and client pages
// call the *Data functions to fill their follow-up panels.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/permissions.h"
#include "http/router.h"
#include "http/server.h"
#include "http/web/page.h"

namespace rapport::http::web {

void AddFollowUpPages(Router& router, const std::shared_ptr<const WebEnv>& env);

// The "Remind me" form of a ticket page (`ticket`) or a client page (`client`): sets remind_field,
// remind_id and the person's open reminders there (the store picks them).
void AddRemindMeData(Data& d, const WebEnv& env, const RequestContext& ctx, std::optional<TicketId> ticket,
                     std::optional<ClientId> client);
// The annual review panel of a client page.
void AddClientReviewData(Data& d, const WebEnv& env, const Actor& actor, ClientId client);

}  // namespace rapport::http::web
