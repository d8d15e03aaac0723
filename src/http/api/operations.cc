#include "http/api/operations.h"

#include <httplib.h>

#include "http/api/openapi.h"
#include "http/common/problem.h"

namespace rapport::http::api {
namespace {

void Health(app::SessionPool& pool, RequestContext& ctx) {
  auto lease = pool.Acquire();
  Status status = lease.status();
  if (status.ok()) status = (*lease)->GetWorkspace().status();
  if (!status.ok()) {
    SendProblem(ctx.res, 503, "the database did not answer: " + status.message());
    return;
  }
  ctx.res.status = 200;
  ctx.res.set_header("Cache-Control", "no-store");
  ctx.res.set_content(R"({"status":"ok"})", "application/json");
}

}  // namespace

void AddOperationsRoutes(Router& router, app::SessionPool& pool, const RequestMetrics& metrics) {
  router.Add({"GET", "/healthz", Auth::kNone, Access::kAnyone, "Report whether the server and its database answer",
              [&pool](RequestContext& ctx) { Health(pool, ctx); }});
  router.Add({"GET", "/metrics", Auth::kNone, Access::kAnyone, "Request counts, latencies and resources (Prometheus)",
              [&pool, &metrics](RequestContext& ctx) {
                ctx.res.status = 200;
                ctx.res.set_content(metrics.Render(ResidentMemoryBytes(), static_cast<std::int64_t>(pool.OpenSessions())),
                                    "text/plain; version=0.0.4; charset=utf-8");
              }});
  router.Add({"GET", "/api/v1/openapi.json", Auth::kNone, Access::kAnyone, "This API's OpenAPI 3.1 description",
              [&router](RequestContext& ctx) {
                ctx.res.status = 200;
                ctx.res.set_content(BuildOpenApi(router.routes()).dump(2), "application/json");
              }});
}

}  // namespace rapport::http::api
