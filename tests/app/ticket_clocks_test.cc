// The promise clocks on tickets through the use cases, on SQLite and PostgreSQL: recorded and
// recomputed in the same transaction as each change, recomputed for every open ticket when the
// calendar or the policies change, and the same through the import path as message by message.
#include <chrono>
#include <memory>
#include <vector>

#include "app/email_intake.h"
#include "app/promise_settings.h"
#include "app/ticket_clocks.h"
#include "app/unit_of_work.h"
#include "app_fixture.h"

namespace rapport::app {
namespace {

using std::chrono::minutes;
using namespace std::chrono_literals;

constexpr std::chrono::year_month_day kFriday{std::chrono::year(2026), std::chrono::November, std::chrono::day(27)};
constexpr std::chrono::year_month_day kMonday{std::chrono::year(2026), std::chrono::November, std::chrono::day(30)};
constexpr std::chrono::year_month_day kTuesday{std::chrono::year(2026), std::chrono::December, std::chrono::day(1)};

// Wall time in New York, the workspace's zone; these dates are all on Eastern Standard Time (UTC-5).
Instant NewYork(std::chrono::year_month_day day, int hour, int minute = 0) {
  return std::chrono::sys_days(day) + std::chrono::hours(hour + 5) + std::chrono::minutes(minute);
}

class TicketClocksTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    MakeTeam();
    settings_ = std::make_unique<PromiseSettings>(*pool_, clock_);
    BusinessHoursChange hours;
    hours.time_zone = "America/New_York";
    for (int weekday = 1; weekday <= 5; ++weekday) hours.intervals.push_back({weekday, 9 * 60, 17 * 60});
    Must(settings_->ReplaceBusinessHours(As(owner_), hours), "hours");
    SlaPolicy p;
    p.name = "Standard";
    p.For(Priority::kNormal).first_response = minutes(240);
    p.For(Priority::kUrgent).first_response = minutes(60);
    policy_ = Must(settings_->CreatePolicy(As(owner_), p), "policy");
  }
  void TearDown() override {
    settings_.reset();
    AppTest::TearDown();
  }

  Ticket Open(Instant at, std::string email = "ann@acme.example") {
    clock_.Set(at);
    NewTicket t;
    t.subject = "The printer is on fire";
    t.body_text = "Help";
    t.contact.email = std::move(email);
    return Must(desk().CreateTicket(As(agent_), t), "create");
  }
  Ticket Read(TicketId id) { return Must(desk().GetTicket(As(agent_), id), "get").ticket; }
  void Reply(TicketId id, Instant at) {
    clock_.Set(at);
    Must(desk().AddMessage(As(agent_), id, NewMessage{.kind = MessageKind::kReply, .body_text = "On it"}), "reply");
  }
  void Move(TicketId id, TicketStatus to, Instant at) {
    clock_.Set(at);
    Must(desk().UpdateTicket(As(agent_), id, TicketChanges{.status = to}), "status");
  }

  std::unique_ptr<PromiseSettings> settings_;
  SlaPolicy policy_;
};

TEST_P(TicketClocksTest, FridayAfternoonRequestIsDueMondayAndTheReplyMeetsIt) {
  const Ticket t = Open(NewYork(kFriday, 16));
  Ticket got = Read(t.id);
  EXPECT_EQ(got.first_response_due_at, NewYork(kMonday, 12)) << "1 business hour on Friday, 3 on Monday";
  EXPECT_EQ(got.sla_due_at, NewYork(kMonday, 12));
  EXPECT_EQ(got.sla_warning_at, NewYork(kMonday, 11)) << "75% of 4 hours";
  EXPECT_EQ(got.sla_state, SlaState::kOk);
  EXPECT_FALSE(got.resolution_due_at.has_value()) << "the policy promises no resolution time";

  Reply(t.id, NewYork(kMonday, 10));
  got = Read(t.id);
  EXPECT_EQ(got.sla_state, SlaState::kMet);
  EXPECT_EQ(got.first_response_due_at, NewYork(kMonday, 12)) << "a settled clock keeps the due time it had";
  EXPECT_FALSE(got.sla_due_at.has_value()) << "nothing runs: the ticket sorts after the due ones";

  // Notes are not events: they neither stop nor start a clock.
  const Ticket other = Open(NewYork(kMonday, 9));
  clock_.Set(NewYork(kMonday, 9, 30));
  Must(desk().AddMessage(As(agent_), other.id, NewMessage{.kind = MessageKind::kNote, .body_text = "Internal"}), "note");
  EXPECT_EQ(Read(other.id).sla_state, SlaState::kOk);
  const auto events = Must(InReadOnlyTransaction(*pool_, [&](StoreSession& s) { return s.ListTicketEvents(other.id); }));
  EXPECT_EQ(events.size(), 1u);
}

TEST_P(TicketClocksTest, WaitingOnTheClientPausesTheClockAndMovesTheDueTime) {
  const Ticket t = Open(NewYork(kMonday, 9));
  EXPECT_EQ(Read(t.id).sla_due_at, NewYork(kMonday, 13));

  Move(t.id, TicketStatus::kWaitingOnClient, NewYork(kMonday, 10));
  Ticket got = Read(t.id);
  EXPECT_EQ(got.sla_state, SlaState::kPaused);
  EXPECT_FALSE(got.sla_due_at.has_value());
  EXPECT_FALSE(got.first_response_due_at.has_value());

  // The client answers at 15:00: the ticket reopens and 3 business hours remain (15-17, then 9-10).
  clock_.Set(NewYork(kMonday, 15));
  Must(desk().AddMessage(As(agent_), t.id, NewMessage{.kind = MessageKind::kInbound, .body_text = "Here you go"}),
       "inbound");
  got = Read(t.id);
  EXPECT_EQ(got.status, TicketStatus::kOpen);
  EXPECT_EQ(got.sla_state, SlaState::kOk);
  EXPECT_EQ(got.first_response_due_at, NewYork(kTuesday, 10));
}

TEST_P(TicketClocksTest, PolicyChangeAndPriorityChangeRecomputeOpenTickets) {
  const Ticket open = Open(NewYork(kMonday, 9));
  const Ticket done = Open(NewYork(kMonday, 9), "bob@acme.example");
  Move(done.id, TicketStatus::kResolved, NewYork(kMonday, 9, 30));
  ASSERT_EQ(Read(done.id).sla_state, SlaState::kMet);

  clock_.Set(NewYork(kMonday, 9, 45));
  SlaPolicy tighter = policy_;
  tighter.For(Priority::kNormal).first_response = minutes(120);
  Must(settings_->UpdatePolicy(As(owner_), policy_.id, tighter), "update policy");
  EXPECT_EQ(Read(open.id).first_response_due_at, NewYork(kMonday, 11));
  const Ticket settled = Read(done.id);
  EXPECT_EQ(settled.sla_state, SlaState::kMet) << "a resolved ticket keeps what it settled with";
  EXPECT_EQ(settled.first_response_due_at, NewYork(kMonday, 13));

  // Urgent: 60 minutes from 09:00.
  Must(desk().UpdateTicket(As(agent_), open.id, TicketChanges{.priority = Priority::kUrgent}), "priority");
  EXPECT_EQ(Read(open.id).first_response_due_at, NewYork(kMonday, 10));

  // A plan with its own policy: the client's open tickets follow it.
  SlaPolicy gold;
  gold.name = "Gold";
  gold.plan = "gold";
  gold.For(Priority::kUrgent).first_response = minutes(30);
  Must(settings_->CreatePolicy(As(owner_), gold), "gold policy");
  EXPECT_EQ(Read(open.id).first_response_due_at, NewYork(kMonday, 10)) << "no client yet on that plan";
  const Client acme = Must(desk().CreateClient(As(owner_), {.name = "Acme", .email_domains = std::vector<std::string>{"acme2.example"}}));
  const Ticket client_ticket = Open(NewYork(kMonday, 11), "carl@acme2.example");
  Must(desk().UpdateTicket(As(agent_), client_ticket.id, TicketChanges{.priority = Priority::kUrgent}), "priority");
  EXPECT_EQ(Read(client_ticket.id).first_response_due_at, NewYork(kMonday, 12));
  Must(desk().UpdateClient(As(owner_), acme.id, {.plan = std::string("Gold")}), "plan");
  EXPECT_EQ(Read(client_ticket.id).first_response_due_at, NewYork(kMonday, 11, 30));

  // Deleting every policy: no promise is made, nothing is due.
  for (const SlaPolicy& p : Must(settings_->ListPolicies(As(owner_)))) {
    ASSERT_TRUE(settings_->DeletePolicy(As(owner_), p.id).ok());
  }
  EXPECT_EQ(Read(open.id).sla_state, SlaState::kNone);
  EXPECT_FALSE(Read(open.id).sla_due_at.has_value());
}

TEST_P(TicketClocksTest, HolidaysAndZoneMoveDueTimes) {
  const Ticket t = Open(NewYork(kFriday, 16));
  ASSERT_EQ(Read(t.id).sla_due_at, NewYork(kMonday, 12));
  const HolidayRecord monday = Must(settings_->AddHoliday(As(owner_), Holiday{2026, 11, 30, "Day off"}), "holiday");
  EXPECT_EQ(Read(t.id).sla_due_at, NewYork(kTuesday, 12));
  ASSERT_TRUE(settings_->DeleteHoliday(As(owner_), monday.id).ok());
  EXPECT_EQ(Read(t.id).sla_due_at, NewYork(kMonday, 12));

  // The same hours in London: Friday 16:00 New York is 21:00 there, after hours; 4 hours from
  // Monday 09:00 London is 13:00 London = 08:00 New York.
  BusinessHoursChange london;
  london.time_zone = "Europe/London";
  for (int weekday = 1; weekday <= 5; ++weekday) london.intervals.push_back({weekday, 9 * 60, 17 * 60});
  Must(settings_->ReplaceBusinessHours(As(owner_), london), "zone");
  EXPECT_EQ(Read(t.id).sla_due_at, NewYork(kMonday, 8));
}

TEST_P(TicketClocksTest, WorkspaceZoneChangeThroughDeskMovesDueTimes) {
  const Ticket t = Open(NewYork(kFriday, 16));
  ASSERT_EQ(Read(t.id).first_response_due_at, NewYork(kMonday, 12));
  // As in HolidaysAndZoneMoveDueTimes: 4 business hours from Monday 09:00 London is 08:00 New York.
  Workspace w = Must(desk().GetWorkspace(As(owner_)));
  w.name = "Desk";  // the fixture's workspace has none, and the settings need one
  w.time_zone = "Europe/London";
  Must(desk().UpdateWorkspace(As(owner_), w), "zone");
  EXPECT_EQ(Read(t.id).first_response_due_at, NewYork(kMonday, 8));
  EXPECT_EQ(Read(t.id).sla_due_at, NewYork(kMonday, 8));
}

TEST_P(TicketClocksTest, StateTurnsWarningThenBreachedAsTimePasses) {
  const Ticket t = Open(NewYork(kMonday, 9));
  const Ticket stored = Read(t.id);
  auto state_at = [&](Instant now) {
    return OverallStateAt(stored.sla_state, stored.sla_warning_at, stored.sla_due_at, now);
  };
  EXPECT_EQ(state_at(NewYork(kMonday, 11, 59)), SlaState::kOk);
  EXPECT_EQ(state_at(NewYork(kMonday, 12)), SlaState::kWarning);
  EXPECT_EQ(state_at(NewYork(kMonday, 13, 30)), SlaState::kBreached);

  // A recompute at 13:30 stores the breach; the reply then settles it as breached, not met.
  EXPECT_EQ(Must(RecomputeOpenTicketClocks(store(), NewYork(kMonday, 13, 30))), 1);
  EXPECT_EQ(Read(t.id).sla_state, SlaState::kBreached);
  Reply(t.id, NewYork(kMonday, 14));
  EXPECT_EQ(Read(t.id).sla_state, SlaState::kBreached);
  EXPECT_FALSE(Read(t.id).sla_due_at.has_value());
}

InboundEmail Mail(std::string id, std::string from, Instant date, std::vector<std::string> in_reply_to = {}) {
  InboundEmail e;
  e.message_id = std::move(id);
  e.from = EmailAddress{"", std::move(from)};
  e.to = {EmailAddress{"Desk", "support@desk.test"}};
  e.subject = "VPN down";
  e.text = "Hello";
  e.date = date;
  e.in_reply_to = std::move(in_reply_to);
  return e;
}

TEST_P(TicketClocksTest, ImportRecordsTheSameClocksAsMessageByMessage) {
  SlaPolicy p = policy_;
  p.For(Priority::kNormal).next_response = minutes(60);
  p.For(Priority::kNormal).resolution = minutes(16 * 60);
  Must(settings_->UpdatePolicy(As(owner_), policy_.id, p), "policy");
  EmailIntake intake(*pool_, clock_);
  // A client writes Friday 16:00, the agent answers from their own mail on Monday 10:00, the client
  // writes again at 11:00 and then waits on an answer.
  struct Step {
    Instant at;
    const char* from;
  };
  const std::vector<Step> steps = {{NewYork(kFriday, 16), "dave@client.example"},
                                   {NewYork(kMonday, 10), "agent@desk.test"},
                                   {NewYork(kMonday, 11), "dave@client.example"}};
  auto mail = [&](const std::string& prefix, std::size_t i) {
    std::vector<std::string> parent;
    if (i > 0) parent.push_back(prefix + std::to_string(i - 1) + "@client.example");
    return ReceivedEmail{Mail(prefix + std::to_string(i) + "@client.example", steps[i].from, steps[i].at, parent),
                         "raw " + prefix + std::to_string(i)};
  };
  TicketId one_by_one;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    clock_.Set(steps[i].at);
    one_by_one = Must(intake.Ingest(mail("live", i)), "ingest").ticket_id;
  }
  clock_.Set(NewYork(kMonday, 11, 30));
  std::vector<ReceivedEmail> batch;
  for (std::size_t i = 0; i < steps.size(); ++i) batch.push_back(mail("import", i));
  const auto outcomes = Must(intake.IngestMany(batch), "import");
  ASSERT_TRUE(outcomes.back().ok());
  const TicketId imported = outcomes.back()->ticket_id;
  ASSERT_NE(imported, one_by_one);
  EXPECT_EQ(Read(imported).sla_state, SlaState::kNone) << "the batch records the events only";
  EXPECT_EQ(Must(RecomputeOpenTicketClocks(store(), clock_.Now())), 2);

  const Ticket a = Read(one_by_one);
  const Ticket b = Read(imported);
  EXPECT_EQ(a.first_response_due_at, NewYork(kMonday, 12));
  EXPECT_EQ(a.next_response_due_at, NewYork(kMonday, 12)) << "one business hour after 11:00";
  EXPECT_EQ(a.resolution_due_at, NewYork(kTuesday, 16)) << "16 hours from Friday 16:00: 1 + 8 + 7";
  EXPECT_EQ(b.first_response_due_at, a.first_response_due_at);
  EXPECT_EQ(b.next_response_due_at, a.next_response_due_at);
  EXPECT_EQ(b.resolution_due_at, a.resolution_due_at);
  EXPECT_EQ(b.sla_due_at, a.sla_due_at);
  EXPECT_EQ(b.sla_warning_at, a.sla_warning_at);
  EXPECT_EQ(b.sla_state, a.sla_state);
  const auto events_of = [&](TicketId id) {
    return Must(InReadOnlyTransaction(*pool_, [&](StoreSession& s) { return s.ListTicketEvents(id); }));
  };
  const auto live_events = events_of(one_by_one);
  const auto import_events = events_of(imported);
  EXPECT_EQ(live_events, import_events);
  EXPECT_EQ(live_events.size(), 4u) << "message, new -> open, reply, message";
}

INSTANTIATE_TEST_SUITE_P(Backends, TicketClocksTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::app
