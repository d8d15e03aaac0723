#pragma once
// Wall-clock date-times as people type them in forms ("2026-11-25T09:30", an HTML datetime-local
// value) in a named IANA zone, and back.

#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"

namespace rapport::app {

// "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS" (a space may stand for the T) read in `zone`. A wall
// time skipped by a daylight-saving change is read as the instant of the change; a repeated one as
// its first occurrence. kInvalidArgument (field error on `field`) for anything else or an unknown zone.
Result<Instant> ParseLocalDateTime(std::string_view text, const std::string& zone, const std::string& field);

// `t` as "YYYY-MM-DDTHH:MM" in `zone` (UTC when the zone is unknown): a datetime-local value.
std::string FormatLocalDateTime(Instant t, const std::string& zone);

// `t` for people to read in messages, with the zone named: "Tue 24 Nov 2026, 15:00 (Europe/London)".
// UTC when the zone is unknown.
std::string FormatReadableDateTime(Instant t, const std::string& zone);

}  // namespace rapport::app
