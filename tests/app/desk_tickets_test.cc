// Desk's ticket use cases against a real store, on SQLite and PostgreSQL.

#include <gtest/gtest.h>

#include <thread>

#include "app_fixture.h"

namespace rapport::app {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

class DeskTicketsTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    MakeTeam();
    acme_ = Must(desk().CreateClient(As(owner_), {.name = "Acme Ltd", .email_domains = std::vector<std::string>{"acme.com"},
                                                  .notes = "retainer: $120/h"}));
  }

  NewTicket ByEmail(std::string email, std::string subject = "Printer is on fire") {
    NewTicket t;
    t.subject = std::move(subject);
    t.body_text = "Please help, the printer is smoking.";
    t.channel = Channel::kEmail;
    t.contact.email = std::move(email);
    t.contact.name = "Ann Lee";
    return t;
  }

  std::vector<AuditEntry> History(TicketId id) { return Must(desk().TicketHistory(As(owner_), id)); }

  Client acme_;
};

TEST_P(DeskTicketsTest, NewEmailCreatesAContactMatchedToTheClientByDomain) {
  auto t = desk().CreateTicket(As(agent_), ByEmail(" Ann.Lee@ACME.com "));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_GT(t->number, 0);
  EXPECT_EQ(t->status, TicketStatus::kNew);
  EXPECT_EQ(t->client_id, acme_.id);
  EXPECT_EQ(t->created_at, kStartTime);
  EXPECT_EQ(t->last_message_at, kStartTime);

  auto view = Must(desk().GetTicket(As(agent_), t->id));
  EXPECT_EQ(view.contact.name, "Ann Lee");
  EXPECT_EQ(view.contact.emails, std::vector<std::string>{"ann.lee@acme.com"});
  EXPECT_EQ(view.contact.client_id, acme_.id);
  ASSERT_TRUE(view.client.has_value());
  EXPECT_EQ(view.client->name, "Acme Ltd");
  ASSERT_EQ(view.messages.size(), 1u);
  EXPECT_EQ(view.messages[0].kind, MessageKind::kInbound);
  EXPECT_EQ(view.messages[0].author_contact_id, view.contact.id);
  EXPECT_FALSE(view.messages[0].author_user_id.has_value());
  EXPECT_EQ(view.messages[0].body_text, "Please help, the printer is smoking.");
}

TEST_P(DeskTicketsTest, UnknownDomainGivesAContactWithoutClient) {
  auto t = Must(desk().CreateTicket(As(agent_), ByEmail("someone@gmail.com")));
  EXPECT_FALSE(t.client_id.has_value());
  auto view = Must(desk().GetTicket(As(agent_), t.id));
  EXPECT_FALSE(view.contact.client_id.has_value());
  EXPECT_EQ(view.contact.emails, std::vector<std::string>{"someone@gmail.com"});
}

TEST_P(DeskTicketsTest, KnownEmailReusesTheContact) {
  auto first = Must(desk().CreateTicket(As(agent_), ByEmail("ann@acme.com")));
  auto second = Must(desk().CreateTicket(As(agent_), ByEmail("ANN@acme.com", "Another problem")));
  EXPECT_EQ(first.contact_id, second.contact_id);
  EXPECT_NE(first.id, second.id);
  EXPECT_GT(second.number, first.number);
  auto contacts = Must(desk().ListContacts(As(agent_), ContactQuery{}));
  EXPECT_EQ(contacts.items.size(), 1u);
}

TEST_P(DeskTicketsTest, PhoneInAnySpellingFindsTheSameContact) {
  NewTicket call;
  call.subject = "Call: router down";
  call.channel = Channel::kPhone;
  call.contact.phone = "+1 (415) 555-0123";
  auto first = Must(desk().CreateTicket(As(agent_), call));
  call.contact.phone = "0014155550123";
  auto second = Must(desk().CreateTicket(As(agent_), call));
  EXPECT_EQ(first.contact_id, second.contact_id);
  auto view = Must(desk().GetTicket(As(agent_), first.id));
  EXPECT_EQ(view.contact.phones, std::vector<std::string>{"+14155550123"});
  EXPECT_EQ(view.contact.name, "+14155550123");
  EXPECT_EQ(view.messages.at(0).kind, MessageKind::kInbound);
  EXPECT_EQ(view.messages.at(0).channel, Channel::kPhone);
}

TEST_P(DeskTicketsTest, ContactById) {
  auto c = Must(desk().CreateContact(As(agent_), {.name = "Bob", .emails = std::vector<std::string>{"bob@acme.com"}}));
  NewTicket t;
  t.subject = "By id";
  t.contact.id = c.id;
  auto ticket = Must(desk().CreateTicket(As(agent_), t));
  EXPECT_EQ(ticket.contact_id, c.id);
  EXPECT_EQ(ticket.client_id, acme_.id);

  t.contact.id = ContactId(987654);
  auto missing = desk().CreateTicket(As(agent_), t);
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(missing.status().field_errors().count("contact"));
}

TEST_P(DeskTicketsTest, NoContactIsAFieldError) {
  NewTicket t;
  t.subject = "Who am I";
  auto r = desk().CreateTicket(As(agent_), t);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(r.status().field_errors().count("contact"));
  EXPECT_EQ(Must(desk().CountTickets(As(owner_), TicketQuery{})), 0);
}

TEST_P(DeskTicketsTest, ApiTicketsStartWithTheClientsWords) {
  NewTicket t = ByEmail("ann@acme.com");
  t.channel = Channel::kApi;
  auto ticket = Must(desk().CreateTicket(As(agent_), t));
  auto view = Must(desk().GetTicket(As(agent_), ticket.id));
  ASSERT_EQ(view.messages.size(), 1u);
  EXPECT_EQ(view.messages[0].kind, MessageKind::kInbound);
  EXPECT_EQ(view.messages[0].author_contact_id, ticket.contact_id);
}

TEST_P(DeskTicketsTest, ExternalIdMakesCreationIdempotent) {
  NewTicket t = ByEmail("ann@acme.com");
  t.external_id = "<CAF123@mail.acme.com>";
  auto first = Must(desk().CreateTicket(As(agent_), t));
  clock_.Advance(minutes(5));
  auto again = Must(desk().CreateTicket(As(agent_), t));
  EXPECT_EQ(again.id, first.id);
  EXPECT_EQ(again.number, first.number);
  EXPECT_EQ(Must(desk().CountTickets(As(owner_), TicketQuery{})), 1);
  EXPECT_EQ(Must(desk().GetTicket(As(owner_), first.id)).messages.size(), 1u);
  EXPECT_EQ(History(first.id).size(), 1u) << "the retry writes no second audit entry";

  t.external_id = "<other@mail.acme.com>";
  EXPECT_NE(Must(desk().CreateTicket(As(agent_), t)).id, first.id);
}

TEST_P(DeskTicketsTest, ConcurrentDeliveriesOfOneMessageMakeOneTicket) {
  // Two intake workers receive the same message at once (an IMAP fetch and a webhook retry).
  constexpr int kMessages = 5;
  for (int i = 0; i < kMessages; ++i) {
    NewTicket t = ByEmail("ann@acme.com", "Race " + std::to_string(i));
    t.external_id = "<race-" + std::to_string(i) + "@mail.acme.com>";
    Result<Ticket> a = Status::Internal("not run"), b = Status::Internal("not run");
    std::thread first([&] { a = desk().CreateTicket(As(agent_), t); });
    std::thread second([&] { b = desk().CreateTicket(As(agent_), t); });
    first.join();
    second.join();
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    EXPECT_EQ(a->id, b->id);
  }
  EXPECT_EQ(Must(desk().CountTickets(As(owner_), TicketQuery{})), kMessages);
}

TEST_P(DeskTicketsTest, ValidationNamesEveryBadField) {
  NewTicket t = ByEmail("not an email");
  t.subject = "   ";
  t.tags = {"ok", "not ok!"};
  t.priority = static_cast<Priority>(42);
  t.body_text = std::string("bad \xFF utf8");
  auto r = desk().CreateTicket(As(agent_), t);
  ASSERT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  const Status st = r.status();  // status() returns a copy: keep it alive
  const auto& f = st.field_errors();
  EXPECT_TRUE(f.count("subject"));
  EXPECT_TRUE(f.count("tags"));
  EXPECT_TRUE(f.count("priority"));
  EXPECT_TRUE(f.count("body"));
  EXPECT_EQ(Must(desk().CountTickets(As(owner_), TicketQuery{})), 0) << "bad input changes nothing";

  NewTicket bad_email = ByEmail("ann@@acme");
  EXPECT_TRUE(desk().CreateTicket(As(agent_), bad_email).status().field_errors().count("contact.email"));
  NewTicket bad_phone;
  bad_phone.subject = "x";
  bad_phone.contact.phone = "555 0123";
  EXPECT_TRUE(desk().CreateTicket(As(agent_), bad_phone).status().field_errors().count("contact.phone"));
}

TEST_P(DeskTicketsTest, SubjectIsLimitedTo300Characters) {
  std::string s300;
  for (int i = 0; i < 300; ++i) s300 += "\xC3\xA9";  // 300 characters, 600 bytes
  EXPECT_TRUE(desk().CreateTicket(As(agent_), ByEmail("ann@acme.com", s300)).ok());
  auto too_long = desk().CreateTicket(As(agent_), ByEmail("ann@acme.com", s300 + "x"));
  EXPECT_TRUE(too_long.status().field_errors().count("subject"));
}

TEST_P(DeskTicketsTest, BodyIsLimitedInSize) {
  NewTicket t = ByEmail("ann@acme.com");
  t.body_text = std::string((1u << 20) + 1, 'a');
  EXPECT_TRUE(desk().CreateTicket(As(agent_), t).status().field_errors().count("body"));
  t.body_text.clear();
  t.body_html = std::string((1u << 20) + 1, 'a');
  EXPECT_TRUE(desk().CreateTicket(As(agent_), t).status().field_errors().count("body_html"));
}

TEST_P(DeskTicketsTest, TagsAreNormalizedSortedAndUnique) {
  NewTicket t = ByEmail("ann@acme.com");
  t.tags = {"VIP", " billing ", "vip"};
  auto ticket = Must(desk().CreateTicket(As(agent_), t));
  EXPECT_EQ(ticket.tags, (std::vector<std::string>{"billing", "vip"}));
  auto updated = Must(desk().UpdateTicket(As(agent_), ticket.id, {.tags = std::vector<std::string>{"Urgent"}}));
  EXPECT_EQ(updated.tags, std::vector<std::string>{"urgent"});
}

TEST_P(DeskTicketsTest, AssigneeMustBeAnActiveUser) {
  NewTicket t = ByEmail("ann@acme.com");
  t.assignee_id = UserId(4242);
  EXPECT_TRUE(desk().CreateTicket(As(agent_), t).status().field_errors().count("assignee_id"));
  Must(desk().UpdateUser(As(owner_), sub2_.id, {.active = false}));
  t.assignee_id = sub2_.id;
  EXPECT_TRUE(desk().CreateTicket(As(agent_), t).status().field_errors().count("assignee_id"));
  t.assignee_id = sub_.id;
  EXPECT_EQ(Must(desk().CreateTicket(As(agent_), t)).assignee_id, sub_.id);

  auto ticket = Must(desk().CreateTicket(As(agent_), ByEmail("ann@acme.com")));
  auto r = desk().UpdateTicket(As(agent_), ticket.id, {.assignee_id = std::optional<UserId>(UserId(777))});
  EXPECT_TRUE(r.status().field_errors().count("assignee_id"));
}

TEST_P(DeskTicketsTest, AFailedUpdateChangesNothing) {
  auto ticket = Must(desk().CreateTicket(As(agent_), ByEmail("ann@acme.com")));
  auto r = desk().UpdateTicket(As(agent_), ticket.id,
                               {.status = TicketStatus::kResolved, .assignee_id = std::optional<UserId>(UserId(777))});
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  auto after = Must(desk().GetTicket(As(agent_), ticket.id)).ticket;
  EXPECT_EQ(after.status, TicketStatus::kNew);
  EXPECT_FALSE(after.resolved_at.has_value());
  EXPECT_EQ(History(ticket.id).size(), 1u);
}

TEST_P(DeskTicketsTest, EveryChangeIsAudited) {
  auto ticket = Must(desk().CreateTicket(As(agent_), ByEmail("ann@acme.com")));
  auto h = History(ticket.id);
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].action, "create");
  EXPECT_EQ(h[0].actor_id, agent_.id);
  EXPECT_EQ(h[0].at, kStartTime);

  clock_.Advance(minutes(10));
  Must(desk().UpdateTicket(As(agent_), ticket.id,
                           {.status = TicketStatus::kOnHold, .priority = Priority::kHigh,
                            .assignee_id = std::optional<UserId>(agent_.id)}));
  h = History(ticket.id);
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].action, "update");  // newest first
  EXPECT_EQ(h[0].at, kStartTime + minutes(10));
  EXPECT_NE(h[0].detail.find("\"status\":{\"from\":\"new\",\"to\":\"on_hold\"}"), std::string::npos) << h[0].detail;
  EXPECT_NE(h[0].detail.find("\"priority\":{\"from\":\"normal\",\"to\":\"high\"}"), std::string::npos) << h[0].detail;
  EXPECT_NE(h[0].detail.find("\"assignee_id\":{\"from\":null,\"to\":\"" + std::to_string(agent_.id.value) + "\"}"),
            std::string::npos)
      << h[0].detail;

  // Setting what is already there is not a change.
  Must(desk().UpdateTicket(As(agent_), ticket.id, {.status = TicketStatus::kOnHold}));
  EXPECT_EQ(History(ticket.id).size(), 2u);

  Must(desk().AddMessage(As(agent_), ticket.id, {MessageKind::kNote, "internal note", ""}));
  h = History(ticket.id);
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[0].action, "add_message");
  EXPECT_NE(h[0].detail.find("\"kind\":\"note\""), std::string::npos);
}

TEST_P(DeskTicketsTest, StatusTimestampsFollowTheStatus) {
  auto ticket = Must(desk().CreateTicket(As(agent_), ByEmail("ann@acme.com")));
  clock_.Advance(hours(1));
  auto resolved = Must(desk().UpdateTicket(As(agent_), ticket.id, {.status = TicketStatus::kResolved}));
  EXPECT_EQ(resolved.resolved_at, kStartTime + hours(1));
  EXPECT_FALSE(resolved.closed_at.has_value());
  EXPECT_EQ(resolved.updated_at, kStartTime + hours(1));
  clock_.Advance(hours(1));
  auto closed = Must(desk().UpdateTicket(As(agent_), ticket.id, {.status = TicketStatus::kClosed}));
  EXPECT_EQ(closed.resolved_at, kStartTime + hours(1));
  EXPECT_EQ(closed.closed_at, kStartTime + hours(2));
  auto reopened = Must(desk().UpdateTicket(As(agent_), ticket.id, {.status = TicketStatus::kOpen}));
  EXPECT_FALSE(reopened.resolved_at.has_value());
  EXPECT_FALSE(reopened.closed_at.has_value());
}

TEST_P(DeskTicketsTest, MessagesMoveStatusAndLastMessageTime) {
  auto ticket = Must(desk().CreateTicket(As(agent_), ByEmail("ann@acme.com")));
  clock_.Advance(minutes(5));
  auto note = Must(desk().AddMessage(As(agent_), ticket.id, {MessageKind::kNote, "check warranty", ""}));
  EXPECT_EQ(note.author_user_id, agent_.id);
  auto after_note = Must(desk().GetTicket(As(agent_), ticket.id)).ticket;
  EXPECT_EQ(after_note.status, TicketStatus::kNew);
  EXPECT_EQ(after_note.last_message_at, kStartTime);

  clock_.Advance(minutes(5));
  auto reply = Must(desk().AddMessage(As(agent_), ticket.id, {MessageKind::kReply, "On our way.", ""}));
  EXPECT_EQ(reply.kind, MessageKind::kReply);
  EXPECT_EQ(reply.created_at, kStartTime + minutes(10));
  auto after_reply = Must(desk().GetTicket(As(agent_), ticket.id));
  EXPECT_EQ(after_reply.ticket.status, TicketStatus::kOpen);
  EXPECT_EQ(after_reply.ticket.last_message_at, kStartTime + minutes(10));
  ASSERT_EQ(after_reply.messages.size(), 3u);
  EXPECT_EQ(after_reply.messages[2].body_text, "On our way.");

  Must(desk().UpdateTicket(As(agent_), ticket.id, {.status = TicketStatus::kResolved}));
  clock_.Advance(minutes(5));
  auto inbound = Must(desk().AddMessage(As(agent_), ticket.id, {MessageKind::kInbound, "It broke again", ""}));
  EXPECT_EQ(inbound.author_contact_id, ticket.contact_id);
  auto reopened = Must(desk().GetTicket(As(agent_), ticket.id)).ticket;
  EXPECT_EQ(reopened.status, TicketStatus::kOpen);
  EXPECT_FALSE(reopened.resolved_at.has_value());
  EXPECT_EQ(reopened.last_message_at, kStartTime + minutes(15));

  EXPECT_TRUE(desk().AddMessage(As(agent_), ticket.id, {MessageKind::kReply, "  ", ""}).status().field_errors().count("body"));
}

TEST_P(DeskTicketsTest, SubcontractorSeesOnlyTheirOwnTickets) {
  auto unassigned = Must(desk().CreateTicket(As(agent_), ByEmail("ann@acme.com", "Unassigned")));
  NewTicket mine_t = ByEmail("ann@acme.com", "Mine");
  mine_t.assignee_id = sub_.id;
  auto mine = Must(desk().CreateTicket(As(agent_), mine_t));
  NewTicket theirs_t = ByEmail("ann@acme.com", "Theirs");
  theirs_t.assignee_id = sub2_.id;
  auto theirs = Must(desk().CreateTicket(As(agent_), theirs_t));
  const Actor sub = As(sub_);

  EXPECT_TRUE(desk().GetTicket(sub, mine.id).ok());
  for (TicketId hidden : {unassigned.id, theirs.id, TicketId(99999)}) {
    EXPECT_EQ(desk().GetTicket(sub, hidden).status().code(), StatusCode::kNotFound);
    EXPECT_EQ(desk().UpdateTicket(sub, hidden, {.status = TicketStatus::kOpen}).status().code(), StatusCode::kNotFound);
    EXPECT_EQ(desk().AddMessage(sub, hidden, {MessageKind::kReply, "hi", ""}).status().code(), StatusCode::kNotFound);
    EXPECT_EQ(desk().TicketHistory(sub, hidden).status().code(), StatusCode::kNotFound);
  }
  // The same message for a hidden ticket as for one that does not exist.
  EXPECT_EQ(desk().GetTicket(sub, theirs.id).status().message().find("does not exist") != std::string::npos, true);

  auto list = Must(desk().ListTickets(sub, TicketQuery{}));
  ASSERT_EQ(list.items.size(), 1u);
  EXPECT_EQ(list.items[0].ticket.id, mine.id);
  EXPECT_EQ(Must(desk().CountTickets(sub, TicketQuery{})), 1);
  TicketQuery others;
  others.assignee_id = sub2_.id;
  EXPECT_TRUE(Must(desk().ListTickets(sub, others)).items.empty());
  EXPECT_EQ(Must(desk().CountTickets(sub, others)), 0);
  TicketQuery unassigned_q;
  unassigned_q.unassigned_only = true;
  EXPECT_EQ(Must(desk().CountTickets(sub, unassigned_q)), 0);
  EXPECT_EQ(Must(desk().CountTickets(As(agent_), TicketQuery{})), 3);

  // Work on their own ticket: reply, note, status. Not: reassign, create, log client messages.
  EXPECT_TRUE(desk().AddMessage(sub, mine.id, {MessageKind::kReply, "Fixed it", ""}).ok());
  EXPECT_TRUE(desk().UpdateTicket(sub, mine.id, {.status = TicketStatus::kResolved}).ok());
  EXPECT_EQ(desk().UpdateTicket(sub, mine.id, {.assignee_id = std::optional<UserId>(sub2_.id)}).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(desk().AddMessage(sub, mine.id, {MessageKind::kInbound, "fake", ""}).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(desk().CreateTicket(sub, ByEmail("ann@acme.com")).status().code(), StatusCode::kPermissionDenied);

  // They see who the client is, but not the owner's notes on them.
  auto view = Must(desk().GetTicket(sub, mine.id));
  ASSERT_TRUE(view.client.has_value());
  EXPECT_EQ(view.client->name, "Acme Ltd");
  EXPECT_TRUE(view.client->notes.empty());
  EXPECT_EQ(Must(desk().GetTicket(As(agent_), mine.id)).client->notes, "retainer: $120/h");
}

TEST_P(DeskTicketsTest, EveryOtherRoleSeesEveryTicket) {
  NewTicket t = ByEmail("ann@acme.com");
  t.assignee_id = sub_.id;
  auto ticket = Must(desk().CreateTicket(As(agent_), t));
  for (const User* u : {&owner_, &admin_, &agent_}) {
    EXPECT_TRUE(desk().GetTicket(As(*u), ticket.id).ok()) << u->email;
    EXPECT_EQ(Must(desk().CountTickets(As(*u), TicketQuery{})), 1) << u->email;
    EXPECT_TRUE(desk().UpdateTicket(As(*u), ticket.id, {.assignee_id = std::optional<UserId>(u->id)}).ok()) << u->email;
  }
}

TEST_P(DeskTicketsTest, ListQueriesAreValidated) {
  TicketQuery q;
  q.limit = 0;
  EXPECT_TRUE(desk().ListTickets(As(agent_), q).status().field_errors().count("limit"));
  q.limit = 10'000;  // capped, not refused
  EXPECT_TRUE(desk().ListTickets(As(agent_), q).ok());
  q.tag = "not a tag!";
  EXPECT_TRUE(desk().ListTickets(As(agent_), q).status().field_errors().count("tag"));
}

TEST_P(DeskTicketsTest, ListFiltersByStatusAndTag) {
  NewTicket a = ByEmail("ann@acme.com", "Alpha");
  a.tags = {"vip"};
  auto ta = Must(desk().CreateTicket(As(agent_), a));
  auto tb = Must(desk().CreateTicket(As(agent_), ByEmail("bob@acme.com", "Beta")));
  Must(desk().UpdateTicket(As(agent_), tb.id, {.status = TicketStatus::kResolved}));
  TicketQuery q;
  q.statuses = {TicketStatus::kNew};
  auto news = Must(desk().ListTickets(As(agent_), q));
  ASSERT_EQ(news.items.size(), 1u);
  EXPECT_EQ(news.items[0].ticket.id, ta.id);
  EXPECT_EQ(news.items[0].client_name, "Acme Ltd");
  TicketQuery tagged;
  tagged.tag = "VIP";
  EXPECT_EQ(Must(desk().CountTickets(As(agent_), tagged)), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, DeskTicketsTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::app
