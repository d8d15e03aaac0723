// Notices: delivered inside the person's own working hours unless on call, emailed through the
// outbox, and raised once per dedup key; on SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include "app/transaction.h"
#include "follow_up_fixture.h"
#include "support/outbox_reads.h"

namespace rapport::app {
namespace {

class NoticesTest : public FollowUpTest {
 protected:
  NoticeDraft Draft(const User& to, const std::string& key) {
    NoticeDraft d;
    d.user_id = to.id;
    d.kind = "promise_warning";
    d.ticket_id = ticket_.id;
    d.title = "Ticket #" + std::to_string(ticket_.number) + " is close to its promise";
    d.body = "Reply by 16:00.";
    d.dedup_key = key;
    return d;
  }

  Result<bool> Raise(const NoticeDraft& d) {
    Transaction tx(session());
    if (!tx.began().ok()) return tx.began();
    auto raised = RaiseNotice(session(), d, clock_.Now());
    if (!raised.ok()) return raised;
    RAPPORT_RETURN_IF_ERROR(tx.Commit());
    return raised;
  }

  // The mail queued to `address`, oldest first, as stored (a read: ClaimDueOutbox would take them).
  std::vector<OutboxEntry> MailTo(const std::string& address) {
    std::vector<OutboxEntry> out;
    for (OutboxEntry& e : Must(rapport::testing::ReadWholeOutbox(session()))) {
      if (!e.recipients.empty() && e.recipients[0] == address) out.push_back(std::move(e));
    }
    return out;
  }
};

TEST_P(NoticesTest, OutsideWorkingHoursANoticeWaitsForTheNextWorkingMorning) {
  // Sunday 15:04 UTC. The agent (UTC, no hours set: Monday-Friday 09:00-17:00) gets it on Monday 09:00.
  ASSERT_EQ(clock_.Now(), Utc(22, 15, 4) + std::chrono::seconds(5));
  EXPECT_TRUE(Must(Raise(Draft(agent_, "w:1"))));
  EXPECT_EQ(Must(notices().UnreadCount(As(agent_))), 0) << "not shown before it is delivered";
  EXPECT_TRUE(Must(notices().List(As(agent_), false)).empty());

  clock_.Set(Utc(23, 9, 0));
  auto list = Must(notices().List(As(agent_), false));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].deliver_at, Utc(23, 9, 0));
  EXPECT_EQ(list[0].ticket_id, ticket_.id);
  EXPECT_EQ(list[0].kind, "promise_warning");
  EXPECT_EQ(Must(notices().UnreadCount(As(agent_))), 1);

  // Its email waits in the outbox until then.
  auto mail = MailTo("agent@desk.test");
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_EQ(mail[0].state, OutboxState::kQueued);
  EXPECT_EQ(mail[0].next_attempt_at, Utc(23, 9, 0));
  EXPECT_EQ(mail[0].purpose, OutboxPurpose::kAutomatic);
  EXPECT_TRUE(mail[0].email.auto_submitted);
  EXPECT_NE(mail[0].email.subject.find("close to its promise"), std::string::npos);
  EXPECT_FALSE(mail[0].ticket_id.has_value()) << "a notice is not part of the ticket's conversation";
}

TEST_P(NoticesTest, DeliveryFollowsThePersonsOwnZone) {
  // The owner works in Europe/Berlin (UTC+1 in November): Monday 09:00 there is 08:00 UTC.
  EXPECT_TRUE(Must(Raise(Draft(owner_, "w:berlin"))));
  clock_.Set(Utc(23, 8, 0));
  auto list = Must(notices().List(As(owner_), false));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].deliver_at, Utc(23, 8, 0));
}

TEST_P(NoticesTest, InsideWorkingHoursItIsDeliveredAtOnce) {
  clock_.Set(Utc(24, 11, 30));  // Tuesday
  EXPECT_TRUE(Must(Raise(Draft(agent_, "w:now"))));
  auto list = Must(notices().List(As(agent_), false));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].deliver_at, Utc(24, 11, 30));
}

TEST_P(NoticesTest, AWorkspaceHolidayIsNotAWorkingDay) {
  AddHoliday(11, 23);  // Monday
  EXPECT_TRUE(Must(Raise(Draft(agent_, "w:holiday"))));
  clock_.Set(Utc(30, 0, 0));
  auto list = Must(notices().List(As(agent_), false));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].deliver_at, Utc(24, 9, 0));
}

TEST_P(NoticesTest, TheEmailCarriesOutsideTextAsTextNotMarkdown) {
  // A ticket's subject is the client's; a reminder's note is typed as plain text.
  clock_.Set(Utc(24, 10, 0));
  NoticeDraft d = Draft(agent_, "hostile");
  d.title = "Promise broken: #7 [Pay now](https://evil.example) <b>x</b>";
  d.body = "The first response was due 11:00 (UTC).\n# not a heading";
  ASSERT_TRUE(Must(Raise(d)));
  const auto mail = MailTo("agent@desk.test");
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_EQ(mail[0].email.subject, "[Rapport] " + d.title) << "the subject is not Markdown";
  EXPECT_EQ(mail[0].email.markdown,
            "Promise broken: #7 \\[Pay now\\](https\\://evil.example) \\<b>x\\</b>\n\n"
            "The first response was due 11:00 (UTC).  \n\\# not a heading");
}

TEST_P(NoticesTest, OnCallPeopleGetItAtAnyHour) {
  SetOnCall(agent_, true);
  clock_.Set(Utc(22, 3, 0));  // Sunday 03:00
  EXPECT_TRUE(Must(Raise(Draft(agent_, "w:night"))));
  auto list = Must(notices().List(As(agent_), false));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].deliver_at, Utc(22, 3, 0));
  auto mail = MailTo("agent@desk.test");
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_EQ(mail[0].next_attempt_at, Utc(22, 3, 0));
}

TEST_P(NoticesTest, RaisingTheSameKeyAgainChangesNothing) {
  clock_.Set(Utc(24, 10, 0));
  EXPECT_TRUE(Must(Raise(Draft(agent_, "promise_warning:7@1795600800"))));
  clock_.Set(Utc(24, 10, 5));  // a worker restarted after a crash raises it again
  EXPECT_FALSE(Must(Raise(Draft(agent_, "promise_warning:7@1795600800"))));
  EXPECT_EQ(Must(notices().List(As(agent_), false)).size(), 1u);
  EXPECT_EQ(MailTo("agent@desk.test").size(), 1u) << "and no second email";
  EXPECT_TRUE(Must(Raise(Draft(owner_, "promise_warning:7@1795600800")))) << "another person's notice is their own";
}

TEST_P(NoticesTest, ReadingIsPerPerson) {
  clock_.Set(Utc(24, 10, 0));
  ASSERT_TRUE(Must(Raise(Draft(agent_, "a"))));
  ASSERT_TRUE(Must(Raise(Draft(agent_, "b"))));
  auto list = Must(notices().List(As(agent_), false));
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(notices().MarkRead(As(admin_), list[0].id).code(), StatusCode::kNotFound);
  EXPECT_TRUE(notices().MarkRead(As(agent_), list[0].id).ok());
  EXPECT_EQ(Must(notices().UnreadCount(As(agent_))), 1);
  EXPECT_EQ(Must(notices().List(As(agent_), true)).size(), 1u);
  EXPECT_EQ(Must(notices().MarkAllRead(As(agent_))), 1);
  EXPECT_EQ(Must(notices().UnreadCount(As(agent_))), 0);
}

TEST_P(NoticesTest, MarkAllReadMarksEveryDeliveredNoticeNotOnlyAPage) {
  clock_.Set(Utc(24, 10, 0));
  constexpr int kMany = 230;  // more than a page (kMaxPageSize = 200)
  for (int i = 0; i < kMany; ++i) ASSERT_TRUE(Must(Raise(Draft(agent_, "k" + std::to_string(i)))));
  ASSERT_TRUE(Must(Raise(Draft(owner_, "owner's own"))));
  // Raised outside the agent's hours (here: at 20:00): delivered the next morning, so not yet read.
  clock_.Set(Utc(24, 20, 0));
  ASSERT_TRUE(Must(Raise(Draft(agent_, "tomorrow"))));
  EXPECT_EQ(Must(notices().UnreadCount(As(agent_))), kMany);
  EXPECT_EQ(Must(notices().MarkAllRead(As(agent_))), kMany);
  EXPECT_EQ(Must(notices().UnreadCount(As(agent_))), 0);
  EXPECT_EQ(Must(notices().UnreadCount(As(owner_))), 1) << "only the actor's";
  EXPECT_EQ(Must(notices().MarkAllRead(As(agent_))), 0) << "nothing twice";
  clock_.Set(Utc(25, 9, 0));
  EXPECT_EQ(Must(notices().UnreadCount(As(agent_))), 1) << "the one delivered later is still unread";
}

TEST_P(NoticesTest, BadDraftsAreRefusedAndInactivePeopleGetNothing) {
  NoticeDraft d = Draft(agent_, "");
  EXPECT_EQ(Raise(d).status().code(), StatusCode::kInvalidArgument);
  d = Draft(agent_, "k");
  d.kind = "";
  EXPECT_EQ(Raise(d).status().code(), StatusCode::kInvalidArgument);
  d = Draft(agent_, "k");
  d.user_id = UserId(9999);
  EXPECT_EQ(Raise(d).status().code(), StatusCode::kNotFound);
  User gone = agent_;
  gone.active = false;
  ASSERT_TRUE(session().UpdateUser(gone).ok());
  EXPECT_FALSE(Must(Raise(Draft(agent_, "k"))));
}

INSTANTIATE_TEST_SUITE_P(Backends, NoticesTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::app
