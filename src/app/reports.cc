#include "app/reports.h"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <optional>

#include "app/local_time.h"
#include "app/ticket_clocks.h"
#include "app/unit_of_work.h"
#include "app/validation.h"

namespace rapport::app {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

// "YYYY-MM-DD" as a calendar day; nullopt for anything else (including 2026-02-30).
std::optional<sys_days> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](std::size_t pos, std::size_t len) -> std::optional<int> {
    int v = 0;
    const char* first = text.data() + pos;
    auto [end, ec] = std::from_chars(first, first + len, v);
    if (ec != std::errc() || end != first + len) return std::nullopt;
    return v;
  };
  const auto y = number(0, 4), m = number(5, 2), d = number(8, 2);
  if (!y || !m || !d) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year(*y), std::chrono::month(static_cast<unsigned>(*m)),
                                        std::chrono::day(static_cast<unsigned>(*d))};
  if (!ymd.ok()) return std::nullopt;
  return sys_days(ymd);
}

std::string DateText(sys_days day) {
  const std::chrono::year_month_day ymd(day);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

struct ResolvedPeriod {
  std::string from, to;
  Instant from_at{}, to_at{};
};

// The period's dates (defaults filled in) and their local midnights in `zone`.
Result<ResolvedPeriod> ResolvePeriod(const ReportPeriod& period, const std::string& zone, Instant now) {
  FieldErrors errors;
  auto date = [&](const std::string& field, const std::string& text) -> std::optional<sys_days> {
    if (text.empty()) return std::nullopt;
    std::optional<sys_days> d = ParseDate(text);
    if (!d) errors.Add(field, "must be a date YYYY-MM-DD");
    return d;
  };
  const std::optional<sys_days> from = date("from", period.from);
  const std::optional<sys_days> to = date("to", period.to);
  RAPPORT_RETURN_IF_ERROR(errors.ToStatus());
  const std::optional<sys_days> today = ParseDate(FormatLocalDateTime(now, zone).substr(0, 10));
  ResolvedPeriod r;
  const sys_days end = to ? *to : today.value_or(sys_days{}) + days(1);
  const sys_days begin = from ? *from : end - days(kDefaultReportDays);
  if (end <= begin) return Status::FieldError("to", "must be a later date than from (the period ends before it)");
  r.from = DateText(begin);
  r.to = DateText(end);
  RAPPORT_ASSIGN_OR_RETURN(r.from_at, ParseLocalDateTime(r.from + "T00:00", zone, "from"));
  RAPPORT_ASSIGN_OR_RETURN(r.to_at, ParseLocalDateTime(r.to + "T00:00", zone, "to"));
  return r;
}

std::string Seconds(const std::optional<std::chrono::seconds>& s) { return s ? std::to_string(s->count()) : ""; }

std::string Share(const Attainment& a) {
  const std::optional<double> share = a.share();
  if (!share) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.4f", *share);
  return buf;
}

void AppendRow(std::string& out, std::initializer_list<std::string_view> cells) {
  bool first = true;
  for (std::string_view cell : cells) {
    if (!first) out += ',';
    first = false;
    out += CsvField(cell);
  }
  out += "\r\n";
}

void AppendGroup(std::string& out, ReportGrouping grouping, const ReportGroup& g) {
  auto n = [](std::int64_t v) { return std::to_string(v); };
  AppendRow(out, {Name(grouping), g.id == 0 ? "" : n(g.id), g.name, n(g.tickets), n(g.first_response.count),
                  Seconds(g.first_response.median), Seconds(g.first_response.p90), n(g.resolution.count),
                  Seconds(g.resolution.median), Seconds(g.resolution.p90), n(g.first_response_attainment.kept),
                  n(g.first_response_attainment.missed), n(g.next_response_attainment.kept),
                  n(g.next_response_attainment.missed), n(g.resolution_attainment.kept),
                  n(g.resolution_attainment.missed), n(g.overall_attainment.kept), n(g.overall_attainment.missed),
                  Share(g.overall_attainment)});
}

}  // namespace

Result<PromiseReport> ComputePromiseReport(StoreSession& s, Instant from, Instant to, Instant now,
                                           std::optional<ClientId> client) {
  // The same calendar and policies, chosen the same way, as the clocks kept on the tickets.
  RAPPORT_ASSIGN_OR_RETURN(const PromiseContext context, LoadPromiseContext(s));
  PromiseReportBuilder builder(from, to, now);
  ReportTicket ticket;
  const ReportTicketVisitor add = [&](const ReportTicketRow& row) {
    const PromiseTerms terms = context.TermsFor(row.priority, row.client_plan);
    const SlaPolicy* policy = terms.policy;
    ticket.id = row.id;
    ticket.number = row.number;
    ticket.created_at = row.created_at;
    ticket.client_id = row.client_id;
    ticket.client_name = row.client_name;
    ticket.assignee_id = row.assignee_id;
    ticket.assignee_name = row.assignee_name;
    ticket.policy_id = policy ? std::optional<SlaPolicyId>(policy->id) : std::nullopt;
    ticket.policy_name = policy ? policy->name : std::string();
    ticket.measures = MeasureTicket(row.events, terms.targets, terms.warning_percent, context.calendar, now);
    builder.Add(ticket);
    return Status::Ok();
  };
  RAPPORT_RETURN_IF_ERROR(client ? s.StreamClientReportTickets(*client, from, to, add)
                                 : s.StreamReportTickets(from, to, add));
  return builder.Finish();
}

Result<PromiseReportView> BuildPromiseReport(SessionPool& pool, const Actor& actor, const ReportPeriod& period,
                                             Instant now) {
  if (!CanSeeReports(actor)) return Status::PermissionDenied("reports are for owners, admins and agents");
  return InReadOnlyTransaction(pool, [&](StoreSession& s) -> Result<PromiseReportView> {
    RAPPORT_ASSIGN_OR_RETURN(Workspace w, s.GetWorkspace());
    RAPPORT_ASSIGN_OR_RETURN(ResolvedPeriod p, ResolvePeriod(period, w.time_zone, now));
    PromiseReportView view;
    RAPPORT_ASSIGN_OR_RETURN(view.report, ComputePromiseReport(s, p.from_at, p.to_at, now));
    view.from = std::move(p.from);
    view.to = std::move(p.to);
    view.time_zone = w.time_zone;
    return view;
  });
}

std::string PromiseReportCsv(const PromiseReportView& view) {
  std::string out;
  AppendRow(out, {"grouping", "id", "name", "tickets", "first_response_count", "first_response_median_seconds",
                  "first_response_p90_seconds", "resolution_count", "resolution_median_seconds",
                  "resolution_p90_seconds", "first_response_kept", "first_response_missed", "next_response_kept",
                  "next_response_missed", "resolution_kept", "resolution_missed", "promises_kept", "promises_missed",
                  "attainment"});
  const PromiseReport& r = view.report;
  AppendGroup(out, ReportGrouping::kOverall, r.overall);
  for (const ReportGroup& g : r.by_policy) AppendGroup(out, ReportGrouping::kPolicy, g);
  for (const ReportGroup& g : r.by_client) AppendGroup(out, ReportGrouping::kClient, g);
  for (const ReportGroup& g : r.by_person) AppendGroup(out, ReportGrouping::kPerson, g);
  return out;
}

std::string PromiseReportFileName(const PromiseReportView& view) {
  return "promises-" + view.from + "-to-" + view.to + ".csv";
}

std::string CsvField(std::string_view value) {
  std::string text;
  if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@' ||
                         value[0] == '\t' || value[0] == '\r')) {
    text += '\'';
  }
  text += value;
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

}  // namespace rapport::app
