#include "app/review_packs.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "app/client_reviews.h"
#include "app/local_time.h"
#include "app/notices.h"
#include "app/reports.h"
#include "app/ticket_rules.h"
#include "app/transaction.h"
#include "app/unit_of_work.h"
#include "core/markdown_text.h"

namespace rapport::app {
namespace {

Status Refused() { return Status::PermissionDenied("your role does not see clients"); }

// A name of the vocabulary in words: "waiting_on_client" -> "waiting on client", "web_form" -> "web form".
std::string Words(std::string_view name) {
  std::string out(name);
  for (char& ch : out) {
    if (ch == '_') ch = ' ';
  }
  return out;
}

std::string DurationLine(const char* what, const DurationSummary& d) {
  std::string line = std::string("- ") + what + ": ";
  if (!d.median) return line + "no figure (no ticket to measure)\n";
  // Written as the Reports page writes them ("3 h 20 min").
  return line + "median " + FormatBusinessDuration(*d.median) + ", 90th percentile " +
         FormatBusinessDuration(*d.p90) + " (" + std::to_string(d.count) + (d.count == 1 ? " ticket" : " tickets") +
         ")\n";
}

std::string AttainmentLine(const char* what, const Attainment& a) {
  std::string line = std::string("- ") + what + ": ";
  const std::optional<double> share = a.share();
  if (!share) return line + "none to count\n";
  return line + std::to_string(a.kept) + " kept, " + std::to_string(a.missed) + " missed (" + FormatKeptShare(*share) +
         " kept)\n";
}

// An occurrence that may need a pack.
struct Due {
  Meeting meeting;
  Instant at{};
};

// The occurrences of a round that need a pack, and what their notices share (read only when there
// are some).
struct DueRound {
  std::vector<Due> due;
  NoticeContext notices;
};

// The annual reviews with an occurrence starting in [now, now + review_pack_days], read in one
// snapshot; those that have a pack already are left out.
Result<DueRound> ReadDue(StoreSession& s, Instant now) {
  Transaction tx(s, TransactionMode::kReadOnly);
  RAPPORT_RETURN_IF_ERROR(tx.began());
  RAPPORT_ASSIGN_OR_RETURN(Workspace w, s.GetWorkspace());
  RAPPORT_ASSIGN_OR_RETURN(std::vector<Meeting> meetings, s.ListYearlyMeetings());
  DueRound out;
  if (meetings.empty()) return out;
  const Instant window_end = now + std::chrono::days(w.review_pack_days) + std::chrono::seconds(1);
  for (const MeetingOccurrence& o : ExpandMeetings(meetings, now, window_end)) {
    if (o.starts_at < now) continue;  // running already: too late for a pack
    RAPPORT_ASSIGN_OR_RETURN(bool has, s.HasReviewPack(o.meeting.id, o.starts_at));
    if (!has) out.due.push_back(Due{o.meeting, o.starts_at});
  }
  if (!out.due.empty()) {
    RAPPORT_ASSIGN_OR_RETURN(out.notices, LoadNoticeContext(s));
  }
  return out;
}

// One occurrence in a write transaction of its own; false when it needs no pack any more (it has
// one, or the review was moved or removed since it was read).
Result<bool> PrepareOne(StoreSession& s, const NoticeContext& context, const Due& due, Instant now) {
  Transaction tx(s);
  RAPPORT_RETURN_IF_ERROR(tx.began());
  RAPPORT_ASSIGN_OR_RETURN(std::vector<Meeting> meetings,
                           s.ListMeetings(MeetingQuery{due.meeting.client_id, std::nullopt}));
  const Meeting* current = nullptr;
  for (const Meeting& m : meetings) {
    if (m.id == due.meeting.id) current = &m;
  }
  if (current == nullptr || current->recurrence != MeetingRecurrence::kYearly || !StartsAt(*current, due.at)) {
    return false;
  }
  auto prepared = PrepareReviewPack(s, context, *current, due.at, now);
  if (!prepared.ok() && prepared.status().code() == StatusCode::kNotFound) return false;  // the client is gone
  if (!prepared.ok()) return prepared.status();
  if (!*prepared) return false;
  RAPPORT_RETURN_IF_ERROR(tx.Commit());
  return true;
}

}  // namespace

Instant YearBefore(Instant meeting_at) {
  using namespace std::chrono;
  const sys_days day = floor<days>(meeting_at);
  const year_month_day ymd(day);
  year_month_day before{ymd.year() - years(1), ymd.month(), ymd.day()};
  if (!before.ok()) before = year_month_day{before.year(), before.month(), std::chrono::day(28)};
  return Instant(sys_days(before)) + (meeting_at - day);
}

Result<ReviewPackFacts> GatherReviewPack(StoreSession& s, const Meeting& meeting, Instant meeting_at, Instant now) {
  RAPPORT_ASSIGN_OR_RETURN(Client client, s.GetClient(meeting.client_id));
  RAPPORT_ASSIGN_OR_RETURN(Workspace w, s.GetWorkspace());
  ReviewPackFacts f;
  f.client_id = client.id;
  f.client_name = client.name;
  f.meeting_title = meeting.title;
  if (auto owner = s.GetUser(meeting.owner_user_id); owner.ok()) {
    f.owner_name = owner->name;
  } else if (owner.status().code() != StatusCode::kNotFound) {
    return owner.status();
  }
  f.meeting_at = meeting_at;
  f.prepared_at = now;
  f.time_zone = w.time_zone;
  f.year_from = YearBefore(meeting_at);

  RAPPORT_ASSIGN_OR_RETURN(PromiseReport report, ComputePromiseReport(s, f.year_from, meeting_at, now, client.id));
  f.year = std::move(report.overall);

  TicketQuery year;
  year.client_id = client.id;
  year.created_from = f.year_from;
  year.created_to = meeting_at;
  for (Channel c : AllChannels()) {
    TicketQuery q = year;
    q.channels = {c};
    RAPPORT_ASSIGN_OR_RETURN(std::int64_t n, s.CountTickets(q));
    if (n > 0) f.requests_by_channel.emplace_back(c, n);
  }
  TicketQuery still_open = year;
  still_open.statuses = OpenStatuses();
  RAPPORT_ASSIGN_OR_RETURN(f.requests_open, s.CountTickets(still_open));

  TicketQuery open;
  open.client_id = client.id;
  open.statuses = still_open.statuses;
  open.sort = TicketSort::kDue;
  open.limit = kMaxPageSize;
  RAPPORT_ASSIGN_OR_RETURN(f.open_matters_total, s.CountTickets(open));
  RAPPORT_ASSIGN_OR_RETURN(Page<TicketRow> rows, s.ListTickets(open));
  for (const TicketRow& row : rows.items) {
    const Ticket& t = row.ticket;
    OpenMatter m;
    m.number = t.number;
    m.subject = t.subject;
    m.status = t.status;
    m.promise = OverallStateAt(t.sla_state, t.sla_warning_at, t.sla_due_at, now);
    m.due_at = t.sla_due_at;
    f.open_matters.push_back(std::move(m));
  }
  return f;
}

std::string RenderReviewPack(const ReviewPackFacts& f) {
  const std::string& zone = f.time_zone;
  std::string md = "# Review pack: " + EscapeMarkdownText(f.client_name) + "\n\n";
  md += "- Meeting: " + EscapeMarkdownText(f.meeting_title) + ", " + FormatReadableDateTime(f.meeting_at, zone) + "\n";
  md += "- Owner: " +
        (f.owner_name.empty() ? std::string("nobody (the user is gone)") : EscapeMarkdownText(f.owner_name)) + "\n";
  md += "- Year covered: requests created from " + FormatReadableDateTime(f.year_from, zone) + " up to the meeting\n";
  md += "- Prepared: " + FormatReadableDateTime(f.prepared_at, zone) + "; the figures are as of then\n\n";

  md += "## Requests this year\n\n";
  std::int64_t requests = 0;
  for (const auto& [channel, n] : f.requests_by_channel) requests += n;
  if (requests == 0) {
    md += "No requests this year.\n\n";
  } else {
    md += std::to_string(requests) + (requests == 1 ? " request: " : " requests: ") +
          std::to_string(requests - f.requests_open) + " resolved or closed, " + std::to_string(f.requests_open) +
          " still open.\n\n";
    for (const auto& [channel, n] : f.requests_by_channel) {
      md += "- " + Words(Name(channel)) + ": " + std::to_string(n) + "\n";
    }
    md += "\n";
  }

  md += "## Promises\n\n";
  md += "In business hours of the workspace calendar, as on the Reports page.\n\n";
  md += DurationLine("First response time", f.year.first_response);
  md += DurationLine("Resolution time", f.year.resolution);
  md += AttainmentLine("First-response promises", f.year.first_response_attainment);
  md += AttainmentLine("Next-response promises", f.year.next_response_attainment);
  md += AttainmentLine("Resolution promises", f.year.resolution_attainment);
  md += AttainmentLine("All promises", f.year.overall_attainment);
  md += "\n";

  md += "## Hours spent\n\n";
  md += "Not tracked yet: Rapport does not record the time spent on tickets, so this pack gives no figure.\n\n";

  md += "## Open matters\n\n";
  if (f.open_matters_total == 0) {
    md += "No open tickets.\n";
    return md;
  }
  md += std::to_string(f.open_matters_total) + (f.open_matters_total == 1 ? " open ticket" : " open tickets") +
        ", the earliest due first";
  if (static_cast<std::int64_t>(f.open_matters.size()) < f.open_matters_total) {
    md += " (the first " + std::to_string(f.open_matters.size()) + " listed)";
  }
  md += ":\n\n";
  for (const OpenMatter& m : f.open_matters) {
    md += "- #" + std::to_string(m.number) + " " + EscapeMarkdownText(m.subject) + " - " + Words(Name(m.status));
    if (m.promise == SlaState::kNone) {
      md += ", no promise";
    } else {
      md += ", promise " + Words(Name(m.promise));
      if (m.due_at) md += ", due " + FormatReadableDateTime(*m.due_at, zone);
    }
    md += "\n";
  }
  return md;
}

Result<std::optional<ReviewPackId>> PrepareReviewPack(StoreSession& s, const NoticeContext& context,
                                                      const Meeting& meeting, Instant meeting_at, Instant now) {
  RAPPORT_ASSIGN_OR_RETURN(bool has, s.HasReviewPack(meeting.id, meeting_at));
  if (has) return std::optional<ReviewPackId>();
  RAPPORT_ASSIGN_OR_RETURN(ReviewPackFacts facts, GatherReviewPack(s, meeting, meeting_at, now));
  ReviewPack pack;
  pack.client_id = meeting.client_id;
  pack.meeting_id = meeting.id;
  pack.meeting_at = meeting_at;
  pack.created_at = now;
  pack.body = RenderReviewPack(facts);
  RAPPORT_ASSIGN_OR_RETURN(std::optional<ReviewPackId> id, s.InsertReviewPack(pack));
  if (!id) return id;  // another worker prepared it in the meantime

  for (const User& person : context.OwnersAnd(meeting.owner_user_id)) {
    NoticeDraft n;
    n.user_id = person.id;
    n.kind = "review_pack";
    n.client_id = meeting.client_id;
    n.title = "Review pack ready: " + facts.client_name + " annual review on " +
              FormatReadableDateTime(meeting_at, person.time_zone);
    n.body = "The pack (requests this year, promises kept, open matters) is on the client's page under Review packs.";
    n.dedup_key = "review_pack:" + std::to_string(meeting.id.value) + "@" + std::to_string(ToUnix(meeting_at));
    RAPPORT_RETURN_IF_ERROR(RaiseNotice(s, context, n, now).status());
  }
  return id;
}

Result<std::optional<ReviewPackId>> PrepareReviewPack(StoreSession& s, const Meeting& meeting, Instant meeting_at,
                                                      Instant now) {
  RAPPORT_ASSIGN_OR_RETURN(NoticeContext context, LoadNoticeContext(s));
  return PrepareReviewPack(s, context, meeting, meeting_at, now);
}

Result<int> PrepareReviewPacks(SessionPool& pool, Instant now) {
  RAPPORT_ASSIGN_OR_RETURN(SessionPool::Lease s, pool.Acquire());
  RAPPORT_ASSIGN_OR_RETURN(DueRound round, ReadDue(*s, now));
  int prepared = 0;
  for (const Due& d : round.due) {
    RAPPORT_ASSIGN_OR_RETURN(bool made, PrepareOne(*s, round.notices, d, now));
    prepared += made ? 1 : 0;
  }
  return prepared;
}

Result<std::vector<ReviewPack>> ReviewPacks::List(const Actor& actor, ClientId client) {
  if (!CanViewClients(actor)) return Refused();
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) -> Result<std::vector<ReviewPack>> {
    RAPPORT_RETURN_IF_ERROR(s.GetClient(client).status());
    return s.ListReviewPacks(client, kMaxPageSize);
  });
}

Result<ReviewPack> ReviewPacks::Get(const Actor& actor, ReviewPackId id) {
  if (!CanViewClients(actor)) return Refused();
  return InReadOnlyTransaction(pool_, [&](StoreSession& s) -> Result<ReviewPack> { return s.GetReviewPack(id); });
}

}  // namespace rapport::app
