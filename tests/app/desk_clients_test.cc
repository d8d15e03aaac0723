// Desk's clients and contacts against a real store, on SQLite and PostgreSQL.

#include <gtest/gtest.h>

#include "app_fixture.h"

namespace rapport::app {
namespace {

using Strings = std::vector<std::string>;

class DeskClientsTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    MakeTeam();
  }
};

TEST_P(DeskClientsTest, CreatesAClientWithNormalizedDomains) {
  auto c = desk().CreateClient(As(agent_), {.name = "  Acme  ", .email_domains = Strings{"@ACME.com", "acme.co.uk", "acme.com"}});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->name, "Acme");
  EXPECT_EQ(c->email_domains, (Strings{"acme.com", "acme.co.uk"}));
  EXPECT_EQ(c->created_at, kStartTime);

  auto entries = Must(db().NewSession()->ListAudit("client", c->id.value, 10));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].action, "create");
  EXPECT_EQ(entries[0].actor_id, agent_.id);
}

TEST_P(DeskClientsTest, ClientValidation) {
  auto no_name = desk().CreateClient(As(agent_), {.email_domains = Strings{"not a domain"}});
  ASSERT_EQ(no_name.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(no_name.status().field_errors().count("name"));
  EXPECT_TRUE(no_name.status().field_errors().count("email_domains"));

  Must(desk().CreateClient(As(agent_), {.name = "Acme", .email_domains = Strings{"acme.com"}}));
  auto taken = desk().CreateClient(As(agent_), {.name = "Acme Two", .email_domains = Strings{"ACME.COM"}});
  EXPECT_EQ(taken.status().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(taken.status().field_errors().count("email_domains"));
}

TEST_P(DeskClientsTest, UpdateClientAuditsOldAndNew) {
  auto c = Must(desk().CreateClient(As(agent_), {.name = "Acme"}));
  auto updated = Must(desk().UpdateClient(As(admin_), c.id, {.name = "Acme Inc", .notes = "pays late"}));
  EXPECT_EQ(updated.name, "Acme Inc");
  EXPECT_EQ(updated.notes, "pays late");
  auto entries = Must(db().NewSession()->ListAudit("client", c.id.value, 10));
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].action, "update");
  EXPECT_NE(entries[0].detail.find("\"name\":{\"from\":\"Acme\",\"to\":\"Acme Inc\"}"), std::string::npos)
      << entries[0].detail;
  EXPECT_EQ(desk().UpdateClient(As(admin_), ClientId(5555), {.name = "x"}).status().code(), StatusCode::kNotFound);
}

TEST_P(DeskClientsTest, ContactGetsTheClientOfItsEmailDomain) {
  auto acme = Must(desk().CreateClient(As(agent_), {.name = "Acme", .email_domains = Strings{"acme.com"}}));
  auto c = desk().CreateContact(As(agent_), {.name = "Ann", .emails = Strings{"Ann@Acme.com"}, .phones = Strings{"+44 20 7946 0958"}});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->client_id, acme.id);
  EXPECT_EQ(c->emails, Strings{"ann@acme.com"});
  EXPECT_EQ(c->phones, Strings{"+442079460958"});

  // An explicit "no client" wins over the domain.
  auto independent = Must(desk().CreateContact(
      As(agent_), {.client_id = std::optional<ClientId>(), .name = "Ind", .emails = Strings{"ind@acme.com"}}));
  EXPECT_FALSE(independent.client_id.has_value());
}

TEST_P(DeskClientsTest, ContactValidationAndUniqueness) {
  auto bad = desk().CreateContact(As(agent_), {.emails = Strings{"nope"}, .phones = Strings{"12345"},
                                               .social_ids = std::vector<SocialId>{{"", "x"}}});
  ASSERT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(bad.status().field_errors().count("emails"));
  EXPECT_TRUE(bad.status().field_errors().count("phones"));
  EXPECT_TRUE(bad.status().field_errors().count("social_ids"));

  EXPECT_TRUE(desk().CreateContact(As(agent_), {}).status().field_errors().count("name"));
  auto unknown_client = desk().CreateContact(As(agent_), {.client_id = std::optional<ClientId>(ClientId(777)), .name = "X"});
  EXPECT_TRUE(unknown_client.status().field_errors().count("client_id"));

  Must(desk().CreateContact(As(agent_), {.name = "Ann", .emails = Strings{"ann@example.com"}}));
  auto dup = desk().CreateContact(As(agent_), {.name = "Ann 2", .emails = Strings{"ANN@example.com"}});
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
}

TEST_P(DeskClientsTest, UpdateContactChangesOnlyGivenFields) {
  auto c = Must(desk().CreateContact(As(agent_), {.name = "Ann", .emails = Strings{"ann@example.com"}}));
  auto u = Must(desk().UpdateContact(As(agent_), c.id, {.phones = Strings{"+1 415 555 0100"},
                                                        .social_ids = std::vector<SocialId>{{"Facebook", "1234"}}}));
  EXPECT_EQ(u.name, "Ann");
  EXPECT_EQ(u.emails, Strings{"ann@example.com"});
  EXPECT_EQ(u.phones, Strings{"+14155550100"});
  ASSERT_EQ(u.social_ids.size(), 1u);
  EXPECT_EQ(u.social_ids[0].network, "facebook");
  auto entries = Must(db().NewSession()->ListAudit("contact", c.id.value, 10));
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_NE(entries[0].detail.find("\"phones\":{\"from\":[],\"to\":[\"+14155550100\"]}"), std::string::npos)
      << entries[0].detail;
}

TEST_P(DeskClientsTest, SubcontractorsMayNotSeeClientsOrContacts) {
  auto client = Must(desk().CreateClient(As(agent_), {.name = "Acme"}));
  auto contact = Must(desk().CreateContact(As(agent_), {.name = "Ann"}));
  const Actor sub = As(sub_);
  EXPECT_EQ(desk().CreateClient(sub, {.name = "X"}).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(desk().GetClient(sub, client.id).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(desk().UpdateClient(sub, client.id, {.name = "Y"}).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(desk().ListClients(sub, ClientQuery{}).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(desk().CreateContact(sub, {.name = "X"}).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(desk().GetContact(sub, contact.id).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(desk().UpdateContact(sub, contact.id, {.name = "Y"}).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(desk().ListContacts(sub, ContactQuery{}).status().code(), StatusCode::kPermissionDenied);
  for (const User* u : {&owner_, &admin_, &agent_}) {
    EXPECT_TRUE(desk().GetClient(As(*u), client.id).ok());
    EXPECT_TRUE(desk().ListContacts(As(*u), ContactQuery{}).ok());
  }
}

TEST_P(DeskClientsTest, ListClientsFindsByText) {
  Must(desk().CreateClient(As(agent_), {.name = "Acme", .email_domains = Strings{"acme.com"}}));
  Must(desk().CreateClient(As(agent_), {.name = "Globex"}));
  ClientQuery q;
  q.text = "glob";
  auto page = Must(desk().ListClients(As(agent_), q));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].name, "Globex");
  q.limit = -1;
  EXPECT_TRUE(desk().ListClients(As(agent_), q).status().field_errors().count("limit"));
}

INSTANTIATE_TEST_SUITE_P(Backends, DeskClientsTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::app
