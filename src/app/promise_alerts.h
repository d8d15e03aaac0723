#pragma once
// Promise alerts: a notice to the ticket's assignee and to the owners when a promise reaches its
// warning share ("at risk") and again when it is broken, once each.
//
// Once each, across restarts and nodes: an alert is recorded per (ticket, level, due time) in the
// same transaction as its notices, and the notices carry the same key. A due time that moves (a
// pause, a policy change) is a new promise and may be alerted again. Notices reach people inside
// their own working hours unless they are on call (app/notices.h).
//
// Only news: a promise broken more than 24 hours before a round is not alerted (the first start
// after an upgrade or on the demo data, or a worker that was down, would otherwise send a notice and
// an email per old ticket). The badge and the report still show it broken.

#include <chrono>

#include "app/periodic_worker.h"
#include "app/ports/clock.h"
#include "app/ports/store.h"
#include "app/session_pool.h"

namespace rapport::app {

// Raises the alerts that are due at `now`, one ticket per transaction. Returns how many tickets
// were alerted. A worker that dies midway has committed whole tickets only.
Result<int> RaisePromiseAlerts(SessionPool& pool, Instant now);

// Runs RaisePromiseAlerts every `poll` inside `rapport serve`.
inline PeriodicWorker MakePromiseAlertWorker(SessionPool& pool, const Clock& clock, std::chrono::milliseconds poll) {
  return PeriodicWorker([&pool](Instant now) { (void)RaisePromiseAlerts(pool, now); }, clock, poll);
}

}  // namespace rapport::app
