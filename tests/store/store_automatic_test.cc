// Contract: what the automatic follow-ups read and write (issue 4): the tickets waiting on the
// client with the latest nudge of their current waiting period, and review packs (one per
// occurrence of an annual review), with the yearly meetings they are prepared for.
#include "store_fixture.h"

namespace rapport::store_test {
namespace {

class StoreAutomaticTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_OK_AND_ASSIGN(ada_, session().InsertUser(MakeUser("ada@desk.test", "Ada")));
    ASSERT_OK_AND_ASSIGN(acme_, session().InsertClient(MakeClient("Acme")));
    ASSERT_OK_AND_ASSIGN(globex_, session().InsertClient(MakeClient("Globex")));
    ASSERT_OK_AND_ASSIGN(contact_, session().InsertContact(MakeContact("Ann", {"ann@acme.com"})));
  }

  Ticket InsertTicket(TicketStatus status, Instant updated) {
    Ticket t = MakeTicket(contact_, "Printer");
    t.status = status;
    t.updated_at = updated;
    auto stored = session().InsertTicket(t);
    EXPECT_TRUE(stored.ok()) << stored.status().ToString();
    return stored.ok() ? *stored : Ticket{};
  }

  Status Waiting(TicketId id, Instant at) {
    return session().InsertTicketEvent(id, {at, TicketEventKind::kStatus, TicketStatus::kWaitingOnClient});
  }

  MeetingId InsertReview(ClientId client, Instant starts) {
    app::Meeting m;
    m.client_id = client;
    m.title = "Annual review";
    m.starts_at = starts;
    m.duration_minutes = 60;
    m.recurrence = app::MeetingRecurrence::kYearly;
    m.owner_user_id = ada_;
    m.created_at = At(0);
    auto id = session().InsertMeeting(m);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : MeetingId();
  }

  static app::ReviewPack Pack(ClientId client, MeetingId meeting, Instant meeting_at, const std::string& body) {
    app::ReviewPack p;
    p.client_id = client;
    p.meeting_id = meeting;
    p.meeting_at = meeting_at;
    p.created_at = At(5);
    p.body = body;
    return p;
  }

  UserId ada_;
  ClientId acme_, globex_;
  ContactId contact_;
};

TEST_P(StoreAutomaticTest, AWaitingTicketCarriesTheLatestNudgeOfItsCurrentWaitingPeriod) {
  const Ticket nudged = InsertTicket(TicketStatus::kWaitingOnClient, At(9000));
  ASSERT_OK(Waiting(nudged.id, At(100)));   // an earlier waiting period
  ASSERT_OK(Waiting(nudged.id, At(5000)));  // the current one: its latest status event
  ASSERT_OK_AND_ASSIGN(bool first, session().InsertNudge(nudged.id, At(100), 1, At(200)));
  ASSERT_TRUE(first);
  ASSERT_OK_AND_ASSIGN(bool old_second, session().InsertNudge(nudged.id, At(100), 2, At(300)));
  ASSERT_TRUE(old_second);
  ASSERT_OK_AND_ASSIGN(bool current_first, session().InsertNudge(nudged.id, At(5000), 1, At(6000)));
  ASSERT_TRUE(current_first);
  ASSERT_OK_AND_ASSIGN(bool again, session().InsertNudge(nudged.id, At(5000), 1, At(6500)));
  EXPECT_FALSE(again) << "a nudge number is recorded once per waiting period";

  const Ticket not_nudged = InsertTicket(TicketStatus::kWaitingOnClient, At(7000));  // no event: updated_at
  const Ticket open = InsertTicket(TicketStatus::kOpen, At(0));
  ASSERT_OK(Waiting(open.id, At(50)));  // waited once, answered since

  ASSERT_OK_AND_ASSIGN(auto page, session().ListTicketsWaitingOnClient(TicketId(0), 10));
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].id, nudged.id);
  EXPECT_EQ(page[0].waiting_since, At(5000));
  ASSERT_TRUE(page[0].latest_nudge.has_value());
  EXPECT_EQ(page[0].latest_nudge->number, 1) << "not nudge 2 of the earlier period";
  EXPECT_EQ(page[0].latest_nudge->sent_at, At(6000));
  EXPECT_EQ(page[1].id, not_nudged.id);
  EXPECT_EQ(page[1].waiting_since, At(7000));
  EXPECT_FALSE(page[1].latest_nudge.has_value());

  ASSERT_OK_AND_ASSIGN(auto rest, session().ListTicketsWaitingOnClient(nudged.id, 10));
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].id, not_nudged.id);
  ASSERT_OK_AND_ASSIGN(auto first_only, session().ListTicketsWaitingOnClient(TicketId(0), 1));
  ASSERT_EQ(first_only.size(), 1u);
  EXPECT_EQ(first_only[0].id, nudged.id);

  ASSERT_OK_AND_ASSIGN(auto second, session().InsertNudge(nudged.id, At(5000), 2, At(8000)));
  ASSERT_TRUE(second);
  ASSERT_OK_AND_ASSIGN(auto one, session().GetWaitingTicket(nudged.id));
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(one->waiting_since, At(5000));
  ASSERT_TRUE(one->latest_nudge.has_value());
  EXPECT_EQ(one->latest_nudge->number, 2);
  EXPECT_EQ(one->latest_nudge->sent_at, At(8000));
  ASSERT_OK_AND_ASSIGN(auto answered, session().GetWaitingTicket(open.id));
  EXPECT_FALSE(answered.has_value()) << "a ticket no longer waiting is not returned";
}

TEST_P(StoreAutomaticTest, AReviewPackIsStoredOncePerOccurrence) {
  const MeetingId acme_review = InsertReview(acme_, At(100000));
  const MeetingId globex_review = InsertReview(globex_, At(200000));
  app::Meeting once;
  once.client_id = globex_;
  once.title = "Kick-off";
  once.starts_at = At(300);
  once.duration_minutes = 30;
  once.owner_user_id = ada_;
  once.created_at = At(0);
  ASSERT_OK(session().InsertMeeting(once).status());

  ASSERT_OK_AND_ASSIGN(auto yearly, session().ListYearlyMeetings());
  ASSERT_EQ(yearly.size(), 2u) << "the one-off meeting is not an annual review";
  EXPECT_EQ(yearly[0].id, acme_review);
  EXPECT_EQ(yearly[0].client_name, "Acme");
  EXPECT_EQ(yearly[1].id, globex_review);

  ASSERT_OK_AND_ASSIGN(bool before, session().HasReviewPack(acme_review, At(100000)));
  EXPECT_FALSE(before);
  ASSERT_OK_AND_ASSIGN(auto first, session().InsertReviewPack(Pack(acme_, acme_review, At(100000), "# 2026")));
  ASSERT_TRUE(first.has_value());
  ASSERT_OK_AND_ASSIGN(auto twice, session().InsertReviewPack(Pack(acme_, acme_review, At(100000), "# other")));
  EXPECT_FALSE(twice.has_value()) << "another worker's pack for the same occurrence is not stored";
  ASSERT_OK_AND_ASSIGN(bool after, session().HasReviewPack(acme_review, At(100000)));
  EXPECT_TRUE(after);
  ASSERT_OK_AND_ASSIGN(bool next_year, session().HasReviewPack(acme_review, At(100000 + 365 * 86400)));
  EXPECT_FALSE(next_year) << "packs are per occurrence";

  ASSERT_OK_AND_ASSIGN(app::ReviewPack stored, session().GetReviewPack(*first));
  EXPECT_EQ(stored.client_id, acme_);
  EXPECT_EQ(stored.meeting_id, acme_review);
  EXPECT_EQ(stored.meeting_at, At(100000));
  EXPECT_EQ(stored.created_at, At(5));
  EXPECT_EQ(stored.body, "# 2026") << "the first pack stays";
  EXPECT_EQ(session().GetReviewPack(ReviewPackId(first->value + 1000)).status().code(), StatusCode::kNotFound);

  ASSERT_OK_AND_ASSIGN(auto later,
                       session().InsertReviewPack(Pack(acme_, acme_review, At(100000 + 365 * 86400), "# 2027")));
  ASSERT_TRUE(later.has_value());
  ASSERT_OK(session().InsertReviewPack(Pack(globex_, globex_review, At(200000), "# Globex")).status());
  ASSERT_OK_AND_ASSIGN(auto of_acme, session().ListReviewPacks(acme_, 10));
  ASSERT_EQ(of_acme.size(), 2u) << "only the client's own packs";
  EXPECT_EQ(of_acme[0].id, *later) << "the latest meeting first";
  EXPECT_EQ(of_acme[0].body, "# 2027");
  EXPECT_EQ(of_acme[1].id, *first);
  ASSERT_OK_AND_ASSIGN(auto latest, session().ListReviewPacks(acme_, 1));
  ASSERT_EQ(latest.size(), 1u);
  EXPECT_EQ(latest[0].id, *later);
  ASSERT_OK_AND_ASSIGN(auto none_asked, session().ListReviewPacks(acme_, 0));
  EXPECT_EQ(none_asked.size(), 1u) << "a limit below 1 reads as 1";
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreAutomaticTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::store_test
