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
// `t` in the IANA time zone `zone` with a date::format `format`: "Nov 22, 2026 15:04" by default.
// An unknown zone (or no tz database) shows UTC and says so: "Nov 22, 2026 15:04 UTC".
std::string LocalTime(Instant t, const std::string& zone, const char* format = "%b %d, %Y %H:%M");

// Percent-encodes a query-string value (RFC 3986 unreserved characters stay as they are).
std::string UrlEncode(std::string_view s);


}  // namespace rapport::http::web
