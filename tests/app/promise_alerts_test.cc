// Promise alerts: the assignee and the owners hear once when a promise is at risk and once when it
// is broken; a moved due time is a new promise; paused tickets are left alone. SQLite and PostgreSQL.
#include "app/promise_alerts.h"

#include <gtest/gtest.h>

#include "app/transaction.h"
#include "app_fixture.h"

namespace rapport::app {
namespace {

// Monday 2026-11-23 10:00 UTC: inside everyone's default working hours (Mon-Fri 09:00-17:00 in
// their own zones: the owner is in Berlin, 11:00 there).
const Instant kMonday = InstantFromUnix(1'795'428'000);

class PromiseAlertsTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    MakeTeam();
    clock_.Set(kMonday);
    NewTicket t;
    t.subject = "Server down";
    t.body_text = "Nothing answers.";
    t.channel = Channel::kEmail;
    t.contact.email = "ann@acme.test";
    t.contact.name = "Ann Lee";
    t.assignee_id = agent_.id;
    ticket_ = Must(desk().CreateTicket(As(agent_), t), "ticket");
    session_ = Must(store().OpenSession(), "session");
  }
  void TearDown() override {
    session_.reset();
    AppTest::TearDown();
  }

  // The ticket's first-response clock running, due `due` with its warning at `warning`.
  void Promise(Instant warning, Instant due) {
    SlaClocks c;
    c.first_response.state = SlaState::kOk;
    c.first_response.started_at = kMonday;
    c.first_response.warning_at = warning;
    c.first_response.due_at = due;
    c.first_response.target = std::chrono::hours(1);
    c.overall = SlaState::kOk;
    c.warning_at = warning;
    c.due_at = due;
    Transaction tx(*session_);
    ASSERT_TRUE(tx.began().ok());
    ASSERT_TRUE(session_->SaveTicketClocks(ticket_.id, c).ok());
    ASSERT_TRUE(tx.Commit().ok());
  }

  int RaiseAt(Instant now) {
    clock_.Set(now);
    return Must(RaisePromiseAlerts(*pool_, now), "alerts");
  }

  // The notices `u` has received by `now`, newest first.
  std::vector<Notice> NoticesOf(const User& u, Instant now) {
    return Must(session_->ListNotices(u.id, now, false, 50), "notices");
  }

  Ticket ticket_;
  std::unique_ptr<StoreSession> session_;
};

TEST_P(PromiseAlertsTest, WarnsTheAssigneeAndTheOwnerOnceThenReportsTheBreachOnce) {
  const Instant warning = kMonday + std::chrono::minutes(45);
  const Instant due = kMonday + std::chrono::minutes(60);
  Promise(warning, due);

  EXPECT_EQ(RaiseAt(kMonday + std::chrono::minutes(10)), 0);
  EXPECT_EQ(RaiseAt(warning), 1);
  EXPECT_EQ(RaiseAt(warning + std::chrono::minutes(5)), 0) << "a warning is raised once";

  const Instant later = due + std::chrono::minutes(1);
  auto agent_notices = NoticesOf(agent_, later);
  ASSERT_EQ(agent_notices.size(), 1u);
  EXPECT_EQ(agent_notices[0].kind, "promise_warning");
  EXPECT_EQ(agent_notices[0].ticket_id, ticket_.id);
  EXPECT_NE(agent_notices[0].title.find("#" + std::to_string(ticket_.number)), std::string::npos);
  EXPECT_NE(agent_notices[0].body.find("first response is due Mon 23 Nov 2026, 11:00 (UTC)"), std::string::npos)
      << agent_notices[0].body;
  auto owner_notices = NoticesOf(owner_, later);
  ASSERT_EQ(owner_notices.size(), 1u);
  EXPECT_NE(owner_notices[0].body.find("12:00 (Europe/Berlin)"), std::string::npos) << owner_notices[0].body;
  EXPECT_TRUE(NoticesOf(admin_, later).empty()) << "only the assignee and the owners";

  EXPECT_EQ(RaiseAt(later), 1);
  EXPECT_EQ(RaiseAt(later + std::chrono::hours(1)), 0) << "a breach is raised once";
  agent_notices = NoticesOf(agent_, later + std::chrono::hours(1));
  ASSERT_EQ(agent_notices.size(), 2u);
  EXPECT_EQ(agent_notices[0].kind, "promise_breach");
  EXPECT_NE(agent_notices[0].body.find("was due"), std::string::npos);
}

TEST_P(PromiseAlertsTest, ABreachFoundLateIsReportedWithoutAStaleWarning) {
  Promise(kMonday + std::chrono::minutes(45), kMonday + std::chrono::minutes(60));
  EXPECT_EQ(RaiseAt(kMonday + std::chrono::hours(3)), 1);
  EXPECT_EQ(RaiseAt(kMonday + std::chrono::hours(4)), 0);
  const auto notices = NoticesOf(agent_, kMonday + std::chrono::hours(4));
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].kind, "promise_breach");
}

TEST_P(PromiseAlertsTest, AtTheDueSecondItIsStillAWarningAndASecondLaterABreach) {
  const Instant due = kMonday + std::chrono::minutes(60);
  Promise(kMonday + std::chrono::minutes(45), due);
  EXPECT_EQ(RaiseAt(due), 1);
  EXPECT_EQ(NoticesOf(agent_, due)[0].kind, "promise_warning") << "a reply at the due second keeps the promise";
  EXPECT_EQ(RaiseAt(due + std::chrono::seconds(1)), 1);
  EXPECT_EQ(NoticesOf(agent_, due + std::chrono::seconds(1))[0].kind, "promise_breach");
}

TEST_P(PromiseAlertsTest, APromiseBrokenMoreThanADayAgoIsHistoryNotNews) {
  // The first start after an upgrade, or a worker that was down: a promise broken 25 hours ago
  // alerts nobody (and does not keep later candidates from the page); one broken 23 hours ago does.
  const Instant due = kMonday + std::chrono::minutes(60);
  Promise(kMonday + std::chrono::minutes(45), due);
  EXPECT_EQ(RaiseAt(due + std::chrono::hours(25)), 0);
  EXPECT_TRUE(NoticesOf(agent_, due + std::chrono::hours(25)).empty());
  EXPECT_TRUE(NoticesOf(owner_, due + std::chrono::hours(25)).empty());
  EXPECT_EQ(RaiseAt(due + std::chrono::hours(23)), 1);
  EXPECT_EQ(NoticesOf(agent_, due + std::chrono::hours(23))[0].kind, "promise_breach");
}

TEST_P(PromiseAlertsTest, AMovedDueTimeIsANewPromise) {
  Promise(kMonday + std::chrono::minutes(45), kMonday + std::chrono::minutes(60));
  EXPECT_EQ(RaiseAt(kMonday + std::chrono::minutes(50)), 1);
  // Say a policy change gave more time: the new due time gets its own warning.
  Promise(kMonday + std::chrono::hours(2), kMonday + std::chrono::hours(3));
  EXPECT_EQ(RaiseAt(kMonday + std::chrono::minutes(70)), 0);
  EXPECT_EQ(RaiseAt(kMonday + std::chrono::hours(2)), 1);
  EXPECT_EQ(NoticesOf(agent_, kMonday + std::chrono::hours(2)).size(), 2u);
}

TEST_P(PromiseAlertsTest, TicketsWithoutARunningPromiseAreLeftAlone) {
  // No clock saved: nothing due. Then a settled ticket (no running clock) is ignored as well.
  EXPECT_EQ(RaiseAt(kMonday + std::chrono::hours(5)), 0);
  SlaClocks settled;
  settled.first_response.state = SlaState::kMet;
  settled.overall = SlaState::kMet;
  {
    Transaction tx(*session_);
    ASSERT_TRUE(tx.began().ok());
    ASSERT_TRUE(session_->SaveTicketClocks(ticket_.id, settled).ok());
    ASSERT_TRUE(tx.Commit().ok());
  }
  EXPECT_EQ(RaiseAt(kMonday + std::chrono::hours(6)), 0);
  EXPECT_TRUE(NoticesOf(agent_, kMonday + std::chrono::hours(6)).empty());
}

TEST_P(PromiseAlertsTest, AClosedTicketIsNotAlerted) {
  Promise(kMonday + std::chrono::minutes(45), kMonday + std::chrono::minutes(60));
  TicketChanges close;
  close.status = TicketStatus::kClosed;
  ASSERT_TRUE(desk().UpdateTicket(As(agent_), ticket_.id, close).ok());
  // Whatever the clocks say after closing, a closed ticket never alerts.
  Promise(kMonday + std::chrono::minutes(45), kMonday + std::chrono::minutes(60));
  EXPECT_EQ(RaiseAt(kMonday + std::chrono::hours(2)), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, PromiseAlertsTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::app
