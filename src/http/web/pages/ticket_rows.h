#pragma once
// The rows of a ticket list as the templates show them (the inbox, a client's and a contact's
// tickets, the client panel of a ticket), and the names of the team for assignee columns.

#include <map>
#include <vector>

#include "app/desk.h"
#include "http/web/templates.h"

namespace rapport::http::web {

// User id -> name, for showing assignees and authors. Empty when the users cannot be read (the
// page then shows "Someone" rather than failing).
std::map<std::int64_t, std::string> TeamNames(app::Desk& desk, const Actor& actor);

// A list of row objects: id, number, subject, url, client_name, contact_name, channel_key,
// channel_label, assignee_name (or "Unassigned"), age, status_key, status_label, priority_key,
// priority_label, is_urgent, and promise (PromiseBadgeData, with due times in `zone`, the viewer's).
Data TicketRowsData(const std::vector<app::TicketRow>& rows, const std::map<std::int64_t, std::string>& team,
                    Instant now, const std::string& zone);

// A one-ticket row without the list's joined names (for the client panel's other tickets).
Data TicketRowData(const Ticket& t, const std::map<std::int64_t, std::string>& team, Instant now,
                   const std::string& zone);

}  // namespace rapport::http::web
