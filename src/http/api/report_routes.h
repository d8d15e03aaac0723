#pragma once
// GET /api/v1/reports/promises: the promise report (app/reports.h) of a period as JSON, or as CSV
// (Accept: text/csv, or format=csv) to download. Owners, admins and agents.

#include "app/ports/clock.h"
#include "app/session_pool.h"
#include "http/router.h"

namespace rapport::http::api {

struct ReportApiDeps {
  app::SessionPool& pool;
  const app::Clock& clock;
};
void AddReportRoutes(Router& router, ReportApiDeps deps);

}  // namespace rapport::http::api
