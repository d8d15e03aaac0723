#pragma once
// Time zones and calendars from the IANA tz database (Howard Hinnant's date/tz over the system's
// zoneinfo): the adapter that turns a zone name into core's ZoneRules, and a person's calendar.

#include <string_view>
#include <vector>

#include "core/business_calendar.h"
#include "core/entities.h"
#include "core/status.h"
#include "core/zone_rules.h"

namespace rapport {

// The UTC offsets of `iana_name` ("Europe/London") from 1900-01-01 to 2200-01-01; the offset in
// force at 2200 (standard or daylight time, as the rules have it) continues after, the one of 1900
// applies before. Results are cached by name (thread-safe), so calling it per request is cheap after
// the first call: a copy of the cached spans. kInvalidArgument with a field error on "time_zone" for
// a name the database does not know (names are case-sensitive, as in the database).
Result<ZoneRules> LoadZoneRules(std::string_view iana_name);

// A person's own working time: their weekly working_hours in their time_zone, with `holidays` (the
// workspace's, as a rule). A user with no working hours set works DefaultBusinessHours() (Monday to
// Friday, 09:00-17:00) in their zone; an empty zone means UTC. Errors: those of LoadZoneRules and BusinessCalendar::Make.
Result<BusinessCalendar> PersonCalendar(const User& user, std::vector<Holiday> holidays);

}  // namespace rapport
