#pragma once
// Meetings with clients, and each client's annual review: one yearly meeting per client, set and
// cleared from the client page. Staff only (subcontractors do not see clients).
//
// A yearly meeting recurs on the same UTC date and time each year (as its iCalendar form
// "DTSTART:...Z" with "RRULE:FREQ=YEARLY" does, so the list and the feed agree); a February 29 start
// recurs in leap years only.

#include <optional>
#include <string>
#include <vector>

#include "app/ports/clock.h"
#include "app/ports/store.h"
#include "app/session_pool.h"
#include "core/permissions.h"

namespace rapport::app {

inline constexpr int kMaxMeetingMinutes = 24 * 60;

struct ReviewFields {
  std::string starts_local;  // "YYYY-MM-DDTHH:MM" in the workspace's time zone
  int duration_minutes = 60; // 1..kMaxMeetingMinutes
  std::optional<UserId> owner_user_id;  // default: the actor; must be an active member
  std::string title;         // default: "Annual review: <client>"
};

// One occurrence of a meeting in a range.
struct MeetingOccurrence {
  Meeting meeting;
  Instant starts_at{};
  Instant ends_at{};
};

// The occurrences of `meetings` that overlap [from, to), by start.
std::vector<MeetingOccurrence> ExpandMeetings(const std::vector<Meeting>& meetings, Instant from, Instant to);
// Whether `meeting` has an occurrence starting at `at` (its start; for a yearly one, its start in
// at's year, from its first year on).
bool StartsAt(const Meeting& meeting, Instant at);

class ClientReviews {
 public:
  ClientReviews(SessionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}
  // The client's annual review, if set. kNotFound for an unknown client.
  Result<std::optional<Meeting>> Get(const Actor& actor, ClientId client);
  // Sets (or moves) the client's annual review. Field errors: starts_local, duration_minutes,
  // owner_user_id, title.
  Result<Meeting> Set(const Actor& actor, ClientId client, const ReviewFields& fields);
  // Removes the client's annual review; a no-op when none is set.
  Status Clear(const Actor& actor, ClientId client);
  // Meetings (all clients, or one) that overlap [from, to), yearly ones expanded.
  Result<std::vector<MeetingOccurrence>> List(const Actor& actor, Instant from, Instant to,
                                              std::optional<ClientId> client = std::nullopt);

 private:
  SessionPool& pool_;
  const Clock& clock_;
};

}  // namespace rapport::app
