// Reminders: business-time due dates, who may set and change them, and the worker step that turns
// due reminders into notices exactly once, also after a crash; client reviews. SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include "app/client_reviews.h"
#include "app/transaction.h"
#include "follow_up_fixture.h"

namespace rapport::app {
namespace {

using std::chrono::hours;

class RemindersTest : public FollowUpTest {
 protected:
  ReminderFields OnTicket(const Ticket& t, ReminderWhen when) {
    ReminderFields f;
    f.ticket_id = t.id;
    f.when = when;
    return f;
  }
  static ReminderWhen Days(int n) { return ReminderWhen{std::nullopt, std::nullopt, n}; }
  static ReminderWhen Hours(int n) { return ReminderWhen{std::nullopt, n, std::nullopt}; }
  static ReminderWhen At(Instant t) { return ReminderWhen{t, std::nullopt, std::nullopt}; }

  std::vector<Notice> NoticesOf(const User& u) {
    return Must(session().ListNotices(u.id, InstantFromUnix(4'000'000'000), false, 200));
  }
};

// The workspace keeps the default hours (Monday-Friday 09:00-17:00) in its zone, UTC.
TEST_P(RemindersTest, BusinessDaysKeepTheTimeOfDayAcrossTheWeekend) {
  clock_.Set(Utc(23, 10, 0));  // Monday
  Reminder r = Must(reminders().Create(As(agent_), OnTicket(other_ticket_, Days(2))));
  EXPECT_EQ(r.due_at, Utc(25, 10, 0));
  EXPECT_EQ(r.title, "#" + std::to_string(other_ticket_.number) + " Not for the subcontractor");
  EXPECT_EQ(r.user_id, agent_.id);
  EXPECT_EQ(r.created_by, agent_.id);

  clock_.Set(Utc(27, 16, 0));  // Friday 16:00: one business hour left that day
  EXPECT_EQ(Must(reminders().Create(As(agent_), OnTicket(other_ticket_, Days(1)))).due_at, Utc(30, 16, 0));

  clock_.Set(Utc(22, 20, 0));  // set on a Sunday evening: 2 business days end on Tuesday 17:00
  EXPECT_EQ(Must(reminders().Create(As(agent_), OnTicket(other_ticket_, Days(2)))).due_at, Utc(24, 17, 0));
}

TEST_P(RemindersTest, BusinessHoursSkipNightsAndHolidays) {
  clock_.Set(Utc(23, 16, 0));  // Monday 16:00 + 3 business hours = Tuesday 11:00
  EXPECT_EQ(Must(reminders().Create(As(agent_), OnTicket(other_ticket_, Hours(3)))).due_at, Utc(24, 11, 0));
  AddHoliday(11, 24);  // now Tuesday is off: Wednesday 11:00
  EXPECT_EQ(Must(reminders().Create(As(agent_), OnTicket(other_ticket_, Hours(3)))).due_at, Utc(25, 11, 0));
  clock_.Set(Utc(23, 10, 0));  // and 2 business days from Monday 10:00 skip it: Thursday 10:00
  EXPECT_EQ(Must(reminders().Create(As(agent_), OnTicket(other_ticket_, Days(2)))).due_at, Utc(26, 10, 0));
}

TEST_P(RemindersTest, TheWorkspaceZoneAndHoursCount) {
  Workspace w = Must(session().GetWorkspace());
  w.time_zone = "America/New_York";  // UTC-5 in November
  w.business_hours = {{1, 8 * 60, 12 * 60}, {2, 8 * 60, 12 * 60}, {3, 8 * 60, 12 * 60}, {4, 8 * 60, 12 * 60},
                      {5, 8 * 60, 12 * 60}};
  ASSERT_TRUE(session().SaveWorkspace(w).ok());
  clock_.Set(Utc(23, 15, 0));  // Monday 10:00 in New York; a business day is 4 h
  EXPECT_EQ(Must(reminders().Create(As(agent_), OnTicket(other_ticket_, Days(1)))).due_at, Utc(24, 15, 0));
  EXPECT_EQ(Must(reminders().Create(As(agent_), OnTicket(other_ticket_, Hours(3)))).due_at, Utc(24, 14, 0));
}

TEST_P(RemindersTest, WhenMustBeExactlyOneValidChoice) {
  ReminderFields f = OnTicket(other_ticket_, ReminderWhen{});
  EXPECT_EQ(reminders().Create(As(agent_), f).status().code(), StatusCode::kInvalidArgument);
  f.when = ReminderWhen{Utc(30, 9, 0), 3, std::nullopt};
  EXPECT_EQ(reminders().Create(As(agent_), f).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(reminders().Create(As(agent_), OnTicket(other_ticket_, Days(0))).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(reminders().Create(As(agent_), OnTicket(other_ticket_, Days(kMaxReminderBusinessDays + 1))).status().code(),
            StatusCode::kInvalidArgument);
  ReminderFields neither;
  neither.when = Days(1);
  EXPECT_EQ(reminders().Create(As(agent_), neither).status().code(), StatusCode::kInvalidArgument)
      << "a reminder on nothing needs a title";
  neither.title = "Renew the domain";
  EXPECT_TRUE(reminders().Create(As(agent_), neither).ok());
}

TEST_P(RemindersTest, WhoMaySetThem) {
  // A subcontractor: only on tickets assigned to them, never on clients, never for others.
  EXPECT_TRUE(reminders().Create(As(sub_), OnTicket(ticket_, Days(1))).ok());
  EXPECT_EQ(reminders().Create(As(sub_), OnTicket(other_ticket_, Days(1))).status().code(), StatusCode::kNotFound);
  ReminderFields on_client;
  on_client.client_id = client_.id;
  on_client.when = Days(1);
  EXPECT_EQ(reminders().Create(As(sub_), on_client).status().code(), StatusCode::kPermissionDenied);
  Reminder client_reminder = Must(reminders().Create(As(agent_), on_client));
  EXPECT_EQ(client_reminder.title, "Acme Ltd");

  // For another person: owners and admins only, and only on what that person may see.
  ReminderFields for_agent = OnTicket(other_ticket_, Days(1));
  for_agent.user_id = agent_.id;
  EXPECT_EQ(reminders().Create(As(sub2_), for_agent).status().code(), StatusCode::kPermissionDenied);
  ReminderFields for_owner = OnTicket(other_ticket_, Days(1));
  for_owner.user_id = owner_.id;
  EXPECT_EQ(reminders().Create(As(agent_), for_owner).status().code(), StatusCode::kPermissionDenied);
  Reminder set_by_admin = Must(reminders().Create(As(admin_), for_agent));
  EXPECT_EQ(set_by_admin.user_id, agent_.id);
  EXPECT_EQ(set_by_admin.created_by, admin_.id);
  ReminderFields sub_on_other = OnTicket(other_ticket_, Days(1));
  sub_on_other.user_id = sub_.id;
  EXPECT_EQ(reminders().Create(As(owner_), sub_on_other).status().code(), StatusCode::kInvalidArgument)
      << "the subcontractor may not see that ticket";

  auto mine = Must(reminders().ListMine(As(agent_)));
  EXPECT_EQ(mine.size(), 2u);
  EXPECT_EQ(reminders().ListAll(As(agent_)).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Must(reminders().ListAll(As(owner_))).size(), 3u);
}

TEST_P(RemindersTest, WhoMayChangeThem) {
  Reminder r = Must(reminders().Create(As(agent_), OnTicket(other_ticket_, Days(1))));
  EXPECT_EQ(reminders().Done(As(sub_), r.id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(reminders().Delete(As(sub2_), r.id).code(), StatusCode::kNotFound);
  EXPECT_EQ(reminders().Get(As(sub_), r.id).status().code(), StatusCode::kNotFound);
  Reminder snoozed = Must(reminders().Snooze(As(agent_), r.id, At(Utc(30, 12, 0))));
  EXPECT_EQ(snoozed.due_at, Utc(30, 12, 0));
  Reminder done = Must(reminders().Done(As(admin_), r.id));
  ASSERT_TRUE(done.done_at.has_value());
  EXPECT_TRUE(Must(reminders().ListMine(As(agent_))).empty()) << "done reminders leave the open list";
  EXPECT_EQ(Must(reminders().ListMine(As(agent_), false)).size(), 1u);
  EXPECT_TRUE(reminders().Delete(As(agent_), r.id).ok());
  EXPECT_EQ(reminders().Get(As(agent_), r.id).status().code(), StatusCode::kNotFound);
}

TEST_P(RemindersTest, DueRemindersBecomeOneNoticeEach) {
  SetOnCall(agent_, true);  // delivered at once, whatever the hour
  Reminder r = Must(reminders().Create(As(agent_), OnTicket(other_ticket_, At(Utc(23, 10, 0)))));
  Reminder later = Must(reminders().Create(As(agent_), OnTicket(other_ticket_, At(Utc(26, 10, 0)))));
  EXPECT_EQ(Must(DeliverDueReminders(*pool_, Utc(23, 9, 59))), 0) << "not due yet";
  EXPECT_EQ(Must(DeliverDueReminders(*pool_, Utc(23, 10, 0))), 1);
  EXPECT_EQ(Must(DeliverDueReminders(*pool_, Utc(23, 10, 1))), 0) << "a second round finds nothing to do";
  auto got = NoticesOf(agent_);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind, "reminder");
  EXPECT_EQ(got[0].ticket_id, other_ticket_.id);
  EXPECT_EQ(got[0].deliver_at, Utc(23, 10, 0));
  EXPECT_NE(got[0].title.find("Not for the subcontractor"), std::string::npos);
  EXPECT_TRUE(Must(reminders().Get(As(agent_), r.id)).notified_at.has_value());
  EXPECT_FALSE(Must(reminders().Get(As(agent_), later.id)).notified_at.has_value());

  // Snoozed after it reminded: it reminds again at the new time.
  Must(reminders().Snooze(As(agent_), r.id, At(Utc(24, 10, 0))));
  EXPECT_EQ(Must(DeliverDueReminders(*pool_, Utc(24, 10, 0))), 1);
  EXPECT_EQ(NoticesOf(agent_).size(), 2u);
}

TEST_P(RemindersTest, ACrashAfterTheNoticeDoesNotNotifyTwice) {
  SetOnCall(agent_, true);
  Reminder r = Must(reminders().Create(As(agent_), OnTicket(other_ticket_, At(Utc(23, 10, 0)))));
  // A worker raised the notice and died before it could mark the reminder: simulated by raising the
  // notice with the reminder's key and leaving the reminder unmarked.
  {
    Transaction tx(session());
    ASSERT_TRUE(tx.began().ok());
    NoticeDraft d;
    d.user_id = agent_.id;
    d.kind = "reminder";
    d.title = "Reminder: raised before the crash";
    d.dedup_key = "reminder:" + std::to_string(r.id.value) + "@" + std::to_string(ToUnix(r.due_at));
    ASSERT_TRUE(Must(RaiseNotice(session(), d, Utc(23, 10, 0))));
    ASSERT_TRUE(tx.Commit().ok());
  }
  ASSERT_FALSE(Must(reminders().Get(As(agent_), r.id)).notified_at.has_value());
  EXPECT_EQ(Must(DeliverDueReminders(*pool_, Utc(23, 10, 5))), 1) << "the restarted worker marks it";
  auto got = NoticesOf(agent_);
  ASSERT_EQ(got.size(), 1u) << "and the notice stays single";
  EXPECT_EQ(got[0].title, "Reminder: raised before the crash");
  EXPECT_EQ(Must(DeliverDueReminders(*pool_, Utc(23, 11, 0))), 0);
}

TEST_P(RemindersTest, ARemindersNoticeWaitsForWorkingHours) {
  Reminder r = Must(reminders().Create(As(agent_), OnTicket(other_ticket_, At(Utc(28, 23, 0)))));  // Saturday
  EXPECT_EQ(Must(DeliverDueReminders(*pool_, Utc(28, 23, 0))), 1);
  auto got = NoticesOf(agent_);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].deliver_at, Utc(30, 9, 0)) << "Monday morning, not Saturday night";
  EXPECT_TRUE(Must(reminders().Get(As(agent_), r.id)).notified_at.has_value());
}

TEST_P(RemindersTest, DoneRemindersAreNotDelivered) {
  Reminder r = Must(reminders().Create(As(agent_), OnTicket(other_ticket_, At(Utc(23, 10, 0)))));
  Must(reminders().Done(As(agent_), r.id));
  EXPECT_EQ(Must(DeliverDueReminders(*pool_, Utc(24, 10, 0))), 0);
  EXPECT_TRUE(NoticesOf(agent_).empty());
}

TEST_P(RemindersTest, AverageBusinessDayOfUnevenHours) {
  auto cal = Must(BusinessCalendar::Make({{1, 9 * 60, 17 * 60}, {5, 9 * 60, 13 * 60}}, {}, ZoneRules()));
  EXPECT_EQ(AverageBusinessDay(cal), hours(6));
  EXPECT_EQ(AverageBusinessDay(BusinessCalendar::AlwaysOpen()), hours(24));
}

class ClientReviewsTest : public FollowUpTest {};

TEST_P(ClientReviewsTest, SetMoveAndClearTheAnnualReview) {
  ClientReviews reviews(*pool_, clock_);
  Workspace w = Must(session().GetWorkspace());
  w.time_zone = "Europe/London";
  ASSERT_TRUE(session().SaveWorkspace(w).ok());
  EXPECT_FALSE(Must(reviews.Get(As(owner_), client_.id)).has_value());
  ReviewFields f;
  f.starts_local = "2027-03-15T10:00";
  f.duration_minutes = 90;
  Meeting m = Must(reviews.Set(As(agent_), client_.id, f));
  using namespace std::chrono;
  const Instant start = Instant(sys_days(year(2027) / March / 15) + hours(10));  // GMT in March
  EXPECT_EQ(m.starts_at, start);
  EXPECT_EQ(m.recurrence, MeetingRecurrence::kYearly);
  EXPECT_EQ(m.owner_user_id, agent_.id);
  EXPECT_EQ(m.title, "Annual review: Acme Ltd");

  f.starts_local = "2027-06-15T10:00";  // British Summer Time: 09:00 UTC
  Meeting moved = Must(reviews.Set(As(agent_), client_.id, f));
  EXPECT_EQ(moved.id, m.id) << "one review per client, moved";
  EXPECT_EQ(moved.starts_at, Instant(sys_days(year(2027) / June / 15) + hours(9)));

  auto listed = Must(reviews.List(As(owner_), Instant(sys_days(year(2027) / January / 1)),
                                  Instant(sys_days(year(2030) / January / 1))));
  ASSERT_EQ(listed.size(), 3u) << "2027, 2028, 2029";
  EXPECT_EQ(listed[2].starts_at, Instant(sys_days(year(2029) / June / 15) + hours(9)));
  EXPECT_EQ(listed[2].ends_at - listed[2].starts_at, minutes(90));

  EXPECT_EQ(reviews.Set(As(sub_), client_.id, f).status().code(), StatusCode::kPermissionDenied);
  f.starts_local = "next tuesday";
  EXPECT_EQ(reviews.Set(As(agent_), client_.id, f).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(reviews.Clear(As(agent_), client_.id).ok());
  EXPECT_FALSE(Must(reviews.Get(As(owner_), client_.id)).has_value());
  EXPECT_TRUE(reviews.Clear(As(agent_), client_.id).ok());
}

// A yearly review first held on 2028-02-29 at 14:00 UTC, for 30 minutes.
Meeting LeapDayReview() {
  using namespace std::chrono;
  Meeting m;
  m.id = MeetingId(1);
  m.starts_at = Instant(sys_days(year(2028) / February / 29) + hours(14));
  m.duration_minutes = 30;
  m.recurrence = MeetingRecurrence::kYearly;
  return m;
}

TEST(ExpandMeetings, AFebruary29ReviewComesInLeapYearsOnly) {
  using namespace std::chrono;
  const Meeting m = LeapDayReview();
  auto all = ExpandMeetings({m}, Instant(sys_days(year(2020) / January / 1)), Instant(sys_days(year(2037) / January / 1)));
  ASSERT_EQ(all.size(), 3u) << "2028, 2032, 2036 — never before its first";
  EXPECT_EQ(all[1].starts_at, Instant(sys_days(year(2032) / February / 29) + hours(14)));
  Meeting once = m;
  once.recurrence = MeetingRecurrence::kNone;
  EXPECT_EQ(ExpandMeetings({once}, Instant(sys_days(year(2020) / January / 1)),
                           Instant(sys_days(year(2037) / January / 1)))
                .size(),
            1u);
  // A meeting that started before the range but still runs in it overlaps it.
  EXPECT_EQ(ExpandMeetings({once}, m.starts_at + minutes(10), m.starts_at + minutes(20)).size(), 1u);
  EXPECT_TRUE(ExpandMeetings({once}, m.starts_at + minutes(30), m.starts_at + hours(1)).empty());
}

TEST(StartsAt, AYearlyMeetingStartsOnItsDateEachYearFromTheFirstOn) {
  using namespace std::chrono;
  const Meeting m = LeapDayReview();
  EXPECT_TRUE(StartsAt(m, m.starts_at));
  EXPECT_TRUE(StartsAt(m, Instant(sys_days(year(2032) / February / 29) + hours(14))));
  EXPECT_FALSE(StartsAt(m, Instant(sys_days(year(2024) / February / 29) + hours(14)))) << "before its first";
  EXPECT_FALSE(StartsAt(m, Instant(sys_days(year(2029) / February / 28) + hours(14)))) << "no February 29 in 2029";
  EXPECT_FALSE(StartsAt(m, Instant(sys_days(year(2032) / February / 29) + hours(14) + minutes(1))));
  Meeting once = m;
  once.recurrence = MeetingRecurrence::kNone;
  EXPECT_TRUE(StartsAt(once, m.starts_at));
  EXPECT_FALSE(StartsAt(once, Instant(sys_days(year(2032) / February / 29) + hours(14))));
}

TEST(AddBusinessDays, NBusinessDaysKeepTheTimeOfDay) {
  using namespace std::chrono;
  // Monday-Friday 09:00-17:00 UTC: Friday 16:00 + 1 is Monday 16:00, Monday 10:00 + 3 is Thursday 10:00.
  std::vector<WorkingInterval> week;
  for (int d = 1; d <= 5; ++d) week.push_back(WorkingInterval{d, 9 * 60, 17 * 60});
  auto cal = BusinessCalendar::Make(week, {}, ZoneRules());
  ASSERT_TRUE(cal.ok());
  const Instant monday = Instant(sys_days(year(2026) / November / 23));
  EXPECT_EQ(AddBusinessDays(*cal, monday + hours(10), 3), monday + days(3) + hours(10));
  EXPECT_EQ(AddBusinessDays(*cal, monday + days(4) + hours(16), 1), monday + days(7) + hours(16));
}

INSTANTIATE_TEST_SUITE_P(Backends, RemindersTest, rapport::testing::AllBackends(), rapport::testing::BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, ClientReviewsTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::app
