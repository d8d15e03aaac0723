// Contract: clients with their email domains, contacts with their identifiers.
#include <set>

#include "store_fixture.h"

namespace rapport::store_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class StorePeopleTest : public StoreTest {};

TEST_P(StorePeopleTest, ClientRoundTripsAndFindsByDomain) {
  ASSERT_OK_AND_ASSIGN(ClientId id, session().InsertClient(MakeClient("Acme", {"acme.com", "acme.org"})));
  ASSERT_OK_AND_ASSIGN(Client c, session().GetClient(id));
  EXPECT_EQ(c.id, id);
  EXPECT_EQ(c.name, "Acme");
  EXPECT_THAT(c.email_domains, ElementsAre("acme.com", "acme.org"));
  EXPECT_EQ(c.notes, "notes of Acme");
  EXPECT_EQ(c.created_at, At(0));
  ASSERT_OK_AND_ASSIGN(auto found, session().FindClientByEmailDomain("acme.org"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(*found, id);
  ASSERT_OK_AND_ASSIGN(auto none, session().FindClientByEmailDomain("other.com"));
  EXPECT_FALSE(none.has_value());
  EXPECT_EQ(session().GetClient(ClientId(9999)).status().code(), StatusCode::kNotFound);
}

TEST_P(StorePeopleTest, EmailDomainBelongsToOneClient) {
  ASSERT_OK_AND_ASSIGN(ClientId acme, session().InsertClient(MakeClient("Acme", {"acme.com"})));
  auto dup = session().InsertClient(MakeClient("Other", {"other.com", "acme.com"}));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(dup.status().message(), HasSubstr("acme.com"));
  // Nothing of the refused client was stored.
  ASSERT_OK_AND_ASSIGN(auto other, session().FindClientByEmailDomain("other.com"));
  EXPECT_FALSE(other.has_value());
  ASSERT_OK_AND_ASSIGN(auto page, session().ListClients({}));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].id, acme);
}

TEST_P(StorePeopleTest, UpdateClientMovesDomains) {
  ASSERT_OK_AND_ASSIGN(ClientId a, session().InsertClient(MakeClient("Acme", {"acme.com", "old.com"})));
  ASSERT_OK_AND_ASSIGN(ClientId b, session().InsertClient(MakeClient("Beta", {"beta.com"})));
  ASSERT_OK_AND_ASSIGN(Client acme, session().GetClient(a));
  acme.name = "Acme Inc";
  acme.email_domains = {"acme.com", "new.com"};
  acme.updated_at = At(99);
  ASSERT_OK(session().UpdateClient(acme));
  ASSERT_OK_AND_ASSIGN(Client got, session().GetClient(a));
  EXPECT_EQ(got.name, "Acme Inc");
  EXPECT_THAT(got.email_domains, ElementsAre("acme.com", "new.com"));
  EXPECT_EQ(got.updated_at, At(99));
  ASSERT_OK_AND_ASSIGN(auto old_domain, session().FindClientByEmailDomain("old.com"));
  EXPECT_FALSE(old_domain.has_value());
  ASSERT_OK_AND_ASSIGN(auto new_domain, session().FindClientByEmailDomain("new.com"));
  EXPECT_EQ(new_domain, a);

  ASSERT_OK_AND_ASSIGN(Client beta, session().GetClient(b));
  beta.email_domains = {"beta.com", "new.com"};
  Status s = session().UpdateClient(beta);
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(s.message(), HasSubstr("new.com"));
  ASSERT_OK_AND_ASSIGN(Client beta_after, session().GetClient(b));
  EXPECT_THAT(beta_after.email_domains, ElementsAre("beta.com"));
  ASSERT_OK_AND_ASSIGN(auto beta_domain, session().FindClientByEmailDomain("beta.com"));
  EXPECT_EQ(beta_domain, b);

  Client ghost = MakeClient("Ghost");
  ghost.id = ClientId(12345);
  EXPECT_EQ(session().UpdateClient(ghost).code(), StatusCode::kNotFound);
}

TEST_P(StorePeopleTest, ListClientsFiltersAndPages) {
  const std::vector<std::string> names = {"Delta", "Alpha", "Charlie", "Bravo", "Echo", "Alpha"};
  for (const auto& n : names) ASSERT_TRUE(session().InsertClient(MakeClient(n)).ok());
  ASSERT_TRUE(session().InsertClient(MakeClient("Zulu", {"findme.example"})).ok());

  std::vector<std::string> seen;
  std::set<std::int64_t> ids;
  app::ClientQuery q;
  q.limit = 2;
  for (int guard = 0; guard < 10; ++guard) {
    ASSERT_OK_AND_ASSIGN(auto page, session().ListClients(q));
    EXPECT_LE(page.items.size(), 2u);
    for (const auto& c : page.items) {
      seen.push_back(c.name);
      EXPECT_TRUE(ids.insert(c.id.value).second) << "duplicate " << c.id.value;
    }
    if (!page.next_cursor) break;
    q.cursor = *page.next_cursor;
  }
  EXPECT_THAT(seen, ElementsAre("Alpha", "Alpha", "Bravo", "Charlie", "Delta", "Echo", "Zulu"));

  app::ClientQuery text;
  text.text = "ALP";
  ASSERT_OK_AND_ASSIGN(auto alpha, session().ListClients(text));
  EXPECT_EQ(alpha.items.size(), 2u);
  text.text = "findme";
  ASSERT_OK_AND_ASSIGN(auto by_domain, session().ListClients(text));
  ASSERT_EQ(by_domain.items.size(), 1u);
  EXPECT_EQ(by_domain.items[0].name, "Zulu");
  text.text = "%";  // a LIKE wildcard in the input is a plain character
  ASSERT_OK_AND_ASSIGN(auto percent, session().ListClients(text));
  EXPECT_TRUE(percent.items.empty());

  app::ClientQuery bad;
  bad.cursor = "not a cursor!";
  EXPECT_EQ(session().ListClients(bad).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(StorePeopleTest, ContactRoundTripsEveryField) {
  ASSERT_OK_AND_ASSIGN(ClientId client, session().InsertClient(MakeClient("Acme")));
  Contact c = MakeContact("Ann Lee", {"ann@acme.com", "ann.lee@gmail.com"}, {"+14155550123"});
  c.client_id = client;
  c.social_ids = {{"facebook", "1001"}, {"instagram", "ann.lee"}};
  ASSERT_OK_AND_ASSIGN(ContactId id, session().InsertContact(c));
  ASSERT_OK_AND_ASSIGN(Contact got, session().GetContact(id));
  EXPECT_EQ(got.id, id);
  EXPECT_EQ(got.client_id, client);
  EXPECT_EQ(got.name, "Ann Lee");
  EXPECT_THAT(got.emails, ElementsAre("ann@acme.com", "ann.lee@gmail.com"));
  EXPECT_THAT(got.phones, ElementsAre("+14155550123"));
  EXPECT_EQ(got.social_ids, c.social_ids);
  EXPECT_EQ(got.created_at, At(0));

  ASSERT_OK_AND_ASSIGN(auto by_email, session().FindContactByEmail("ann.lee@gmail.com"));
  EXPECT_EQ(by_email, id);
  ASSERT_OK_AND_ASSIGN(auto by_phone, session().FindContactByPhone("+14155550123"));
  EXPECT_EQ(by_phone, id);
  ASSERT_OK_AND_ASSIGN(auto by_social, session().FindContactBySocialId({"instagram", "ann.lee"}));
  EXPECT_EQ(by_social, id);
  ASSERT_OK_AND_ASSIGN(auto wrong_network, session().FindContactBySocialId({"facebook", "ann.lee"}));
  EXPECT_FALSE(wrong_network.has_value());
  ASSERT_OK_AND_ASSIGN(auto none, session().FindContactByEmail("nobody@acme.com"));
  EXPECT_FALSE(none.has_value());
  EXPECT_EQ(session().GetContact(ContactId(777)).status().code(), StatusCode::kNotFound);
}

TEST_P(StorePeopleTest, EachIdentifierBelongsToOneContact) {
  Contact ann = MakeContact("Ann", {"ann@acme.com"}, {"+14155550123"});
  ann.social_ids = {{"facebook", "1001"}};
  ASSERT_TRUE(session().InsertContact(ann).ok());

  auto email = session().InsertContact(MakeContact("Bob", {"bob@acme.com", "ann@acme.com"}));
  ASSERT_EQ(email.status().code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(email.status().message(), HasSubstr("ann@acme.com"));
  auto phone = session().InsertContact(MakeContact("Bob", {"bob@acme.com"}, {"+14155550123"}));
  ASSERT_EQ(phone.status().code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(phone.status().message(), HasSubstr("+14155550123"));
  Contact social = MakeContact("Bob", {"bob@acme.com"});
  social.social_ids = {{"facebook", "1001"}};
  auto s = session().InsertContact(social);
  ASSERT_EQ(s.status().code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(s.status().message(), HasSubstr("1001"));
  // The refused contacts left nothing behind: bob@acme.com is still free.
  ASSERT_OK_AND_ASSIGN(auto bob, session().FindContactByEmail("bob@acme.com"));
  EXPECT_FALSE(bob.has_value());
  ASSERT_OK_AND_ASSIGN(auto page, session().ListContacts({}));
  EXPECT_EQ(page.items.size(), 1u);

  // A value listed twice on one contact is stored once, not refused.
  ASSERT_OK_AND_ASSIGN(ContactId twice, session().InsertContact(MakeContact("Cy", {"cy@x.com", "cy@x.com"})));
  ASSERT_OK_AND_ASSIGN(Contact cy, session().GetContact(twice));
  EXPECT_THAT(cy.emails, ElementsAre("cy@x.com"));
}

TEST_P(StorePeopleTest, UpdateContactReleasesAndTakesIdentifiers) {
  ASSERT_OK_AND_ASSIGN(ContactId ann, session().InsertContact(MakeContact("Ann", {"ann@a.com", "old@a.com"})));
  ASSERT_OK_AND_ASSIGN(ContactId bob, session().InsertContact(MakeContact("Bob", {"bob@a.com"})));
  ASSERT_OK_AND_ASSIGN(Contact c, session().GetContact(ann));
  c.emails = {"ann@a.com"};
  c.phones = {"+442071234567"};
  c.name = "Ann Lee";
  ASSERT_OK(session().UpdateContact(c));
  ASSERT_OK_AND_ASSIGN(auto old_free, session().FindContactByEmail("old@a.com"));
  EXPECT_FALSE(old_free.has_value());
  ASSERT_OK_AND_ASSIGN(auto phone, session().FindContactByPhone("+442071234567"));
  EXPECT_EQ(phone, ann);

  ASSERT_OK_AND_ASSIGN(Contact b, session().GetContact(bob));
  b.emails = {"bob@a.com", "old@a.com"};  // released above, so free to take
  ASSERT_OK(session().UpdateContact(b));
  b.emails = {"bob@a.com", "ann@a.com"};
  Status taken = session().UpdateContact(b);
  EXPECT_EQ(taken.code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(taken.message(), HasSubstr("ann@a.com"));
  ASSERT_OK_AND_ASSIGN(Contact b_after, session().GetContact(bob));
  EXPECT_THAT(b_after.emails, ElementsAre("bob@a.com", "old@a.com"));
  ASSERT_OK_AND_ASSIGN(auto old_owner, session().FindContactByEmail("old@a.com"));
  EXPECT_EQ(old_owner, bob);

  Contact ghost = MakeContact("Ghost");
  ghost.id = ContactId(4040);
  EXPECT_EQ(session().UpdateContact(ghost).code(), StatusCode::kNotFound);
  Contact bad_client = MakeContact("Dee");
  bad_client.client_id = ClientId(4040);
  EXPECT_EQ(session().InsertContact(bad_client).status().code(), StatusCode::kNotFound);
}

TEST_P(StorePeopleTest, ListContactsFiltersAndPages) {
  ASSERT_OK_AND_ASSIGN(ClientId acme, session().InsertClient(MakeClient("Acme")));
  for (int i = 0; i < 7; ++i) {
    Contact c = MakeContact("Person " + std::to_string(i), {"p" + std::to_string(i) + "@acme.com"});
    if (i % 2 == 0) c.client_id = acme;
    ASSERT_TRUE(session().InsertContact(c).ok());
  }
  ASSERT_TRUE(session().InsertContact(MakeContact("Zed", {}, {"+33612345678"})).ok());

  std::vector<std::string> names;
  std::set<std::int64_t> ids;
  app::ContactQuery q;
  q.limit = 3;
  for (int guard = 0; guard < 10; ++guard) {
    ASSERT_OK_AND_ASSIGN(auto page, session().ListContacts(q));
    for (const auto& c : page.items) {
      names.push_back(c.name);
      EXPECT_TRUE(ids.insert(c.id.value).second);
    }
    if (!page.next_cursor) break;
    q.cursor = *page.next_cursor;
  }
  EXPECT_EQ(names.size(), 8u);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));

  app::ContactQuery by_client;
  by_client.client_id = acme;
  ASSERT_OK_AND_ASSIGN(auto acme_people, session().ListContacts(by_client));
  EXPECT_EQ(acme_people.items.size(), 4u);
  for (const auto& c : acme_people.items) EXPECT_EQ(c.client_id, acme);

  app::ContactQuery text;
  text.text = "P3@ACME";
  ASSERT_OK_AND_ASSIGN(auto by_email, session().ListContacts(text));
  ASSERT_EQ(by_email.items.size(), 1u);
  EXPECT_EQ(by_email.items[0].name, "Person 3");
  text.text = "3361234";
  ASSERT_OK_AND_ASSIGN(auto by_phone, session().ListContacts(text));
  ASSERT_EQ(by_phone.items.size(), 1u);
  EXPECT_EQ(by_phone.items[0].name, "Zed");
  text.text = "person";
  text.client_id = acme;
  ASSERT_OK_AND_ASSIGN(auto both, session().ListContacts(text));
  EXPECT_EQ(both.items.size(), 4u);

  app::ContactQuery bad;
  bad.cursor = app::ClientQuery{}.cursor + "YWJj";  // base64 of "abc": not a cursor
  EXPECT_EQ(session().ListContacts(bad).status().code(), StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, StorePeopleTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::store_test
