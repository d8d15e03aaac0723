// Contract: the promise clocks' records. Ticket events in order, the clocks' results on the ticket
// (written only by SaveTicketClocks), the streaming recompute of open tickets, and the due-first list.
#include <map>
#include <string>
#include <vector>

#include "store_fixture.h"

namespace rapport::store_test {
namespace {

using ::testing::ElementsAre;

class StoreClocksTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    auto contact = session().InsertContact(MakeContact("Ann", {"ann@acme.com"}));
    ASSERT_TRUE(contact.ok()) << contact.status().ToString();
    contact_ = *contact;
  }

  Ticket Insert(const std::string& subject, TicketStatus status = TicketStatus::kOpen, Instant at = At(0),
                std::optional<ClientId> client = std::nullopt) {
    Ticket t = MakeTicket(contact_, subject, at);
    t.status = status;
    t.client_id = client;
    auto stored = session().InsertTicket(t);
    EXPECT_TRUE(stored.ok()) << stored.status().ToString();
    return stored.ok() ? *stored : Ticket{};
  }

  static TicketEvent Event(Instant at, TicketEventKind kind, TicketStatus status = TicketStatus::kOpen) {
    return TicketEvent{at, kind, status};
  }

  // Clocks whose only running one is due at `due` (warning at `warning`).
  static SlaClocks Running(Instant warning, Instant due) {
    SlaClocks c;
    c.first_response.state = SlaState::kOk;
    c.first_response.due_at = due;
    c.first_response.warning_at = warning;
    c.resolution.state = SlaState::kOk;
    c.resolution.due_at = due + std::chrono::hours(40);
    c.overall = SlaState::kOk;
    c.warning_at = warning;
    c.due_at = due;
    return c;
  }

  ContactId contact_;
};

TEST_P(StoreClocksTest, EventsAreListedByTimeThenInsertion) {
  const Ticket t = Insert("Printer");
  const Ticket other = Insert("Other");
  ASSERT_OK(session().InsertTicketEvent(t.id, Event(At(100), TicketEventKind::kAgentReply)));
  ASSERT_OK(session().InsertTicketEvent(t.id, Event(At(50), TicketEventKind::kClientMessage)));
  ASSERT_OK(session().InsertTicketEvent(t.id, Event(At(100), TicketEventKind::kStatus, TicketStatus::kWaitingOnClient)));
  ASSERT_OK(session().InsertTicketEvent(other.id, Event(At(10), TicketEventKind::kClientMessage)));
  ASSERT_OK_AND_ASSIGN(auto events, session().ListTicketEvents(t.id));
  EXPECT_THAT(events, ElementsAre(Event(At(50), TicketEventKind::kClientMessage),
                                  Event(At(100), TicketEventKind::kAgentReply),
                                  Event(At(100), TicketEventKind::kStatus, TicketStatus::kWaitingOnClient)));
  EXPECT_EQ(session().InsertTicketEvent(TicketId(999), Event(At(1), TicketEventKind::kClientMessage)).code(),
            StatusCode::kNotFound);
}

TEST_P(StoreClocksTest, ClocksAreReadWithTheTicketAndUpdateTicketKeepsThem) {
  Ticket t = Insert("Printer");
  ASSERT_OK_AND_ASSIGN(Ticket fresh, session().GetTicket(t.id));
  EXPECT_EQ(fresh.sla_state, SlaState::kNone);
  EXPECT_FALSE(fresh.sla_due_at.has_value());

  ASSERT_OK(session().SaveTicketClocks(t.id, Running(At(3600), At(7200))));
  ASSERT_OK_AND_ASSIGN(Ticket got, session().GetTicket(t.id));
  EXPECT_EQ(got.sla_state, SlaState::kOk);
  EXPECT_EQ(got.first_response_due_at, At(7200));
  EXPECT_FALSE(got.next_response_due_at.has_value());
  EXPECT_EQ(got.resolution_due_at, At(7200 + 40 * 3600));
  EXPECT_EQ(got.sla_warning_at, At(3600));
  EXPECT_EQ(got.sla_due_at, At(7200));

  // UpdateTicket writes the ticket's own fields only, even from a copy whose clocks are stale.
  fresh.subject = "Printer on fire";
  ASSERT_OK(session().UpdateTicket(fresh));
  ASSERT_OK_AND_ASSIGN(got, session().GetTicket(t.id));
  EXPECT_EQ(got.subject, "Printer on fire");
  EXPECT_EQ(got.sla_due_at, At(7200));
  ASSERT_OK_AND_ASSIGN(auto by_number, session().FindTicketByNumber(t.number));
  ASSERT_TRUE(by_number.has_value());
  EXPECT_EQ(by_number->sla_warning_at, At(3600));
  ASSERT_OK_AND_ASSIGN(auto page, session().ListTickets({}));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].ticket.first_response_due_at, At(7200));

  SlaClocks met;
  met.first_response.state = SlaState::kMet;
  met.first_response.due_at = At(7200);
  met.overall = SlaState::kMet;
  ASSERT_OK(session().SaveTicketClocks(t.id, met));
  ASSERT_OK_AND_ASSIGN(got, session().GetTicket(t.id));
  EXPECT_EQ(got.sla_state, SlaState::kMet);
  EXPECT_EQ(got.first_response_due_at, At(7200));
  EXPECT_FALSE(got.sla_due_at.has_value());
  EXPECT_FALSE(got.resolution_due_at.has_value());

  EXPECT_EQ(session().SaveTicketClocks(TicketId(999), met).code(), StatusCode::kNotFound);
}

TEST_P(StoreClocksTest, RecomputeStreamsOpenTicketsWithTheirEventsPriorityAndPlan) {
  Client gold = MakeClient("Gold", {"gold.com"});
  gold.plan = "gold";
  ASSERT_OK_AND_ASSIGN(ClientId gold_id, session().InsertClient(gold));
  ASSERT_OK_AND_ASSIGN(ClientId plain_id, session().InsertClient(MakeClient("Plain", {"plain.com"})));
  Ticket a = Insert("a", TicketStatus::kOpen, At(0), gold_id);
  Ticket b = Insert("b", TicketStatus::kWaitingOnClient, At(0), plain_id);
  b.priority = Priority::kUrgent;
  ASSERT_OK(session().UpdateTicket(b));
  const Ticket closed = Insert("closed", TicketStatus::kClosed);
  const Ticket silent = Insert("no events");
  for (TicketId id : {a.id, b.id, closed.id}) {
    ASSERT_OK(session().InsertTicketEvent(id, Event(At(20), TicketEventKind::kClientMessage)));
  }
  ASSERT_OK(session().InsertTicketEvent(b.id, Event(At(10), TicketEventKind::kClientMessage)));
  ASSERT_OK(session().InsertTicketEvent(b.id, Event(At(30), TicketEventKind::kStatus, TicketStatus::kWaitingOnClient)));
  ASSERT_OK(session().SaveTicketClocks(closed.id, Running(At(1), At(2))));

  std::map<std::int64_t, app::TicketClockInput> seen;
  std::vector<std::int64_t> order;
  auto compute = [&](const app::TicketClockInput& in) {
    seen[in.id.value] = in;
    order.push_back(in.id.value);
    return Running(in.events.front().at + std::chrono::hours(1), in.events.front().at + std::chrono::hours(2));
  };
  {
    app::Transaction tx(session());
    ASSERT_OK(tx.began());
    ASSERT_OK_AND_ASSIGN(std::int64_t count, session().RecomputeOpenTicketClocks(std::nullopt, compute));
    EXPECT_EQ(count, 2);
    ASSERT_OK(tx.Commit());
  }
  EXPECT_THAT(order, ElementsAre(a.id.value, b.id.value));
  EXPECT_EQ(seen[a.id.value].plan, "gold");
  EXPECT_EQ(seen[a.id.value].priority, Priority::kNormal);
  EXPECT_EQ(seen[b.id.value].plan, "");
  EXPECT_EQ(seen[b.id.value].priority, Priority::kUrgent);
  EXPECT_THAT(seen[b.id.value].events,
              ElementsAre(Event(At(10), TicketEventKind::kClientMessage), Event(At(20), TicketEventKind::kClientMessage),
                          Event(At(30), TicketEventKind::kStatus, TicketStatus::kWaitingOnClient)));
  ASSERT_OK_AND_ASSIGN(Ticket got_a, session().GetTicket(a.id));
  EXPECT_EQ(got_a.sla_due_at, At(20 + 7200));
  ASSERT_OK_AND_ASSIGN(Ticket got_b, session().GetTicket(b.id));
  EXPECT_EQ(got_b.sla_due_at, At(10 + 7200));
  ASSERT_OK_AND_ASSIGN(Ticket got_closed, session().GetTicket(closed.id));
  EXPECT_EQ(got_closed.sla_due_at, At(2)) << "a closed ticket keeps the clocks it settled with";
  ASSERT_OK_AND_ASSIGN(Ticket got_silent, session().GetTicket(silent.id));
  EXPECT_EQ(got_silent.sla_state, SlaState::kNone);

  // Only one client's open tickets.
  order.clear();
  ASSERT_OK_AND_ASSIGN(std::int64_t count, session().RecomputeOpenTicketClocks(plain_id, compute));
  EXPECT_EQ(count, 1);
  EXPECT_THAT(order, ElementsAre(b.id.value));
}

TEST_P(StoreClocksTest, DueFirstOrderPagesWithItsCursor) {
  // Due times: t2 earliest, then t1 and t4 tied (t4 more recently active), then t3 and t5 with none.
  const Ticket t1 = Insert("t1", TicketStatus::kOpen, At(100));
  const Ticket t2 = Insert("t2", TicketStatus::kOpen, At(200));
  const Ticket t3 = Insert("t3", TicketStatus::kOpen, At(300));
  const Ticket t4 = Insert("t4", TicketStatus::kOpen, At(400));
  const Ticket t5 = Insert("t5", TicketStatus::kOpen, At(500));
  ASSERT_OK(session().SaveTicketClocks(t1.id, Running(At(5000), At(9000))));
  ASSERT_OK(session().SaveTicketClocks(t2.id, Running(At(4000), At(8000))));
  ASSERT_OK(session().SaveTicketClocks(t4.id, Running(At(5000), At(9000))));

  app::TicketQuery q;
  q.sort = app::TicketSort::kDue;
  q.limit = 2;
  std::vector<std::string> seen;
  for (int pages = 0; pages < 10; ++pages) {
    ASSERT_OK_AND_ASSIGN(auto page, session().ListTickets(q));
    for (const auto& r : page.items) seen.push_back(r.ticket.subject);
    if (!page.next_cursor) break;
    q.cursor = *page.next_cursor;
  }
  EXPECT_THAT(seen, ElementsAre("t2", "t4", "t1", "t5", "t3"));

  q.cursor = "not a cursor";
  EXPECT_EQ(session().ListTickets(q).status().code(), StatusCode::kInvalidArgument);
  app::TicketQuery by_activity;
  by_activity.limit = 1;
  ASSERT_OK_AND_ASSIGN(auto first, session().ListTickets(by_activity));
  ASSERT_TRUE(first.next_cursor.has_value());
  q.cursor = *first.next_cursor;
  EXPECT_EQ(session().ListTickets(q).status().code(), StatusCode::kInvalidArgument)
      << "a cursor of another sort is refused";
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreClocksTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::store_test
