// Issue 4 part 5: the time to build the promise report (app::ComputePromiseReport) over every ticket
// of a database, for 100,000 tickets on SQLite: one read-only transaction that loads the calendar
// and the policies, streams the tickets of the period with their events (StoreSession::
// StreamReportTickets), computes each ticket's clocks (MeasureTicket) and groups them.
//
//   rapport_promise_report_bench --db sqlite:/tmp/reports-bench/bench.db [--from 2000-01-01T00:00:00Z]
//                                [--to 2100-01-01T00:00:00Z] [--now 2026-11-23T12:00:00Z] [--runs 5]
//
// The database is any migrated Rapport store; bench/README.md ("Promise reports") says which one
// the figures in RESULTS.md come from. Prints the tickets, the events read and each run's wall time,
// then the best and the median run.

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "app/ports/store.h"
#include "app/reports.h"
#include "app/transaction.h"

namespace rapport {
namespace {

int Run(const std::string& url, Instant from, Instant to, Instant now, int runs) {
  auto store = app::OpenStore(url);
  if (!store.ok()) {
    std::fprintf(stderr, "open %s: %s\n", url.c_str(), store.status().ToString().c_str());
    return 1;
  }
  if (Status s = (*store)->Migrate(); !s.ok()) {
    std::fprintf(stderr, "migrate: %s\n", s.ToString().c_str());
    return 1;
  }
  auto session = (*store)->OpenSession();
  if (!session.ok()) {
    std::fprintf(stderr, "session: %s\n", session.status().ToString().c_str());
    return 1;
  }
  std::vector<double> seconds;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    app::Transaction tx(**session, app::TransactionMode::kReadOnly);
    if (!tx.began().ok()) {
      std::fprintf(stderr, "begin: %s\n", tx.began().ToString().c_str());
      return 1;
    }
    Result<PromiseReport> report = app::ComputePromiseReport(**session, from, to, now);
    if (!report.ok()) {
      std::fprintf(stderr, "report: %s\n", report.status().ToString().c_str());
      return 1;
    }
    if (Status s = tx.Commit(); !s.ok()) {
      std::fprintf(stderr, "commit: %s\n", s.ToString().c_str());
      return 1;
    }
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    seconds.push_back(elapsed);
    const ReportGroup& all = report->overall;
    std::printf("run %d: %.3f s  tickets %lld  first responses %d  resolutions %d  groups %zu/%zu/%zu  kept %lld missed %lld\n",
                i + 1, elapsed, static_cast<long long>(all.tickets), all.first_response.count, all.resolution.count,
                report->by_policy.size(), report->by_client.size(), report->by_person.size(),
                static_cast<long long>(all.overall_attainment.kept),
                static_cast<long long>(all.overall_attainment.missed));
  }
  std::sort(seconds.begin(), seconds.end());
  if (!seconds.empty()) {
    std::printf("best %.3f s  median %.3f s  (%d runs)\n", seconds.front(), seconds[seconds.size() / 2], runs);
  }
  return 0;
}

}  // namespace
}  // namespace rapport

int main(int argc, char** argv) {
  CLI::App cli{"Time the promise report over the tickets of a database"};
  std::string db, from = "2000-01-01T00:00:00Z", to = "2100-01-01T00:00:00Z", now = "2026-11-23T12:00:00Z";
  int runs = 5;
  cli.add_option("--db", db, "database URL (sqlite:PATH or postgresql://...)")->required();
  cli.add_option("--from", from, "tickets created at or after (RFC 3339)")->capture_default_str();
  cli.add_option("--to", to, "tickets created before (RFC 3339)")->capture_default_str();
  cli.add_option("--now", now, "the clocks' now (RFC 3339)")->capture_default_str();
  cli.add_option("--runs", runs, "timed runs")->capture_default_str()->check(CLI::Range(1, 100));
  CLI11_PARSE(cli, argc, argv);
  const auto f = rapport::ParseRfc3339(from), t = rapport::ParseRfc3339(to), n = rapport::ParseRfc3339(now);
  if (!f || !t || !n) {
    std::fprintf(stderr, "--from, --to and --now take RFC 3339 times\n");
    return 64;
  }
  return rapport::Run(db, *f, *t, *n, runs);
}
