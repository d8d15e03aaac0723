// MailSettings against a real store, on SQLite and PostgreSQL: who may see and change the mailboxes,
// validation, the one default mailbox, write-only passwords, the checkpoint reset, and the IMAP test.

#include "app/mail_settings.h"

#include <gtest/gtest.h>

#include "app_fixture.h"

namespace rapport::app {
namespace {

// Answers Connect with a fixed folder state, or with an error; remembers the settings it got.
class FakeConnector : public ImapConnector {
 public:
  class Session : public ImapSession {
   public:
    explicit Session(ImapFolderState state) : state_(state) {}
    const ImapFolderState& folder_state() const override { return state_; }
    bool supports_idle() const override { return false; }
    Result<std::vector<std::uint32_t>> UidsFrom(std::uint32_t) override { return std::vector<std::uint32_t>{}; }
    Result<std::string> Fetch(std::uint32_t) override { return Status::NotFound("none"); }
    Status MarkSeen(std::uint32_t) override { return Status::Ok(); }
    Status Move(std::uint32_t, const std::string&) override { return Status::Ok(); }
    Result<bool> WaitForChange(std::chrono::seconds) override { return false; }

   private:
    ImapFolderState state_;
  };

  Result<std::unique_ptr<ImapSession>> Connect(const ImapSettings& settings) override {
    last = settings;
    ++calls;
    if (!fail.ok()) return fail;
    return std::unique_ptr<ImapSession>(std::make_unique<Session>(ImapFolderState{77, 13, 12}));
  }

  Status fail = Status::Ok();
  ImapSettings last;
  int calls = 0;
};

class MailSettingsTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    MakeTeam();
    settings_ = std::make_unique<MailSettings>(*pool_, clock_);
  }
  void TearDown() override {
    settings_.reset();
    AppTest::TearDown();
  }

  static MailboxFields Support(const std::string& address = "support@acme.test") {
    MailboxFields f;
    f.name = "Support";
    f.address = address;
    f.display_name = "Acme Support";
    f.fetch_enabled = true;
    f.imap.host = "imap.acme.test";
    f.imap.user = "support";
    f.imap.password = "imap secret 1";
    f.smtp.host = "smtp.acme.test";
    f.smtp.user = "support";
    f.smtp.password = "smtp secret 1";
    return f;
  }

  // The stored record, passwords included, read past the use case.
  Mailbox Stored(MailboxId id) { return Must(db().NewSession()->GetMailbox(id), "stored mailbox"); }

  MailSettings& settings() { return *settings_; }
  std::unique_ptr<MailSettings> settings_;
};

TEST_P(MailSettingsTest, OnlyOwnerAndAdminSeeOrChangeMailboxes) {
  const MailboxSettingsView made = Must(settings().Create(As(owner_), Support()), "create");
  for (const User* u : {&agent_, &sub_}) {
    SCOPED_TRACE(u->email);
    EXPECT_EQ(settings().List(As(*u)).status().code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(settings().Get(As(*u), made.mailbox.id).status().code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(settings().Create(As(*u), Support("other@acme.test")).status().code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(settings().Update(As(*u), made.mailbox.id, MailboxFields{.name = "X"}).status().code(),
              StatusCode::kPermissionDenied);
    EXPECT_EQ(settings().Delete(As(*u), made.mailbox.id).code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(settings().TestImap(As(*u), made.mailbox.id, nullptr).status().code(), StatusCode::kPermissionDenied);
  }
  EXPECT_EQ(Must(settings().List(As(admin_))).size(), 1u);
  EXPECT_TRUE(settings().Delete(As(admin_), made.mailbox.id).ok());
  EXPECT_EQ(settings().Get(As(owner_), made.mailbox.id).status().code(), StatusCode::kNotFound);
}

TEST_P(MailSettingsTest, CreateFillsDefaultsAndNormalizes) {
  MailboxFields f;
  f.name = "  Support \n";
  f.address = " Support@ACME.test ";
  f.smtp.host = " smtp.acme.test ";
  const MailboxSettingsView v = Must(settings().Create(As(owner_), f), "create");
  EXPECT_EQ(v.mailbox.name, "Support");
  EXPECT_EQ(v.mailbox.address, "support@acme.test");
  EXPECT_FALSE(v.mailbox.fetch_enabled);
  EXPECT_EQ(v.mailbox.imap.port, 993);
  EXPECT_EQ(v.mailbox.imap.security, TransportSecurity::kTls);
  EXPECT_EQ(v.mailbox.imap.folder, "INBOX");
  EXPECT_EQ(v.mailbox.smtp.host, "smtp.acme.test");
  EXPECT_EQ(v.mailbox.smtp.port, 587);
  EXPECT_EQ(v.mailbox.smtp.security, TransportSecurity::kStartTls);
  EXPECT_TRUE(v.mailbox.is_default) << "the first mailbox is the default";
  auto audit = Must(db().NewSession()->ListAudit("mailbox", v.mailbox.id.value, 10));
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "create");
  EXPECT_NE(audit[0].detail.find("support@acme.test"), std::string::npos) << audit[0].detail;
}

TEST_P(MailSettingsTest, ValidationNamesEveryBadField) {
  MailboxFields f;
  f.name = "";
  f.address = "not an address";
  f.fetch_enabled = true;  // needs host, user and password
  f.imap.port = 0;
  f.imap.security = "ssl";
  f.imap.folder = " ";
  f.smtp.host = "https://smtp.acme.test/";
  f.smtp.port = 70000;
  f.smtp.security = "TLS1.3";
  auto bad = settings().Create(As(owner_), f);
  ASSERT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  for (const char* field : {"name", "address", "imap.host", "imap.port", "imap.security", "imap.user", "imap.folder",
                            "smtp.host", "smtp.port", "smtp.security"}) {
    EXPECT_TRUE(bad.status().field_errors().count(field)) << field << " in " << bad.status().ToString();
  }
  // A login without its password cannot fetch.
  MailboxFields no_password = Support();
  no_password.imap.password.reset();
  EXPECT_TRUE(settings().Create(As(owner_), no_password).status().field_errors().count("imap.password"));
  // SMTP is needed for replies, always.
  MailboxFields no_smtp = Support();
  no_smtp.smtp.host = "";
  EXPECT_TRUE(settings().Create(As(owner_), no_smtp).status().field_errors().count("smtp.host"));
  EXPECT_TRUE(Must(settings().List(As(owner_))).empty());

  Must(settings().Create(As(owner_), Support()), "first");
  auto twice = settings().Create(As(owner_), Support(" SUPPORT@acme.test"));
  EXPECT_EQ(twice.status().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(twice.status().field_errors().count("address"));
}

TEST_P(MailSettingsTest, PasswordsAreWriteOnlyAndKeptWhenLeftOut) {
  const MailboxSettingsView v = Must(settings().Create(As(owner_), Support()), "create");
  EXPECT_TRUE(v.mailbox.imap.password.empty());
  EXPECT_TRUE(v.mailbox.smtp.password.empty());
  EXPECT_TRUE(v.imap_has_password);
  EXPECT_TRUE(v.smtp_has_password);
  for (const MailboxSettingsView& listed : Must(settings().List(As(owner_)))) {
    EXPECT_TRUE(listed.mailbox.imap.password.empty());
    EXPECT_TRUE(listed.mailbox.smtp.password.empty());
  }
  const MailboxSettingsView got = Must(settings().Get(As(owner_), v.mailbox.id));
  EXPECT_TRUE(got.mailbox.imap.password.empty());
  EXPECT_TRUE(got.imap_has_password);

  // Left out, or given empty (an untouched form field): kept.
  MailboxFields rename{.name = "Help"};
  rename.imap.password = "";
  Must(settings().Update(As(owner_), v.mailbox.id, rename), "rename");
  EXPECT_EQ(Stored(v.mailbox.id).imap.password, "imap secret 1");
  EXPECT_EQ(Stored(v.mailbox.id).smtp.password, "smtp secret 1");

  MailboxFields change;
  change.smtp.password = " new smtp secret ";
  const MailboxSettingsView changed = Must(settings().Update(As(owner_), v.mailbox.id, change), "change");
  EXPECT_TRUE(changed.mailbox.smtp.password.empty());
  EXPECT_EQ(Stored(v.mailbox.id).smtp.password, " new smtp secret ") << "passwords are not trimmed";
  EXPECT_EQ(Stored(v.mailbox.id).imap.password, "imap secret 1");

  // No SMTP user: no AUTH, and no password kept for it.
  MailboxFields no_auth;
  no_auth.smtp.user = "";
  const MailboxSettingsView open = Must(settings().Update(As(owner_), v.mailbox.id, no_auth), "no auth");
  EXPECT_FALSE(open.smtp_has_password);
  EXPECT_EQ(Stored(v.mailbox.id).smtp.password, "");

  // The audit trail says a password changed, never what it is.
  for (const AuditEntry& e : Must(db().NewSession()->ListAudit("mailbox", v.mailbox.id.value, 10))) {
    EXPECT_EQ(e.detail.find("secret"), std::string::npos) << e.detail;
  }
}

TEST_P(MailSettingsTest, ExactlyOneDefaultMailbox) {
  const MailboxId first = Must(settings().Create(As(owner_), Support("a@acme.test"))).mailbox.id;
  MailboxFields second_fields = Support("b@acme.test");
  second_fields.name = "Billing";
  const MailboxId second = Must(settings().Create(As(owner_), second_fields)).mailbox.id;
  EXPECT_TRUE(Stored(first).is_default);
  EXPECT_FALSE(Stored(second).is_default);

  Must(settings().Update(As(owner_), second, MailboxFields{.is_default = true}), "make default");
  EXPECT_FALSE(Stored(first).is_default);
  EXPECT_TRUE(Stored(second).is_default);
  EXPECT_EQ(Stored(first).imap.password, "imap secret 1") << "clearing the flag keeps the rest";

  auto unset = settings().Update(As(owner_), second, MailboxFields{.is_default = false});
  EXPECT_TRUE(unset.status().field_errors().count("is_default")) << unset.status().ToString();
  EXPECT_TRUE(Stored(second).is_default);

  // A new mailbox asking to be the default takes the flag.
  MailboxFields third_fields = Support("c@acme.test");
  third_fields.name = "Claims";
  third_fields.is_default = true;
  const MailboxId third = Must(settings().Create(As(owner_), third_fields)).mailbox.id;
  EXPECT_FALSE(Stored(second).is_default);
  EXPECT_TRUE(Stored(third).is_default);

  // Deleting the default passes it to the first remaining mailbox by name (Billing).
  ASSERT_TRUE(settings().Delete(As(owner_), third).ok());
  EXPECT_TRUE(Stored(second).is_default);
  EXPECT_FALSE(Stored(first).is_default);
  int defaults = 0;
  for (const auto& v : Must(settings().List(As(owner_)))) defaults += v.mailbox.is_default ? 1 : 0;
  EXPECT_EQ(defaults, 1);
}

TEST_P(MailSettingsTest, MovingTheImapSourceResetsTheCheckpoint) {
  const MailboxId id = Must(settings().Create(As(owner_), Support())).mailbox.id;
  ASSERT_TRUE(db().NewSession()->SaveMailboxCheckpoint(id, 555, 42).ok());

  Must(settings().Update(As(owner_), id, MailboxFields{.display_name = "Acme Help"}), "display name");
  EXPECT_EQ(Stored(id).uid_validity, 555u) << "a change elsewhere keeps the checkpoint";
  EXPECT_EQ(Stored(id).last_uid, 42u);

  MailboxFields folder;
  folder.imap.folder = "Support";
  Must(settings().Update(As(owner_), id, folder), "folder");
  EXPECT_EQ(Stored(id).uid_validity, 0u);
  EXPECT_EQ(Stored(id).last_uid, 0u);
}

TEST_P(MailSettingsTest, TestImapReportsTheFolderOrTheServersAnswer) {
  const MailboxId id = Must(settings().Create(As(owner_), Support())).mailbox.id;
  FakeConnector connector;
  ConnectionTest ok = Must(settings().TestImap(As(admin_), id, &connector, std::chrono::seconds(7)));
  EXPECT_TRUE(ok.ok);
  EXPECT_EQ(ok.messages, 12u);
  EXPECT_EQ(ok.uid_validity, 77u);
  EXPECT_EQ(connector.last.host, "imap.acme.test");
  EXPECT_EQ(connector.last.password, "imap secret 1") << "the stored password is used";
  EXPECT_EQ(connector.last.timeout, std::chrono::seconds(7));

  connector.fail = Status::PermissionDenied("the server refused the login: AUTHENTICATIONFAILED");
  ConnectionTest refused = Must(settings().TestImap(As(owner_), id, &connector));
  EXPECT_FALSE(refused.ok);
  EXPECT_NE(refused.error.find("AUTHENTICATIONFAILED"), std::string::npos);

  EXPECT_EQ(settings().TestImap(As(owner_), MailboxId(id.value + 100), &connector).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(settings().TestImap(As(owner_), id, nullptr).status().code(), StatusCode::kUnavailable);
}

INSTANTIATE_TEST_SUITE_P(Backends, MailSettingsTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::app
