#include "app/ticket_rules.h"

namespace rapport::app {

void MoveToStatus(Ticket& t, TicketStatus to, Instant now) {
  switch (to) {
    case TicketStatus::kResolved:
      if (t.status != TicketStatus::kResolved || !t.resolved_at) t.resolved_at = now;
      t.closed_at.reset();
      break;
    case TicketStatus::kClosed:
      if (!t.resolved_at) t.resolved_at = now;
      if (t.status != TicketStatus::kClosed || !t.closed_at) t.closed_at = now;
      break;
    case TicketStatus::kNew:
    case TicketStatus::kOpen:
    case TicketStatus::kWaitingOnClient:
    case TicketStatus::kOnHold:
      t.resolved_at.reset();
      t.closed_at.reset();
      break;
  }
  t.status = to;
}

void ApplyMessageToTicket(Ticket& t, MessageKind kind, Instant now) {
  switch (kind) {
    case MessageKind::kReply:
      t.last_message_at = now;
      if (t.status == TicketStatus::kNew) MoveToStatus(t, TicketStatus::kOpen, now);
      break;
    case MessageKind::kInbound:
      t.last_message_at = now;
      if (t.status == TicketStatus::kWaitingOnClient || t.status == TicketStatus::kResolved ||
          t.status == TicketStatus::kClosed) {
        MoveToStatus(t, TicketStatus::kOpen, now);
      }
      break;
    case MessageKind::kNote:
      break;
  }
}

std::vector<TicketStatus> OpenStatuses() {
  std::vector<TicketStatus> open;
  for (TicketStatus s : AllTicketStatuses()) {
    if (IsOpen(s)) open.push_back(s);
  }
  return open;
}

}  // namespace rapport::app
