// The promise report's arithmetic with expectations worked out by hand: nearest-rank percentiles,
// grouping, attainment, and the business-time measures of a ticket (lunch breaks, holidays, pauses).

#include "core/promise_report.h"

#include <gtest/gtest.h>

#include "support/instant_literal.h"

namespace rapport {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

using rapport::testing::At;

std::vector<seconds> Minutes(std::initializer_list<int> values) {
  std::vector<seconds> out;
  for (int v : values) out.push_back(minutes(v));
  return out;
}

TEST(NearestRankPercentile, OneToTen) {
  std::vector<seconds> v = Minutes({7, 3, 10, 1, 9, 2, 8, 4, 6, 5});  // unsorted on purpose
  EXPECT_EQ(NearestRankPercentile(v, 50), minutes(5));                // ceil(5.0) = rank 5
  EXPECT_EQ(NearestRankPercentile(v, 90), minutes(9));                // ceil(9.0) = rank 9
  EXPECT_EQ(NearestRankPercentile(v, 100), minutes(10));
  EXPECT_EQ(NearestRankPercentile(v, 1), minutes(1));                 // ceil(0.1) = rank 1
}

TEST(NearestRankPercentile, EvenCountTakesTheLowerMiddle) {
  std::vector<seconds> v = Minutes({40, 10, 30, 20});
  EXPECT_EQ(NearestRankPercentile(v, 50), minutes(20));  // ceil(2.0) = rank 2
  EXPECT_EQ(NearestRankPercentile(v, 90), minutes(40));  // ceil(3.6) = rank 4
}

TEST(NearestRankPercentile, ElevenValuesRoundTheRankUp) {
  std::vector<seconds> v;
  for (int i = 1; i <= 11; ++i) v.push_back(seconds(i * 100));
  EXPECT_EQ(NearestRankPercentile(v, 50), seconds(600));   // ceil(5.5) = rank 6
  EXPECT_EQ(NearestRankPercentile(v, 90), seconds(1000));  // ceil(9.9) = rank 10
}

TEST(NearestRankPercentile, OneValueAndNone) {
  std::vector<seconds> one = {seconds(42)};
  EXPECT_EQ(NearestRankPercentile(one, 50), seconds(42));
  EXPECT_EQ(NearestRankPercentile(one, 90), seconds(42));
  std::vector<seconds> none;
  EXPECT_EQ(NearestRankPercentile(none, 50), std::nullopt);
}

TEST(FormatBusinessDuration, HoursAndMinutes) {
  EXPECT_EQ(FormatBusinessDuration(hours(3) + minutes(20)), "3 h 20 min");
  EXPECT_EQ(FormatBusinessDuration(minutes(45) + seconds(59)), "45 min");
  EXPECT_EQ(FormatBusinessDuration(hours(27)), "27 h");
  EXPECT_EQ(FormatBusinessDuration(seconds(59)), "0 min");
  EXPECT_EQ(FormatBusinessDuration(seconds(-5)), "0 min");
}

TEST(FormatKeptShare, TenthsOfAPercentThatNeverHideAMissOrAKeep) {
  EXPECT_EQ(FormatKeptShare(0.75), "75%");
  EXPECT_EQ(FormatKeptShare(2.0 / 3.0), "66.7%");
  EXPECT_EQ(FormatKeptShare(1.0), "100%");
  EXPECT_EQ(FormatKeptShare(0.0), "0%");
  EXPECT_EQ(FormatKeptShare(2499.0 / 2500.0), "99.9%");  // 99.96% would round to 100%
  EXPECT_EQ(FormatKeptShare(1.0 / 2500.0), "0.1%");      // 0.04% would round to 0%
  EXPECT_EQ(FormatKeptShare(0.9995), "99.9%");
  EXPECT_EQ(FormatKeptShare(0.125), "12.5%");
}

// ---- Grouping and attainment, from hand-made clocks ----

ClockResult Settled(SlaState state, Instant at) {
  ClockResult c;
  c.state = state;
  c.started_at = at - hours(1);
  c.stopped_at = at;
  return c;
}

ClockResult Running(SlaState state) {
  ClockResult c;
  c.state = state;
  c.started_at = At("2026-11-23T09:00:00Z");
  return c;
}

ReportTicket Ticket(std::int64_t number, std::optional<std::int64_t> client, std::optional<std::int64_t> person,
                    std::optional<std::int64_t> policy) {
  ReportTicket t;
  t.id = TicketId(number);
  t.number = number;
  t.created_at = At("2026-11-23T09:00:00Z");
  if (client) {
    t.client_id = ClientId(*client);
    t.client_name = "Client " + std::to_string(*client);
  }
  if (person) {
    t.assignee_id = UserId(*person);
    t.assignee_name = "Person " + std::to_string(*person);
  }
  if (policy) {
    t.policy_id = SlaPolicyId(*policy);
    t.policy_name = "Policy " + std::to_string(*policy);
  }
  return t;
}

const ReportGroup* Find(const std::vector<ReportGroup>& groups, std::int64_t id) {
  for (const ReportGroup& g : groups) {
    if (g.id == id) return &g;
  }
  return nullptr;
}

TEST(PromiseReportBuilder, GroupsByPolicyClientAndPersonWithTheNoneGroupsLast) {
  PromiseReportBuilder b(At("2026-11-01T00:00:00Z"), At("2026-12-01T00:00:00Z"), At("2026-11-24T00:00:00Z"));
  b.Add(Ticket(1, 2, 7, 1));
  b.Add(Ticket(2, 1, std::nullopt, 1));
  b.Add(Ticket(3, std::nullopt, 7, std::nullopt));
  b.Add(Ticket(4, 2, 8, 1));
  const PromiseReport r = b.Finish();

  EXPECT_EQ(r.overall.tickets, 4);
  EXPECT_EQ(r.overall.name, "All tickets");
  ASSERT_EQ(r.by_client.size(), 3u);
  EXPECT_EQ(r.by_client[0].name, "Client 1");
  EXPECT_EQ(r.by_client[0].tickets, 1);
  EXPECT_EQ(r.by_client[1].name, "Client 2");
  EXPECT_EQ(r.by_client[1].tickets, 2);
  EXPECT_EQ(r.by_client[2].name, "No client");
  EXPECT_EQ(r.by_client[2].id, 0);
  ASSERT_EQ(r.by_person.size(), 3u);
  EXPECT_EQ(r.by_person[0].name, "Person 7");
  EXPECT_EQ(r.by_person[0].tickets, 2);
  EXPECT_EQ(r.by_person[1].name, "Person 8");
  EXPECT_EQ(r.by_person[2].name, "Unassigned");
  ASSERT_EQ(r.by_policy.size(), 2u);
  EXPECT_EQ(r.by_policy[0].name, "Policy 1");
  EXPECT_EQ(r.by_policy[0].tickets, 3);
  EXPECT_EQ(r.by_policy[1].name, "No policy");
  EXPECT_EQ(r.from, At("2026-11-01T00:00:00Z"));
  EXPECT_EQ(r.to, At("2026-12-01T00:00:00Z"));
}

TEST(PromiseReportBuilder, DurationsPerGroupOnlyFromTicketsThatHaveThem) {
  PromiseReportBuilder b(Instant{}, Instant{}, Instant{});
  const int first_minutes[] = {30, 10, 20, 50, 40};
  for (int i = 0; i < 5; ++i) {
    ReportTicket t = Ticket(i + 1, i < 3 ? 1 : 2, std::nullopt, std::nullopt);
    t.measures.first_response = minutes(first_minutes[i]);
    if (i % 2 == 0) t.measures.resolution = hours(i + 1);  // tickets 1, 3, 5: 1 h, 3 h, 5 h
    b.Add(t);
  }
  b.Add(Ticket(6, 1, std::nullopt, std::nullopt));  // no reply yet, not resolved
  const PromiseReport r = b.Finish();

  EXPECT_EQ(r.overall.tickets, 6);
  EXPECT_EQ(r.overall.first_response.count, 5);
  EXPECT_EQ(r.overall.first_response.median, minutes(30));  // 10 20 [30] 40 50
  EXPECT_EQ(r.overall.first_response.p90, minutes(50));     // ceil(4.5) = rank 5
  EXPECT_EQ(r.overall.resolution.count, 3);
  EXPECT_EQ(r.overall.resolution.median, hours(3));
  EXPECT_EQ(r.overall.resolution.p90, hours(5));
  const ReportGroup* one = Find(r.by_client, 1);
  ASSERT_NE(one, nullptr);
  EXPECT_EQ(one->tickets, 4);
  EXPECT_EQ(one->first_response.count, 3);
  EXPECT_EQ(one->first_response.median, minutes(20));  // 10 [20] 30
  EXPECT_EQ(one->first_response.p90, minutes(30));
  EXPECT_EQ(one->resolution.median, hours(1));         // 1 h, 3 h: the lower middle
  const ReportGroup* two = Find(r.by_client, 2);
  ASSERT_NE(two, nullptr);
  EXPECT_EQ(two->first_response.median, minutes(40));  // 40, 50
  EXPECT_EQ(two->resolution.count, 1);
}

TEST(PromiseReportBuilder, AttainmentCountsKeptAndMissedPromisesOfEveryKind) {
  const Instant t0 = At("2026-11-23T12:00:00Z");
  PromiseReportBuilder b(Instant{}, Instant{}, Instant{});
  // Person 1: first response met, two next responses met and one breached, resolution breached.
  ReportTicket a = Ticket(1, 1, 1, 1);
  a.measures.clocks.first_response = Settled(SlaState::kMet, t0);
  a.measures.clocks.next_response_met = 2;
  a.measures.clocks.next_response_breached = 1;
  a.measures.clocks.resolution = Settled(SlaState::kBreached, t0);
  b.Add(a);
  // Person 1: first response running past its due time (missed already), the current next-response
  // cycle too, resolution running within target (not counted yet).
  ReportTicket c = Ticket(2, 1, 1, 1);
  c.measures.clocks.first_response = Running(SlaState::kBreached);
  c.measures.clocks.next_response = Running(SlaState::kBreached);
  c.measures.clocks.resolution = Running(SlaState::kWarning);
  b.Add(c);
  // Person 2: first response met; resolution paused (not counted); no next response target.
  ReportTicket d = Ticket(3, 2, 2, 2);
  d.measures.clocks.first_response = Settled(SlaState::kMet, t0);
  d.measures.clocks.resolution.state = SlaState::kPaused;
  b.Add(d);
  // Person 2: no policy at all: nothing to count.
  b.Add(Ticket(4, 2, 2, std::nullopt));
  const PromiseReport r = b.Finish();

  EXPECT_EQ(r.overall.first_response_attainment.kept, 2);
  EXPECT_EQ(r.overall.first_response_attainment.missed, 1);
  EXPECT_EQ(r.overall.next_response_attainment.kept, 2);
  EXPECT_EQ(r.overall.next_response_attainment.missed, 2);
  EXPECT_EQ(r.overall.resolution_attainment.kept, 0);
  EXPECT_EQ(r.overall.resolution_attainment.missed, 1);
  EXPECT_EQ(r.overall.overall_attainment.kept, 4);
  EXPECT_EQ(r.overall.overall_attainment.missed, 4);
  EXPECT_DOUBLE_EQ(r.overall.overall_attainment.share().value_or(-1), 0.5);
  EXPECT_EQ(r.overall.resolution_attainment.share(), 0.0);

  const ReportGroup* one = Find(r.by_person, 1);
  ASSERT_NE(one, nullptr);
  EXPECT_EQ(one->overall_attainment.kept, 3);    // 1 first + 2 next
  EXPECT_EQ(one->overall_attainment.missed, 4);  // 1 first + 2 next + 1 resolution
  const ReportGroup* two = Find(r.by_person, 2);
  ASSERT_NE(two, nullptr);
  EXPECT_EQ(two->first_response_attainment.share(), 1.0);
  EXPECT_EQ(two->next_response_attainment.share(), std::nullopt);
  EXPECT_EQ(two->resolution_attainment.share(), std::nullopt);
  const ReportGroup* no_policy = Find(r.by_policy, 0);
  ASSERT_NE(no_policy, nullptr);
  EXPECT_EQ(no_policy->overall_attainment.share(), std::nullopt);
}

TEST(PromiseReportBuilder, FinishLeavesItEmpty) {
  PromiseReportBuilder b(Instant{}, Instant{}, Instant{});
  b.Add(Ticket(1, 1, 1, 1));
  EXPECT_EQ(b.Finish().overall.tickets, 1);
  const PromiseReport again = b.Finish();
  EXPECT_EQ(again.overall.tickets, 0);
  EXPECT_TRUE(again.by_client.empty());
}

// ---- The measures of one ticket, through the clocks ----

// Monday to Friday 09:00-12:00 and 13:00-17:00 UTC, Friday 2026-11-27 a holiday.
BusinessCalendar LunchCalendar() {
  std::vector<WorkingInterval> week;
  for (int d = 1; d <= 5; ++d) {
    week.push_back({d, 9 * 60, 12 * 60});
    week.push_back({d, 13 * 60, 17 * 60});
  }
  Result<BusinessCalendar> c = BusinessCalendar::Make(week, {{2026, 11, 27, "Closed"}}, ZoneRules());
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? c.value() : BusinessCalendar::AlwaysOpen();
}

TicketEvent Message(const char* at) { return {At(at), TicketEventKind::kClientMessage, TicketStatus::kOpen}; }
TicketEvent Reply(const char* at) { return {At(at), TicketEventKind::kAgentReply, TicketStatus::kOpen}; }
TicketEvent StatusChange(const char* at, TicketStatus s) { return {At(at), TicketEventKind::kStatus, s}; }

TEST(MeasureTicket, ALunchBreakIsNotResponseTime) {
  const BusinessCalendar cal = LunchCalendar();
  const std::vector<TicketEvent> events = {Message("2026-11-23T11:50:00Z"), Reply("2026-11-23T13:40:00Z")};
  ResponseTargets targets;
  targets.first_response = hours(1);
  const TicketMeasures m = MeasureTicket(events, targets, 75, cal, At("2026-11-24T12:00:00Z"));
  EXPECT_EQ(m.first_response, minutes(50));  // 10 min before lunch, 40 after
  EXPECT_EQ(m.clocks.first_response.state, SlaState::kMet);
  EXPECT_EQ(m.resolution, std::nullopt);  // still open
}

TEST(MeasureTicket, AHolidayIsNotResponseTimeAndTimesAreMeasuredWithoutAnyTarget) {
  const BusinessCalendar cal = LunchCalendar();
  // Thursday 16:00, answered Monday 10:00 after the Friday holiday and the weekend; resolved at 11:00.
  const std::vector<TicketEvent> events = {Message("2026-11-26T16:00:00Z"), Reply("2026-11-30T10:00:00Z"),
                                           StatusChange("2026-11-30T11:00:00Z", TicketStatus::kResolved)};
  const TicketMeasures m = MeasureTicket(events, ResponseTargets{}, 75, cal, At("2026-12-01T12:00:00Z"));
  EXPECT_EQ(m.first_response, hours(2));  // Thursday 16-17, Monday 9-10
  EXPECT_EQ(m.resolution, hours(3));
  EXPECT_EQ(m.clocks.first_response.state, SlaState::kNone);  // no promise: nothing kept or missed
}

TEST(MeasureTicket, PausedTimeIsNotCountedAndAResolutionWithoutReplyIsNoFirstResponse) {
  const BusinessCalendar cal = LunchCalendar();
  const std::vector<TicketEvent> events = {Message("2026-11-23T09:00:00Z"),
                                           StatusChange("2026-11-23T10:00:00Z", TicketStatus::kWaitingOnClient),
                                           StatusChange("2026-11-23T15:00:00Z", TicketStatus::kOpen),
                                           StatusChange("2026-11-23T16:00:00Z", TicketStatus::kResolved)};
  ResponseTargets targets;
  targets.first_response = hours(4);
  targets.resolution = hours(8);
  const TicketMeasures m = MeasureTicket(events, targets, 75, cal, At("2026-11-24T12:00:00Z"));
  EXPECT_EQ(m.first_response, std::nullopt);
  EXPECT_EQ(m.resolution, hours(2));  // 09-10 and 15-16
  EXPECT_EQ(m.clocks.resolution.state, SlaState::kMet);
}

TEST(MeasureTicket, ATicketOpenedByTheTeamHasNoFirstResponse) {
  const BusinessCalendar cal = LunchCalendar();
  const std::vector<TicketEvent> events = {Reply("2026-11-23T09:00:00Z"), Message("2026-11-23T10:00:00Z"),
                                           Reply("2026-11-23T10:30:00Z")};
  const TicketMeasures m = MeasureTicket(events, ResponseTargets{}, 75, cal, At("2026-11-24T12:00:00Z"));
  EXPECT_EQ(m.first_response, std::nullopt);
}

}  // namespace
}  // namespace rapport
