#pragma once
// How a ticket's promise reads on a page: a badge in ticket lists and on the ticket page, and the
// three due times of the ticket page. Computed from the clocks stored on the ticket and `now`
// (core/sla_clock.h OverallStateAt), in the viewer's time zone. The text says the state in words,
// so the badge never relies on its colour alone:
//   ok        "due in 2 h" (within a day), "due Mon 12:00" (later; a date after a week)
//   warning   "due soon: in 45 min"
//   breached  "breached 30 min ago" (a settled miss: "breached")
//   met       "met"
//   paused    "paused"
// A ticket without a promise has no badge.

#include <string>

#include "core/entities.h"
#include "http/web/templates.h"

namespace rapport::http::web {

// {key, text, title}: key is the state's name (the CSS class pm-<key>), title the exact due time.
// Empty Data (no "key") when the ticket has no promise.
Data PromiseBadgeData(const Ticket& t, Instant now, const std::string& zone);

// The ticket page's promise panel: the badge plus {label, when, state} items for the first
// response, next response and resolution due times ("not promised" when the ticket has none).
Data PromiseTimesData(const Ticket& t, Instant now, const std::string& zone);

}  // namespace rapport::http::web
