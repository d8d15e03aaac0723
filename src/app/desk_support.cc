#include "app/desk_support.h"

#include <algorithm>

#include "core/identity.h"

namespace rapport::app {

Status WriteAudit(StoreSession& s, std::optional<UserId> actor, std::string entity, std::int64_t entity_id,
                  std::string action, const AuditDetail& detail, Instant now) {
  AuditEntry e;
  // An actor without a stored id (the CLI's console owner) is recorded as the system.
  e.actor_id = actor && actor->valid() ? actor : std::nullopt;
  e.entity = std::move(entity);
  e.entity_id = entity_id;
  e.action = std::move(action);
  e.detail = detail.ToJson();
  e.at = now;
  return s.AppendAudit(e);
}

Result<Ticket> LoadVisibleTicket(StoreSession& s, const Actor& actor, TicketId id) {
  const Status missing = Status::NotFound("ticket " + IdText(id.value) + " does not exist");
  if (!id.valid()) return missing;
  auto t = s.GetTicket(id);
  if (!t.ok()) return t.status().code() == StatusCode::kNotFound ? missing : t.status();
  if (!CanViewTicket(actor, t->assignee_id)) return missing;
  return t;
}

Status CheckAssignable(StoreSession& s, UserId id, const std::string& field) {
  if (!id.valid()) return Status::FieldError(field, "user " + IdText(id.value) + " does not exist");
  auto u = s.GetUser(id);
  if (!u.ok()) {
    if (u.status().code() == StatusCode::kNotFound) {
      return Status::FieldError(field, "user " + IdText(id.value) + " does not exist");
    }
    return u.status();
  }
  if (!u->active) return Status::FieldError(field, u->name + " is deactivated and cannot be given work");
  return Status::Ok();
}

std::vector<std::string> NormalizeTags(const std::vector<std::string>& raw, const std::string& field,
                                       FieldErrors& errors) {
  std::vector<std::string> out;
  for (const auto& r : raw) {
    auto tag = NormalizeTag(r);
    if (!tag.ok()) {
      errors.Add(field, tag.status().message());
      continue;
    }
    if (!IsStorableText(*tag)) {
      errors.Add(field, "a tag is not valid UTF-8 text");
      continue;
    }
    out.push_back(*tag);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  if (out.size() > kMaxTags) errors.Add(field, "a ticket has at most " + std::to_string(kMaxTags) + " tags");
  return out;
}

int CheckLimit(int limit, FieldErrors& errors) {
  if (limit < 1) {
    errors.Add("limit", "must be at least 1");
    return 1;
  }
  return std::min(limit, kMaxPageSize);
}

std::string OneLine(std::string_view s) {
  std::string out(Trim(s));
  std::replace_if(out.begin(), out.end(), [](char c) { return c == '\r' || c == '\n' || c == '\t'; }, ' ');
  return out;
}

User WithoutSecrets(User u) {
  u.password_hash.clear();
  return u;
}

std::string IdText(std::int64_t id) { return std::to_string(id); }

}  // namespace rapport::app
