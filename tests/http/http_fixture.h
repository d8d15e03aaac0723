#pragma once
// A real HttpServer on a free loopback port over a fresh store (SQLite or PostgreSQL, per test
// parameter), with one user and API token per role, called through httplib::Client.

#include <httplib.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "app/accounts.h"
#include "app/desk.h"
#include "app/ports/clock.h"
#include "app/session_pool.h"
#include "http/server.h"
#include "support/test_database.h"

namespace rapport::http::testing {

// The reply to one call: status, body, headers, and the body parsed as JSON (null when it is not).
struct Reply {
  int status = 0;
  std::string body;
  httplib::Headers headers;
  nlohmann::json json;
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// The roles of the walk, anonymous included.
enum class Caller { kOwner, kAdmin, kAgent, kSubcontractor, kAnonymous };
const char* CallerName(Caller c);

// Runs `server` on a thread from construction until destruction; waits until it answers.
class RunningServer {
 public:
  RunningServer(app::Desk& desk, app::Accounts& accounts, app::SessionPool& pool, const app::Clock& clock,
                std::size_t max_body_bytes = 64 * 1024);
  ~RunningServer();
  int port() const { return port_; }
  HttpServer& server() { return *server_; }

 private:
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  int port_ = 0;
};

class HttpTest : public rapport::testing::StoreTest {
 protected:
  static constexpr std::size_t kMaxBody = 64 * 1024;

  void SetUp() override;
  void TearDown() override;

  // Calls the server as `who` with an API token (none for kAnonymous). `body` is sent as JSON for
  // POST/PATCH/PUT. Extra headers are added as given.
  Reply Call(Caller who, const std::string& method, const std::string& target, const std::string& body = "",
             const httplib::Headers& extra = {});
  // Calls with a raw Authorization-less client and the given headers, content type and body.
  Reply Raw(const std::string& method, const std::string& target, const httplib::Headers& headers,
            const std::string& body = "", const std::string& content_type = "application/json");

  // A fresh web session for the role: {cookie header value, csrf token}.
  std::pair<std::string, std::string> WebSession(Caller who);

  UserId user_id(Caller who) const { return users_.at(who); }
  const std::string& token(Caller who) const { return tokens_.at(who); }
  HttpServer& server() { return running_->server(); }
  int running_port() const { return running_->port(); }
  app::ManualClock& clock() { return clock_; }
  app::Desk& desk() { return *desk_; }
  app::Accounts& accounts() { return *accounts_; }
  app::SessionPool& pool() { return *pool_; }
  Actor actor(Caller who) const;

  // Creates a ticket through the API as the owner and returns its JSON; fails the test on error.
  nlohmann::json CreateTicket(const nlohmann::json& body);

 private:
  app::ManualClock clock_{InstantFromUnix(1795000000)};  // 2026-11-18T11:06:40Z, fixed
  std::unique_ptr<app::SessionPool> pool_;
  std::unique_ptr<app::Desk> desk_;
  std::unique_ptr<app::Accounts> accounts_;
  std::unique_ptr<RunningServer> running_;
  std::map<Caller, UserId> users_;
  std::map<Caller, std::string> tokens_;
  std::map<Caller, std::string> emails_;
  int sign_ins_ = 0;
};

inline constexpr const char* kPassword = "correct horse battery";

}  // namespace rapport::http::testing
