// The promise clocks, on a UTC calendar (Monday to Friday 09:00-17:00) so that every expectation
// can be checked by hand. 2026-11-23 is a Monday.

#include "core/sla_clock.h"

#include <gtest/gtest.h>

#include "support/instant_literal.h"

#include <vector>

#include "core/time.h"

namespace rapport {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

using rapport::testing::At;

BusinessCalendar OfficeHours(std::vector<Holiday> holidays = {}) {
  std::vector<WorkingInterval> week;
  for (int d = 1; d <= 5; ++d) week.push_back({d, 9 * 60, 17 * 60});
  Result<BusinessCalendar> c = BusinessCalendar::Make(week, std::move(holidays), ZoneRules());
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? c.value() : BusinessCalendar::AlwaysOpen();
}

TicketEvent Client(const char* at) { return {At(at), TicketEventKind::kClientMessage, TicketStatus::kOpen}; }
TicketEvent Reply(const char* at) { return {At(at), TicketEventKind::kAgentReply, TicketStatus::kOpen}; }
TicketEvent Status(const char* at, TicketStatus s) { return {At(at), TicketEventKind::kStatus, s}; }

ResponseTargets Targets(int first_h, int next_h, int resolution_h) {
  ResponseTargets t;
  if (first_h > 0) t.first_response = hours(first_h);
  if (next_h > 0) t.next_response = hours(next_h);
  if (resolution_h > 0) t.resolution = hours(resolution_h);
  return t;
}

SlaClocks Compute(const std::vector<TicketEvent>& events, const ResponseTargets& targets, const char* now,
                  const BusinessCalendar& calendar = OfficeHours()) {
  return ComputeSlaClocks(events, targets, 75, calendar, At(now));
}

TEST(SlaClock, FridayAfternoonRequestIsDueMondayMorning) {
  const SlaClocks c = Compute({Client("2026-11-27T16:00:00Z")}, Targets(4, 0, 0), "2026-11-27T16:30:00Z");
  EXPECT_EQ(c.first_response.state, SlaState::kOk);
  EXPECT_EQ(c.first_response.due_at, At("2026-11-30T12:00:00Z"));
  EXPECT_EQ(c.first_response.warning_at, At("2026-11-30T11:00:00Z"));  // 75% of 4 h = 3 h
  EXPECT_EQ(c.first_response.elapsed, minutes(30));
  EXPECT_EQ(c.overall, SlaState::kOk);
  EXPECT_EQ(c.due_at, At("2026-11-30T12:00:00Z"));
  EXPECT_EQ(c.next_change_at, At("2026-11-30T11:00:00Z"));
}

TEST(SlaClock, RunningClockTurnsWarningThenBreachedAsTimePasses) {
  const std::vector<TicketEvent> events = {Client("2026-11-27T16:00:00Z")};
  EXPECT_EQ(Compute(events, Targets(4, 0, 0), "2026-11-28T20:00:00Z").overall, SlaState::kOk);  // weekend
  const SlaClocks warning = Compute(events, Targets(4, 0, 0), "2026-11-30T11:00:00Z");
  EXPECT_EQ(warning.overall, SlaState::kWarning);
  EXPECT_EQ(warning.next_change_at, At("2026-11-30T12:00:01Z")) << "the first second past the due time";
  // At the due second a reply still keeps the promise (ReplyExactlyAtTheDueTimeKeepsThePromise), so the
  // running clock is not breached yet; a second later it is.
  const SlaClocks at_due = Compute(events, Targets(4, 0, 0), "2026-11-30T12:00:00Z");
  EXPECT_EQ(at_due.overall, SlaState::kWarning);
  EXPECT_EQ(at_due.next_change_at, At("2026-11-30T12:00:01Z"));
  const SlaClocks breached = Compute(events, Targets(4, 0, 0), "2026-11-30T12:00:01Z");
  EXPECT_EQ(breached.overall, SlaState::kBreached);
  EXPECT_EQ(breached.first_response.elapsed, hours(4) + seconds(1));
  EXPECT_FALSE(breached.next_change_at.has_value());
  EXPECT_EQ(Compute(events, Targets(4, 0, 0), "2026-11-30T15:00:00Z").first_response.elapsed, hours(7));
}

TEST(SlaClock, ReplyStopsTheFirstResponseClockMetOrBreached) {
  const SlaClocks met =
      Compute({Client("2026-11-27T16:00:00Z"), Reply("2026-11-30T11:00:00Z")}, Targets(4, 0, 0), "2026-12-10T00:00:00Z");
  EXPECT_EQ(met.first_response.state, SlaState::kMet);
  EXPECT_EQ(met.first_response.elapsed, hours(3));
  EXPECT_EQ(met.first_response.stopped_at, At("2026-11-30T11:00:00Z"));
  EXPECT_EQ(met.first_response.due_at, At("2026-11-30T12:00:00Z"));
  EXPECT_EQ(met.overall, SlaState::kMet);
  EXPECT_FALSE(met.due_at.has_value());

  const SlaClocks late =
      Compute({Client("2026-11-27T16:00:00Z"), Reply("2026-11-30T13:00:00Z")}, Targets(4, 0, 0), "2026-12-10T00:00:00Z");
  EXPECT_EQ(late.first_response.state, SlaState::kBreached);
  EXPECT_EQ(late.first_response.elapsed, hours(5));
  EXPECT_EQ(late.first_response.due_at, At("2026-11-30T12:00:00Z"));
  EXPECT_EQ(late.overall, SlaState::kBreached);
}

TEST(SlaClock, ReplyExactlyAtTheDueTimeKeepsThePromise) {
  const SlaClocks c =
      Compute({Client("2026-11-23T09:00:00Z"), Reply("2026-11-23T13:00:00Z")}, Targets(4, 0, 0), "2026-11-24T00:00:00Z");
  EXPECT_EQ(c.first_response.state, SlaState::kMet);
}

TEST(SlaClock, AReplyAfterTheDueTimeOutsideBusinessHoursBreaksThePromise) {
  // Due Monday 17:00, the end of the day: answering at 17:30 adds no business time, but the client
  // was told 17:00.
  const std::vector<TicketEvent> asked = {Client("2026-11-23T13:00:00Z")};
  std::vector<TicketEvent> late = asked;
  late.push_back(Reply("2026-11-23T17:30:00Z"));
  const SlaClocks c = Compute(late, Targets(4, 0, 0), "2026-11-24T00:00:00Z");
  EXPECT_EQ(c.first_response.due_at, At("2026-11-23T17:00:00Z"));
  EXPECT_EQ(c.first_response.elapsed, hours(4));
  EXPECT_EQ(c.first_response.state, SlaState::kBreached);
  // And while unanswered, the badge says so from 17:00:01, not from the next morning.
  EXPECT_EQ(Compute(asked, Targets(4, 0, 0), "2026-11-23T17:00:01Z").overall, SlaState::kBreached);
  std::vector<TicketEvent> on_time = asked;
  on_time.push_back(Reply("2026-11-23T17:00:00Z"));
  EXPECT_EQ(Compute(on_time, Targets(4, 0, 0), "2026-11-24T00:00:00Z").first_response.state, SlaState::kMet);
}

TEST(SlaClock, WaitingOnTheClientPausesAndTheDueTimeMoves) {
  std::vector<TicketEvent> events = {Client("2026-11-23T09:00:00Z"),
                                     Status("2026-11-23T10:00:00Z", TicketStatus::kWaitingOnClient)};
  const SlaClocks paused = Compute(events, Targets(4, 0, 0), "2026-11-23T16:00:00Z");
  EXPECT_EQ(paused.first_response.state, SlaState::kPaused);
  EXPECT_EQ(paused.first_response.elapsed, hours(1));
  EXPECT_FALSE(paused.first_response.due_at.has_value());
  EXPECT_EQ(paused.overall, SlaState::kPaused);
  EXPECT_FALSE(paused.next_change_at.has_value());

  events.push_back(Status("2026-11-24T09:00:00Z", TicketStatus::kOpen));
  const SlaClocks resumed = Compute(events, Targets(4, 0, 0), "2026-11-24T09:30:00Z");
  EXPECT_EQ(resumed.first_response.state, SlaState::kOk);
  EXPECT_EQ(resumed.first_response.due_at, At("2026-11-24T12:00:00Z"));
  EXPECT_EQ(resumed.first_response.elapsed, minutes(90));
}

TEST(SlaClock, OnHoldPausesAsWaitingDoes) {
  const SlaClocks c = Compute({Client("2026-11-23T09:00:00Z"), Status("2026-11-23T09:30:00Z", TicketStatus::kOnHold),
                               Status("2026-11-25T09:00:00Z", TicketStatus::kOpen)},
                              Targets(2, 0, 0), "2026-11-25T09:00:00Z");
  EXPECT_EQ(c.first_response.due_at, At("2026-11-25T10:30:00Z"));
}

TEST(SlaClock, NextResponseCyclesAreCountedEachTime) {
  const std::vector<TicketEvent> events = {
      Client("2026-11-23T09:00:00Z"), Reply("2026-11-23T10:00:00Z"),   // first response met in 1 h
      Client("2026-11-23T14:00:00Z"), Reply("2026-11-24T10:00:00Z"),   // 3 h + 1 h = 4 h: met (8 h)
      Client("2026-11-24T11:00:00Z"), Reply("2026-11-25T15:00:00Z"),   // 6 h + 6 h = 12 h: breached
      Client("2026-11-25T16:00:00Z"),                                  // running: due 8 h later
  };
  const SlaClocks c = Compute(events, Targets(4, 8, 0), "2026-11-25T16:30:00Z");
  EXPECT_EQ(c.first_response.state, SlaState::kMet);
  EXPECT_EQ(c.next_response_met, 1);
  EXPECT_EQ(c.next_response_breached, 1);
  EXPECT_EQ(c.next_response.state, SlaState::kOk);
  EXPECT_EQ(c.next_response.started_at, At("2026-11-25T16:00:00Z"));
  EXPECT_EQ(c.next_response.due_at, At("2026-11-26T16:00:00Z"));
  EXPECT_EQ(c.overall, SlaState::kOk);
}

TEST(SlaClock, SecondClientMessageDoesNotRestartTheNextResponseClock) {
  const SlaClocks c = Compute({Client("2026-11-23T09:00:00Z"), Reply("2026-11-23T09:10:00Z"),
                               Client("2026-11-23T10:00:00Z"), Client("2026-11-23T15:00:00Z")},
                              Targets(4, 2, 0), "2026-11-23T15:00:00Z");
  EXPECT_EQ(c.next_response.started_at, At("2026-11-23T10:00:00Z"));
  EXPECT_EQ(c.next_response.state, SlaState::kBreached);
}

TEST(SlaClock, ResolutionRunsOnAfterAReopen) {
  const std::vector<TicketEvent> events = {
      Client("2026-11-23T09:00:00Z"), Reply("2026-11-23T10:00:00Z"),
      Status("2026-11-23T15:00:00Z", TicketStatus::kResolved),  // 6 h
      Status("2026-11-24T09:00:00Z", TicketStatus::kOpen),      // reopened
  };
  const SlaClocks reopened = Compute(events, Targets(0, 0, 24), "2026-11-24T10:00:00Z");
  EXPECT_EQ(reopened.resolution.state, SlaState::kOk);
  EXPECT_EQ(reopened.resolution.elapsed, hours(7));
  EXPECT_EQ(reopened.resolution.due_at, At("2026-11-26T11:00:00Z"));  // 18 h left from Tue 09:00

  std::vector<TicketEvent> closed = events;
  closed.push_back(Status("2026-11-25T09:00:00Z", TicketStatus::kClosed));
  const SlaClocks done = Compute(closed, Targets(0, 0, 24), "2026-12-01T00:00:00Z");
  EXPECT_EQ(done.resolution.state, SlaState::kMet);
  EXPECT_EQ(done.resolution.elapsed, hours(14));
  EXPECT_EQ(done.resolution.stopped_at, At("2026-11-25T09:00:00Z"));
}

TEST(SlaClock, ResolvingWithoutAReplySettlesTheResponseClock) {
  const SlaClocks c = Compute({Client("2026-11-23T09:00:00Z"), Status("2026-11-23T10:00:00Z", TicketStatus::kResolved)},
                              Targets(4, 0, 8), "2026-11-30T00:00:00Z");
  EXPECT_EQ(c.first_response.state, SlaState::kMet);
  EXPECT_EQ(c.first_response.elapsed, hours(1));
  EXPECT_EQ(c.resolution.state, SlaState::kMet);
  EXPECT_EQ(c.overall, SlaState::kMet);
}

TEST(SlaClock, AClientWritingAfterAResolutionWithoutAReplyGetsAResponseClock) {
  // Resolved Monday without a public reply; the client writes again on Tuesday, which reopens the
  // ticket. The intake may record the reopening before or after the message: both start a
  // next-response clock at 09:00 Tuesday, due 2 business hours later.
  const std::vector<TicketEvent> settled = {Client("2026-11-23T09:00:00Z"),
                                            Status("2026-11-23T10:00:00Z", TicketStatus::kResolved)};
  for (bool message_first : {true, false}) {
    SCOPED_TRACE(message_first ? "message, then reopened" : "reopened, then message");
    std::vector<TicketEvent> events = settled;
    const TicketEvent message = Client("2026-11-24T09:00:00Z");
    const TicketEvent reopened = Status("2026-11-24T09:00:00Z", TicketStatus::kOpen);
    events.push_back(message_first ? message : reopened);
    events.push_back(message_first ? reopened : message);
    const SlaClocks c = Compute(events, Targets(4, 2, 0), "2026-11-24T10:00:00Z");
    EXPECT_EQ(c.first_response.state, SlaState::kMet);
    EXPECT_EQ(c.next_response.state, SlaState::kOk);
    EXPECT_EQ(c.next_response.due_at, At("2026-11-24T11:00:00Z"));
    EXPECT_EQ(c.next_response.elapsed, hours(1));
    EXPECT_EQ(c.overall, SlaState::kOk);
    EXPECT_EQ(c.due_at, At("2026-11-24T11:00:00Z"));
  }
  // Without a first-response target the reopened request still owes an answer.
  std::vector<TicketEvent> events = settled;
  events.push_back(Client("2026-11-24T09:00:00Z"));
  events.push_back(Status("2026-11-24T09:00:00Z", TicketStatus::kOpen));
  EXPECT_EQ(Compute(events, Targets(0, 2, 0), "2026-11-24T10:00:00Z").next_response.due_at, At("2026-11-24T11:00:00Z"));
}

TEST(SlaClock, TicketOpenedByTheTeamHasNoFirstResponseClock) {
  const SlaClocks c = Compute({Reply("2026-11-23T09:00:00Z"), Client("2026-11-23T10:00:00Z")}, Targets(4, 8, 0),
                              "2026-11-23T11:00:00Z");
  EXPECT_EQ(c.first_response.state, SlaState::kNone);
  EXPECT_EQ(c.next_response.state, SlaState::kOk);
  EXPECT_EQ(c.next_response.due_at, At("2026-11-24T10:00:00Z"));
}

TEST(SlaClock, NoTargetsMeansNoPromise) {
  const SlaClocks c = Compute({Client("2026-11-23T09:00:00Z")}, ResponseTargets{}, "2026-12-23T09:00:00Z");
  EXPECT_EQ(c.overall, SlaState::kNone);
  EXPECT_FALSE(c.due_at.has_value());
  EXPECT_FALSE(c.next_change_at.has_value());
}

TEST(SlaClock, AClockWithoutATargetMeasuresButPromisesNothing) {
  const std::vector<TicketEvent> events = {Client("2026-11-23T09:00:00Z"),
                                           Status("2026-11-23T10:00:00Z", TicketStatus::kWaitingOnClient),
                                           Status("2026-11-23T11:00:00Z", TicketStatus::kOpen),
                                           Reply("2026-11-23T12:00:00Z")};
  const SlaClocks running = Compute(events, ResponseTargets{}, "2026-11-24T10:00:00Z");
  EXPECT_EQ(running.first_response.state, SlaState::kNone);
  EXPECT_EQ(running.first_response.started_at, At("2026-11-23T09:00:00Z"));
  EXPECT_EQ(running.first_response.stopped_at, At("2026-11-23T12:00:00Z"));
  EXPECT_EQ(running.first_response.elapsed, hours(2));  // the hour waiting on the client is not counted
  EXPECT_FALSE(running.first_response.due_at.has_value());
  EXPECT_EQ(running.resolution.state, SlaState::kNone);
  EXPECT_FALSE(running.resolution.started_at.has_value()) << "running without a target: nothing to report";
  EXPECT_EQ(running.resolution.elapsed, seconds(0));
  EXPECT_EQ(running.overall, SlaState::kNone);
  EXPECT_FALSE(running.due_at.has_value());
  EXPECT_FALSE(running.next_change_at.has_value());

  std::vector<TicketEvent> resolved = events;
  resolved.push_back(Status("2026-11-24T10:00:00Z", TicketStatus::kResolved));
  const SlaClocks done = Compute(resolved, ResponseTargets{}, "2026-11-25T10:00:00Z");
  EXPECT_EQ(done.resolution.state, SlaState::kNone);
  EXPECT_EQ(done.resolution.stopped_at, At("2026-11-24T10:00:00Z"));
  EXPECT_EQ(done.resolution.elapsed, hours(8));  // 1 h + 6 h on Monday, 1 h on Tuesday
  EXPECT_FALSE(done.resolution.due_at.has_value());
  EXPECT_EQ(done.overall, SlaState::kNone);
  const SlaClocks one_target = Compute(resolved, Targets(0, 0, 1), "2026-11-25T10:00:00Z");
  EXPECT_EQ(one_target.first_response.state, SlaState::kNone);
  EXPECT_EQ(one_target.first_response.elapsed, hours(2));
  EXPECT_EQ(one_target.resolution.state, SlaState::kBreached);  // the one target there is
  EXPECT_EQ(one_target.overall, SlaState::kBreached);
}

TEST(SlaClock, AChangedPolicyRecomputesFromTheSameHistory) {
  const std::vector<TicketEvent> events = {Client("2026-11-23T09:00:00Z")};
  EXPECT_EQ(Compute(events, Targets(4, 0, 0), "2026-11-23T09:00:00Z").due_at, At("2026-11-23T13:00:00Z"));
  EXPECT_EQ(Compute(events, Targets(10, 0, 0), "2026-11-23T09:00:00Z").due_at, At("2026-11-24T11:00:00Z"));
}

TEST(SlaClock, HolidaysAndWeekendsNeverCount) {
  const BusinessCalendar calendar = OfficeHours({{2026, 11, 30, "Closed"}});
  const SlaClocks c = Compute({Client("2026-11-27T16:00:00Z")}, Targets(4, 0, 0), "2026-11-27T16:00:00Z", calendar);
  EXPECT_EQ(c.first_response.due_at, At("2026-12-01T12:00:00Z"));
}

TEST(SlaClock, MessageOutsideHoursStartsCountingAtTheNextOpening) {
  const SlaClocks c = Compute({Client("2026-11-23T20:00:00Z")}, Targets(1, 0, 0), "2026-11-24T08:00:00Z");
  EXPECT_EQ(c.first_response.elapsed, seconds(0));
  EXPECT_EQ(c.first_response.due_at, At("2026-11-24T10:00:00Z"));
}

TEST(SlaClock, BadgeIsTheWorstRunningClockThenPausedThenHistory) {
  // First response late, resolution still running and fine: the badge follows the running clock.
  const SlaClocks running = Compute({Client("2026-11-23T09:00:00Z"), Reply("2026-11-23T15:00:00Z")},
                                    Targets(4, 0, 40), "2026-11-23T15:00:00Z");
  EXPECT_EQ(running.first_response.state, SlaState::kBreached);
  EXPECT_EQ(running.resolution.state, SlaState::kOk);
  EXPECT_EQ(running.overall, SlaState::kOk);
  // Both running: the worse wins.
  const SlaClocks worse = Compute({Client("2026-11-23T09:00:00Z")}, Targets(1, 0, 40), "2026-11-23T12:00:00Z");
  EXPECT_EQ(worse.overall, SlaState::kBreached);
  EXPECT_EQ(worse.due_at, At("2026-11-23T10:00:00Z"));
  // Settled with one promise missed.
  const SlaClocks settled = Compute({Client("2026-11-23T09:00:00Z"), Reply("2026-11-23T15:00:00Z"),
                                     Status("2026-11-23T16:00:00Z", TicketStatus::kResolved)},
                                    Targets(4, 0, 40), "2026-11-30T00:00:00Z");
  EXPECT_EQ(settled.resolution.state, SlaState::kMet);
  EXPECT_EQ(settled.overall, SlaState::kBreached);
}

TEST(SlaClock, CalendarWithoutBusinessTimeNeverFallsDue) {
  Result<BusinessCalendar> empty = BusinessCalendar::Make({}, {}, ZoneRules());
  ASSERT_TRUE(empty.ok());
  const SlaClocks c = Compute({Client("2026-11-23T09:00:00Z")}, Targets(4, 0, 0), "2027-11-23T09:00:00Z", empty.value());
  EXPECT_EQ(c.overall, SlaState::kOk);
  EXPECT_FALSE(c.due_at.has_value());
  EXPECT_EQ(c.first_response.elapsed, seconds(0));
}

TEST(SlaClock, StoredStateAdvancesWithTime) {
  const Instant warn = At("2026-11-23T12:00:00Z");
  const Instant due = At("2026-11-23T13:00:00Z");
  EXPECT_EQ(OverallStateAt(SlaState::kOk, warn, due, At("2026-11-23T11:59:59Z")), SlaState::kOk);
  EXPECT_EQ(OverallStateAt(SlaState::kOk, warn, due, warn), SlaState::kWarning);
  EXPECT_EQ(OverallStateAt(SlaState::kWarning, warn, due, due), SlaState::kWarning) << "kept at the due second";
  EXPECT_EQ(OverallStateAt(SlaState::kWarning, warn, due, due + seconds(1)), SlaState::kBreached);
  EXPECT_EQ(OverallStateAt(SlaState::kPaused, warn, due, due + seconds(1)), SlaState::kPaused);
  EXPECT_EQ(OverallStateAt(SlaState::kMet, std::nullopt, std::nullopt, due), SlaState::kMet);
}

TEST(SlaClock, NamesRoundTrip) {
  for (SlaState s : {SlaState::kNone, SlaState::kOk, SlaState::kWarning, SlaState::kBreached, SlaState::kMet,
                     SlaState::kPaused}) {
    EXPECT_EQ(ParseSlaState(Name(s)), s);
  }
  for (TicketEventKind k : {TicketEventKind::kClientMessage, TicketEventKind::kAgentReply, TicketEventKind::kStatus}) {
    EXPECT_EQ(ParseTicketEventKind(Name(k)), k);
  }
  EXPECT_FALSE(ParseSlaState("late").has_value());
  EXPECT_EQ(Name(SlaState::kBreached), "breached");
  EXPECT_EQ(Name(TicketEventKind::kAgentReply), "agent_reply");
}

}  // namespace
}  // namespace rapport
