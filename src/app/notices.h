#pragma once
// Notices: short messages to one person — a reminder that came due, a promise about to slip, a
// review pack ready — shown in the web UI (with an unread count in the header) and emailed.
//
// Boundaries: a notice is delivered inside the recipient's own working hours (their weekly hours in
// their zone, with the workspace's holidays), unless they are on call, when it is delivered at once.
// Until its delivery time it is neither listed nor counted, and its email waits in the outbox
// (next_attempt_at = the delivery time).
//
// Exactly once: a notice names a dedup key (the reminder or ticket and its due time, as
// "reminder:42@1795600800", "promise_warning:7@1795600800"); raising it again for the same person
// changes nothing. A worker that crashes after raising and before recording that it did simply
// raises again on restart, harmlessly.

#include <optional>
#include <string>
#include <vector>

#include "app/ports/clock.h"
#include "app/ports/store.h"
#include "app/session_pool.h"
#include "core/permissions.h"

namespace rapport::app {

inline constexpr std::size_t kMaxNoticeTitleBytes = 600;  // longer titles and bodies are cut
inline constexpr std::size_t kMaxNoticeBodyBytes = 10000;
inline constexpr std::size_t kMaxDedupKeyChars = 200;

struct NoticeDraft {
  UserId user_id;
  std::string kind;  // "reminder", "promise_warning", "promise_breach", "review_pack"
  std::optional<TicketId> ticket_id;
  std::optional<ClientId> client_id;
  std::string title;  // one line
  std::string body;
  std::string dedup_key;  // required, unique per user
};

// What the notices of a round share, read once rather than per notice: the people, the workspace's
// holidays (each person's calendar is their own hours with these) and the mailbox notices are sent
// from (the default one, else the first; nullopt when none is configured). A worker reads it when a
// round has work; a change made meanwhile (a mailbox removed, a holiday added) is seen by its next round.
struct NoticeContext {
  std::vector<User> users;
  std::vector<Holiday> holidays;
  std::optional<Mailbox> mailbox;

  // The active people among every owner and `also` (an assignee, a meeting's owner), each once.
  std::vector<User> OwnersAnd(std::optional<UserId> also) const;
};
Result<NoticeContext> LoadNoticeContext(StoreSession& s);

// When a notice raised at `now` reaches `user`: `now` when they are on call; otherwise the first
// instant of their working time (their hours with `holidays`) at or after `now` (now itself inside
// their hours). A calendar with no working time at all delivers at `now` rather than never.
Result<Instant> NoticeDeliveryTime(const User& user, const std::vector<Holiday>& holidays, Instant now);

// Raises a notice inside the caller's transaction: stores it and, when a mailbox is configured and
// the person has an email address, queues an email to them (purpose automatic, Auto-Submitted, due
// at the delivery time). Returns true when the notice is new; false when the person already has a
// notice with this dedup key, or is deactivated (nothing is written then).
// kInvalidArgument for an empty dedup key or kind; kNotFound for an unknown user.
// The person is looked up in `context.users` (in the store when they came after it was read).
Result<bool> RaiseNotice(StoreSession& s, const NoticeContext& context, const NoticeDraft& draft, Instant now);
// The same for a single notice: reads the context first.
Result<bool> RaiseNotice(StoreSession& s, const NoticeDraft& draft, Instant now);

// The people's side: each person sees and marks only their own notices.
class Notices {
 public:
  Notices(SessionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}
  // Delivered notices, newest first; `limit` 1..kMaxPageSize.
  Result<std::vector<Notice>> List(const Actor& actor, bool unread_only, int limit = 50);
  Result<int> UnreadCount(const Actor& actor);
  // kNotFound when the notice is not the actor's.
  Status MarkRead(const Actor& actor, NoticeId id);
  // Marks every delivered notice of the actor read; returns how many were unread.
  Result<int> MarkAllRead(const Actor& actor);

 private:
  SessionPool& pool_;
  const Clock& clock_;
};

}  // namespace rapport::app
