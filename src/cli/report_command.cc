// `rapport report promises [--from D] [--to D] [--csv]`: the promise report (app/reports.h) of the
// tickets created in a period, as a table on stdout or as CSV. The command line runs as the operator
// (whoever holds the database runs the business), so it sees what an owner sees.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "app/ports/clock.h"
#include "app/reports.h"
#include "cli/command.h"
#include "cli/exit_codes.h"

namespace rapport::cli {
namespace {

struct ReportFlags {
  CommonFlags common;
  std::string from;
  std::string to;
  bool csv = false;
};

std::string Duration(const std::optional<std::chrono::seconds>& d) { return d ? FormatBusinessDuration(*d) : "-"; }

std::string Kept(const Attainment& a) {
  const std::optional<double> share = a.share();
  if (!share) return "-";
  return std::to_string(static_cast<int>(*share * 100 + 0.5)) + "% of " + std::to_string(a.kept + a.missed);
}

using Row = std::vector<std::string>;

Row GroupRow(std::string_view grouping, const ReportGroup& g) {
  return {std::string(grouping), g.name, std::to_string(g.tickets),
          Duration(g.first_response.median), Duration(g.first_response.p90),
          Duration(g.resolution.median), Duration(g.resolution.p90), Kept(g.overall_attainment)};
}

// Columns padded to their widest cell, two spaces apart (names are counted in bytes: a name with
// accents may shift its row a little, which a terminal reader forgives).
void PrintTable(std::ostream& out, const std::vector<Row>& rows) {
  std::vector<std::size_t> width;
  for (const Row& row : rows) {
    width.resize(std::max(width.size(), row.size()));
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const Row& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    out << line << '\n';
  }
}

int RunPromiseReport(const ReportFlags& flags) {
  auto store = OpenMigratedStore(flags.common);
  if (!store.ok()) return Fail(store.status());
  app::SessionPool pool(**store);
  app::SystemClock clock;
  const Actor operator_actor{UserId(), Role::kOwner};
  auto view = app::BuildPromiseReport(pool, operator_actor, {flags.from, flags.to}, clock.Now());
  if (!view.ok() && view.status().code() == StatusCode::kInvalidArgument) {
    return Report(kExitUsage, "rapport", view.status().message());
  }
  if (!view.ok()) return Fail(view.status());
  if (flags.csv) {
    std::cout << app::PromiseReportCsv(*view);
    return kExitOk;
  }
  const PromiseReport& r = view->report;
  std::cout << "Promises: tickets created from " << view->from << " up to, not including, " << view->to << " ("
            << view->time_zone << ").\nTimes in business hours; median and 90th percentile by nearest rank.\n\n";
  std::vector<Row> rows = {{"group", "name", "tickets", "first response", "p90", "resolution", "p90", "kept"}};
  rows.push_back(GroupRow(Name(ReportGrouping::kOverall), r.overall));
  for (const ReportGroup& g : r.by_policy) rows.push_back(GroupRow(Name(ReportGrouping::kPolicy), g));
  for (const ReportGroup& g : r.by_client) rows.push_back(GroupRow(Name(ReportGrouping::kClient), g));
  for (const ReportGroup& g : r.by_person) rows.push_back(GroupRow(Name(ReportGrouping::kPerson), g));
  PrintTable(std::cout, rows);
  return kExitOk;
}

}  // namespace

void AddReportCommand(CLI::App& app, Outcome& outcome) {
  auto* report = app.add_subcommand("report", "Print reports");
  report->require_subcommand(1);
  auto* promises = report->add_subcommand(
      "promises", "Response and resolution times in business hours and promises kept, per policy, client and person");
  // Shared with the callback, which CLI11 keeps after this function returns.
  auto flags = std::make_shared<ReportFlags>();
  AddCommonFlags(*promises, flags->common);
  promises->add_option("--from", flags->from,
                       "first day YYYY-MM-DD in the workspace zone (default: 30 days before --to)");
  promises->add_option("--to", flags->to, "the day after the last, YYYY-MM-DD, not included (default: tomorrow)");
  promises->add_flag("--csv", flags->csv, "print CSV (RFC 4180) instead of a table");
  promises->callback([flags, &outcome] { outcome.exit_code = RunPromiseReport(*flags); });
}

}  // namespace rapport::cli
