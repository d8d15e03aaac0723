#pragma once
// The records of the business calendar and the response policies that the store keeps beside the
// workspace row (which holds the weekly hours and the zone): holidays with their ids. Policies are
// core's SlaPolicy (core/sla_policy.h) as they are, with their id.

#include "core/business_calendar.h"
#include "core/ids.h"
#include "core/sla_policy.h"

namespace rapport::app {

using HolidayId = Id<struct HolidayTag>;

struct HolidayRecord {
  HolidayId id;
  Holiday holiday;
};

}  // namespace rapport::app
