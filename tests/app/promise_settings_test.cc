// PromiseSettings against a real store, on SQLite and PostgreSQL: who may read and change the
// business calendar and the response policies, validation, the audit trail, the workspace calendar
// as loaded for the clocks; and the client's plan and a person's on-call flag through Desk.

#include "app/promise_settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app_fixture.h"
#include "core/business_hours.h"

namespace rapport::app {
namespace {

using ::testing::HasSubstr;
using std::chrono::minutes;

class PromiseSettingsTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    MakeTeam();
    settings_ = std::make_unique<PromiseSettings>(*pool_, clock_);
  }
  void TearDown() override {
    settings_.reset();
    AppTest::TearDown();
  }

  static SlaPolicy Policy(const std::string& name, const std::string& plan) {
    SlaPolicy p;
    p.name = name;
    p.plan = plan;
    p.For(Priority::kNormal) = {minutes(240), minutes(480), minutes(3 * 480)};
    p.For(Priority::kUrgent) = {minutes(60), minutes(120), minutes(480)};
    return p;
  }

  std::vector<AuditEntry> Audit(const std::string& entity, std::int64_t id) {
    return Must(db().NewSession()->ListAudit(entity, id, 10), "audit");
  }

  PromiseSettings& settings() { return *settings_; }
  std::unique_ptr<PromiseSettings> settings_;
};

TEST_P(PromiseSettingsTest, UnsetHoursReadAsTheDefault) {
  const BusinessHoursView v = Must(settings().GetBusinessHours(As(agent_)));
  EXPECT_TRUE(v.is_default);
  EXPECT_EQ(v.intervals, DefaultBusinessHours());
  EXPECT_EQ(v.time_zone, "UTC");
}

TEST_P(PromiseSettingsTest, ReplacesHoursWithALunchBreakAndTheZone) {
  BusinessHoursChange c;
  c.time_zone = " Europe/Paris ";
  c.intervals = {{2, 810, 1050}, {1, 540, 750}, {1, 810, 1050}, {2, 540, 750}, {1, 540, 750}};
  const BusinessHoursView v = Must(settings().ReplaceBusinessHours(As(admin_), c), "replace");
  EXPECT_FALSE(v.is_default);
  EXPECT_EQ(v.time_zone, "Europe/Paris");
  // Sorted, the duplicate dropped.
  EXPECT_EQ(v.intervals, (std::vector<WorkingInterval>{{1, 540, 750}, {1, 810, 1050}, {2, 540, 750}, {2, 810, 1050}}));
  EXPECT_EQ(Must(desk().GetWorkspace(As(agent_))).time_zone, "Europe/Paris");
  auto audit = Audit("workspace", 1);
  ASSERT_FALSE(audit.empty());
  EXPECT_THAT(audit[0].detail, HasSubstr("Mon 09:00-12:30 13:30-17:30"));
  EXPECT_THAT(audit[0].detail, HasSubstr("Europe/Paris"));
  EXPECT_EQ(audit[0].actor_id, admin_.id);

  // Renaming the workspace keeps the hours.
  Workspace w = Must(desk().GetWorkspace(As(owner_)));
  w.name = "Renamed";
  Must(desk().UpdateWorkspace(As(owner_), w), "rename");
  EXPECT_EQ(Must(settings().GetBusinessHours(As(owner_))).intervals, v.intervals);

  // Saving the same again changes and audits nothing; an empty list goes back to the default.
  const std::size_t entries = Audit("workspace", 1).size();
  Must(settings().ReplaceBusinessHours(As(owner_), c), "same");
  EXPECT_EQ(Audit("workspace", 1).size(), entries);
  const BusinessHoursView back = Must(settings().ReplaceBusinessHours(As(owner_), BusinessHoursChange{}), "clear");
  EXPECT_TRUE(back.is_default);
  EXPECT_EQ(back.time_zone, "Europe/Paris") << "an absent zone is kept";
}

TEST_P(PromiseSettingsTest, BadHoursChangeNothing) {
  BusinessHoursChange c;
  c.time_zone = "Mars/Olympus";
  c.intervals = {{1, 540, 540}};
  auto bad = settings().ReplaceBusinessHours(As(owner_), c);
  ASSERT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(bad.status().field_errors().count("time_zone"));
  EXPECT_TRUE(bad.status().field_errors().count("intervals"));
  for (const WorkingInterval& w : std::vector<WorkingInterval>{{7, 540, 600}, {1, -5, 600}, {1, 540, 1441}}) {
    EXPECT_EQ(settings().ReplaceBusinessHours(As(owner_), {std::nullopt, {w}}).status().code(),
              StatusCode::kInvalidArgument);
  }
  EXPECT_TRUE(Must(settings().GetBusinessHours(As(owner_))).is_default);
  EXPECT_EQ(Must(desk().GetWorkspace(As(owner_))).time_zone, "UTC");
  // Overnight intervals are business hours like any other.
  Must(settings().ReplaceBusinessHours(As(owner_), {std::nullopt, {{5, 1320, 360}}}), "overnight");
}

TEST_P(PromiseSettingsTest, OnlyOwnerAndAdminChangeAndEveryoneReads) {
  const HolidayRecord h = Must(settings().AddHoliday(As(owner_), {0, 12, 25, "Christmas"}), "holiday");
  const SlaPolicy p = Must(settings().CreatePolicy(As(owner_), Policy("Standard", "")), "policy");
  for (const User* u : {&agent_, &sub_}) {
    SCOPED_TRACE(u->email);
    const Actor a = As(*u);
    EXPECT_EQ(settings().ReplaceBusinessHours(a, {}).status().code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(settings().AddHoliday(a, {0, 1, 1, "New Year"}).status().code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(settings().DeleteHoliday(a, h.id).code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(settings().CreatePolicy(a, Policy("Gold", "gold")).status().code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(settings().UpdatePolicy(a, p.id, Policy("X", "")).status().code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(settings().DeletePolicy(a, p.id).code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(Must(settings().ListHolidays(a)).size(), 1u);
    EXPECT_EQ(Must(settings().ListPolicies(a)).size(), 1u);
    EXPECT_EQ(Must(settings().GetPolicy(a, p.id)).name, "Standard");
  }
  EXPECT_EQ(Must(settings().ListPolicies(As(owner_)))[0].name, "Standard") << "nothing changed";
  EXPECT_TRUE(settings().DeleteHoliday(As(admin_), h.id).ok());
  EXPECT_TRUE(settings().DeletePolicy(As(admin_), p.id).ok());
}

TEST_P(PromiseSettingsTest, HolidaysAreCheckedAndAudited) {
  const HolidayRecord h = Must(settings().AddHoliday(As(owner_), {2026, 12, 24, "  Christmas\nEve "}), "add");
  EXPECT_EQ(h.holiday.name, "Christmas Eve");
  auto dup = settings().AddHoliday(As(owner_), {2026, 12, 24, "Again"});
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(dup.status().field_errors().count("date"));

  auto bad = settings().AddHoliday(As(owner_), {2027, 2, 29, std::string(101, 'x')});
  ASSERT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(bad.status().field_errors().count("day"));
  EXPECT_TRUE(bad.status().field_errors().count("name"));
  EXPECT_TRUE(settings().AddHoliday(As(owner_), {0, 13, 1, "x"}).status().field_errors().count("month"));
  EXPECT_TRUE(settings().AddHoliday(As(owner_), {0, 1, 1, " "}).status().field_errors().count("name"));
  EXPECT_EQ(Must(settings().ListHolidays(As(owner_))).size(), 1u);

  EXPECT_EQ(settings().DeleteHoliday(As(owner_), HolidayId(h.id.value + 99)).code(), StatusCode::kNotFound);
  ASSERT_TRUE(settings().DeleteHoliday(As(owner_), h.id).ok());
  auto audit = Audit("holiday", h.id.value);
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].action, "delete");
  EXPECT_EQ(audit[1].action, "create");
  EXPECT_THAT(audit[1].detail, HasSubstr("Christmas Eve"));
  EXPECT_THAT(audit[1].detail, HasSubstr("2026-12-24"));
}

TEST_P(PromiseSettingsTest, PoliciesAreCheckedNormalizedAndOnePerPlan) {
  SlaPolicy premium = Policy(" Premium ", "  PREMIUM ");
  premium.warning_percent = 80;
  const SlaPolicy made = Must(settings().CreatePolicy(As(owner_), premium), "create");
  EXPECT_EQ(made.name, "Premium");
  EXPECT_EQ(made.plan, "premium");
  EXPECT_EQ(made.warning_percent, 80);
  EXPECT_EQ(made.For(Priority::kUrgent), (ResponseTargets{minutes(60), minutes(120), minutes(480)}));
  Must(settings().CreatePolicy(As(owner_), Policy("Standard", "")), "default");

  auto dup = settings().CreatePolicy(As(owner_), Policy("Premium 2", "Premium"));
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(dup.status().field_errors().count("plan"));
  auto second_default = settings().CreatePolicy(As(owner_), Policy("Other default", " "));
  EXPECT_EQ(second_default.status().code(), StatusCode::kAlreadyExists);

  SlaPolicy bad = Policy("", std::string(65, 'p'));
  bad.warning_percent = 100;
  bad.For(Priority::kLow).first_response = minutes(0);
  bad.For(Priority::kHigh).resolution = minutes(kMaxTargetMinutes + 1);
  auto refused = settings().CreatePolicy(As(owner_), bad);
  ASSERT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  for (const char* field : {"name", "plan", "warning_percent", "targets.low.first_response_minutes",
                            "targets.high.resolution_minutes"}) {
    EXPECT_TRUE(refused.status().field_errors().count(field)) << field << " in " << refused.status().ToString();
  }
  EXPECT_EQ(Must(settings().ListPolicies(As(owner_))).size(), 2u);
  EXPECT_EQ(settings().GetPolicy(As(owner_), SlaPolicyId(made.id.value + 99)).status().code(), StatusCode::kNotFound);
}

TEST_P(PromiseSettingsTest, UpdateReplacesThePolicyAndAuditsTheChange) {
  const SlaPolicy made = Must(settings().CreatePolicy(As(owner_), Policy("Premium", "premium")), "create");
  SlaPolicy next = made;
  next.name = "Premium plus";
  next.For(Priority::kUrgent) = {};
  next.For(Priority::kHigh) = {minutes(120), std::nullopt, std::nullopt};
  const SlaPolicy updated = Must(settings().UpdatePolicy(As(admin_), made.id, next), "update");
  EXPECT_EQ(updated.name, "Premium plus");
  EXPECT_EQ(updated.For(Priority::kUrgent), ResponseTargets{});
  EXPECT_EQ(updated.For(Priority::kHigh), (ResponseTargets{minutes(120), std::nullopt, std::nullopt}));
  auto audit = Audit("sla_policy", made.id.value);
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].action, "update");
  EXPECT_THAT(audit[0].detail, HasSubstr("Premium plus"));
  EXPECT_THAT(audit[0].detail, HasSubstr("high 120/-/-"));
  EXPECT_EQ(settings().UpdatePolicy(As(owner_), SlaPolicyId(made.id.value + 9), next).status().code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(settings().DeletePolicy(As(owner_), made.id).ok());
  EXPECT_EQ(settings().DeletePolicy(As(owner_), made.id).code(), StatusCode::kNotFound);
  EXPECT_EQ(Audit("sla_policy", made.id.value)[0].action, "delete");
}

TEST_P(PromiseSettingsTest, WorkspaceCalendarUsesTheStoredHoursZoneAndHolidays) {
  Must(settings().ReplaceBusinessHours(As(owner_), {std::string("America/New_York"), {{1, 540, 750}, {1, 810, 1050}}}),
       "hours");
  Must(settings().AddHoliday(As(owner_), {0, 12, 25, "Christmas"}), "holiday");
  auto session = db().NewSession();
  const BusinessCalendar cal = Must(LoadWorkspaceCalendar(*session), "calendar");
  EXPECT_EQ(cal.zone().name(), "America/New_York");
  EXPECT_EQ(cal.hours().size(), 2u);
  ASSERT_EQ(cal.holidays().size(), 1u);
  // Monday 2026-11-23 13:00 EST = 18:00 UTC is lunch; 14:00 EST = 19:00 UTC is open.
  const Instant monday_18_utc = InstantFromUnix(1795392000 + 18 * 3600);
  EXPECT_FALSE(cal.IsOpen(monday_18_utc));
  EXPECT_TRUE(cal.IsOpen(monday_18_utc + std::chrono::hours(1)));

  // Unset hours: the default Monday-Friday 09:00-17:00.
  Must(settings().ReplaceBusinessHours(As(owner_), {}), "clear");
  const BusinessCalendar fallback = Must(LoadWorkspaceCalendar(*session), "default calendar");
  EXPECT_EQ(fallback.hours(), DefaultBusinessHours());
}

TEST_P(PromiseSettingsTest, ClientPlanIsNormalizedAndAudited) {
  Client c = Must(desk().CreateClient(As(agent_), ClientFields{.name = "Acme", .plan = " Premium "}), "create");
  EXPECT_EQ(c.plan, "premium");
  c = Must(desk().UpdateClient(As(agent_), c.id, ClientFields{.plan = "Basic"}), "update");
  EXPECT_EQ(c.plan, "basic");
  EXPECT_EQ(Must(desk().GetClient(As(owner_), c.id)).plan, "basic");
  auto audit = Audit("client", c.id.value);
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_THAT(audit[0].detail, HasSubstr("basic"));
  EXPECT_THAT(audit[1].detail, HasSubstr("premium"));
  auto bad = desk().UpdateClient(As(agent_), c.id, ClientFields{.plan = std::string(65, 'x')});
  EXPECT_TRUE(bad.status().field_errors().count("plan"));
  EXPECT_EQ(Must(desk().GetClient(As(owner_), c.id)).plan, "basic");
}

TEST_P(PromiseSettingsTest, OnCallIsSetByThePersonOrAnOwnerOrAdmin) {
  User me = Must(desk().UpdateUser(As(agent_), agent_.id, UserFields{.on_call = true}), "self");
  EXPECT_TRUE(me.on_call);
  EXPECT_EQ(desk().UpdateUser(As(agent_), admin_.id, UserFields{.on_call = true}).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_FALSE(Must(desk().GetUser(As(owner_), admin_.id)).on_call);
  User sub = Must(desk().UpdateUser(As(admin_), sub_.id, UserFields{.on_call = true}), "by admin");
  EXPECT_TRUE(sub.on_call);
  auto audit = Audit("user", agent_.id.value);
  ASSERT_FALSE(audit.empty());
  EXPECT_THAT(audit[0].detail, HasSubstr("on_call"));
}

INSTANTIATE_TEST_SUITE_P(Backends, PromiseSettingsTest, rapport::testing::AllBackends(),
                         rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::app
