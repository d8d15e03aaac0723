#pragma once
// The OpenAPI 3.1 description of the API, generated from the router's table so that it cannot drift:
// every documented route is a path and method of the document, with its summary, path parameters and
// security; a hand-written table adds query parameters, request bodies and component schemas.

#include <vector>

#include <nlohmann/json.hpp>

#include "http/router.h"

namespace rapport::http::api {

// Routes in the document: everything under /api/ plus /healthz and /metrics (web pages are not).
bool IsDocumented(const Route& route);

nlohmann::json BuildOpenApi(const std::vector<Route>& routes);

}  // namespace rapport::http::api
