#include "core/permissions.h"

namespace rapport {

bool CanViewTicket(const Actor& actor, const std::optional<UserId>& assignee) {
  if (actor.role != Role::kSubcontractor) return true;
  return assignee.has_value() && *assignee == actor.id;
}

bool CanViewClients(const Actor& actor) { return actor.role != Role::kSubcontractor; }
bool CanCreateTickets(const Actor& actor) { return actor.role != Role::kSubcontractor; }
bool CanAssign(const Actor& actor) { return actor.role != Role::kSubcontractor; }
bool CanSeeMoney(const Actor& actor) { return actor.role != Role::kSubcontractor; }
bool CanSeeReports(const Actor& actor) { return actor.role != Role::kSubcontractor; }
bool CanManageSettings(const Actor& actor) { return actor.role == Role::kOwner || actor.role == Role::kAdmin; }
bool CanManageUsers(const Actor& actor) { return CanManageSettings(actor); }
bool CanGrantRole(const Actor& actor, Role role) {
  if (!CanManageUsers(actor)) return false;
  return role != Role::kOwner || actor.role == Role::kOwner;
}

}  // namespace rapport
