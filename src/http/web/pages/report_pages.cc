// Reports → Promises kept: the promise report of a period on screen, and as CSV.
#include "http/web/pages/report_pages.h"

#include <httplib.h>


#include "app/reports.h"
#include "http/web/form.h"
#include "http/web/page.h"
#include "http/web/view_format.h"

namespace rapport::http::web {
namespace {

app::ReportPeriod PeriodFrom(const RequestContext& ctx) {
  return {QueryParam(ctx.req, "from"), QueryParam(ctx.req, "to")};
}

std::string Duration(const std::optional<std::chrono::seconds>& d) { return d ? FormatBusinessDuration(*d) : "—"; }

// "75% (3 of 4)", or "—" when nothing was promised.
std::string Kept(const Attainment& a) {
  const std::optional<double> share = a.share();
  if (!share) return "—";
  return FormatKeptShare(*share) + " (" + std::to_string(a.kept) + " of " + std::to_string(a.kept + a.missed) + ")";
}

Data GroupRow(const ReportGroup& g) {
  Data row;
  row.set("name", g.name);
  row.set("tickets", std::to_string(g.tickets));
  row.set("first_median", Duration(g.first_response.median));
  row.set("first_p90", Duration(g.first_response.p90));
  row.set("resolution_median", Duration(g.resolution.median));
  row.set("resolution_p90", Duration(g.resolution.p90));
  row.set("first_kept", Kept(g.first_response_attainment));
  row.set("next_kept", Kept(g.next_response_attainment));
  row.set("resolution_kept", Kept(g.resolution_attainment));
  row.set("all_kept", Kept(g.overall_attainment));
  return row;
}

Data Table(const char* key, const char* title, const char* column, const std::vector<ReportGroup>& groups) {
  Data table;
  table.set("key", key);
  table.set("title", title);
  table.set("column", column);
  Data rows(Data::type::list);
  for (const ReportGroup& g : groups) rows.push_back(GroupRow(g));
  table.set("groups", rows);
  table.set("has_groups", !groups.empty());
  return table;
}

// "From: must be a date YYYY-MM-DD. To: ..." for the form's error line.
std::string FormError(const Status& s) {
  if (s.field_errors().empty()) return s.message();
  std::string out;
  for (const auto& [field, message] : s.field_errors()) {
    if (!out.empty()) out += ' ';
    out += (field == "from" ? "From: " : "To: ") + message + '.';
  }
  return out;
}

void ShowReports(RequestContext& ctx, const HttpDeps& deps) {
  const app::ReportPeriod period = PeriodFrom(ctx);
  auto view = app::BuildPromiseReport(deps.pool, *ctx.actor, period, deps.clock.Now());
  if (!view.ok() && view.status().code() != StatusCode::kInvalidArgument) {
    SendStatusPage(ctx, view.status());
    return;
  }
  Data d = FrameData(ctx, "Reports", "reports");
  if (!view.ok()) {
    d.set("from", period.from);
    d.set("to", period.to);
    d.set("error", FormError(view.status()));
    d.set("has_error", true);
    d.set("tables", Data(Data::type::list));
    SendPage(ctx, 400, "reports", std::move(d));
    return;
  }
  const PromiseReport& r = view->report;
  d.set("from", view->from);
  d.set("to", view->to);
  d.set("time_zone", view->time_zone);
  d.set("as_of", LocalTime(r.now, view->time_zone));
  d.set("has_report", true);
  d.set("csv_url", "/reports/promises.csv?from=" + UrlEncode(view->from) + "&to=" + UrlEncode(view->to));
  Data tables(Data::type::list);
  tables.push_back(Table("overall", "All tickets", "", {r.overall}));
  tables.push_back(Table("policy", "Per policy", "Policy", r.by_policy));
  tables.push_back(Table("client", "Per client", "Client", r.by_client));
  tables.push_back(Table("person", "Per person", "Assignee", r.by_person));
  d.set("tables", tables);
  SendPage(ctx, 200, "reports", std::move(d));
}

void DownloadPromiseCsv(RequestContext& ctx, const HttpDeps& deps) {
  auto view = app::BuildPromiseReport(deps.pool, *ctx.actor, PeriodFrom(ctx), deps.clock.Now());
  if (!view.ok()) {
    SendStatusPage(ctx, view.status());
    return;
  }
  ctx.res.status = 200;
  ctx.res.set_header("Content-Disposition", "attachment; filename=\"" + app::PromiseReportFileName(*view) + "\"");
  ctx.res.set_header("X-Content-Type-Options", "nosniff");
  ctx.res.set_content(app::PromiseReportCsv(*view), "text/csv; charset=utf-8");
}

}  // namespace

void AddReportPages(Router& router, const HttpDeps& deps) {
  router.Add(Route{"GET", "/reports", Auth::kCookie, Access::kStaff,
                   "Reports: response times and promises kept in a period",
                   [deps](RequestContext& ctx) { ShowReports(ctx, deps); }});
  router.Add(Route{"GET", "/reports/promises.csv", Auth::kCookie, Access::kStaff,
                   "The promise report of a period as CSV",
                   [deps](RequestContext& ctx) { DownloadPromiseCsv(ctx, deps); }});
}

}  // namespace rapport::http::web
