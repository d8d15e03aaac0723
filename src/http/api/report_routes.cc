// The promise report over the API: JSON by default, CSV on request.
#include "http/api/report_routes.h"

#include <httplib.h>

#include "app/reports.h"
#include "http/api/reply.h"
#include "http/api/views.h"

namespace rapport::http::api {
namespace {

using nlohmann::json;

json DurationJson(const DurationSummary& d) {
  return {{"count", d.count}, {"median_seconds", CountOrNull(d.median)}, {"p90_seconds", CountOrNull(d.p90)}};
}

json AttainmentJson(const Attainment& a) {
  const std::optional<double> share = a.share();
  return {{"kept", a.kept}, {"missed", a.missed}, {"share", share ? json(*share) : json(nullptr)}};
}

json GroupJson(const ReportGroup& g) {
  return {{"id", g.id == 0 ? json(nullptr) : json(g.id)},
          {"name", g.name},
          {"tickets", g.tickets},
          {"first_response", DurationJson(g.first_response)},
          {"resolution", DurationJson(g.resolution)},
          {"attainment",
           {{"first_response", AttainmentJson(g.first_response_attainment)},
            {"next_response", AttainmentJson(g.next_response_attainment)},
            {"resolution", AttainmentJson(g.resolution_attainment)},
            {"overall", AttainmentJson(g.overall_attainment)}}}};
}

json GroupsJson(const std::vector<ReportGroup>& groups) {
  json out = json::array();
  for (const ReportGroup& g : groups) out.push_back(GroupJson(g));
  return out;
}

json ReportJson(const app::PromiseReportView& v) {
  const PromiseReport& r = v.report;
  return {{"from", v.from},
          {"to", v.to},
          {"time_zone", v.time_zone},
          {"from_at", FormatRfc3339(r.from)},
          {"to_at", FormatRfc3339(r.to)},
          {"as_of", FormatRfc3339(r.now)},
          {"overall", GroupJson(r.overall)},
          {"by_policy", GroupsJson(r.by_policy)},
          {"by_client", GroupsJson(r.by_client)},
          {"by_person", GroupsJson(r.by_person)}};
}

void GetPromiseReport(const ReportApiDeps& deps, RequestContext& ctx) {
  QueryParams p(ctx);
  app::ReportPeriod period;
  period.from = p.String("from").value_or("");
  period.to = p.String("to").value_or("");
  const std::optional<std::string> format = p.String("format");
  if (format && *format != "json" && *format != "csv") p.Error("format", "must be json or csv");
  if (SendIfError(ctx, p.Finish())) return;
  const bool csv = format ? *format == "csv" : ctx.req.get_header_value("Accept").find("text/csv") != std::string::npos;
  auto view = app::BuildPromiseReport(deps.pool, *ctx.actor, period, deps.clock.Now());
  if (SendIfError(ctx, view.status())) return;
  if (!csv) {
    SendJson(ctx, 200, ReportJson(*view));
    return;
  }
  ctx.res.status = 200;
  ctx.res.set_header("Content-Disposition", "attachment; filename=\"" + app::PromiseReportFileName(*view) + "\"");
  ctx.res.set_content(app::PromiseReportCsv(*view), "text/csv; charset=utf-8");
}

}  // namespace

void AddReportRoutes(Router& router, ReportApiDeps deps) {
  router.Add({"GET", "/api/v1/reports/promises", Auth::kBearer, Access::kStaff,
              "Response and resolution times in business hours and promise attainment of the tickets created "
              "in a period, overall and per policy, client and person (JSON, or CSV with Accept: text/csv)",
              [deps](RequestContext& ctx) { GetPromiseReport(deps, ctx); }});
}

}  // namespace rapport::http::api
