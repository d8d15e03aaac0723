// The server's own behaviour: limits, headers, health, metrics, the OpenAPI document, web sessions
// and CSRF at the router, and a handler that throws.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "http/api/openapi.h"
#include "http/router.h"
#include "http_fixture.h"

namespace rapport::http::testing {
namespace {

using nlohmann::json;

class ServerTest : public HttpTest {};

TEST_P(ServerTest, OversizedBodyIs413ProblemJson) {
  const std::string big(kMaxBody + 1, 'x');
  Reply r = Call(Caller::kOwner, "POST", "/api/v1/clients", "{\"name\":\"" + big + "\"}");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
  EXPECT_EQ(r.json["status"], 413);
  EXPECT_NE(r.json["detail"].get<std::string>().find(std::to_string(kMaxBody)), std::string::npos);
  // The server is still there.
  EXPECT_EQ(Call(Caller::kOwner, "GET", "/api/v1/me").status, 200);
}

TEST_P(ServerTest, EveryResponseCarriesSecurityHeaders) {
  for (const char* target : {"/api/v1/me", "/healthz", "/sign-in", "/nowhere", "/api/v1/tickets/x"}) {
    SCOPED_TRACE(target);
    Reply r = Call(Caller::kOwner, "GET", target);
    const std::string csp = r.Header("Content-Security-Policy");
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
    EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(r.Header("Referrer-Policy"), "same-origin");
  }
}

TEST_P(ServerTest, HealthzAnswersOkAfterADatabaseRoundTrip) {
  Reply r = Raw("GET", "/healthz", {});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json, json({{"status", "ok"}}));
}

// A store whose database never answers, as when the server is down (a fault-injecting wrapper).
class UnreachableStore final : public app::Store {
 public:
  std::string Kind() const override { return "unreachable"; }
  Status Migrate() override { return Status::Unavailable("no database"); }
  Result<std::unique_ptr<app::StoreSession>> OpenSession() override {
    return Status::Unavailable("connection refused (test)");
  }
  Status Backup(const std::string&) override { return Status::Unavailable("no database"); }
};

TEST_P(ServerTest, HealthzIs503WhenTheDatabaseDoesNotAnswer) {
  UnreachableStore down;
  app::SessionPool pool(down);
  app::ManualClock clock(InstantFromUnix(1795000000));
  app::Desk desk(pool, clock);
  app::Accounts accounts(pool, clock);
  RunningServer running(desk, accounts, pool, clock);
  httplib::Client client("127.0.0.1", running.port());
  auto r = client.Get("/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json");
  // API calls fail as 503 too, not as a crash or a 500.
  auto api = client.Get("/api/v1/me", {{"Authorization", "Bearer rpt_x"}});
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 503) << api->body;
}

TEST_P(ServerTest, MetricsCountRequestsByRoutePattern) {
  ASSERT_EQ(Call(Caller::kOwner, "GET", "/api/v1/tickets/12345").status, 404);
  ASSERT_EQ(Call(Caller::kOwner, "GET", "/api/v1/tickets/67890").status, 404);
  ASSERT_EQ(Call(Caller::kOwner, "GET", "/api/v1/me").status, 200);
  Reply m = Raw("GET", "/metrics", {});
  ASSERT_EQ(m.status, 200);
  EXPECT_EQ(m.Header("Content-Type").rfind("text/plain; version=0.0.4", 0), 0u);
  EXPECT_NE(m.body.find("rapport_http_requests_total{route=\"/api/v1/tickets/{id}\",method=\"GET\",status_class=\"4xx\"} 2"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("rapport_http_requests_total{route=\"/api/v1/me\",method=\"GET\",status_class=\"2xx\"} 1"),
            std::string::npos);
  EXPECT_NE(m.body.find("rapport_http_request_duration_seconds_bucket{route=\"/api/v1/me\",le=\"+Inf\"} 1"),
            std::string::npos);
  EXPECT_NE(m.body.find("# TYPE rapport_http_request_duration_seconds histogram"), std::string::npos);
  EXPECT_EQ(m.body.find("/api/v1/tickets/12345"), std::string::npos) << "raw paths would explode the series";
  EXPECT_NE(m.body.find("process_resident_memory_bytes "), std::string::npos);
  EXPECT_EQ(m.body.find("process_resident_memory_bytes 0\n"), std::string::npos);
  EXPECT_NE(m.body.find("rapport_store_sessions_open "), std::string::npos);
  EXPECT_EQ(m.body.find("rapport_store_sessions_open 0\n"), std::string::npos);
}

TEST_P(ServerTest, OpenApiDocumentMatchesTheRouteTable) {
  Reply r = Raw("GET", "/api/v1/openapi.json", {});
  ASSERT_EQ(r.status, 200);
  ASSERT_TRUE(r.json.is_object()) << "the document must parse as JSON";
  const json& doc = r.json;
  EXPECT_EQ(doc["openapi"].get<std::string>().rfind("3.1.", 0), 0u);
  EXPECT_EQ(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");

  std::set<std::pair<std::string, std::string>> routes;
  for (const Route& route : server().router().routes()) {
    if (!api::IsDocumented(route)) continue;
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    routes.insert({route.pattern, method});
  }
  std::set<std::pair<std::string, std::string>> documented;
  std::set<std::string> operation_ids;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      documented.insert({path, method});
      EXPECT_TRUE(operation_ids.insert(op["operationId"].get<std::string>()).second) << op["operationId"];
      EXPECT_TRUE(op.contains("summary") && !op["summary"].get<std::string>().empty()) << path;
      EXPECT_TRUE(op.contains("responses")) << path;
    }
  }
  EXPECT_EQ(documented, routes);
  EXPECT_GE(routes.size(), 20u);
  EXPECT_TRUE(routes.count({"/api/v1/tickets/{id}", "patch"}));

  // Every $ref names a schema that exists.
  std::function<void(const json&)> check_refs = [&](const json& v) {
    if (v.is_object()) {
      if (v.contains("$ref")) {
        const std::string ref = v["$ref"];
        const std::string prefix = "#/components/schemas/";
        ASSERT_EQ(ref.rfind(prefix, 0), 0u) << ref;
        EXPECT_TRUE(doc["components"]["schemas"].contains(ref.substr(prefix.size()))) << ref;
      }
      for (const auto& [k, child] : v.items()) check_refs(child);
    } else if (v.is_array()) {
      for (const auto& child : v) check_refs(child);
    }
  };
  check_refs(doc);
  const json& list = doc["paths"]["/api/v1/tickets"]["get"];
  std::set<std::string> params;
  for (const auto& p : list["parameters"]) params.insert(p["name"]);
  for (const char* p : {"status", "assignee_id", "client_id", "contact_id", "channel", "tag", "created_from",
                        "created_to", "q", "sort", "limit", "cursor"}) {
    EXPECT_TRUE(params.count(p)) << p;
  }
}

TEST_P(ServerTest, WebPagesRedirectToSignInAndCheckCsrf) {
  json ticket = CreateTicket({{"subject", "Web"}, {"body", "b"}, {"contact", {{"email", "w@w.example"}}}});
  const std::string page = "/tickets/" + std::to_string(ticket["id"].get<std::int64_t>());

  Reply anonymous = Raw("GET", page + "?tab=history", {});
  EXPECT_EQ(anonymous.status, 303);
  // The server percent-encodes `next`; httplib 0.11's client decodes header values as it reads them.
  EXPECT_EQ(anonymous.Header("Location"), "/sign-in?next=" + page + "?tab=history");

  Reply htmx = Raw("GET", page, {{"HX-Request", "true"}});
  EXPECT_EQ(htmx.status, 401);
  EXPECT_EQ(htmx.Header("HX-Redirect"), "/sign-in?next=" + page);

  auto [cookie, csrf] = WebSession(Caller::kAgent);
  Reply shown = Raw("GET", page, {{"Cookie", cookie}});
  EXPECT_EQ(shown.status, 200);
  EXPECT_EQ(Raw("GET", page, {{"Cookie", std::string(kSessionCookie) + "=forged"}}).status, 303);

  const std::string form = "status=open";
  Reply no_token = Raw("POST", page, {{"Cookie", cookie}}, form, "application/x-www-form-urlencoded");
  EXPECT_EQ(no_token.status, 403);
  Reply wrong = Raw("POST", page, {{"Cookie", cookie}}, form + "&csrf_token=guess", "application/x-www-form-urlencoded");
  EXPECT_EQ(wrong.status, 403);
  // A token in the query string is not a posted one.
  Reply in_query =
      Raw("POST", page + "?csrf_token=" + httplib::detail::encode_query_param(csrf), {{"Cookie", cookie}}, form,
          "application/x-www-form-urlencoded");
  EXPECT_EQ(in_query.status, 403);
  EXPECT_EQ(Call(Caller::kOwner, "GET", "/api/v1/tickets/" + std::to_string(ticket["id"].get<std::int64_t>()))
                .json["status"],
            "new");

  Reply field = Raw("POST", page, {{"Cookie", cookie}}, form + "&csrf_token=" + httplib::detail::encode_query_param(csrf),
                    "application/x-www-form-urlencoded");
  EXPECT_NE(field.status, 403) << field.body;
  EXPECT_LT(field.status, 500);
  Reply header = Raw("POST", page, {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}, form, "application/x-www-form-urlencoded");
  EXPECT_NE(header.status, 403);
  EXPECT_LT(header.status, 500);
}

TEST_P(ServerTest, AThrowingHandlerBecomes500AndTheRouterCarriesOn) {
  Router router(accounts());
  router.Add({"GET", "/api/v1/boom", Auth::kNone, Access::kAnyone, "throws",
              [](RequestContext&) -> void { throw std::runtime_error("boom"); }});
  router.Add({"GET", "/api/v1/fine/{id}", Auth::kNone, Access::kAnyone, "answers",
              [](RequestContext& ctx) { ctx.res.set_content(ctx.path_params.at("id"), "text/plain"); }});
  httplib::Request req;
  req.method = "GET";
  req.path = "/api/v1/boom";
  httplib::Response res;
  EXPECT_EQ(router.Dispatch(req, res), "/api/v1/boom");
  EXPECT_EQ(res.status, 500);
  EXPECT_EQ(res.get_header_value("Content-Type"), "application/problem+json");
  EXPECT_EQ(res.body.find("boom"), std::string::npos) << "internals stay in the log";

  req.path = "/api/v1/fine/42";
  httplib::Response ok;
  EXPECT_EQ(router.Dispatch(req, ok), "/api/v1/fine/{id}");
  EXPECT_EQ(ok.body, "42");
}

TEST_P(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  httplib::Client client("127.0.0.1", running_port());
  client.set_keep_alive(true);
  const httplib::Headers auth = {{"Authorization", "Bearer " + token(Caller::kAgent)}};
  for (int i = 0; i < 30; ++i) {
    auto r = client.Get("/api/v1/me", auth);
    ASSERT_TRUE(r) << i;
    ASSERT_EQ(r->status, 200);
    // httplib's default closes a connection after 5 requests; the server raises the limit.
    ASSERT_NE(r->get_header_value("Connection"), "close") << "request " << i;
  }
}

TEST_P(ServerTest, ConcurrentClientsAreAllServed) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      httplib::Client client("127.0.0.1", running_port());
      client.set_keep_alive(true);
      for (int i = 0; i < 10; ++i) {
        auto r = client.Get("/api/v1/tickets", {{"Authorization", "Bearer " + token(Caller::kOwner)}});
        if (r && r->status == 200) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 80);
}

TEST_P(ServerTest, BindFailsOnATakenPortAndStopBeforeRunIsKept) {
  HttpOptions options;
  options.port = running_port();  // taken by the fixture's server
  HttpServer second(HttpDeps{desk(), accounts(), pool(), clock()}, options);
  auto bound = second.Bind();
  ASSERT_FALSE(bound.ok());
  EXPECT_EQ(bound.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(bound.status().message().find(std::to_string(running_port())), std::string::npos);

  HttpOptions any;
  any.port = 0;
  HttpServer third(HttpDeps{desk(), accounts(), pool(), clock()}, any);
  ASSERT_TRUE(third.Bind().ok());
  third.Stop();
  std::thread runner([&] { third.Run(); });  // must return at once, not serve forever
  runner.join();
}

TEST_P(ServerTest, StopDoesNotWaitOutAnIdleKeepAliveConnection) {
  HttpOptions any;
  any.port = 0;
  HttpServer server(HttpDeps{desk(), accounts(), pool(), clock()}, any);
  auto port = server.Bind();
  ASSERT_TRUE(port.ok());
  std::thread runner([&] { server.Run(); });
  // A client (a browser tab, a feed reader) that made one request and keeps its connection open.
  httplib::Client client("127.0.0.1", *port);
  client.set_keep_alive(true);
  auto r = client.Get("/healthz");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  const auto stop_asked = std::chrono::steady_clock::now();
  server.Stop();
  runner.join();
  // httplib notices an idle connection only when its keep-alive timeout ends (5 s); with the old
  // 30 s a SIGTERM waited that long. 20 s tells the two apart with room for a loaded machine.
  EXPECT_LT(std::chrono::steady_clock::now() - stop_asked, std::chrono::seconds(20));
}

INSTANTIATE_TEST_SUITE_P(Backends, ServerTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::http::testing
