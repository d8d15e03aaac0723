// The promise report against a real store, on SQLite and PostgreSQL: business-time response and
// resolution times (a lunch break and a holiday do not count), attainment per policy, client and
// person worked out by hand, the period in the workspace zone, roles, and the CSV.

#include "app/reports.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/promise_settings.h"
#include "app_fixture.h"
#include "support/instant_literal.h"

namespace rapport::app {
namespace {

using ::testing::HasSubstr;
using std::chrono::hours;
using std::chrono::minutes;

using rapport::testing::At;

const ReportGroup* Named(const std::vector<ReportGroup>& groups, const std::string& name) {
  for (const ReportGroup& g : groups) {
    if (g.name == name) return &g;
  }
  return nullptr;
}

// Europe/Berlin (UTC+1 in November), Monday to Friday 09:00-12:00 and 13:00-17:00, Wednesday
// 2026-11-25 a holiday. Policies: "Gold" for plan gold (first response 1 h, resolution 8 h), the
// default "Standard" (first response 90 min, no resolution promise).
class ReportsTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    MakeTeam();
    PromiseSettings settings(*pool_, clock_);
    BusinessHoursChange hours_change;
    hours_change.time_zone = "Europe/Berlin";
    for (int d = 1; d <= 5; ++d) {
      hours_change.intervals.push_back({d, 9 * 60, 12 * 60});
      hours_change.intervals.push_back({d, 13 * 60, 17 * 60});
    }
    Must(settings.ReplaceBusinessHours(As(owner_), hours_change), "hours");
    Must(settings.AddHoliday(As(owner_), {2026, 11, 25, "Staff day"}), "holiday");
    SlaPolicy gold;
    gold.name = "Gold";
    gold.plan = "gold";
    gold.For(Priority::kNormal) = {minutes(60), std::nullopt, hours(8)};
    Must(settings.CreatePolicy(As(owner_), gold), "gold");
    SlaPolicy standard;
    standard.name = "Standard";
    standard.For(Priority::kNormal) = {minutes(90), std::nullopt, std::nullopt};
    Must(settings.CreatePolicy(As(owner_), standard), "standard");

    acme_ = NewClient("Acme", "gold");
    smith_ = NewClient("Smith, \"Jr\"", "");
    Contact c;
    c.name = "Pat";
    c.emails = {"pat@example.test"};
    c.created_at = c.updated_at = kStartTime;
    contact_ = Must(session().InsertContact(c), "contact");
  }

  ClientId NewClient(const std::string& name, const std::string& plan) {
    Client c;
    c.name = name;
    c.plan = plan;
    c.created_at = c.updated_at = kStartTime;
    return Must(session().InsertClient(c), "client");
  }

  TicketId NewTicket(const char* created, std::optional<ClientId> client, std::optional<UserId> assignee,
                     std::vector<TicketEvent> events) {
    Ticket t;
    t.subject = "Help";
    t.client_id = client;
    t.contact_id = contact_;
    t.assignee_id = assignee;
    t.created_at = t.updated_at = t.last_message_at = At(created);
    const Ticket stored = Must(session().InsertTicket(t), "ticket");
    for (const TicketEvent& e : events) {
      EXPECT_TRUE(session().InsertTicketEvent(stored.id, e).ok());
    }
    return stored.id;
  }

  static TicketEvent Message(const char* at) { return {At(at), TicketEventKind::kClientMessage, TicketStatus::kOpen}; }
  static TicketEvent Reply(const char* at) { return {At(at), TicketEventKind::kAgentReply, TicketStatus::kOpen}; }
  static TicketEvent Resolved(const char* at) { return {At(at), TicketEventKind::kStatus, TicketStatus::kResolved}; }

  // The tickets of the hand-worked example; the report is for 2026-11-23 to 2026-11-28 (Berlin),
  // as of Friday 2026-11-27 12:00 Berlin.
  void MakeTickets() {
    // Acme (Gold), the agent's: received Monday 11:50, answered 13:40 (lunch 12-13 does not count:
    // 50 min, kept), resolved 15:40 (10 min + 2 h 40 = 2 h 50, kept).
    NewTicket("2026-11-23T10:50:00Z", acme_, agent_.id,
              {Message("2026-11-23T10:50:00Z"), Reply("2026-11-23T12:40:00Z"), Resolved("2026-11-23T14:40:00Z")});
    // Smith (Standard), the admin's: received Tuesday 16:00, the day before the holiday, answered
    // Thursday 10:00: 1 h on Tuesday + 1 h on Thursday = 2 h, over the 90 min promised (missed).
    NewTicket("2026-11-24T15:00:00Z", smith_, admin_.id, {Message("2026-11-24T15:00:00Z"), Reply("2026-11-26T09:00:00Z")});
    // Acme (Gold), unassigned: received Monday 09:00, never answered: both promises already broken.
    NewTicket("2026-11-23T08:00:00Z", acme_, std::nullopt, {Message("2026-11-23T08:00:00Z")});
    // No client (Standard), unassigned, created at the first instant of the period, no events.
    NewTicket("2026-11-22T23:00:00Z", std::nullopt, std::nullopt, {});
    // Outside the period: before it, and at its end (exclusive).
    NewTicket("2026-11-22T22:59:59Z", acme_, agent_.id, {Message("2026-11-22T22:59:59Z")});
    NewTicket("2026-11-27T23:00:00Z", acme_, agent_.id, {Message("2026-11-27T23:00:00Z")});
  }

  PromiseReportView Report(const Actor& actor) {
    return Must(BuildPromiseReport(*pool_, actor, {"2026-11-23", "2026-11-28"}, At("2026-11-27T11:00:00Z")), "report");
  }

  ClientId acme_, smith_;
  ContactId contact_;
};

TEST_P(ReportsTest, ResponseTimesCountBusinessHoursOnly) {
  MakeTickets();
  const PromiseReportView v = Report(As(owner_));
  EXPECT_EQ(v.from, "2026-11-23");
  EXPECT_EQ(v.to, "2026-11-28");
  EXPECT_EQ(v.time_zone, "Europe/Berlin");
  EXPECT_EQ(v.report.from, At("2026-11-22T23:00:00Z"));
  EXPECT_EQ(v.report.to, At("2026-11-27T23:00:00Z"));
  const ReportGroup& all = v.report.overall;
  EXPECT_EQ(all.tickets, 4);
  EXPECT_EQ(all.first_response.count, 2);
  EXPECT_EQ(all.first_response.median, minutes(50));  // nearest rank of {50 min, 2 h}: rank 1
  EXPECT_EQ(all.first_response.p90, hours(2));        // rank ceil(1.8) = 2
  EXPECT_EQ(all.resolution.count, 1);
  EXPECT_EQ(all.resolution.median, hours(2) + minutes(50));

  const ReportGroup* smith = Named(v.report.by_client, "Smith, \"Jr\"");
  ASSERT_NE(smith, nullptr);
  EXPECT_EQ(smith->first_response.median, hours(2));  // the holiday between does not count
  const ReportGroup* agent = Named(v.report.by_person, agent_.name);
  ASSERT_NE(agent, nullptr);
  EXPECT_EQ(agent->first_response.median, minutes(50));  // the lunch break does not count
}

TEST_P(ReportsTest, AttainmentPerPolicyClientAndPerson) {
  MakeTickets();
  const PromiseReport r = Report(As(agent_)).report;
  // Gold: the first ticket kept both promises, the unanswered one broke both.
  const ReportGroup* gold = Named(r.by_policy, "Gold");
  ASSERT_NE(gold, nullptr);
  EXPECT_EQ(gold->tickets, 2);
  EXPECT_EQ(gold->first_response_attainment.kept, 1);
  EXPECT_EQ(gold->first_response_attainment.missed, 1);
  EXPECT_EQ(gold->resolution_attainment.kept, 1);
  EXPECT_EQ(gold->resolution_attainment.missed, 1);
  EXPECT_EQ(gold->overall_attainment.share(), 0.5);
  // Standard: Smith's first response missed; the ticket without events promised nothing yet.
  const ReportGroup* standard = Named(r.by_policy, "Standard");
  ASSERT_NE(standard, nullptr);
  EXPECT_EQ(standard->tickets, 2);
  EXPECT_EQ(standard->overall_attainment.kept, 0);
  EXPECT_EQ(standard->overall_attainment.missed, 1);
  EXPECT_EQ(r.by_policy.size(), 2u);

  ASSERT_EQ(r.by_client.size(), 3u);
  EXPECT_EQ(r.by_client[0].name, "Acme");
  EXPECT_EQ(r.by_client[0].overall_attainment.kept, 2);
  EXPECT_EQ(r.by_client[0].overall_attainment.missed, 2);
  EXPECT_EQ(r.by_client[1].name, "Smith, \"Jr\"");
  EXPECT_EQ(r.by_client[1].overall_attainment.share(), 0.0);
  EXPECT_EQ(r.by_client[2].name, "No client");
  EXPECT_EQ(r.by_client[2].tickets, 1);

  const ReportGroup* agent = Named(r.by_person, agent_.name);
  const ReportGroup* admin = Named(r.by_person, admin_.name);
  const ReportGroup* unassigned = Named(r.by_person, "Unassigned");
  ASSERT_TRUE(agent && admin && unassigned);
  EXPECT_EQ(agent->overall_attainment.share(), 1.0);  // 2 of 2
  EXPECT_EQ(admin->overall_attainment.share(), 0.0);  // 0 of 1
  EXPECT_EQ(unassigned->tickets, 2);
  EXPECT_EQ(unassigned->overall_attainment.missed, 2);
  EXPECT_EQ(r.by_person.back().name, "Unassigned");

  EXPECT_EQ(r.overall.overall_attainment.kept, 2);
  EXPECT_EQ(r.overall.overall_attainment.missed, 3);
}

TEST_P(ReportsTest, SubcontractorsMayNotSeeReports) {
  MakeTickets();
  EXPECT_EQ(BuildPromiseReport(*pool_, As(sub_), {}, kStartTime).status().code(), StatusCode::kPermissionDenied);
  for (const User& u : {owner_, admin_, agent_}) EXPECT_EQ(Report(As(u)).report.overall.tickets, 4);
}

TEST_P(ReportsTest, ThePeriodDefaultsToTheLastThirtyDaysInTheWorkspaceZone) {
  // kStartTime is 2026-11-22 16:04 in Berlin: the period is 2026-10-24 up to 2026-11-23.
  const PromiseReportView v = Must(BuildPromiseReport(*pool_, As(agent_), {}, kStartTime), "default");
  EXPECT_EQ(v.from, "2026-10-24");
  EXPECT_EQ(v.to, "2026-11-23");
  EXPECT_EQ(v.report.to, At("2026-11-22T23:00:00Z"));
  EXPECT_EQ(v.report.from, At("2026-10-23T22:00:00Z"));  // still summer time (UTC+2) on 24 October
  const PromiseReportView only_to = Must(BuildPromiseReport(*pool_, As(agent_), {"", "2026-03-01"}, kStartTime), "to");
  EXPECT_EQ(only_to.from, "2026-01-30");
}

TEST_P(ReportsTest, RejectsBadDatesAndAnEmptyPeriod) {
  const Status bad = BuildPromiseReport(*pool_, As(agent_), {"2026-02-30", "yesterday"}, kStartTime).status();
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.ToString(), HasSubstr("from"));
  EXPECT_THAT(bad.ToString(), HasSubstr("to"));
  const Status empty = BuildPromiseReport(*pool_, As(agent_), {"2026-11-23", "2026-11-23"}, kStartTime).status();
  EXPECT_EQ(empty.code(), StatusCode::kInvalidArgument);
}

TEST_P(ReportsTest, CsvHasOneLinePerGroupWithQuotedNames) {
  MakeTickets();
  const std::string csv = PromiseReportCsv(Report(As(owner_)));
  EXPECT_EQ(csv.rfind("grouping,id,name,tickets,first_response_count,first_response_median_seconds,", 0), 0u);
  EXPECT_THAT(csv, HasSubstr("\r\noverall,,All tickets,4,2,3000,7200,1,10200,10200,1,2,0,0,1,1,2,3,0.4000\r\n"));
  EXPECT_THAT(csv, HasSubstr(",\"Smith, \"\"Jr\"\"\",1,1,7200,7200,0,,,0,1,0,0,0,0,0,1,0.0000\r\n"));
  EXPECT_THAT(csv, HasSubstr("\r\nperson,,Unassigned,2,0,,,0,,,0,1,0,0,0,1,0,2,0.0000\r\n"));
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportsTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

TEST(CsvField, QuotesAsRfc4180AndDefusesFormulas) {
  EXPECT_EQ(CsvField("Acme"), "Acme");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("Smith, \"Jr\""), "\"Smith, \"\"Jr\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(CsvField("+1 555"), "'+1 555");
  EXPECT_EQ(CsvField("-2"), "'-2");
  EXPECT_EQ(CsvField("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvField("a=b"), "a=b");
}

}  // namespace
}  // namespace rapport::app
