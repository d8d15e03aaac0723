// Review packs (app/review_packs.h): made exactly when an annual review enters the window, once
// (a second round, a concurrent round and a restart make nothing), with the right figures for a
// hand-made year, hostile text kept as text, February 29, the notices, a moved review. SQLite and
// PostgreSQL.
#include "app/review_packs.h"

#include <thread>

#include "app/client_reviews.h"
#include "app/promise_settings.h"
#include "app/reports.h"
#include "core/markdown_text.h"
#include "follow_up_fixture.h"
#include "mail/markdown.h"

namespace rapport::app {
namespace {

using namespace std::chrono;

Instant At(int y, unsigned m, unsigned d, int hour, int minute = 0, int second = 0) {
  return Instant(sys_days(year(y) / month(m) / day(d)) + hours(hour) + minutes(minute) + seconds(second));
}

const std::string kHostileName = "Evil [Click](https://evil.example) Co";
const std::string kHostileSubject = "<script>alert(1)</script> [pay here](https://evil.example/pay)";

class ReviewPacksTest : public FollowUpTest {
 protected:
  void SetUp() override {
    FollowUpTest::SetUp();
    if (HasFatalFailure()) return;
    settings_ = std::make_unique<PromiseSettings>(*pool_, clock_);
    BusinessHoursChange hours;
    hours.time_zone = "UTC";
    for (int weekday = 1; weekday <= 5; ++weekday) hours.intervals.push_back({weekday, 9 * 60, 17 * 60});
    Must(settings_->ReplaceBusinessHours(As(owner_), hours), "hours");
    SlaPolicy p;
    p.name = "Standard";
    p.For(Priority::kNormal).first_response = minutes(240);
    Must(settings_->CreatePolicy(As(owner_), p), "policy");
    evil_ = Must(desk().CreateClient(As(owner_),
                                     {.name = kHostileName, .email_domains = std::vector<std::string>{"evil.example"}}),
                 "client");
  }
  void TearDown() override {
    settings_.reset();
    FollowUpTest::TearDown();
  }

  Ticket Open(Instant at, Channel channel, std::string subject = "Invoice question") {
    clock_.Set(at);
    NewTicket t;
    t.subject = std::move(subject);
    t.body_text = "Hello";
    t.channel = channel;
    t.contact.email = "eve@evil.example";
    Ticket made = Must(desk().CreateTicket(As(agent_), t), "create");
    EXPECT_EQ(made.client_id, evil_.id);
    return made;
  }
  void Reply(TicketId id, Instant at) {
    clock_.Set(at);
    Must(desk().AddMessage(As(agent_), id, NewMessage{.kind = MessageKind::kReply, .body_text = "On it"}), "reply");
  }
  void Resolve(TicketId id, Instant at) {
    clock_.Set(at);
    Must(desk().UpdateTicket(As(agent_), id, TicketChanges{.status = TicketStatus::kResolved}), "resolve");
  }
  Meeting SetReview(const std::string& starts_local) {
    ClientReviews reviews(*pool_, clock_);
    ReviewFields f;
    f.starts_local = starts_local;
    f.owner_user_id = agent_.id;
    return Must(reviews.Set(As(admin_), evil_.id, f), "review");
  }
  int Round(Instant now) { return Must(PrepareReviewPacks(*pool_, now), "round"); }
  std::vector<ReviewPack> Packs() { return Must(session().ListReviewPacks(evil_.id, kMaxPageSize), "packs"); }
  std::vector<Notice> PackNotices(const User& u) {
    std::vector<Notice> out;
    for (Notice& n : Must(session().ListNotices(u.id, At(2100, 1, 1, 0), false, kMaxPageSize))) {
      if (n.kind == "review_pack") out.push_back(std::move(n));
    }
    return out;
  }

  std::unique_ptr<PromiseSettings> settings_;
  Client evil_;
};

TEST(YearBefore, SameUtcDateAndTimeAYearEarlierAndFebruary29GoesTo28) {
  EXPECT_EQ(YearBefore(At(2027, 3, 15, 10, 30, 5)), At(2026, 3, 15, 10, 30, 5));
  EXPECT_EQ(YearBefore(At(2028, 2, 29, 10)), At(2027, 2, 28, 10));
  EXPECT_EQ(YearBefore(At(2029, 1, 1, 0)), At(2028, 1, 1, 0));
}

TEST_P(ReviewPacksTest, MadeWhenTheReviewEntersTheWindowOnceWithTheYearsFigures) {
  const Ticket old = Open(At(2026, 2, 10, 10), Channel::kEmail, "Thirteen months ago");  // before the year
  const Ticket t1 = Open(At(2026, 6, 1, 9, 30), Channel::kEmail);
  Reply(t1.id, At(2026, 6, 1, 10));  // 30 min: kept
  Resolve(t1.id, At(2026, 6, 1, 11));
  const Ticket t2 = Open(At(2026, 9, 1, 10), Channel::kPhone, "Phone line down");
  Reply(t2.id, At(2026, 9, 2, 10));                                             // 8 business hours: missed
  const Ticket t3 = Open(At(2027, 1, 12, 10), Channel::kApi, kHostileSubject);  // no answer: missed
  clock_.Set(At(2027, 2, 1, 12));
  const Meeting review = SetReview("2027-03-15T10:00");  // the workspace zone is UTC
  const Instant start = At(2027, 3, 15, 10);

  EXPECT_EQ(Round(At(2027, 3, 1, 9, 59, 59)), 0) << "a second before the 14 days";
  EXPECT_TRUE(Packs().empty());
  const Instant prepared = At(2027, 3, 1, 10);
  EXPECT_EQ(Round(prepared), 1);
  EXPECT_EQ(Round(prepared), 0) << "a second round";
  EXPECT_EQ(Round(At(2027, 3, 10, 8)), 0) << "a later round (a restart reads the store only)";

  const std::vector<ReviewPack> packs = Packs();
  ASSERT_EQ(packs.size(), 1u);
  EXPECT_EQ(packs[0].meeting_id, review.id);
  EXPECT_EQ(packs[0].meeting_at, start);
  EXPECT_EQ(packs[0].created_at, prepared);

  // The figures, gathered again at the same instant (nothing changed since).
  ReviewPackFacts f = Must(GatherReviewPack(session(), review, start, prepared));
  EXPECT_EQ(f.client_name, kHostileName);
  EXPECT_EQ(f.owner_name, agent_.name);
  EXPECT_EQ(f.year_from, At(2026, 3, 15, 10));
  const std::vector<std::pair<Channel, std::int64_t>> by_channel = {
      {Channel::kEmail, 1}, {Channel::kPhone, 1}, {Channel::kApi, 1}};
  EXPECT_EQ(f.requests_by_channel, by_channel) << "the ticket from 13 months ago is not counted";
  EXPECT_EQ(f.requests_open, 2);
  EXPECT_EQ(f.year.tickets, 3);
  EXPECT_EQ(f.year.first_response_attainment.kept, 1);
  EXPECT_EQ(f.year.first_response_attainment.missed, 2);
  const PromiseReport report = Must(ComputePromiseReport(session(), f.year_from, start, prepared, evil_.id));
  EXPECT_EQ(f.year.first_response.median, report.overall.first_response.median);
  EXPECT_EQ(f.year.overall_attainment.kept, report.overall.overall_attainment.kept);
  ASSERT_EQ(f.open_matters_total, 3) << "open matters are all open tickets, whatever their age";
  ASSERT_EQ(f.open_matters.size(), 3u);
  EXPECT_EQ(f.open_matters[0].number, old.number) << "due first";
  EXPECT_EQ(f.open_matters[0].promise, SlaState::kBreached);
  EXPECT_EQ(f.open_matters[1].number, t3.number);
  EXPECT_EQ(f.open_matters[2].number, t2.number) << "no running promise: last";

  const std::string& body = packs[0].body;
  EXPECT_EQ(body, RenderReviewPack(f));
  EXPECT_NE(body.find("3 requests: 1 resolved or closed, 2 still open."), std::string::npos) << body;
  EXPECT_NE(body.find("- phone: 1\n"), std::string::npos) << body;
  EXPECT_NE(body.find("- First-response promises: 1 kept, 2 missed (33.3% kept)"), std::string::npos) << body;
  EXPECT_NE(body.find("First response time: median 30 min"), std::string::npos) << body;
  EXPECT_NE(body.find("Not tracked yet"), std::string::npos) << body;
  EXPECT_NE(body.find("#" + std::to_string(old.number) + " Thirteen months ago - new, promise breached, due"),
            std::string::npos)
      << body;

  // Hostile text stays text: escaped in the Markdown, no link or tag once rendered.
  EXPECT_NE(body.find(EscapeMarkdownText(kHostileName)), std::string::npos);
  EXPECT_NE(body.find(EscapeMarkdownText(kHostileSubject)), std::string::npos);
  const std::string html = mail::RenderMarkdown(body);
  EXPECT_EQ(html.find("<a"), std::string::npos) << html;
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_NE(html.find("evil.example"), std::string::npos) << html;

  // The notices: the meeting's owner and the workspace's owner, once each; not the admin.
  const std::string key = "review_pack:" + std::to_string(review.id.value) + "@" + std::to_string(ToUnix(start));
  for (const User* u : {&agent_, &owner_}) {
    const std::vector<Notice> got = PackNotices(*u);
    ASSERT_EQ(got.size(), 1u) << u->name;
    EXPECT_EQ(got[0].dedup_key, key);
    EXPECT_EQ(got[0].client_id, evil_.id);
    EXPECT_EQ(got[0].title.rfind("Review pack ready: " + kHostileName + " annual review on ", 0), 0u) << got[0].title;
  }
  EXPECT_TRUE(PackNotices(admin_).empty());
}

TEST_P(ReviewPacksTest, ConcurrentRoundsMakeOnePack) {
  clock_.Set(At(2027, 2, 1, 12));
  SetReview("2027-03-15T10:00");
  const Instant now = At(2027, 3, 2, 10);
  Result<int> a = 0, b = 0;
  std::thread other([&] { a = PrepareReviewPacks(*pool_, now); });
  b = PrepareReviewPacks(*pool_, now);
  other.join();
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(*a + *b, 1);
  EXPECT_EQ(Packs().size(), 1u);
  EXPECT_EQ(PackNotices(owner_).size(), 1u);
}

TEST_P(ReviewPacksTest, AFebruary29ReviewLooksBackToFebruary28AndSkipsCommonYears) {
  clock_.Set(At(2027, 12, 1, 12));
  SetReview("2028-02-29T10:00");
  Open(At(2027, 2, 28, 9, 59), Channel::kEmail, "Just before the year");
  Open(At(2027, 2, 28, 10), Channel::kSms, "First of the year");
  EXPECT_EQ(Round(At(2028, 2, 15, 9, 59, 59)), 0);
  EXPECT_EQ(Round(At(2028, 2, 15, 10)), 1);
  std::vector<ReviewPack> packs = Packs();
  ASSERT_EQ(packs.size(), 1u);
  EXPECT_EQ(packs[0].meeting_at, At(2028, 2, 29, 10));
  EXPECT_NE(packs[0].body.find("1 request: 0 resolved or closed, 1 still open."), std::string::npos) << packs[0].body;
  EXPECT_NE(packs[0].body.find("- sms: 1\n"), std::string::npos) << packs[0].body;
  EXPECT_EQ(packs[0].body.find("- email:"), std::string::npos) << "one minute before the year";
  EXPECT_EQ(Round(At(2029, 2, 20, 10)), 0) << "2029 has no February 29";
  EXPECT_EQ(Round(At(2032, 2, 15, 10)), 1);
}

TEST_P(ReviewPacksTest, AMovedReviewGetsANewPackAndTheOldOneStays) {
  clock_.Set(At(2027, 2, 1, 12));
  const Meeting review = SetReview("2027-03-15T10:00");
  EXPECT_EQ(Round(At(2027, 3, 1, 10)), 1);
  const ReviewPack first = Packs().at(0);
  clock_.Set(At(2027, 3, 2, 12));
  SetReview("2027-03-20T10:00");
  EXPECT_EQ(Round(At(2027, 3, 6, 9, 59, 59)), 0);
  EXPECT_EQ(Round(At(2027, 3, 6, 10)), 1);
  const std::vector<ReviewPack> packs = Packs();
  ASSERT_EQ(packs.size(), 2u);
  EXPECT_EQ(packs[0].meeting_at, At(2027, 3, 20, 10)) << "the latest meeting first";
  EXPECT_EQ(packs[0].meeting_id, review.id);
  EXPECT_EQ(packs[1].id, first.id);
  EXPECT_EQ(packs[1].body, first.body);
  EXPECT_EQ(PackNotices(agent_).size(), 2u);
}

TEST_P(ReviewPacksTest, StaffReadPacksSubcontractorsDoNot) {
  clock_.Set(At(2027, 2, 1, 12));
  SetReview("2027-03-15T10:00");
  EXPECT_EQ(Round(At(2027, 3, 1, 10)), 1);
  ReviewPacks packs(*pool_);
  for (const User* u : {&owner_, &admin_, &agent_}) {
    const std::vector<ReviewPack> listed = Must(packs.List(As(*u), evil_.id));
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(Must(packs.Get(As(*u), listed[0].id)).body, listed[0].body);
  }
  const ReviewPackId id = Packs().at(0).id;
  EXPECT_EQ(packs.List(As(sub_), evil_.id).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(packs.Get(As(sub_), id).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(packs.List(As(owner_), ClientId(999999)).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(packs.Get(As(owner_), ReviewPackId(999999)).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(Must(packs.List(As(owner_), client_.id)).empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, ReviewPacksTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::app
