// Review packs over HTTP on SQLite and PostgreSQL: the API's list and one pack (JSON shape, roles,
// 404s), the pack's page with a hostile client name and subject kept as text, and the client page's
// list linking to it.
#include <gmock/gmock.h>

#include "app/review_packs.h"
#include "http_fixture.h"
#include "support/instant_literal.h"

namespace rapport::http::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

using rapport::testing::At;

const std::string kHostileName = "<b>Bold</b> [Click](https://evil.example)";

class ReviewPackHttpTest : public HttpTest {
 protected:
  void SetUp() override {
    HttpTest::SetUp();
    if (HasFatalFailure()) return;
    auto lease = pool().Acquire();
    ASSERT_TRUE(lease.ok());
    app::StoreSession& s = **lease;
    Client c;
    c.name = kHostileName;
    client_ = s.InsertClient(c).value();
    Contact contact;
    contact.name = "Pat";
    contact.emails = {"pat@example.test"};
    contact.client_id = client_;
    const ContactId pat = s.InsertContact(contact).value();
    Ticket t;
    t.subject = "<img src=x onerror=alert(1)> [pay](https://evil.example/pay)";
    t.client_id = client_;
    t.contact_id = pat;
    t.status = TicketStatus::kOpen;
    t.created_at = t.updated_at = t.last_message_at = At("2026-10-01T10:00:00Z");
    ASSERT_TRUE(s.InsertTicket(t).ok());
    app::Meeting m;
    m.client_id = client_;
    m.title = "Annual review";
    m.starts_at = At("2026-11-25T10:00:00Z");
    m.recurrence = app::MeetingRecurrence::kYearly;
    m.owner_user_id = user_id(Caller::kAgent);
    m.created_at = At("2026-11-01T10:00:00Z");
    m.id = s.InsertMeeting(m).value();
    ASSERT_TRUE(s.Begin().ok());
    auto made = app::PrepareReviewPack(s, m, m.starts_at, clock().Now());
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    ASSERT_TRUE(made->has_value());
    ASSERT_TRUE(s.Commit().ok());
    pack_ = **made;
  }

  std::string ListPath() const { return "/api/v1/clients/" + std::to_string(client_.value) + "/review-packs"; }
  std::string PackPath() const { return "/api/v1/review-packs/" + std::to_string(pack_.value); }
  std::string PagePath() const {
    return "/clients/" + std::to_string(client_.value) + "/review-packs/" + std::to_string(pack_.value);
  }

  ClientId client_;
  ReviewPackId pack_;
};

TEST_P(ReviewPackHttpTest, ListAndOnePackAsJson) {
  Reply list = Call(Caller::kAgent, "GET", ListPath());
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.json["items"].size(), 1u);
  const json& item = list.json["items"][0];
  EXPECT_EQ(item["id"], pack_.value);
  EXPECT_EQ(item["client_id"], client_.value);
  EXPECT_EQ(item["meeting_at"], "2026-11-25T10:00:00Z");
  EXPECT_EQ(item["created_at"], "2026-11-18T11:06:40Z");
  EXPECT_FALSE(item.contains("body")) << "the list leaves the bodies out";
  EXPECT_EQ(list.json["next_cursor"], nullptr);

  Reply one = Call(Caller::kOwner, "GET", PackPath());
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(one.json["id"], pack_.value);
  EXPECT_EQ(one.json["meeting_id"], item["meeting_id"]);
  const std::string body = one.json["body"];
  EXPECT_THAT(body, HasSubstr("## Open matters"));
  EXPECT_THAT(body, HasSubstr("Not tracked yet"));
  const std::string html = one.json["body_html"];
  EXPECT_THAT(html, HasSubstr("<h2>Open matters</h2>"));
  EXPECT_THAT(html, HasSubstr("&lt;b&gt;Bold&lt;/b&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("<a ")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
}

TEST_P(ReviewPackHttpTest, StaffOnlyAndNotFound) {
  EXPECT_EQ(Call(Caller::kAdmin, "GET", ListPath()).status, 200);
  EXPECT_EQ(Call(Caller::kAgent, "GET", PackPath()).status, 200);
  EXPECT_EQ(Call(Caller::kSubcontractor, "GET", ListPath()).status, 403);
  EXPECT_EQ(Call(Caller::kSubcontractor, "GET", PackPath()).status, 403);
  EXPECT_EQ(Call(Caller::kAnonymous, "GET", PackPath()).status, 401);
  EXPECT_EQ(Call(Caller::kAgent, "GET", "/api/v1/clients/999999/review-packs").status, 404);
  Reply missing = Call(Caller::kAgent, "GET", "/api/v1/review-packs/999999");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.Header("Content-Type"), "application/problem+json");
  EXPECT_EQ(Call(Caller::kAgent, "GET", "/api/v1/review-packs/abc").status, 400);
}

TEST_P(ReviewPackHttpTest, PackPageKeepsHostileTextAsTextAndTheClientPageLinksToIt) {
  auto [cookie, csrf] = WebSession(Caller::kAgent);
  Reply page = Raw("GET", PagePath(), {{"Cookie", cookie}});
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_THAT(page.body, HasSubstr("Review pack: &lt;b&gt;Bold&lt;/b&gt;"));
  EXPECT_THAT(page.body, HasSubstr("<h2>Requests this year</h2>"));
  EXPECT_THAT(page.body, HasSubstr("&lt;img src=x onerror=alert(1)&gt;"));
  EXPECT_THAT(page.body, Not(HasSubstr("<b>Bold")));
  EXPECT_THAT(page.body, Not(HasSubstr("<img")));
  EXPECT_THAT(page.body, Not(HasSubstr("href=\"https://evil.example")));

  Reply client = Raw("GET", "/clients/" + std::to_string(client_.value), {{"Cookie", cookie}});
  ASSERT_EQ(client.status, 200);
  EXPECT_THAT(client.body, HasSubstr("<h2>Review packs</h2>"));
  EXPECT_THAT(client.body, HasSubstr("href=\"" + PagePath() + "\""));

  // Another client's path, an unknown pack, and a subcontractor.
  EXPECT_EQ(Raw("GET", "/clients/999999/review-packs/" + std::to_string(pack_.value), {{"Cookie", cookie}}).status,
            404);
  EXPECT_EQ(
      Raw("GET", "/clients/" + std::to_string(client_.value) + "/review-packs/999999", {{"Cookie", cookie}}).status,
      404);
  auto [sub_cookie, sub_csrf] = WebSession(Caller::kSubcontractor);
  EXPECT_EQ(Raw("GET", PagePath(), {{"Cookie", sub_cookie}}).status, 403);
}

TEST_P(ReviewPackHttpTest, TheWorkspaceSetsHowManyDaysBefore) {
  Reply read = Call(Caller::kAgent, "GET", "/api/v1/workspace");
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.json["review_pack_days"], 14);
  Reply set = Call(Caller::kOwner, "PATCH", "/api/v1/workspace", R"({"name": "Desk", "review_pack_days": 30})");
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(set.json["review_pack_days"], 30);
  for (const char* bad :
       {R"({"name": "Desk", "review_pack_days": 0})", R"({"name": "Desk", "review_pack_days": 91})"}) {
    Reply refused = Call(Caller::kOwner, "PATCH", "/api/v1/workspace", bad);
    EXPECT_EQ(refused.status, 400) << bad;
    EXPECT_TRUE(refused.json["errors"].contains("review_pack_days")) << refused.body;
  }
  EXPECT_EQ(Call(Caller::kAgent, "GET", "/api/v1/workspace").json["review_pack_days"], 30);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReviewPackHttpTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::http::testing
