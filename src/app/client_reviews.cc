#include "app/client_reviews.h"

#include <algorithm>

#include "app/desk_support.h"
#include "app/local_time.h"
#include "app/unit_of_work.h"

namespace rapport::app {
namespace {

Status Refused() { return Status::PermissionDenied("your role does not see clients"); }

Result<std::optional<Meeting>> FindReview(StoreSession& s, ClientId client) {
  RAPPORT_ASSIGN_OR_RETURN(auto meetings, s.ListMeetings(MeetingQuery{client, std::nullopt}));
  for (const Meeting& m : meetings) {
    if (m.recurrence == MeetingRecurrence::kYearly) return std::optional<Meeting>(m);
  }
  return std::optional<Meeting>();
}

// The start of a yearly meeting in `year` (UTC date and time of the first), or nullopt for a
// February 29 in a common year.
std::optional<Instant> StartInYear(Instant first, std::chrono::year year) {
  using namespace std::chrono;
  const sys_days day = floor<days>(first);
  const year_month_day ymd(day);
  const year_month_day in_year{year, ymd.month(), ymd.day()};
  if (!in_year.ok()) return std::nullopt;
  return Instant(sys_days(in_year)) + (first - day);
}

}  // namespace

std::vector<MeetingOccurrence> ExpandMeetings(const std::vector<Meeting>& meetings, Instant from, Instant to) {
  using namespace std::chrono;
  std::vector<MeetingOccurrence> out;
  for (const Meeting& m : meetings) {
    const seconds length = minutes(m.duration_minutes);
    auto add = [&](Instant start) {
      if (start < to && start + length > from) out.push_back({m, start, start + length});
    };
    if (m.recurrence != MeetingRecurrence::kYearly) {
      add(m.starts_at);
      continue;
    }
    const int first_year = static_cast<int>(year_month_day(floor<days>(m.starts_at)).year());
    const int from_year = static_cast<int>(year_month_day(floor<days>(from - length)).year());
    const int to_year = static_cast<int>(year_month_day(floor<days>(to)).year());
    for (int y = std::max(first_year, from_year); y <= to_year; ++y) {
      if (auto start = StartInYear(m.starts_at, year(y))) add(*start);
    }
  }
  std::sort(out.begin(), out.end(), [](const MeetingOccurrence& a, const MeetingOccurrence& b) {
    return a.starts_at != b.starts_at ? a.starts_at < b.starts_at : a.meeting.id < b.meeting.id;
  });
  return out;
}

bool StartsAt(const Meeting& meeting, Instant at) {
  if (meeting.recurrence != MeetingRecurrence::kYearly || at <= meeting.starts_at) return at == meeting.starts_at;
  using namespace std::chrono;
  return StartInYear(meeting.starts_at, year_month_day(floor<days>(at)).year()) == at;
}

Result<std::optional<Meeting>> ClientReviews::Get(const Actor& actor, ClientId client) {
  if (!CanViewClients(actor)) return Refused();
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) -> Result<std::optional<Meeting>> {
    RAPPORT_RETURN_IF_ERROR(s.GetClient(client).status());
    return FindReview(s, client);
  });
}

Result<Meeting> ClientReviews::Set(const Actor& actor, ClientId client, const ReviewFields& f) {
  if (!CanViewClients(actor)) return Refused();
  const Instant now = clock_.Now();
  return InTransaction(pool_, [&](StoreSession& s) -> Result<Meeting> {
    RAPPORT_ASSIGN_OR_RETURN(Client c, s.GetClient(client));
    RAPPORT_ASSIGN_OR_RETURN(Workspace w, s.GetWorkspace());
    FieldErrors errors;
    auto starts = ParseLocalDateTime(f.starts_local, w.time_zone, "starts_local");
    if (!starts.ok()) errors.Add("starts_local", "must be a date and time like 2027-03-15T10:00");
    if (f.duration_minutes < 1 || f.duration_minutes > kMaxMeetingMinutes) {
      errors.Add("duration_minutes", "must be from 1 to " + std::to_string(kMaxMeetingMinutes));
    }
    const UserId owner = f.owner_user_id.value_or(actor.id);
    if (f.owner_user_id) {
      auto u = s.GetUser(owner);
      if (!u.ok() || !u->active) errors.Add("owner_user_id", "user " + IdText(owner.value) + " is not an active member");
    }
    std::string title = OneLine(f.title);
    if (title.empty()) title = "Annual review: " + c.name;
    errors.CheckText("title", title, kMaxNameChars + 20);
    RAPPORT_RETURN_IF_ERROR(errors.ToStatus());

    RAPPORT_ASSIGN_OR_RETURN(std::optional<Meeting> existing, FindReview(s, client));
    Meeting m = existing.value_or(Meeting{});
    m.client_id = client;
    m.title = title;
    m.starts_at = *starts;
    m.duration_minutes = f.duration_minutes;
    m.recurrence = MeetingRecurrence::kYearly;
    m.owner_user_id = owner;
    if (existing) {
      RAPPORT_RETURN_IF_ERROR(s.UpdateMeeting(m));
    } else {
      m.created_at = now;
      RAPPORT_ASSIGN_OR_RETURN(m.id, s.InsertMeeting(m));
    }
    AuditDetail d;
    d.Set("starts_at", FormatRfc3339(m.starts_at));
    d.Set("duration_minutes", std::int64_t{m.duration_minutes});
    RAPPORT_RETURN_IF_ERROR(WriteAudit(s, actor.id, "client", client.value, "annual_review_set", d, now));
    return m;
  });
}

Status ClientReviews::Clear(const Actor& actor, ClientId client) {
  if (!CanViewClients(actor)) return Refused();
  const Instant now = clock_.Now();
  return InTransaction(pool_, [&](StoreSession& s) -> Result<Done> {
           RAPPORT_RETURN_IF_ERROR(s.GetClient(client).status());
           RAPPORT_ASSIGN_OR_RETURN(std::optional<Meeting> existing, FindReview(s, client));
           if (!existing) return Done{};
           RAPPORT_RETURN_IF_ERROR(s.DeleteMeeting(existing->id));
           RAPPORT_RETURN_IF_ERROR(WriteAudit(s, actor.id, "client", client.value, "annual_review_cleared",
                                              AuditDetail(), now));
           return Done{};
         })
      .status();
}

Result<std::vector<MeetingOccurrence>> ClientReviews::List(const Actor& actor, Instant from, Instant to,
                                                           std::optional<ClientId> client) {
  if (!CanViewClients(actor)) return Refused();
  if (to <= from) return Status::FieldError("to", "must be after from");
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) -> Result<std::vector<MeetingOccurrence>> {
    RAPPORT_ASSIGN_OR_RETURN(auto meetings, s.ListMeetings(MeetingQuery{client, std::nullopt}));
    return ExpandMeetings(meetings, from, to);
  });
}

}  // namespace rapport::app
