#pragma once
// Instants are UTC seconds since the Unix epoch. Core never reads the clock: callers pass `now`.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace rapport {

using Instant = std::chrono::sys_seconds;

inline Instant InstantFromUnix(std::int64_t seconds) { return Instant(std::chrono::seconds(seconds)); }
inline std::int64_t ToUnix(Instant t) { return t.time_since_epoch().count(); }

// RFC 3339 in UTC with a Z suffix: 2026-11-22T15:04:05Z.
std::string FormatRfc3339(Instant t);
// The same instant in the ISO 8601 basic form that iCalendar uses (RFC 5545 DATE-TIME in UTC): 20261122T150405Z.
std::string FormatBasicUtc(Instant t);
// Accepts RFC 3339 date-times with Z or a numeric offset (fractions are truncated), and plain dates
// (YYYY-MM-DD, taken as midnight UTC). Returns nullopt for anything else.
std::optional<Instant> ParseRfc3339(std::string_view text);

}  // namespace rapport
