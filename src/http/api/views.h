#pragma once
// The JSON shape of each record in the API: snake_case fields, integer ids, RFC 3339 UTC instants,
// optional values as null. Users never carry their password hash.

#include <nlohmann/json.hpp>

#include "app/desk.h"
#include "core/entities.h"

namespace rapport::http::api {

nlohmann::json TicketJson(const Ticket& t);
nlohmann::json TicketRowJson(const app::TicketRow& row);  // the ticket plus client and contact names
nlohmann::json TicketViewJson(const app::TicketView& view);  // the ticket with messages, contact, client
nlohmann::json MessageJson(const Message& m);
nlohmann::json ClientJson(const Client& c);
nlohmann::json ContactJson(const Contact& c);
nlohmann::json UserJson(const User& u);
nlohmann::json WorkspaceJson(const Workspace& w);

}  // namespace rapport::http::api
