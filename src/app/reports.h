#pragma once
// Reports: the promise report (core/promise_report.h) of the tickets created in a period, computed
// with the workspace's business calendar and response policies exactly as the promise clocks are,
// for the screen, the API, the CLI and as CSV.
//
// Who may see it: owners, admins and agents (CanSeeReports); not subcontractors, who see only their
// own tickets and no clients.
//
// The period is given as dates in the workspace's time zone, "YYYY-MM-DD": the report covers the
// tickets created from local midnight of `from` up to, not including, local midnight of `to`. When
// `to` is empty it is tomorrow (so today is included); when `from` is empty it is kDefaultReportDays
// days before `to`.

#include <optional>
#include <string>
#include <string_view>

#include "app/ports/store.h"
#include "app/session_pool.h"
#include "core/permissions.h"
#include "core/promise_report.h"

namespace rapport::app {

inline constexpr int kDefaultReportDays = 30;

struct ReportPeriod {
  std::string from;  // "YYYY-MM-DD" in the workspace zone; empty: the default
  std::string to;    // exclusive; empty: the default
};

struct PromiseReportView {
  PromiseReport report;  // report.from / report.to are the period's instants
  std::string from;      // the period as dates in the workspace zone (to exclusive)
  std::string to;
  std::string time_zone;  // the workspace's
};

// Errors: kPermissionDenied (a subcontractor), kInvalidArgument with field errors "from" / "to" (not a
// date YYYY-MM-DD, or `to` not after `from`), kUnavailable when the database does not answer, and
// the errors of LoadWorkspaceCalendar. Reads one snapshot (a read-only transaction).
Result<PromiseReportView> BuildPromiseReport(SessionPool& pool, const Actor& actor, const ReportPeriod& period,
                                             Instant now);

// The report of the tickets created in [from, to), in the caller's transaction: loads the calendar
// and the policies, streams the tickets with their events (StoreSession::StreamReportTickets), and
// computes each ticket's clocks at `now` with its policy (ChoosePolicy by the client's plan) and
// priority. With `client`, only that client's tickets (a review pack's year, app/review_packs.h).
// No role check: for the use cases, benchmarks and tests.
Result<PromiseReport> ComputePromiseReport(StoreSession& s, Instant from, Instant to, Instant now,
                                           std::optional<ClientId> client = std::nullopt);

// The report as CSV (RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote, CR or
// LF quoted with inner quotes doubled), one header line and one line per group: overall first, then
// per policy, per client, per person. Durations in whole business seconds, attainment as a share
// with four decimals; empty cells where there is no figure. Pure.
std::string PromiseReportCsv(const PromiseReportView& view);
// The CSV's file name: "promises-<from>-to-<to>.csv" (the dates of the period, `to` exclusive).
std::string PromiseReportFileName(const PromiseReportView& view);

// One CSV field: quoted as RFC 4180 requires, and - against formula injection in spreadsheets - a
// value that begins with = + - @ (or a tab or carriage return) gets a leading single quote.
std::string CsvField(std::string_view value);

}  // namespace rapport::app
