#pragma once
// The JSON shape of each record in the API: snake_case fields, integer ids, RFC 3339 UTC instants,
// optional values as null. Users never carry their password hash.

#include <chrono>
#include <optional>

#include <nlohmann/json.hpp>

#include "app/desk.h"
#include "app/ports/follow_up_records.h"
#include "app/ports/promise_records.h"
#include "core/entities.h"
#include "core/sla_policy.h"

namespace rapport::http::api {

nlohmann::json TicketJson(const Ticket& t);
nlohmann::json TicketRowJson(const app::TicketRow& row);  // the ticket plus client and contact names
nlohmann::json TicketViewJson(const app::TicketView& view);  // the ticket with messages, contact, client
nlohmann::json MessageJson(const Message& m);
nlohmann::json ClientJson(const Client& c);
nlohmann::json ContactJson(const Contact& c);
nlohmann::json UserJson(const User& u);
nlohmann::json WorkspaceJson(const Workspace& w);
nlohmann::json NoticeJson(const app::Notice& n);
nlohmann::json ReminderJson(const app::Reminder& r);
nlohmann::json HolidayJson(const app::HolidayRecord& r);  // year null: every year
nlohmann::json PolicyJson(const SlaPolicy& p);           // targets per priority, minutes or null

// An optional id or instant (RFC 3339) as JSON, null when absent.
template <typename Tag>
nlohmann::json IdOrNull(const std::optional<Id<Tag>>& id) {
  return id ? nlohmann::json(id->value) : nlohmann::json(nullptr);
}
nlohmann::json TimeOrNull(const std::optional<Instant>& t);
// An optional duration as its count in its own unit (seconds, minutes), null when absent.
template <typename Rep, typename Period>
nlohmann::json CountOrNull(const std::optional<std::chrono::duration<Rep, Period>>& d) {
  return d ? nlohmann::json(d->count()) : nlohmann::json(nullptr);
}

// The fields of a policy's targets for one priority, in the order of ResponseTargets' members: what
// PolicyJson writes and the policy routes read.
inline constexpr const char* kTargetKinds[] = {"first_response_minutes", "next_response_minutes", "resolution_minutes"};

}  // namespace rapport::http::api
