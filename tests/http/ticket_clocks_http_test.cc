// The promise clocks over HTTP: the due times and the state at request time in ticket JSON, the
// due-first order (sort=due, and the default of open-ticket lists) with its cursor.
#include <chrono>
#include <string>
#include <vector>

#include "app/promise_settings.h"
#include "http_fixture.h"

namespace rapport::http::testing {
namespace {

using namespace std::chrono_literals;

// Monday 2026-11-23, UTC (the workspace's zone in these tests).
Instant Monday(int hour, int minute = 0) {
  return InstantFromUnix(1795392000) + std::chrono::hours(hour) + std::chrono::minutes(minute);
}

class TicketClocksHttpTest : public HttpTest {
 protected:
  void SetUp() override {
    HttpTest::SetUp();
    if (HasFatalFailure()) return;
    app::PromiseSettings settings(pool(), clock());
    const Actor owner{user_id(Caller::kOwner), Role::kOwner};
    app::BusinessHoursChange hours;
    hours.time_zone = "UTC";
    for (int weekday = 1; weekday <= 5; ++weekday) hours.intervals.push_back({weekday, 9 * 60, 17 * 60});
    ASSERT_TRUE(settings.ReplaceBusinessHours(owner, hours).ok());
    SlaPolicy p;
    p.name = "Standard";
    p.For(Priority::kNormal).first_response = std::chrono::minutes(240);
    p.For(Priority::kNormal).resolution = std::chrono::minutes(16 * 60);
    p.For(Priority::kUrgent).first_response = std::chrono::minutes(60);
    ASSERT_TRUE(settings.CreatePolicy(owner, p).ok());
  }

  std::int64_t Create(Instant at, const std::string& email, const std::string& priority = "normal") {
    clock().Set(at);
    Reply r = Call(Caller::kAgent, "POST", "/api/v1/tickets",
                   R"({"subject":"Help","body":"Please","priority":")" + priority + R"(","contact":{"email":")" +
                       email + R"("}})");
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json.is_object() ? r.json["id"].get<std::int64_t>() : 0;
  }

  std::vector<std::int64_t> Ids(const Reply& r) {
    std::vector<std::int64_t> out;
    if (!r.json.is_object()) return out;
    for (const auto& item : r.json["items"]) out.push_back(item["id"].get<std::int64_t>());
    return out;
  }
};

TEST_P(TicketClocksHttpTest, TicketJsonCarriesDueTimesAndTheStateAtRequestTime) {
  clock().Set(Monday(9));
  Reply created = Call(Caller::kAgent, "POST", "/api/v1/tickets",
                       R"({"subject":"Help","body":"Please","contact":{"email":"ann@acme.example"}})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json["first_response_due_at"], "2026-11-23T13:00:00Z");
  EXPECT_TRUE(created.json["next_response_due_at"].is_null());
  EXPECT_EQ(created.json["resolution_due_at"], "2026-11-24T17:00:00Z");
  EXPECT_EQ(created.json["sla_state"], "ok");
  const std::string path = "/api/v1/tickets/" + std::to_string(created.json["id"].get<std::int64_t>());

  clock().Set(Monday(12, 30));
  EXPECT_EQ(Call(Caller::kAgent, "GET", path).json["sla_state"], "warning");
  clock().Set(Monday(13, 1));
  Reply late = Call(Caller::kAgent, "GET", path);
  EXPECT_EQ(late.json["sla_state"], "breached");
  EXPECT_EQ(late.json["first_response_due_at"], "2026-11-23T13:00:00Z");
  Reply listed = Call(Caller::kAgent, "GET", "/api/v1/tickets");
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.json["items"][0]["sla_state"], "breached");

  Reply paused = Call(Caller::kAgent, "PATCH", path, R"({"status":"waiting_on_client"})");
  ASSERT_EQ(paused.status, 200) << paused.body;
  EXPECT_EQ(paused.json["sla_state"], "paused");
  EXPECT_TRUE(paused.json["first_response_due_at"].is_null());
}

TEST_P(TicketClocksHttpTest, OpenListsAreDueFirstAndPageWithTheirCursor) {
  const std::int64_t normal = Create(Monday(9), "a@acme.example");                 // due 13:00
  const std::int64_t urgent = Create(Monday(10), "b@acme.example", "urgent");     // due 11:00
  const std::int64_t later = Create(Monday(10, 30), "c@acme.example");            // due 14:30
  const std::int64_t settled = Create(Monday(10, 40), "d@acme.example");
  clock().Set(Monday(10, 45));
  ASSERT_EQ(Call(Caller::kAgent, "PATCH", "/api/v1/tickets/" + std::to_string(settled), R"({"status":"resolved"})")
                .status,
            200);

  // Open views default to due first; the resolved ticket is not in them.
  EXPECT_EQ(Ids(Call(Caller::kAgent, "GET", "/api/v1/tickets?status=new,open")),
            (std::vector<std::int64_t>{urgent, normal, later}));
  // Any list may ask for it; tickets without a running promise come last.
  EXPECT_EQ(Ids(Call(Caller::kAgent, "GET", "/api/v1/tickets?sort=due")),
            (std::vector<std::int64_t>{urgent, normal, later, settled}));
  // Without a status filter the default stays last activity, newest first.
  EXPECT_EQ(Ids(Call(Caller::kAgent, "GET", "/api/v1/tickets")),
            (std::vector<std::int64_t>{settled, later, urgent, normal}));

  std::vector<std::int64_t> paged;
  std::string target = "/api/v1/tickets?sort=due&limit=3";
  for (int i = 0; i < 5; ++i) {
    Reply page = Call(Caller::kAgent, "GET", target);
    ASSERT_EQ(page.status, 200) << page.body;
    for (std::int64_t id : Ids(page)) paged.push_back(id);
    if (!page.json["next_cursor"].is_string()) break;
    target = "/api/v1/tickets?sort=due&limit=3&cursor=" +
             httplib::detail::encode_query_param(page.json["next_cursor"].get<std::string>());
  }
  EXPECT_EQ(paged, (std::vector<std::int64_t>{urgent, normal, later, settled}));

  Reply bad = Call(Caller::kAgent, "GET", "/api/v1/tickets?sort=soonest");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("due"), std::string::npos) << bad.body;
}

TEST_P(TicketClocksHttpTest, OpenApiDocumentsTheClockFields) {
  Reply doc = Call(Caller::kAgent, "GET", "/api/v1/openapi.json");
  ASSERT_EQ(doc.status, 200) << doc.body;
  const auto& ticket = doc.json["components"]["schemas"]["Ticket"]["properties"];
  for (const char* field : {"first_response_due_at", "next_response_due_at", "resolution_due_at", "sla_state"}) {
    EXPECT_TRUE(ticket.contains(field)) << field;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, TicketClocksHttpTest, rapport::testing::AllBackends(),
                         rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::http::testing
