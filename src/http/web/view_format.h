#pragma once
// How domain values read on a page: labels a person understands, ages, local times, and URL
// encoding. Every function returns plain text; the templates escape it.

#include <string>
#include <string_view>

#include "core/time.h"
#include "core/vocabulary.h"

namespace rapport::http::web {

std::string StatusLabel(TicketStatus s);      // "Waiting on client"
std::string PriorityLabel(Priority p);        // "Urgent"
std::string ChannelLabel(Channel c);          // "Email"
std::string RoleLabel(Role r);                // "Subcontractor"

// The time since `then` in one short unit: "just now", "5 min", "3 h", "2 d", "3 wk", "4 mo", "2 y".
std::string Age(Instant then, Instant now);
// "Nov 22, 2026 15:04" in the IANA time zone `zone` (UTC when the zone is unknown).
std::string LocalTime(Instant t, const std::string& zone);

// Percent-encodes a query-string value (RFC 3986 unreserved characters stay as they are).
std::string UrlEncode(std::string_view s);


}  // namespace rapport::http::web
