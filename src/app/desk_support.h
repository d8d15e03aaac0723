#pragma once
// Helpers shared by the files that implement Desk (desk.cc, desk_directory.cc, desk_team.cc).

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "app/audit_detail.h"
#include "app/ports/store.h"
#include "app/validation.h"
#include "core/permissions.h"

namespace rapport::app {

inline constexpr std::size_t kMaxSubjectChars = 300;
inline constexpr std::size_t kMaxBodyBytes = 1u << 20;  // per body (text, HTML); larger mail is cut by intake
inline constexpr std::size_t kMaxNameChars = 200;
inline constexpr std::size_t kMaxNotesChars = 20000;
inline constexpr std::size_t kMaxTags = 30;
inline constexpr std::size_t kMaxExternalIdChars = 500;
inline constexpr std::size_t kMaxSearchChars = 500;

using Done = std::monostate;

// Writes one audit entry for the actor (nullopt = the system).
Status WriteAudit(StoreSession& s, std::optional<UserId> actor, std::string entity, std::int64_t entity_id,
                  std::string action, const AuditDetail& detail, Instant now);

// The ticket, or kNotFound when it does not exist or the actor may not see it: the same answer for
// both, so a subcontractor cannot learn which ids exist.
Result<Ticket> LoadVisibleTicket(StoreSession& s, const Actor& actor, TicketId id);

// Checks that `id` names an active user who can be given work; a field error on `field` if not.
Status CheckAssignable(StoreSession& s, UserId id, const std::string& field);

// Normalizes, sorts and de-duplicates tags; errors are added under `field`.
std::vector<std::string> NormalizeTags(const std::vector<std::string>& raw, const std::string& field,
                                       FieldErrors& errors);

// Checks a page size: 1 and more; more than kMaxPageSize is capped (the API's "limit caps at 200").
int CheckLimit(int limit, FieldErrors& errors);

// Copy of `s` with CR, LF and tabs turned into spaces and the ends trimmed (for one-line fields).
std::string OneLine(std::string_view s);

// A user as shown to others: without the password hash.
User WithoutSecrets(User u);

std::string IdText(std::int64_t id);
template <typename Tag>
std::optional<std::string> IdText(const std::optional<Id<Tag>>& id) {
  if (!id) return std::nullopt;
  return IdText(id->value);
}

}  // namespace rapport::app
