#pragma once
// The reports pages: /reports shows the promise report (app/reports.h) of a period chosen with a GET
// form, as tables overall and per policy, client and person; /reports/promises.csv downloads the
// same figures as CSV. Owners, admins and agents.

#include "http/router.h"
#include "http/server.h"

namespace rapport::http::web {

void AddReportPages(Router& router, const HttpDeps& deps);

}  // namespace rapport::http::web
