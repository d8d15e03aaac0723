#include "http_fixture.h"

#include "http/router.h"

#include <chrono>

namespace rapport::http::testing {

const char* CallerName(Caller c) {
  switch (c) {
    case Caller::kOwner: return "owner";
    case Caller::kAdmin: return "admin";
    case Caller::kAgent: return "agent";
    case Caller::kSubcontractor: return "subcontractor";
    case Caller::kAnonymous: return "anonymous";
  }
  return "?";
}

RunningServer::RunningServer(app::Desk& desk, app::Accounts& accounts, app::SessionPool& pool,
                             const app::Clock& clock, std::size_t max_body_bytes) {
  HttpOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.worker_threads = 8;
  options.max_body_bytes = max_body_bytes;
  server_ = std::make_unique<HttpServer>(HttpDeps{desk, accounts, pool, clock}, options);
  auto port = server_->Bind();
  if (!port.ok()) {
    ADD_FAILURE() << "cannot bind: " << port.status().ToString();
    return;
  }
  port_ = *port;
  thread_ = std::thread([this] { server_->Run(); });
  // Wait until the listener accepts: Stop() before Run() started listening would be lost.
  httplib::Client client("127.0.0.1", port_);
  for (int i = 0; i < 500; ++i) {
    if (client.Get("/metrics")) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ADD_FAILURE() << "the server did not answer within 5 s";
}

RunningServer::~RunningServer() {
  server_->Stop();
  if (thread_.joinable()) thread_.join();
}

void HttpTest::SetUp() {
  StoreTest::SetUp();
  if (HasFatalFailure()) return;
  pool_ = std::make_unique<app::SessionPool>(store());
  desk_ = std::make_unique<app::Desk>(*pool_, clock_);
  app::AccountsOptions options;
  options.argon_ops = 1;  // libsodium's minimum: tests need speed, not resistance to cracking
  options.argon_mem_bytes = 8192;
  accounts_ = std::make_unique<app::Accounts>(*pool_, clock_, options);

  const std::pair<Caller, Role> roles[] = {{Caller::kOwner, Role::kOwner},
                                           {Caller::kAdmin, Role::kAdmin},
                                           {Caller::kAgent, Role::kAgent},
                                           {Caller::kSubcontractor, Role::kSubcontractor}};
  std::optional<Actor> owner;
  for (const auto& [caller, role] : roles) {
    app::NewUser u;
    u.email = std::string(CallerName(caller)) + "@desk.example";
    u.name = std::string("The ") + CallerName(caller);
    u.role = role;
    u.password = kPassword;
    auto created = accounts_->CreateUser(owner ? &*owner : nullptr, u);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    if (!owner) owner = Actor{created->id, Role::kOwner};
    users_[caller] = created->id;
    emails_[caller] = u.email;
    auto t = accounts_->CreateApiToken(u.email, "tests");
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    tokens_[caller] = *t;
  }
  running_ = std::make_unique<RunningServer>(*desk_, *accounts_, *pool_, clock_, kMaxBody);
  ASSERT_FALSE(HasFailure());
}

void HttpTest::TearDown() {
  running_.reset();
  accounts_.reset();
  desk_.reset();
  pool_.reset();
  StoreTest::TearDown();
}

Actor HttpTest::actor(Caller who) const {
  const Role role = who == Caller::kOwner ? Role::kOwner
                    : who == Caller::kAdmin ? Role::kAdmin
                    : who == Caller::kAgent ? Role::kAgent
                                            : Role::kSubcontractor;
  return Actor{users_.at(who), role};
}

Reply HttpTest::Raw(const std::string& method, const std::string& target, const httplib::Headers& headers,
                    const std::string& body, const std::string& content_type) {
  httplib::Client client("127.0.0.1", running_->port());
  client.set_read_timeout(30, 0);
  httplib::Result r = method == "GET"      ? client.Get(target, headers)
                      : method == "POST"   ? client.Post(target, headers, body, content_type)
                      : method == "PATCH"  ? client.Patch(target, headers, body, content_type)
                      : method == "PUT"    ? client.Put(target, headers, body, content_type)
                      : method == "DELETE" ? client.Delete(target, headers, body, content_type)
                                           : client.Options(target, headers);
  Reply reply;
  if (!r) {
    ADD_FAILURE() << method << " " << target << ": no response (" << httplib::to_string(r.error()) << ")";
    return reply;
  }
  reply.status = r->status;
  reply.body = r->body;
  reply.headers = r->headers;
  reply.json = nlohmann::json::parse(r->body, nullptr, false);
  if (reply.json.is_discarded()) reply.json = nullptr;
  return reply;
}

Reply HttpTest::Call(Caller who, const std::string& method, const std::string& target, const std::string& body,
                     const httplib::Headers& extra) {
  httplib::Headers headers = extra;
  if (who != Caller::kAnonymous) headers.emplace("Authorization", "Bearer " + tokens_.at(who));
  return Raw(method, target, headers, body, "application/json");
}

std::pair<std::string, std::string> HttpTest::WebSession(Caller who) {
  // A distinct client address per sign-in keeps the per-address attempt limit out of the way.
  auto signed_in = accounts_->SignIn(emails_.at(who), kPassword, "192.0.2." + std::to_string(++sign_ins_ % 250));
  EXPECT_TRUE(signed_in.ok()) << signed_in.status().ToString();
  if (!signed_in.ok()) return {};
  return {std::string(kSessionCookie) + "=" + signed_in->session_cookie, signed_in->csrf_token};
}

nlohmann::json HttpTest::CreateTicket(const nlohmann::json& body) {
  Reply r = Call(Caller::kOwner, "POST", "/api/v1/tickets", body.dump());
  EXPECT_EQ(r.status, 201) << r.body;
  return r.json;
}

}  // namespace rapport::http::testing
