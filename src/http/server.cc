#include "http/server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <optional>
#include <thread>

#include "app/idempotency.h"
#include "http/api/operations.h"
#include "http/api/report_routes.h"
#include "http/api/review_pack_routes.h"
#include "http/api/routes.h"
#include "http/common/metrics.h"
#include "http/common/problem.h"
#include "http/common/security_headers.h"
#include "http/router.h"
#include "http/web/routes.h"

namespace rapport::http {
namespace {

// A worker thread serves one request at a time, from the routing start to the log line; these carry
// the request's start and matched route between httplib's hooks on that thread.
thread_local std::optional<std::chrono::steady_clock::time_point> t_request_start;
thread_local std::string t_route;
// Set once the router's request is counted, so the logger counts only what httplib answered itself.
thread_local bool t_recorded = false;

double SecondsSinceRequestStart() {
  if (!t_request_start) return 0;
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - *t_request_start).count();
}

constexpr std::size_t kKeepAliveMaxRequests = 100000;
// An idle keep-alive connection is closed after this long. It also bounds how long a stop waits:
// httplib's stop() closes the listening socket, but a worker holding an idle connection notices only
// when the client speaks or this timeout ends (30 s made `rapport serve` take up to 30 s to stop).
constexpr std::time_t kKeepAliveSeconds = 5;
constexpr std::time_t kReadTimeoutSeconds = 15;
constexpr std::time_t kWriteTimeoutSeconds = 15;

}  // namespace

struct HttpServer::Impl {
  Impl(HttpDeps d, HttpOptions o)
      : deps(d), options(std::move(o)), idempotency(d.pool, d.clock), router(d.accounts) {}

  HttpDeps deps;
  HttpOptions options;
  app::IdempotencyKeys idempotency;
  Router router;
  RequestMetrics metrics;
  httplib::Server server;
  bool bound = false;
  int listen_fd = -1;  // the listening socket, seen in httplib's socket-options callback
  // Stop() may come from a signal-handling thread before Run() has started listening, and httplib's
  // stop() does nothing then; these close that gap (see Run and Stop).
  std::atomic<bool> stop_requested{false};
  std::atomic<bool> run_entered{false};
  std::atomic<bool> run_finished{false};
};

HttpServer::HttpServer(HttpDeps deps, HttpOptions options) : impl_(std::make_unique<Impl>(deps, std::move(options))) {
  Impl& impl = *impl_;
  api::AddApiRoutes(impl.router, {deps.desk, impl.idempotency});
  api::AddMailboxRoutes(impl.router, {deps.pool, deps.clock, deps.imap, impl.idempotency});
  api::AddFollowUpRoutes(impl.router, {deps.pool, deps.clock, impl.idempotency});
  api::AddPromiseRoutes(impl.router, {deps.pool, deps.clock, impl.idempotency});
  api::AddReportRoutes(impl.router, {deps.pool, deps.clock});
  api::AddReviewPackRoutes(impl.router, {deps.pool});
  api::AddOperationsRoutes(impl.router, deps.pool, impl.metrics);
  AddWebRoutes(impl.router, impl.deps, web::WebOptions{impl.options.secure_cookies});

  httplib::Server& s = impl.server;
  const std::size_t threads = static_cast<std::size_t>(std::max(1, impl.options.worker_threads));
  // httplib owns the queue it gets from this factory and deletes it when listening ends.
  s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // httplib writes the headers and the body of a response separately: without TCP_NODELAY, Nagle's
  // algorithm holds the body back until the client's delayed ACK, 40 ms per keep-alive request.
  s.set_tcp_nodelay(true);
  s.set_keep_alive_max_count(kKeepAliveMaxRequests);
  s.set_keep_alive_timeout(kKeepAliveSeconds);
  s.set_read_timeout(kReadTimeoutSeconds, 0);
  s.set_write_timeout(kWriteTimeoutSeconds, 0);
  s.set_payload_max_length(impl.options.max_body_bytes);
  // httplib's default also sets SO_REUSEPORT, which lets a second server bind the same port and
  // silently share its traffic. Keep only SO_REUSEADDR (a restart need not wait out TIME_WAIT), so
  // a taken port is reported by Bind().
  s.set_socket_options([&impl](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    impl.listen_fd = sock;
  });
  httplib::Headers headers;
  for (auto& [name, value] : SecurityHeaders()) headers.emplace(name, value);
  s.set_default_headers(headers);

  s.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    t_request_start = std::chrono::steady_clock::now();
    t_route = "unmatched";
    t_recorded = false;
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // Every method goes to the one router; httplib only reads the body (and enforces its limit).
  const auto dispatch = [&impl](const httplib::Request& req, httplib::Response& res) {
    t_route = impl.router.Dispatch(req, res);
    // Counted here, before httplib writes the response: httplib calls its logger only after the
    // client has the answer, so a client's next request could otherwise read stale counters.
    impl.metrics.Record(t_route.empty() ? "unmatched" : t_route, req.method, res.status, SecondsSinceRequestStart());
    t_recorded = true;
  };
  s.Get(".*", dispatch);
  s.Post(".*", dispatch);
  s.Put(".*", dispatch);
  s.Patch(".*", dispatch);
  s.Delete(".*", dispatch);
  s.Options(".*", dispatch);
  // Errors raised by httplib itself (413 body too large, 400 bad request line) have no body yet:
  // give them one. Responses the router already wrote are left alone.
  const std::size_t max_body = impl.options.max_body_bytes;
  s.set_error_handler(httplib::Server::HandlerWithResponse([max_body](const httplib::Request& req,
                                                                      httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    std::string detail = ReasonPhrase(res.status);
    if (res.status == 413) {
      detail = "the request body is larger than " + std::to_string(max_body) + " bytes; send less at a time";
    } else if (res.status == 404) {
      detail = "there is nothing at " + req.path;
    }
    if (IsApiPath(req.path)) {
      SendProblem(res, res.status, detail);
    } else {
      SendErrorPage(res, res.status, detail);
    }
    return httplib::Server::HandlerResponse::Handled;
  }));
  s.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
    spdlog::error("{} {} failed with an exception outside the router", req.method, req.path);
    res.body.clear();
    SendProblem(res, 500, "the server failed while handling this request; the error is in the server's log");
  });
  s.set_logger([&impl](const httplib::Request& req, const httplib::Response& res) {
    const double seconds = SecondsSinceRequestStart();
    if (!t_recorded) impl.metrics.Record("unmatched", req.method, res.status, seconds);
    spdlog::debug("{} {} {} {:.1f} ms", req.method, req.path, res.status, seconds * 1000);
    t_request_start.reset();
    t_route.clear();
    t_recorded = false;
  });
}

HttpServer::~HttpServer() { Stop(); }

Result<int> HttpServer::Bind() {
  Impl& impl = *impl_;
  int port = impl.options.port;
  if (port == 0) {
    port = impl.server.bind_to_any_port(impl.options.host);
    if (port < 0) return Status::Unavailable("cannot listen on " + impl.options.host + "; is it an address of this machine?");
  } else if (!impl.server.bind_to_port(impl.options.host, port)) {
    return Status::Unavailable("cannot listen on " + impl.options.host + ":" + std::to_string(port) +
                               "; another program may use the port, or the address is not on this machine");
  }
  // httplib listens with a backlog of 5: a burst of new connections (a page's assets, a load
  // balancer's pool, 64 wrk connections) overflowed it, and each dropped SYN cost the client a 1 s
  // retransmission. Linux takes a second listen() on the socket as a new backlog.
  if (impl.listen_fd >= 0 && ::listen(impl.listen_fd, SOMAXCONN) != 0) {
    return Status::Unavailable("cannot raise the listen backlog: " + std::string(std::strerror(errno)));
  }
  impl.bound = true;
  return port;
}

void HttpServer::Run() {
  Impl& impl = *impl_;
  impl.run_entered = true;
  if (impl.bound && !impl.stop_requested) impl.server.listen_after_bind();
  impl.run_finished = true;
}

void HttpServer::Stop() {
  Impl& impl = *impl_;
  impl.stop_requested = true;
  if (impl.run_entered) {
    // Run() is past its check of stop_requested: wait until httplib listens (or Run gave up), so
    // that stop() has a socket to close.
    while (!impl.server.is_running() && !impl.run_finished) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  impl.server.stop();
}

const Router& HttpServer::router() const { return impl_->router; }

}  // namespace rapport::http
