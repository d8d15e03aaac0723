#pragma once
// The follow-up records the store keeps: notices (in-app messages to one person, also emailed),
// reminders on tickets and clients, meetings with clients, and the hashes of the calendar feeds'
// secret tokens. Plain values; the rules live in app/notices.h, app/reminders.h,
// app/client_reviews.h and app/calendar_feed.h.

#include <optional>
#include <string>
#include <string_view>

#include "core/ids.h"
#include "core/time.h"

namespace rapport {
using NoticeId = Id<struct NoticeTag>;
using ReminderId = Id<struct ReminderTag>;
using MeetingId = Id<struct MeetingTag>;
}  // namespace rapport

namespace rapport::app {

struct Notice {
  NoticeId id;
  UserId user_id;
  std::string kind;  // "reminder", "promise_warning", "promise_breach", "review_pack"
  std::optional<TicketId> ticket_id;
  std::optional<ClientId> client_id;
  std::string title;
  std::string body;
  // Unique per user: raising a notice with a key the user already has changes nothing.
  std::string dedup_key;
  Instant created_at{};
  Instant deliver_at{};              // shown and emailed from then on (inside the person's hours)
  std::optional<Instant> emailed_at; // when an email was queued for it; nullopt: none was
  std::optional<Instant> read_at;
};

struct Reminder {
  ReminderId id;
  UserId user_id;  // who is reminded
  std::optional<TicketId> ticket_id;
  std::optional<ClientId> client_id;
  std::string title;
  std::string note;
  Instant due_at{};
  std::optional<Instant> done_at;
  UserId created_by;
  Instant created_at{};
  std::optional<Instant> notified_at;  // the notice was raised then
};

struct ReminderQuery {
  std::optional<UserId> user_id;  // nullopt: everyone's
  bool open_only = true;          // not done
  int limit = 200;                // 1..kMaxPageSize
  std::optional<TicketId> ticket_id = std::nullopt;  // only those on this ticket
  std::optional<ClientId> client_id = std::nullopt;  // only those on this client
};  // ordered by due_at, then id

enum class MeetingRecurrence { kNone, kYearly };
std::string_view MeetingRecurrenceName(MeetingRecurrence r);  // "none", "yearly"
std::optional<MeetingRecurrence> ParseMeetingRecurrence(std::string_view s);

struct Meeting {
  MeetingId id;
  ClientId client_id;
  std::string title;
  Instant starts_at{};
  int duration_minutes = 60;
  MeetingRecurrence recurrence = MeetingRecurrence::kNone;
  UserId owner_user_id;
  Instant created_at{};
  std::string client_name;  // read with the meeting: the client's current name (not stored on it)
};

struct MeetingQuery {
  std::optional<ClientId> client_id;
  std::optional<UserId> owner_user_id;
};  // ordered by starts_at, then id

}  // namespace rapport::app
