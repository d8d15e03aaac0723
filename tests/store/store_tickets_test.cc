// Contract: tickets, their numbers, tags, filters, sorts and pages; messages; transactions.
#include <algorithm>
#include <set>

#include "store_fixture.h"

namespace rapport::store_test {
namespace {

using ::testing::ElementsAre;

class StoreTicketsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    auto client = session().InsertClient(MakeClient("Acme", {"acme.com"}));
    ASSERT_TRUE(client.ok()) << client.status().ToString();
    acme_ = *client;
    auto ann = session().InsertContact([&] {
      Contact c = MakeContact("Ann Lee", {"ann@acme.com", "ann2@acme.com"});
      c.client_id = acme_;
      return c;
    }());
    ASSERT_TRUE(ann.ok()) << ann.status().ToString();
    ann_ = *ann;
    auto bob = session().InsertContact(MakeContact("Bob Stone", {}, {"+14155550100"}));
    ASSERT_TRUE(bob.ok());
    bob_ = *bob;
    auto agent = session().InsertUser(MakeUser("agent@desk.com", "Agent"));
    ASSERT_TRUE(agent.ok());
    agent_ = *agent;
  }

  Ticket Insert(Ticket t) {
    auto r = session().InsertTicket(t);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : Ticket{};
  }

  // Every page of the query, checking that no ticket shows twice.
  std::vector<TicketId> AllPages(app::TicketQuery q) {
    std::vector<TicketId> out;
    std::set<std::int64_t> seen;
    for (int guard = 0; guard < 100; ++guard) {
      auto page = session().ListTickets(q);
      EXPECT_TRUE(page.ok()) << page.status().ToString();
      if (!page.ok()) break;
      EXPECT_LE(static_cast<int>(page->items.size()), q.limit);
      for (const auto& row : page->items) {
        EXPECT_TRUE(seen.insert(row.ticket.id.value).second) << "ticket " << row.ticket.id.value << " twice";
        out.push_back(row.ticket.id);
      }
      if (!page->next_cursor) break;
      q.cursor = *page->next_cursor;
    }
    return out;
  }

  ClientId acme_;
  ContactId ann_;
  ContactId bob_;
  UserId agent_;
};

TEST_P(StoreTicketsTest, InsertAssignsIdsAndIncreasingNumbers) {
  Ticket t = MakeTicket(ann_, "Printer on fire", At(10));
  t.client_id = acme_;
  t.assignee_id = agent_;
  t.priority = Priority::kUrgent;
  t.status = TicketStatus::kOpen;
  t.channel = Channel::kPhone;
  t.tags = {"printer", "fire", "printer"};
  t.resolved_at = At(20);
  Ticket first = Insert(t);
  EXPECT_TRUE(first.id.valid());
  EXPECT_EQ(first.number, 1);
  EXPECT_THAT(first.tags, ElementsAre("fire", "printer"));
  Ticket second = Insert(MakeTicket(bob_, "Second"));
  Ticket third = Insert(MakeTicket(bob_, "Third"));
  EXPECT_EQ(second.number, 2);
  EXPECT_EQ(third.number, 3);

  ASSERT_OK_AND_ASSIGN(Ticket got, session().GetTicket(first.id));
  EXPECT_EQ(got.id, first.id);
  EXPECT_EQ(got.number, 1);
  EXPECT_EQ(got.subject, "Printer on fire");
  EXPECT_EQ(got.client_id, acme_);
  EXPECT_EQ(got.contact_id, ann_);
  EXPECT_EQ(got.channel, Channel::kPhone);
  EXPECT_EQ(got.status, TicketStatus::kOpen);
  EXPECT_EQ(got.priority, Priority::kUrgent);
  EXPECT_EQ(got.assignee_id, agent_);
  EXPECT_THAT(got.tags, ElementsAre("fire", "printer"));
  EXPECT_EQ(got.created_at, At(10));
  EXPECT_EQ(got.updated_at, At(10));
  EXPECT_EQ(got.last_message_at, At(10));
  EXPECT_EQ(got.resolved_at, At(20));
  EXPECT_FALSE(got.closed_at.has_value());

  ASSERT_OK_AND_ASSIGN(auto by_number, session().FindTicketByNumber(3));
  ASSERT_TRUE(by_number.has_value());
  EXPECT_EQ(by_number->id, third.id);
  ASSERT_OK_AND_ASSIGN(auto none, session().FindTicketByNumber(99));
  EXPECT_FALSE(none.has_value());
  EXPECT_EQ(session().GetTicket(TicketId(999999)).status().code(), StatusCode::kNotFound);
}

TEST_P(StoreTicketsTest, InsertRefusesUnknownContact) {
  auto r = session().InsertTicket(MakeTicket(ContactId(31337), "Nobody"));
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound) << r.status().ToString();
}

TEST_P(StoreTicketsTest, UpdateChangesEveryFieldAndTags) {
  Ticket t = Insert([&] {
    Ticket x = MakeTicket(ann_, "Old subject");
    x.tags = {"billing"};
    return x;
  }());
  t.subject = "New subject";
  t.status = TicketStatus::kResolved;
  t.priority = Priority::kLow;
  t.assignee_id = agent_;
  t.client_id = acme_;
  t.tags = {"vip", "billing"};
  t.updated_at = At(500);
  t.last_message_at = At(400);
  t.resolved_at = At(500);
  t.closed_at = At(600);
  ASSERT_OK(session().UpdateTicket(t));
  ASSERT_OK_AND_ASSIGN(Ticket got, session().GetTicket(t.id));
  EXPECT_EQ(got.subject, "New subject");
  EXPECT_EQ(got.status, TicketStatus::kResolved);
  EXPECT_EQ(got.priority, Priority::kLow);
  EXPECT_EQ(got.assignee_id, agent_);
  EXPECT_EQ(got.client_id, acme_);
  EXPECT_THAT(got.tags, ElementsAre("billing", "vip"));
  EXPECT_EQ(got.updated_at, At(500));
  EXPECT_EQ(got.last_message_at, At(400));
  EXPECT_EQ(got.closed_at, At(600));
  EXPECT_EQ(got.number, t.number);

  app::TicketQuery vip;
  vip.tag = "vip";
  ASSERT_OK_AND_ASSIGN(std::int64_t n, session().CountTickets(vip));
  EXPECT_EQ(n, 1);
  got.tags = {};
  got.assignee_id.reset();
  ASSERT_OK(session().UpdateTicket(got));
  ASSERT_OK_AND_ASSIGN(std::int64_t after, session().CountTickets(vip));
  EXPECT_EQ(after, 0);
  ASSERT_OK_AND_ASSIGN(Ticket cleared, session().GetTicket(t.id));
  EXPECT_FALSE(cleared.assignee_id.has_value());
  EXPECT_TRUE(cleared.tags.empty());

  Ticket ghost = MakeTicket(ann_, "Ghost");
  ghost.id = TicketId(8888);
  EXPECT_EQ(session().UpdateTicket(ghost).code(), StatusCode::kNotFound);
}

TEST_P(StoreTicketsTest, MessagesAreOldestFirstAndExternalIdsIdempotent) {
  Ticket t = Insert(MakeTicket(ann_, "Hello"));
  Message m1 = MakeMessage(t.id, "first", At(10));
  m1.author_contact_id = ann_;
  m1.external_id = "<abc@mail.acme.com>";
  Message m2 = MakeMessage(t.id, "second", At(20));
  m2.kind = MessageKind::kReply;
  m2.author_user_id = agent_;
  Message m0 = MakeMessage(t.id, "earlier note", At(5));
  m0.kind = MessageKind::kNote;
  ASSERT_OK_AND_ASSIGN(auto r1, session().InsertMessage(m1));
  EXPECT_TRUE(r1.created);
  ASSERT_OK_AND_ASSIGN(auto r2, session().InsertMessage(m2));
  ASSERT_OK_AND_ASSIGN(auto r0, session().InsertMessage(m0));
  EXPECT_NE(r1.id, r2.id);

  Message again = MakeMessage(t.id, "re-delivered", At(30));
  again.external_id = "<abc@mail.acme.com>";
  ASSERT_OK_AND_ASSIGN(auto dup, session().InsertMessage(again));
  EXPECT_FALSE(dup.created);
  EXPECT_EQ(dup.id, r1.id);

  ASSERT_OK_AND_ASSIGN(auto messages, session().ListMessages(t.id));
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[0].id, r0.id);
  EXPECT_EQ(messages[1].id, r1.id);
  EXPECT_EQ(messages[2].id, r2.id);
  EXPECT_EQ(messages[0].kind, MessageKind::kNote);
  EXPECT_EQ(messages[1].body_text, "first");
  EXPECT_EQ(messages[1].body_html, "<p>first</p>");
  EXPECT_EQ(messages[1].author_contact_id, ann_);
  EXPECT_EQ(messages[1].external_id, "<abc@mail.acme.com>");
  EXPECT_EQ(messages[1].created_at, At(10));
  EXPECT_EQ(messages[2].author_user_id, agent_);
  EXPECT_FALSE(messages[2].external_id.has_value());

  ASSERT_OK_AND_ASSIGN(auto found, session().FindMessageByExternalId("<abc@mail.acme.com>"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, r1.id);
  EXPECT_EQ(found->ticket_id, t.id);
  ASSERT_OK_AND_ASSIGN(auto missing, session().FindMessageByExternalId("<nope>"));
  EXPECT_FALSE(missing.has_value());

  ASSERT_OK_AND_ASSIGN(auto empty, session().ListMessages(TicketId(123456)));
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(session().InsertMessage(MakeMessage(TicketId(123456), "orphan")).status().code(), StatusCode::kNotFound);
}

TEST_P(StoreTicketsTest, NewestMessageOfManyExternalIdsInOneQuery) {
  Ticket a = Insert(MakeTicket(ann_, "A"));
  Ticket b = Insert(MakeTicket(ann_, "B"));
  Message first = MakeMessage(a.id, "first", At(10));
  first.external_id = "one@x";
  Message second = MakeMessage(b.id, "second", At(20));
  second.external_id = "two@x";
  ASSERT_OK(session().InsertMessage(first).status());
  ASSERT_OK_AND_ASSIGN(auto r2, session().InsertMessage(second));

  ASSERT_OK_AND_ASSIGN(auto both, session().FindNewestMessageByExternalIds({"nope@x", "one@x", "two@x"}));
  ASSERT_TRUE(both.has_value());
  EXPECT_EQ(both->id, r2.id);  // the newest of the matches
  ASSERT_OK_AND_ASSIGN(auto one, session().FindNewestMessageByExternalIds({"one@x"}));
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(one->ticket_id, a.id);
  ASSERT_OK_AND_ASSIGN(auto none, session().FindNewestMessageByExternalIds({"a@x", "b@x", "c@x"}));
  EXPECT_FALSE(none.has_value());
  ASSERT_OK_AND_ASSIGN(auto empty, session().FindNewestMessageByExternalIds({}));
  EXPECT_FALSE(empty.has_value());
  // A very long References header: the thread's start and its latest ids are asked for.
  std::vector<std::string> many{"one@x"};
  for (int i = 0; i < 200; ++i) many.push_back("filler" + std::to_string(i) + "@x");
  ASSERT_OK_AND_ASSIGN(auto start, session().FindNewestMessageByExternalIds(many));
  ASSERT_TRUE(start.has_value());
  EXPECT_EQ(start->ticket_id, a.id);
}

TEST_P(StoreTicketsTest, RollbackDiscardsAndCommitKeeps) {
  ASSERT_OK(session().Begin());
  EXPECT_EQ(session().Begin().code(), StatusCode::kInternal);  // nested Begin is a programmer error
  Ticket discarded = Insert(MakeTicket(ann_, "Discarded"));
  ASSERT_OK(session().InsertMessage(MakeMessage(discarded.id, "gone")).status());
  ASSERT_OK(session().AppendAudit(AuditEntry{0, std::nullopt, "ticket", discarded.id.value, "create", "{}", At(0)}));
  session().Rollback();
  EXPECT_EQ(session().GetTicket(discarded.id).status().code(), StatusCode::kNotFound);
  ASSERT_OK_AND_ASSIGN(auto audit, session().ListAudit("ticket", discarded.id.value, 10));
  EXPECT_TRUE(audit.empty());
  session().Rollback();  // no transaction: a no-op

  {
    app::Transaction tx(session());
    ASSERT_OK(tx.began());
    Insert(MakeTicket(ann_, "Also discarded"));
  }  // destroyed without Commit
  ASSERT_OK_AND_ASSIGN(std::int64_t none, session().CountTickets({}));
  EXPECT_EQ(none, 0);

  ASSERT_OK(session().Begin());
  Ticket kept = Insert(MakeTicket(ann_, "Kept"));
  // A refused write inside a transaction leaves the transaction usable.
  EXPECT_EQ(session().InsertContact(MakeContact("Dup", {"ann@acme.com"})).status().code(),
            StatusCode::kAlreadyExists);
  ASSERT_OK(session().InsertMessage(MakeMessage(kept.id, "kept body")).status());
  ASSERT_OK(session().Commit());
  ASSERT_OK_AND_ASSIGN(Ticket got, session().GetTicket(kept.id));
  EXPECT_EQ(got.subject, "Kept");
  ASSERT_OK_AND_ASSIGN(auto msgs, session().ListMessages(kept.id));
  EXPECT_EQ(msgs.size(), 1u);

  // Committed work is visible to another session.
  auto other = db().NewSession();
  ASSERT_NE(other, nullptr);
  ASSERT_OK_AND_ASSIGN(Ticket seen, other->GetTicket(kept.id));
  EXPECT_EQ(seen.subject, "Kept");
}

TEST_P(StoreTicketsTest, ListShowsNamesFromTheSameQuery) {
  Ticket t = MakeTicket(ann_, "With client");
  t.client_id = acme_;
  Insert(t);
  Insert(MakeTicket(bob_, "Without client", At(-10)));
  ASSERT_OK_AND_ASSIGN(auto page, session().ListTickets({}));
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_FALSE(page.next_cursor.has_value());
  EXPECT_EQ(page.items[0].ticket.subject, "With client");
  EXPECT_EQ(page.items[0].client_name, "Acme");
  EXPECT_EQ(page.items[0].contact_name, "Ann Lee");
  EXPECT_EQ(page.items[0].contact_email, "ann@acme.com");
  EXPECT_EQ(page.items[1].client_name, "");
  EXPECT_EQ(page.items[1].contact_name, "Bob Stone");
  EXPECT_EQ(page.items[1].contact_email, "");
}

TEST_P(StoreTicketsTest, EveryFilterNarrowsTheList) {
  auto make = [&](ContactId contact, TicketStatus status, Channel channel, std::optional<UserId> assignee,
                  std::optional<ClientId> client, std::vector<std::string> tags, std::int64_t created) {
    Ticket t = MakeTicket(contact, "t", At(created));
    t.status = status;
    t.channel = channel;
    t.assignee_id = assignee;
    t.client_id = client;
    t.tags = std::move(tags);
    return Insert(t).id;
  };
  const TicketId a = make(ann_, TicketStatus::kNew, Channel::kEmail, agent_, acme_, {"vip"}, 100);
  const TicketId b = make(ann_, TicketStatus::kOpen, Channel::kSms, std::nullopt, acme_, {"vip", "late"}, 200);
  const TicketId c = make(bob_, TicketStatus::kClosed, Channel::kPhone, agent_, std::nullopt, {}, 300);
  const TicketId d = make(bob_, TicketStatus::kWaitingOnClient, Channel::kEmail, std::nullopt, std::nullopt, {"late"},
                          400);

  auto ids = [&](app::TicketQuery q) {
    std::vector<TicketId> out = AllPages(q);
    std::sort(out.begin(), out.end());
    auto count = session().CountTickets(q);
    EXPECT_TRUE(count.ok());
    if (count.ok()) {
      EXPECT_EQ(*count, static_cast<std::int64_t>(out.size()));
    }
    return out;
  };
  app::TicketQuery q;
  EXPECT_THAT(ids(q), ElementsAre(a, b, c, d));
  q.statuses = {TicketStatus::kNew, TicketStatus::kClosed};
  EXPECT_THAT(ids(q), ElementsAre(a, c));
  q = {};
  q.channels = {Channel::kEmail};
  EXPECT_THAT(ids(q), ElementsAre(a, d));
  q = {};
  q.assignee_id = agent_;
  EXPECT_THAT(ids(q), ElementsAre(a, c));
  q = {};
  q.unassigned_only = true;
  EXPECT_THAT(ids(q), ElementsAre(b, d));
  q = {};
  q.client_id = acme_;
  EXPECT_THAT(ids(q), ElementsAre(a, b));
  q = {};
  q.contact_id = bob_;
  EXPECT_THAT(ids(q), ElementsAre(c, d));
  q = {};
  q.tag = "late";
  EXPECT_THAT(ids(q), ElementsAre(b, d));
  q = {};
  q.created_from = At(200);  // inclusive
  q.created_to = At(400);    // exclusive
  EXPECT_THAT(ids(q), ElementsAre(b, c));
  q = {};
  q.tag = "vip";
  q.channels = {Channel::kSms, Channel::kPhone};
  q.client_id = acme_;
  EXPECT_THAT(ids(q), ElementsAre(b));
  q = {};
  q.tag = "nothing";
  EXPECT_TRUE(ids(q).empty());
}

TEST_P(StoreTicketsTest, SortsAndPagesWithoutGapsOrDuplicates) {
  // 23 tickets with clashing sort keys, so that the id tie-break matters across page boundaries.
  std::vector<Ticket> all;
  for (int i = 0; i < 23; ++i) {
    Ticket t = MakeTicket(i % 2 == 0 ? ann_ : bob_, "T" + std::to_string(i), At((i % 5) * 100));
    t.last_message_at = At(1000 + (i % 7) * 10);
    all.push_back(Insert(t));
  }
  auto expect_order = [&](app::TicketSort sort, auto less) {
    std::vector<Ticket> sorted = all;
    std::sort(sorted.begin(), sorted.end(), less);
    std::vector<TicketId> want;
    for (const auto& t : sorted) want.push_back(t.id);
    for (int limit : {1, 4, 7, 23, 200}) {
      app::TicketQuery q;
      q.sort = sort;
      q.limit = limit;
      EXPECT_EQ(AllPages(q), want) << "sort " << static_cast<int>(sort) << " limit " << limit;
    }
  };
  expect_order(app::TicketSort::kLastActivity, [](const Ticket& x, const Ticket& y) {
    return x.last_message_at != y.last_message_at ? x.last_message_at > y.last_message_at : x.id > y.id;
  });
  expect_order(app::TicketSort::kNewest, [](const Ticket& x, const Ticket& y) {
    return x.created_at != y.created_at ? x.created_at > y.created_at : x.id > y.id;
  });
  expect_order(app::TicketSort::kOldest, [](const Ticket& x, const Ticket& y) {
    return x.created_at != y.created_at ? x.created_at < y.created_at : x.id < y.id;
  });

  // A cursor is bound to its sort, and garbage is refused.
  app::TicketQuery q;
  q.limit = 5;
  ASSERT_OK_AND_ASSIGN(auto first, session().ListTickets(q));
  ASSERT_TRUE(first.next_cursor.has_value());
  q.sort = app::TicketSort::kOldest;
  q.cursor = *first.next_cursor;
  EXPECT_EQ(session().ListTickets(q).status().code(), StatusCode::kInvalidArgument);
  for (const std::string& garbage : std::vector<std::string>{"%%%", "AAAA", "dHw1fDEw", "YXwtMXwxMA", "YXwxfGFiYw", std::string(5000, 'A')}) {
    q.cursor = garbage;
    q.sort = app::TicketSort::kLastActivity;
    EXPECT_EQ(session().ListTickets(q).status().code(), StatusCode::kInvalidArgument) << garbage;
  }
  q.cursor.clear();
  q.limit = 0;
  EXPECT_EQ(session().ListTickets(q).status().code(), StatusCode::kInvalidArgument);
  q.limit = 100000;  // capped, not refused
  ASSERT_OK_AND_ASSIGN(auto capped, session().ListTickets(q));
  EXPECT_EQ(capped.items.size(), 23u);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTicketsTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::store_test
