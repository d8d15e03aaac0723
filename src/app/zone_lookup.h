#pragma once
// The one place that looks a zone name up in the IANA tz database (Howard Hinnant's date/tz) and the
// one that writes an instant in a zone. It names date/tz types, so include it only from .cc files of
// targets that link date::date-tz (rapport_app, rapport_web); the app's other headers keep date/tz out.

#include <date/tz.h>

#include <string>
#include <string_view>

#include "core/time.h"

namespace rapport::app {

// The zone called `name` ("Europe/London"; "" means UTC), or nullptr when the database does not know
// the name (names are case-sensitive) or cannot be read. Never throws.
const date::time_zone* LocateZone(std::string_view name);

// `t` written with date::format's `format` ("%a %d %b %Y, %H:%M") as the wall time in `zone`, or in
// UTC when `zone` is nullptr.
std::string FormatInZone(Instant t, const date::time_zone* zone, const char* format);

}  // namespace rapport::app
