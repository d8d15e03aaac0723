#pragma once
// What the reports read from the store (StoreSession::StreamReportTickets): the tickets of a period
// with the names they are grouped by and the events their promise clocks are computed from.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/entities.h"
#include "core/sla_clock.h"
#include "core/status.h"

namespace rapport::app {

struct ReportTicketRow {
  TicketId id;
  std::int64_t number = 0;
  Instant created_at{};
  Priority priority = Priority::kNormal;
  std::optional<ClientId> client_id;
  std::string client_name;  // "" without a client
  std::string client_plan;  // the client's plan (picks the policy); "" without a client
  std::optional<UserId> assignee_id;
  std::string assignee_name;  // "" when unassigned
  std::vector<TicketEvent> events;  // in the order they happened (at, then id)
};

// Called once per ticket; an error stops the stream and is returned by it.
using ReportTicketVisitor = std::function<Status(const ReportTicketRow&)>;

}  // namespace rapport::app
