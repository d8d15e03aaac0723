// The promise report over HTTP on SQLite and PostgreSQL: GET /api/v1/reports/promises as JSON and as
// CSV (quoting of a client named `Smith, "Jr"`, a formula-looking name defused), the roles, bad
// dates, and the /reports page with its CSV download.
#include "http_fixture.h"

#include <gmock/gmock.h>

#include "support/instant_literal.h"

namespace rapport::http::testing {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

using rapport::testing::At;

// Default business hours (Monday to Friday 09:00-17:00 UTC). Two tickets on Monday 2026-11-16:
// Smith's answered after 90 business minutes, the formula-named client's after 30.
class ReportHttpTest : public HttpTest {
 protected:
  void SetUp() override {
    HttpTest::SetUp();
    if (HasFatalFailure()) return;
    auto lease = pool().Acquire();
    ASSERT_TRUE(lease.ok());
    app::StoreSession& s = **lease;
    Contact contact;
    contact.name = "Pat";
    contact.emails = {"pat@example.test"};
    const ContactId pat = s.InsertContact(contact).value();
    auto ticket = [&](const std::string& client_name, const char* received, const char* answered) {
      Client c;
      c.name = client_name;
      const ClientId client = s.InsertClient(c).value();
      Ticket t;
      t.subject = "Help";
      t.client_id = client;
      t.contact_id = pat;
      t.assignee_id = user_id(Caller::kAgent);
      t.created_at = t.updated_at = t.last_message_at = At(received);
      const TicketId id = s.InsertTicket(t).value().id;
      ASSERT_TRUE(s.InsertTicketEvent(id, {At(received), TicketEventKind::kClientMessage, TicketStatus::kOpen}).ok());
      ASSERT_TRUE(s.InsertTicketEvent(id, {At(answered), TicketEventKind::kAgentReply, TicketStatus::kOpen}).ok());
    };
    ticket("Smith, \"Jr\"", "2026-11-16T10:00:00Z", "2026-11-16T11:30:00Z");
    ticket("=HYPERLINK(\"http://evil.example\")", "2026-11-16T16:45:00Z", "2026-11-17T09:15:00Z");
  }

  static constexpr const char* kPath = "/api/v1/reports/promises?from=2026-11-16&to=2026-11-19";
};

TEST_P(ReportHttpTest, JsonReport) {
  Reply r = Call(Caller::kAgent, "GET", kPath);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["from"], "2026-11-16");
  EXPECT_EQ(r.json["to"], "2026-11-19");
  EXPECT_EQ(r.json["time_zone"], "UTC");
  EXPECT_EQ(r.json["from_at"], "2026-11-16T00:00:00Z");
  EXPECT_EQ(r.json["overall"]["tickets"], 2);
  EXPECT_EQ(r.json["overall"]["first_response"]["count"], 2);
  EXPECT_EQ(r.json["overall"]["first_response"]["median_seconds"], 30 * 60);  // 15 min Monday + 15 Tuesday
  EXPECT_EQ(r.json["overall"]["first_response"]["p90_seconds"], 90 * 60);
  EXPECT_EQ(r.json["overall"]["attainment"]["overall"]["share"], nullptr);  // no policy: nothing promised
  ASSERT_EQ(r.json["by_client"].size(), 2u);
  EXPECT_EQ(r.json["by_client"][0]["name"], "=HYPERLINK(\"http://evil.example\")");  // JSON carries it as it is
  EXPECT_EQ(r.json["by_client"][1]["name"], "Smith, \"Jr\"");
  EXPECT_EQ(r.json["by_person"][0]["id"], user_id(Caller::kAgent).value);
  EXPECT_EQ(r.json["by_policy"][0]["name"], "No policy");
  EXPECT_EQ(r.json["by_policy"][0]["id"], nullptr);
}

TEST_P(ReportHttpTest, CsvByAcceptHeaderOrFormat) {
  for (const auto& [target, headers] :
       {std::pair<std::string, httplib::Headers>{kPath, {{"Accept", "text/csv"}}},
        std::pair<std::string, httplib::Headers>{std::string(kPath) + "&format=csv", {}}}) {
    Reply r = Call(Caller::kOwner, "GET", target, "", headers);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "text/csv; charset=utf-8");
    EXPECT_EQ(r.Header("Content-Disposition"), "attachment; filename=\"promises-2026-11-16-to-2026-11-19.csv\"");
    EXPECT_EQ(r.body.rfind("grouping,id,name,tickets,", 0), 0u);
    EXPECT_THAT(r.body, HasSubstr("\r\noverall,,All tickets,2,2,1800,5400,0,,,0,0,0,0,0,0,0,0,\r\n"));
    EXPECT_THAT(r.body, HasSubstr(",\"Smith, \"\"Jr\"\"\",1,1,5400,5400,"));
    EXPECT_THAT(r.body, HasSubstr(",\"'=HYPERLINK(\"\"http://evil.example\"\")\",1,1,1800,1800,"));
  }
  EXPECT_EQ(Call(Caller::kOwner, "GET", std::string(kPath) + "&format=json").Header("Content-Type"),
            "application/json");
}

TEST_P(ReportHttpTest, RolesAndBadInput) {
  EXPECT_EQ(Call(Caller::kAdmin, "GET", kPath).status, 200);
  EXPECT_EQ(Call(Caller::kSubcontractor, "GET", kPath).status, 403);
  EXPECT_EQ(Call(Caller::kSubcontractor, "GET", kPath, "", {{"Accept", "text/csv"}}).status, 403);
  EXPECT_EQ(Call(Caller::kAnonymous, "GET", kPath).status, 401);
  Reply bad = Call(Caller::kAgent, "GET", "/api/v1/reports/promises?from=16.11.2026&format=xml&colour=red");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.Header("Content-Type"), "application/problem+json");
  EXPECT_TRUE(bad.json["errors"].contains("format"));
  EXPECT_TRUE(bad.json["errors"].contains("colour"));
  Reply date = Call(Caller::kAgent, "GET", "/api/v1/reports/promises?from=16.11.2026");
  EXPECT_EQ(date.status, 400);
  EXPECT_TRUE(date.json["errors"].contains("from")) << date.body;
  // Without dates: the last 30 days (the fixed clock is 2026-11-18).
  Reply recent = Call(Caller::kAgent, "GET", "/api/v1/reports/promises");
  ASSERT_EQ(recent.status, 200);
  EXPECT_EQ(recent.json["from"], "2026-10-20");
  EXPECT_EQ(recent.json["to"], "2026-11-19");
  EXPECT_EQ(recent.json["overall"]["tickets"], 2);
}

TEST_P(ReportHttpTest, ReportsPageAndCsvDownload) {
  auto [cookie, csrf] = WebSession(Caller::kAgent);
  Reply page = Raw("GET", "/reports?from=2026-11-16&to=2026-11-19", {{"Cookie", cookie}});
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_THAT(page.body, HasSubstr("href=\"/reports\" aria-current=\"page\""));
  EXPECT_THAT(page.body, HasSubstr("up to, not including, 2026-11-19"));
  EXPECT_THAT(page.body, HasSubstr("Smith, &quot;Jr&quot;"));
  EXPECT_EQ(page.body.find("Smith, \"Jr\""), std::string::npos);
  EXPECT_THAT(page.body, HasSubstr("<td>1 h 30 min</td>"));
  EXPECT_THAT(page.body, HasSubstr("href=\"/reports/promises.csv?from=2026-11-16&amp;to=2026-11-19\""));

  Reply csv = Raw("GET", "/reports/promises.csv?from=2026-11-16&to=2026-11-19", {{"Cookie", cookie}});
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.Header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_THAT(csv.body, HasSubstr("Smith, \"\"Jr\"\""));

  Reply bad = Raw("GET", "/reports?from=2026-11-19&to=2026-11-16", {{"Cookie", cookie}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body, HasSubstr("To: must be a later date"));

  auto [sub_cookie, sub_csrf] = WebSession(Caller::kSubcontractor);
  EXPECT_EQ(Raw("GET", "/reports", {{"Cookie", sub_cookie}}).status, 403);
  EXPECT_EQ(Raw("GET", "/reports/promises.csv", {{"Cookie", sub_cookie}}).status, 403);
  EXPECT_EQ(Raw("GET", "/", {{"Cookie", sub_cookie}}).body.find("href=\"/reports\""), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportHttpTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::http::testing
