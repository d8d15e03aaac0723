#pragma once
// Routes for operators and tools: /healthz (a cheap database round trip), /metrics (Prometheus text)
// and /api/v1/openapi.json (generated from the router's table on each call, so it is always current).

#include "app/session_pool.h"
#include "http/common/metrics.h"
#include "http/router.h"

namespace rapport::http::api {

void AddOperationsRoutes(Router& router, app::SessionPool& pool, const RequestMetrics& metrics);

}  // namespace rapport::http::api
