#include "app/calendar_feed.h"

#include "app/desk_support.h"
#include "app/unit_of_work.h"
#include "core/ical_writer.h"
#include "security/digest.h"
#include "security/tokens.h"

namespace rapport::app {
namespace {

constexpr std::size_t kTokenChars = 43;  // security::RandomToken's length
constexpr auto kReminderLength = std::chrono::minutes(15);

bool LooksLikeToken(const std::string& token) {
  if (token.size() != kTokenChars) return false;
  for (char c : token) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<std::string> CalendarFeed::Regenerate(const Actor& actor) {
  RAPPORT_ASSIGN_OR_RETURN(std::string token, security::RandomToken());
  const Instant now = clock_.Now();
  auto saved = InTransaction(pool_, [&](StoreSession& s) -> Result<Done> {
    RAPPORT_RETURN_IF_ERROR(s.SaveFeedToken(actor.id, security::Sha256Hex(token), now));
    RAPPORT_RETURN_IF_ERROR(WriteAudit(s, actor.id, "user", actor.id.value, "calendar_feed_new", AuditDetail(), now));
    return Done{};
  });
  if (!saved.ok()) return saved.status();
  return token;
}

Status CalendarFeed::Revoke(const Actor& actor) {
  const Instant now = clock_.Now();
  return InTransaction(pool_, [&](StoreSession& s) -> Result<Done> {
           RAPPORT_RETURN_IF_ERROR(s.DeleteFeedToken(actor.id));
           RAPPORT_RETURN_IF_ERROR(
               WriteAudit(s, actor.id, "user", actor.id.value, "calendar_feed_revoked", AuditDetail(), now));
           return Done{};
         })
      .status();
}

Result<bool> CalendarFeed::HasFeed(const Actor& actor) {
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) { return s.HasFeedToken(actor.id); });
}

Result<std::optional<std::string>> CalendarFeed::Render(const std::string& token, const std::string& client_address,
                                                        const std::string& base_url) {
  const Instant now = clock_.Now();
  const std::string key = client_address.substr(0, 64);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (failures_.Exceeded(key, now)) {
      return Status::ResourceExhausted("too many requests for unknown calendar feeds; wait and try again");
    }
  }
  auto refuse = [&]() -> Result<std::optional<std::string>> {
    std::lock_guard<std::mutex> lock(mu_);
    failures_.Record(key, now);
    return std::optional<std::string>();
  };
  if (!LooksLikeToken(token)) return refuse();

  struct Loaded {
    std::optional<User> user;
    std::vector<Reminder> reminders;
    std::vector<Meeting> meetings;  // with their clients' names, in the same read
  };
  RAPPORT_ASSIGN_OR_RETURN(Loaded loaded, InReadOnlyTransaction(pool_, [&](StoreSession& s) -> Result<Loaded> {
                             Loaded l;
                             RAPPORT_ASSIGN_OR_RETURN(auto id, s.FindUserByFeedToken(security::Sha256Hex(token)));
                             if (!id) return l;
                             RAPPORT_ASSIGN_OR_RETURN(User u, s.GetUser(*id));
                             if (!u.active) return l;
                             l.user = u;
                             RAPPORT_ASSIGN_OR_RETURN(l.reminders, s.ListReminders(ReminderQuery{u.id, true, kMaxPageSize}));
                             RAPPORT_ASSIGN_OR_RETURN(l.meetings, s.ListMeetings(MeetingQuery{std::nullopt, u.id}));
                             return l;
                           }));
  if (!loaded.user) return refuse();

  // UIDs must stay the same whatever address the feed is fetched by (the Host header: "localhost",
  // the LAN name, a proxy's), or a calendar shows each event again per address; and differ between
  // two desks subscribed in one calendar, whose ids overlap. The feed's own token, hashed apart from the
  // stored hash, gives both; a new token is a new subscription anyway.
  const std::string uid_suffix = "-" + security::Sha256Hex("calendar-uid:" + token).substr(0, 16) + "@rapport";
  ical::Calendar cal;
  cal.name = "Rapport: " + loaded.user->name;
  for (const Reminder& r : loaded.reminders) {
    ical::Event e;
    e.uid = "reminder-" + IdText(r.id.value) + uid_suffix;
    e.start = r.due_at;
    e.end = r.due_at + kReminderLength;
    e.summary = "Reminder: " + r.title;
    e.description = r.note;
    if (r.ticket_id) e.url = base_url + "/tickets/" + IdText(r.ticket_id->value);
    if (r.client_id) e.url = base_url + "/clients/" + IdText(r.client_id->value);
    cal.events.push_back(std::move(e));
  }
  for (const Meeting& m : loaded.meetings) {
    ical::Event e;
    e.uid = "meeting-" + IdText(m.id.value) + uid_suffix;
    e.start = m.starts_at;
    e.end = m.starts_at + std::chrono::minutes(m.duration_minutes);
    e.summary = m.title;
    e.description = "Client: " + m.client_name;
    e.url = base_url + "/clients/" + IdText(m.client_id.value);
    e.yearly = m.recurrence == MeetingRecurrence::kYearly;
    cal.events.push_back(std::move(e));
  }
  return std::optional<std::string>(ical::WriteCalendar(cal, now));
}

}  // namespace rapport::app
