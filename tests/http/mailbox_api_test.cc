// /api/v1/mailboxes end to end on SQLite and PostgreSQL: CRUD, owner/admin only, passwords that
// never come back in any answer, problem+json field errors, and the IMAP connection test.
#include <chrono>
#include <thread>

#include "http_fixture.h"

namespace rapport::http::testing {
namespace {

using nlohmann::json;

constexpr const char* kImapSecret = "imap-pw-Zq81";
constexpr const char* kSmtpSecret = "smtp-pw-Kx42";

json SupportBody() {
  return {{"name", "Support"},
          {"address", "Support@Acme.example"},
          {"display_name", "Acme Support"},
          {"fetch_enabled", true},
          {"imap", {{"host", "imap.acme.example"}, {"user", "support"}, {"password", kImapSecret}}},
          {"smtp", {{"host", "smtp.acme.example"}, {"port", 465}, {"security", "tls"}, {"user", "support"},
                    {"password", kSmtpSecret}}}};
}

class MailboxApiTest : public HttpTest {
 protected:
  // Every answer of the test is checked for the secrets.
  Reply Checked(Caller who, const std::string& method, const std::string& target, const std::string& body = "") {
    Reply r = Call(who, method, target, body);
    EXPECT_EQ(r.body.find(kImapSecret), std::string::npos) << method << " " << target << ": " << r.body;
    EXPECT_EQ(r.body.find(kSmtpSecret), std::string::npos) << method << " " << target << ": " << r.body;
    return r;
  }
};

TEST_P(MailboxApiTest, MailboxesCanBeCreatedReadChangedAndDeleted) {
  Reply created = Checked(Caller::kOwner, "POST", "/api/v1/mailboxes", SupportBody().dump());
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = std::to_string(created.json["id"].get<std::int64_t>());
  EXPECT_EQ(created.Header("Location"), "/api/v1/mailboxes/" + id);
  EXPECT_EQ(created.json["address"], "support@acme.example");
  EXPECT_EQ(created.json["is_default"], true);
  EXPECT_EQ(created.json["imap"]["port"], 993);
  EXPECT_EQ(created.json["imap"]["security"], "tls");
  EXPECT_EQ(created.json["imap"]["folder"], "INBOX");
  EXPECT_EQ(created.json["imap"]["has_password"], true);
  EXPECT_FALSE(created.json["imap"].contains("password"));
  EXPECT_EQ(created.json["smtp"]["port"], 465);
  EXPECT_EQ(created.json["smtp"]["has_password"], true);
  EXPECT_FALSE(created.json["smtp"].contains("password"));
  EXPECT_TRUE(created.json["last_checked_at"].is_null());
  EXPECT_EQ(created.json["last_error"], "");

  Reply listed = Checked(Caller::kAdmin, "GET", "/api/v1/mailboxes");
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(listed.json["items"].size(), 1u);
  EXPECT_EQ(listed.json["items"][0]["name"], "Support");

  // A partial change without passwords keeps them.
  Reply patched = Checked(Caller::kAdmin, "PATCH", "/api/v1/mailboxes/" + id,
                          R"({"name":"Help","imap":{"folder":"Support"},"smtp":{"port":587,"security":"starttls"}})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json["name"], "Help");
  EXPECT_EQ(patched.json["imap"]["folder"], "Support");
  EXPECT_EQ(patched.json["imap"]["has_password"], true);
  EXPECT_EQ(patched.json["smtp"]["has_password"], true);
  EXPECT_EQ(patched.json["smtp"]["security"], "starttls");
  auto stored = pool().Acquire();
  ASSERT_TRUE(stored.ok());
  auto record = (*stored)->GetMailbox(MailboxId(std::stoll(id)));
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->imap.password, kImapSecret);
  EXPECT_EQ(record->smtp.password, kSmtpSecret);

  Reply got = Checked(Caller::kOwner, "GET", "/api/v1/mailboxes/" + id);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.json, patched.json);

  EXPECT_EQ(Checked(Caller::kOwner, "DELETE", "/api/v1/mailboxes/" + id).status, 204);
  EXPECT_EQ(Checked(Caller::kOwner, "GET", "/api/v1/mailboxes/" + id).status, 404);
  EXPECT_EQ(Checked(Caller::kOwner, "DELETE", "/api/v1/mailboxes/" + id).status, 404);
}

TEST_P(MailboxApiTest, AgentsAndSubcontractorsAreRefused) {
  Reply created = Checked(Caller::kOwner, "POST", "/api/v1/mailboxes", SupportBody().dump());
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string path = "/api/v1/mailboxes/" + std::to_string(created.json["id"].get<std::int64_t>());
  for (Caller who : {Caller::kAgent, Caller::kSubcontractor}) {
    SCOPED_TRACE(CallerName(who));
    EXPECT_EQ(Checked(who, "GET", "/api/v1/mailboxes").status, 403);
    EXPECT_EQ(Checked(who, "POST", "/api/v1/mailboxes", SupportBody().dump()).status, 403);
    EXPECT_EQ(Checked(who, "GET", path).status, 403);
    EXPECT_EQ(Checked(who, "PATCH", path, R"({"name":"Mine"})").status, 403);
    EXPECT_EQ(Checked(who, "DELETE", path).status, 403);
    EXPECT_EQ(Checked(who, "POST", path + "/test").status, 403);
  }
  EXPECT_EQ(Checked(Caller::kAnonymous, "GET", "/api/v1/mailboxes").status, 401);
  EXPECT_EQ(Checked(Caller::kOwner, "GET", path).json["name"], "Support");
}

TEST_P(MailboxApiTest, BadSettingsAreProblemsNamingEachField) {
  json bad = SupportBody();
  bad["address"] = "no-at-sign";
  bad["imap"]["port"] = 70000;
  bad["imap"]["security"] = "ssl";
  bad["smtp"]["host"] = "";
  bad["smtp"]["colour"] = "blue";
  Reply r = Checked(Caller::kOwner, "POST", "/api/v1/mailboxes", bad.dump());
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
  EXPECT_TRUE(r.json["errors"].contains("smtp.colour")) << r.body;  // unknown fields first

  bad["smtp"].erase("colour");
  r = Checked(Caller::kOwner, "POST", "/api/v1/mailboxes", bad.dump());
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
  for (const char* field : {"address", "imap.port", "imap.security", "smtp.host"}) {
    EXPECT_TRUE(r.json["errors"].contains(field)) << field << ": " << r.body;
  }

  Reply missing = Checked(Caller::kOwner, "POST", "/api/v1/mailboxes", "{}");
  ASSERT_EQ(missing.status, 400) << missing.body;
  for (const char* field : {"name", "address", "smtp"}) {
    EXPECT_TRUE(missing.json["errors"].contains(field)) << field << ": " << missing.body;
  }

  ASSERT_EQ(Checked(Caller::kOwner, "POST", "/api/v1/mailboxes", SupportBody().dump()).status, 201);
  Reply twice = Checked(Caller::kOwner, "POST", "/api/v1/mailboxes", SupportBody().dump());
  EXPECT_EQ(twice.status, 409) << twice.body;
  EXPECT_TRUE(twice.json["errors"].contains("address")) << twice.body;
}

// Answers every Connect with a folder of 3 messages, or refuses the login for user "wrong".
class FakeImap : public app::ImapConnector {
  class Session : public app::ImapSession {
   public:
    const app::ImapFolderState& folder_state() const override { return state_; }
    bool supports_idle() const override { return false; }
    Result<std::vector<std::uint32_t>> UidsFrom(std::uint32_t) override { return std::vector<std::uint32_t>{}; }
    Result<std::string> Fetch(std::uint32_t) override { return Status::NotFound("none"); }
    Status MarkSeen(std::uint32_t) override { return Status::Ok(); }
    Status Move(std::uint32_t, const std::string&) override { return Status::Ok(); }
    Result<bool> WaitForChange(std::chrono::seconds) override { return false; }

   private:
    app::ImapFolderState state_{9, 4, 3};
  };

 public:
  Result<std::unique_ptr<app::ImapSession>> Connect(const app::ImapSettings& settings) override {
    if (settings.user == "wrong") return Status::PermissionDenied("the server refused the login");
    return std::unique_ptr<app::ImapSession>(std::make_unique<Session>());
  }
};

TEST_P(MailboxApiTest, ConnectionTestReportsTheFolderOrWhyNot) {
  Reply created = Checked(Caller::kOwner, "POST", "/api/v1/mailboxes", SupportBody().dump());
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string path = "/api/v1/mailboxes/" + std::to_string(created.json["id"].get<std::int64_t>());
  // The fixture's server has no connector.
  Reply without = Checked(Caller::kOwner, "POST", path + "/test");
  EXPECT_EQ(without.status, 503) << without.body;

  FakeImap imap;
  HttpOptions options;
  options.port = 0;
  options.worker_threads = 2;
  HttpServer with_mail(HttpDeps{desk(), accounts(), pool(), clock(), &imap}, options);
  auto port = with_mail.Bind();
  ASSERT_TRUE(port.ok()) << port.status().ToString();
  std::thread runner([&] { with_mail.Run(); });
  httplib::Client client("127.0.0.1", *port);
  const httplib::Headers auth = {{"Authorization", "Bearer " + token(Caller::kAdmin)}};
  // Bind() listens already: the connection waits in the backlog until Run() accepts it.
  auto r = client.Post(path + "/test", auth, "", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  json ok = json::parse(r->body, nullptr, false);
  EXPECT_EQ(ok["ok"], true) << r->body;
  EXPECT_EQ(ok["messages"], 3);
  EXPECT_TRUE(ok["error"].is_null());

  ASSERT_EQ(Checked(Caller::kOwner, "PATCH", path, R"({"imap":{"user":"wrong","password":"x"}})").status, 200);
  auto refused = client.Post(path + "/test", auth, "", "application/json");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 200) << refused->body;
  json no = json::parse(refused->body, nullptr, false);
  EXPECT_EQ(no["ok"], false) << refused->body;
  EXPECT_NE(no["error"].get<std::string>().find("refused"), std::string::npos) << refused->body;
  with_mail.Stop();
  runner.join();
}

INSTANTIATE_TEST_SUITE_P(Backends, MailboxApiTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::http::testing
