// Contract: notices (unique per user and dedup key), reminders, meetings (one annual review per
// client) and calendar feed tokens.
#include "store_fixture.h"

namespace rapport::store_test {
namespace {

using ::testing::ElementsAre;

class StoreFollowUpsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_OK_AND_ASSIGN(ada_, session().InsertUser(MakeUser("ada@desk.test", "Ada")));
    ASSERT_OK_AND_ASSIGN(bob_, session().InsertUser(MakeUser("bob@desk.test", "Bob")));
    ASSERT_OK_AND_ASSIGN(client_, session().InsertClient(MakeClient("Acme")));
  }

  app::Notice MakeNotice(UserId user, const std::string& key, Instant deliver) {
    app::Notice n;
    n.user_id = user;
    n.kind = "reminder";
    n.client_id = client_;
    n.title = "Title " + key;
    n.body = "Body";
    n.dedup_key = key;
    n.created_at = At(0);
    n.deliver_at = deliver;
    return n;
  }

  app::Reminder MakeReminder(UserId user, Instant due, const std::string& title) {
    app::Reminder r;
    r.user_id = user;
    r.client_id = client_;
    r.title = title;
    r.note = "note";
    r.due_at = due;
    r.created_by = user;
    r.created_at = At(0);
    return r;
  }

  UserId ada_, bob_;
  ClientId client_;
};

TEST_P(StoreFollowUpsTest, ANoticeIsStoredOncePerUserAndKey) {
  ASSERT_OK_AND_ASSIGN(auto first, session().InsertNotice(MakeNotice(ada_, "reminder:1", At(10))));
  ASSERT_TRUE(first.has_value());
  ASSERT_OK_AND_ASSIGN(auto again, session().InsertNotice(MakeNotice(ada_, "reminder:1", At(20))));
  EXPECT_FALSE(again.has_value()) << "the same key for the same user is not stored twice";
  ASSERT_OK_AND_ASSIGN(auto other_user, session().InsertNotice(MakeNotice(bob_, "reminder:1", At(10))));
  EXPECT_TRUE(other_user.has_value()) << "keys are per user";

  ASSERT_OK_AND_ASSIGN(auto list, session().ListNotices(ada_, At(100), false, 50));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].id, *first);
  EXPECT_EQ(list[0].deliver_at, At(10)) << "the first raise wins";
  EXPECT_EQ(list[0].client_id, client_);
  EXPECT_FALSE(list[0].ticket_id.has_value());
  EXPECT_FALSE(list[0].read_at.has_value());
}

TEST_P(StoreFollowUpsTest, NoticesShowFromTheirDeliveryAndCanBeRead) {
  ASSERT_OK_AND_ASSIGN(auto early, session().InsertNotice(MakeNotice(ada_, "a", At(10))));
  ASSERT_OK_AND_ASSIGN(auto late, session().InsertNotice(MakeNotice(ada_, "b", At(1000))));
  ASSERT_OK_AND_ASSIGN(int before, session().CountUnreadNotices(ada_, At(500)));
  EXPECT_EQ(before, 1) << "a notice to deliver later is not shown yet";
  ASSERT_OK_AND_ASSIGN(int after, session().CountUnreadNotices(ada_, At(1000)));
  EXPECT_EQ(after, 2);

  ASSERT_OK(session().MarkNoticeRead(ada_, *early, At(600)));
  ASSERT_OK(session().MarkNoticeRead(ada_, *early, At(700)));  // again: keeps the first time
  EXPECT_EQ(session().MarkNoticeRead(bob_, *late, At(600)).code(), StatusCode::kNotFound)
      << "another person's notice";
  ASSERT_OK_AND_ASSIGN(auto unread, session().ListNotices(ada_, At(2000), true, 50));
  ASSERT_EQ(unread.size(), 1u);
  EXPECT_EQ(unread[0].id, *late);
  ASSERT_OK_AND_ASSIGN(auto all, session().ListNotices(ada_, At(2000), false, 50));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, *late) << "newest first";
  EXPECT_EQ(all[1].read_at, At(600));
}

TEST_P(StoreFollowUpsTest, RemindersRoundTripAndComeDueOnce) {
  ASSERT_OK_AND_ASSIGN(ReminderId r1, session().InsertReminder(MakeReminder(ada_, At(100), "Call Acme")));
  ASSERT_OK_AND_ASSIGN(ReminderId r2, session().InsertReminder(MakeReminder(ada_, At(50), "Earlier")));
  ASSERT_OK_AND_ASSIGN(ReminderId r3, session().InsertReminder(MakeReminder(bob_, At(70), "Bob's")));
  ASSERT_OK_AND_ASSIGN(app::Reminder got, session().GetReminder(r1));
  EXPECT_EQ(got.title, "Call Acme");
  EXPECT_EQ(got.due_at, At(100));
  EXPECT_EQ(got.client_id, client_);
  EXPECT_EQ(got.created_by, ada_);
  EXPECT_FALSE(got.done_at.has_value());

  ASSERT_OK_AND_ASSIGN(auto due, session().ListDueReminders(At(80), 10));
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].id, r2);
  EXPECT_EQ(due[1].id, r3);

  app::Reminder notified = due[0];
  notified.notified_at = At(80);
  ASSERT_OK(session().UpdateReminder(notified));
  ASSERT_OK_AND_ASSIGN(auto due_again, session().ListDueReminders(At(200), 10));
  ASSERT_EQ(due_again.size(), 2u) << "a notified reminder is not due again";
  EXPECT_EQ(due_again[0].id, r3);
  EXPECT_EQ(due_again[1].id, r1);

  got.done_at = At(90);
  ASSERT_OK(session().UpdateReminder(got));
  ASSERT_OK_AND_ASSIGN(auto open_mine, session().ListReminders({ada_, true, 50}));
  ASSERT_EQ(open_mine.size(), 1u);
  EXPECT_EQ(open_mine[0].id, r2);
  ASSERT_OK_AND_ASSIGN(auto all_mine, session().ListReminders({ada_, false, 50}));
  EXPECT_EQ(all_mine.size(), 2u);
  ASSERT_OK_AND_ASSIGN(auto everyone, session().ListReminders({std::nullopt, false, 50}));
  EXPECT_EQ(everyone.size(), 3u);

  ASSERT_OK(session().DeleteReminder(r3));
  EXPECT_EQ(session().DeleteReminder(r3).code(), StatusCode::kNotFound);
  EXPECT_EQ(session().GetReminder(r3).status().code(), StatusCode::kNotFound);
  app::Reminder gone = got;
  gone.id = r3;
  EXPECT_EQ(session().UpdateReminder(gone).code(), StatusCode::kNotFound);
}

TEST_P(StoreFollowUpsTest, AClientHasOneAnnualReview) {
  app::Meeting review;
  review.client_id = client_;
  review.title = "Annual review";
  review.starts_at = At(3600);
  review.duration_minutes = 90;
  review.recurrence = app::MeetingRecurrence::kYearly;
  review.owner_user_id = ada_;
  review.created_at = At(0);
  ASSERT_OK_AND_ASSIGN(MeetingId id, session().InsertMeeting(review));
  auto second = session().InsertMeeting(review);
  EXPECT_EQ(second.status().code(), StatusCode::kAlreadyExists);
  app::Meeting once = review;
  once.recurrence = app::MeetingRecurrence::kNone;
  once.starts_at = At(100);
  ASSERT_OK_AND_ASSIGN(MeetingId once_id, session().InsertMeeting(once));

  ASSERT_OK_AND_ASSIGN(auto of_client, session().ListMeetings({client_, std::nullopt}));
  ASSERT_EQ(of_client.size(), 2u);
  EXPECT_EQ(of_client[0].id, once_id);
  EXPECT_EQ(of_client[1].id, id);
  EXPECT_EQ(of_client[1].recurrence, app::MeetingRecurrence::kYearly);
  EXPECT_EQ(of_client[1].duration_minutes, 90);
  EXPECT_EQ(of_client[1].owner_user_id, ada_);
  EXPECT_EQ(of_client[1].client_name, "Acme") << "read with the meeting, for the calendar feed";

  app::Meeting moved = of_client[1];
  moved.starts_at = At(7200);
  moved.owner_user_id = bob_;
  ASSERT_OK(session().UpdateMeeting(moved));
  ASSERT_OK_AND_ASSIGN(auto of_bob, session().ListMeetings({std::nullopt, bob_}));
  ASSERT_EQ(of_bob.size(), 1u);
  EXPECT_EQ(of_bob[0].starts_at, At(7200));
  ASSERT_OK_AND_ASSIGN(auto of_ada, session().ListMeetings({std::nullopt, ada_}));
  ASSERT_EQ(of_ada.size(), 1u);

  ASSERT_OK(session().DeleteMeeting(id));
  EXPECT_EQ(session().DeleteMeeting(id).code(), StatusCode::kNotFound);
  ASSERT_OK_AND_ASSIGN(MeetingId again, session().InsertMeeting(review));
  EXPECT_NE(again, id) << "after clearing, a new review can be set";
}

TEST_P(StoreFollowUpsTest, FeedTokensAreOnePerUserAndReplaceable) {
  ASSERT_OK_AND_ASSIGN(bool none, session().HasFeedToken(ada_));
  EXPECT_FALSE(none);
  ASSERT_OK(session().SaveFeedToken(ada_, "hash-1", At(0)));
  ASSERT_OK(session().SaveFeedToken(bob_, "hash-b", At(0)));
  ASSERT_OK_AND_ASSIGN(auto found, session().FindUserByFeedToken("hash-1"));
  EXPECT_EQ(found, ada_);
  ASSERT_OK(session().SaveFeedToken(ada_, "hash-2", At(5)));
  ASSERT_OK_AND_ASSIGN(auto old, session().FindUserByFeedToken("hash-1"));
  EXPECT_FALSE(old.has_value()) << "a regenerated token revokes the old one";
  ASSERT_OK_AND_ASSIGN(auto renewed, session().FindUserByFeedToken("hash-2"));
  EXPECT_EQ(renewed, ada_);
  ASSERT_OK(session().DeleteFeedToken(ada_));
  ASSERT_OK(session().DeleteFeedToken(ada_));
  ASSERT_OK_AND_ASSIGN(auto revoked, session().FindUserByFeedToken("hash-2"));
  EXPECT_FALSE(revoked.has_value());
  ASSERT_OK_AND_ASSIGN(auto bob_still, session().FindUserByFeedToken("hash-b"));
  EXPECT_EQ(bob_still, bob_);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreFollowUpsTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::store_test
