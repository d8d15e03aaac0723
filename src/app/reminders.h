#pragma once
// Reminders on tickets and clients ("remind me in 2 business days"), and the worker that turns the
// due ones into notices (app/notices.h).
//
// Who may do what:
//   - everyone sets reminders for themselves; owners and admins also for another person;
//   - a reminder on a ticket needs the ticket to be visible to the actor and to the person reminded
//     (a subcontractor only has the tickets assigned to them); a reminder on a client needs a role
//     that sees clients (not a subcontractor);
//   - the person reminded, the one who set it, and owners and admins may snooze, finish or delete
//     it; to anyone else it does not exist (kNotFound, the same answer as for a missing id);
//   - everyone lists their own; owners and admins may list everyone's.
//
// Business time. "In N business hours" adds N hours of the workspace's business calendar
// (BusinessCalendar::Add). "In N business days" adds N times the length of an average business day
// of that calendar: its weekly business time divided by the number of weekdays that have business
// hours (Monday-Friday 09:00-17:00 gives 8 h, so Monday 10:00 + 2 business days = Wednesday 10:00,
// and Friday 16:00 + 1 business day = Monday 16:00). Why this rule and not "the same local time N
// business days later": it is one call to the calendar's exact arithmetic, so lunch breaks,
// holidays, overnight intervals and daylight-saving changes are handled by the code the property
// test checks, and a reminder set outside business hours still lands inside them; the cost is that a
// week of uneven days (a short Friday) shifts the time of day a little.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "app/periodic_worker.h"
#include "app/ports/clock.h"
#include "app/ports/store.h"
#include "app/session_pool.h"
#include "core/business_calendar.h"
#include "core/permissions.h"

namespace rapport::app {

inline constexpr std::size_t kMaxReminderTitleChars = 300;
inline constexpr std::size_t kMaxReminderNoteChars = 5000;
inline constexpr int kMaxReminderBusinessDays = 366;
inline constexpr int kMaxReminderBusinessHours = 24 * 366;

// When a reminder is due: exactly one of the three.
struct ReminderWhen {
  std::optional<Instant> at;
  std::optional<int> business_hours;  // 1..kMaxReminderBusinessHours
  std::optional<int> business_days;   // 1..kMaxReminderBusinessDays
};

struct ReminderFields {
  std::optional<TicketId> ticket_id;
  std::optional<ClientId> client_id;
  std::optional<UserId> user_id;  // who is reminded; default: the actor
  std::string title;              // default: the ticket's subject or the client's name
  std::string note;
  ReminderWhen when;
};

// The length of the calendar's average business day (see the header comment); 24 h for a calendar
// without weekly hours.
std::chrono::seconds AverageBusinessDay(const BusinessCalendar& calendar);

// `days` business days after `from`: days × AverageBusinessDay added with the calendar's exact
// arithmetic (reminders "in N business days", the nudges' waits). nullopt when the calendar has no
// business time that far.
std::optional<Instant> AddBusinessDays(const BusinessCalendar& calendar, Instant from, int days);

// The due instant for `when` from `now` on `calendar`; field errors under "due_at",
// "in_business_hours" and "in_business_days".
Result<Instant> ReminderDueTime(const BusinessCalendar& calendar, Instant now, const ReminderWhen& when);

class Reminders {
 public:
  Reminders(SessionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  Result<Reminder> Create(const Actor& actor, const ReminderFields& fields);
  Result<Reminder> Get(const Actor& actor, ReminderId id);
  // Moves the due time (it reminds again then, even if it already did).
  Result<Reminder> Snooze(const Actor& actor, ReminderId id, const ReminderWhen& when);
  // Marks it done (done twice keeps the first time).
  Result<Reminder> Done(const Actor& actor, ReminderId id);
  Status Delete(const Actor& actor, ReminderId id);
  // The actor's reminders, due first.
  Result<std::vector<Reminder>> ListMine(const Actor& actor, bool open_only = true);
  // The actor's open reminders on `ticket` or `client` (the ticket and client pages' panel), due first.
  Result<std::vector<Reminder>> ListMineOn(const Actor& actor, std::optional<TicketId> ticket,
                                           std::optional<ClientId> client);
  // Everyone's: owner and admin only (kPermissionDenied).
  Result<std::vector<Reminder>> ListAll(const Actor& actor, bool open_only = true);

 private:
  SessionPool& pool_;
  const Clock& clock_;
};

// One round of the reminder worker: for each open reminder due by `now` and not yet notified, raises
// a notice to its person (dedup key "reminder:<id>@<due unix seconds>", so a snoozed reminder
// reminds again) and marks it notified, in one transaction per reminder. A crash between rounds, or
// a notice raised already, is harmless: the notice's unique key keeps it single. Returns how many
// reminders were marked notified.
Result<int> DeliverDueReminders(SessionPool& pool, Instant now);

// Runs DeliverDueReminders every `poll` on its own thread inside `rapport serve`.
inline PeriodicWorker MakeReminderWorker(SessionPool& pool, const Clock& clock, std::chrono::milliseconds poll) {
  return PeriodicWorker([&pool](Instant now) { (void)DeliverDueReminders(pool, now); }, clock, poll);
}

}  // namespace rapport::app
