#pragma once
// The HTTP server: one process serving the JSON API (/api/v1), the web UI, /healthz and /metrics.
// Owned by http/; the CLI's `serve` builds the dependencies and calls Bind() then Run().

#include <memory>
#include <string>

#include "app/accounts.h"
#include "app/desk.h"
#include "app/ports/clock.h"
#include "app/ports/email.h"
#include "app/session_pool.h"
#include "core/status.h"

namespace rapport::http {

class Router;

struct HttpOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                    // 0 = any free port (tests)
  int worker_threads = 64;            // one per keep-alive connection being served
  std::size_t max_body_bytes = 1 << 20;  // larger request bodies get 413
  bool secure_cookies = false;        // set the Secure flag (behind TLS)
};

struct HttpDeps {
  app::Desk& desk;
  app::Accounts& accounts;
  app::SessionPool& pool;
  const app::Clock& clock;
  // Connects to IMAP servers for the mailbox settings' connection test; null: the test answers 503.
  app::ImapConnector* imap = nullptr;
};

class HttpServer {
 public:
  HttpServer(HttpDeps deps, HttpOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds the listening socket. Returns the port (useful with port 0). kUnavailable when the
  // address is taken or not local.
  Result<int> Bind();
  // Serves until Stop(). Call after Bind(); returns at once when Bind() failed or Stop() came first.
  void Run();
  // Thread-safe, also before Run() has started listening; Run() returns soon after.
  void Stop();
  // The table of every route served (API, web pages, health), for the OpenAPI check and the
  // role-walk test.
  const Router& router() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rapport::http
