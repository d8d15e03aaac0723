#pragma once
// How a ticket's status and timestamps move. Pure rules, applied by Desk inside its transactions:
//
//  - Moving to `resolved` stamps resolved_at (kept if it was already resolved) and clears closed_at.
//  - Moving to `closed` stamps closed_at; resolved_at is stamped too when it was unset (closing
//    implies the work is done), so resolution-time reports count closed tickets.
//  - Moving to any open status (new, open, waiting_on_client, on_hold) clears both: it is a reopen.
//  - An agent's reply on a `new` ticket makes it `open` (someone is on it).
//  - A client's inbound message on a ticket that is waiting on the client, resolved or closed makes
//    it `open` again (the ball is back with the team), clearing resolved_at and closed_at.
//  - Inbound messages and replies move last_message_at; internal notes do not (they are not part
//    of the conversation with the client). Every change moves updated_at.

#include <vector>

#include "core/entities.h"

namespace rapport::app {

// Sets t.status to `to` and the timestamps that go with it. Does not touch updated_at.
void MoveToStatus(Ticket& t, TicketStatus to, Instant now);

// Applies the effect of a new message of `kind` on the ticket (status and last_message_at).
void ApplyMessageToTicket(Ticket& t, MessageKind kind, Instant now);

// The open statuses (core's IsOpen), in their order, for a TicketQuery of the open tickets.
std::vector<TicketStatus> OpenStatuses();

}  // namespace rapport::app
