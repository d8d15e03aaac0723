#pragma once
// Who may do what. One table for the web UI and the API alike; every route asks here.

#include <optional>

#include "core/entities.h"

namespace rapport {

struct Actor {  // the signed-in user a request acts for
  UserId id;
  Role role = Role::kAgent;
};

// Owners, admins and agents see every ticket; a subcontractor only those assigned to them.
bool CanViewTicket(const Actor& actor, const std::optional<UserId>& assignee);
// Everyone but a subcontractor may create tickets and see clients and contacts.
bool CanViewClients(const Actor& actor);
bool CanCreateTickets(const Actor& actor);
// Subcontractors may not reassign work; others may assign to anyone.
bool CanAssign(const Actor& actor);
// Money figures (rates, revenue, costs) are hidden from subcontractors.
bool CanSeeMoney(const Actor& actor);
// Reports across the team (response times, promise attainment per client and person): everyone but
// a subcontractor, who sees only their own tickets and no clients.
bool CanSeeReports(const Actor& actor);
// Workspace settings and users: owner and admin only.
bool CanManageSettings(const Actor& actor);
bool CanManageUsers(const Actor& actor);
// Only an owner may create or demote another owner.
bool CanGrantRole(const Actor& actor, Role role);

}  // namespace rapport
