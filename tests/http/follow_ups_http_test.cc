// Follow-ups over HTTP: the reminders and notices API, the pages, and the calendar feed fetched
// anonymously and read back with an independent iCalendar parser (python3-icalendar).

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <regex>

#include <unistd.h>

#include "app/client_reviews.h"
#include "app/reminders.h"
#include "http_fixture.h"

namespace rapport::http::testing {
namespace {

using nlohmann::json;

std::string TestsDir() {
  if (const char* src = std::getenv("RAPPORT_SOURCE_DIR"); src != nullptr && *src != '\0') {
    return std::string(src) + "/tests";
  }
  return RAPPORT_TESTS_DIR;
}

// Runs a command and returns its exit code and standard output.
std::pair<int, std::string> RunCommand(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return {-1, out};
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

class FollowUpsHttpTest : public HttpTest {
 protected:
  std::string Form(const std::string& csrf, const std::string& rest = "") {
    return "csrf_token=" + httplib::detail::encode_query_param(csrf) + (rest.empty() ? "" : "&" + rest);
  }

  // Makes the owner's feed through the profile page and returns the path of its URL.
  std::string NewFeedPath() {
    auto [cookie, csrf] = WebSession(Caller::kOwner);
    Reply made = Raw("POST", "/profile/calendar-feed", {{"Cookie", cookie}}, Form(csrf),
                     "application/x-www-form-urlencoded");
    EXPECT_EQ(made.status, 200) << made.body;
    std::smatch m;
    const std::regex url(R"re(value="http://[^/"]+(/calendar/[A-Za-z0-9_-]{43}\.ics)")re");
    if (!std::regex_search(made.body, m, url)) {
      ADD_FAILURE() << "no feed URL on the page";
      return "";
    }
    return m[1];
  }

  // The feed's events as python3-icalendar reads them. Without the parser the test fails rather than
  // skips: the independent read-back is the point (deps/apt.txt installs it for `make test`).
  json Parse(const std::string& ics) {
    const std::string path = ::testing::TempDir() + "/feed-" + std::to_string(::getpid()) + ".ics";
    std::ofstream(path, std::ios::binary) << ics;
    // Debian's interpreter, which python3-icalendar installs into (a python3 earlier on PATH, such as
    // a pyenv shim, does not see Debian's packages).
    const std::string python = ::access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
    auto [code, out] = RunCommand(python + " " + TestsDir() + "/http/ical_to_json.py " + path);
    std::remove(path.c_str());
    if (code == 3) {
      ADD_FAILURE() << "python3-icalendar is not installed for " << python
                    << " (deps/apt.txt lists it; scripts/install-deps installs it)";
      return json();
    }
    EXPECT_EQ(code, 0) << out;
    json parsed = json::parse(out, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << out;
    return parsed;
  }
};

TEST_P(FollowUpsHttpTest, RemindersApiCreatesListsSnoozesFinishesAndDeletes) {
  json ticket = CreateTicket({{"subject", "Quote"}, {"body", "b"}, {"contact", {{"email", "q@q.example"}}}});
  const std::int64_t ticket_id = ticket["id"];
  // Wednesday 2026-11-18 11:06:40 UTC, default hours Monday-Friday 09:00-17:00 UTC.
  Reply made = Call(Caller::kAgent, "POST", "/api/v1/reminders",
                    json{{"ticket_id", ticket_id}, {"in_business_days", 2}, {"note", "call back"}}.dump());
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(made.json["due_at"], "2026-11-20T11:06:40Z");
  EXPECT_EQ(made.json["ticket_id"], ticket_id);
  EXPECT_EQ(made.json["title"], "#" + std::to_string(ticket["number"].get<std::int64_t>()) + " Quote");
  const std::string path = "/api/v1/reminders/" + std::to_string(made.json["id"].get<std::int64_t>());
  EXPECT_EQ(made.Header("Location"), path);

  Reply both = Call(Caller::kAgent, "POST", "/api/v1/reminders",
                    json{{"ticket_id", ticket_id}, {"in_business_days", 2}, {"due_at", "2026-12-01T10:00:00Z"}}.dump());
  EXPECT_EQ(both.status, 400) << both.body;
  Reply unknown = Call(Caller::kAgent, "POST", "/api/v1/reminders", json{{"title", "x"}, {"in_days", 2}}.dump());
  EXPECT_EQ(unknown.status, 400);
  Reply hidden = Call(Caller::kSubcontractor, "POST", "/api/v1/reminders",
                      json{{"ticket_id", ticket_id}, {"in_business_hours", 2}}.dump());
  EXPECT_EQ(hidden.status, 404) << "a subcontractor cannot remind on a ticket they do not see";

  Reply mine = Call(Caller::kAgent, "GET", "/api/v1/reminders");
  ASSERT_EQ(mine.status, 200);
  ASSERT_EQ(mine.json["items"].size(), 1u);
  EXPECT_EQ(Call(Caller::kOwner, "GET", "/api/v1/reminders").json["items"].size(), 0u);
  EXPECT_EQ(Call(Caller::kOwner, "GET", "/api/v1/reminders?scope=all").json["items"].size(), 1u);
  EXPECT_EQ(Call(Caller::kAgent, "GET", "/api/v1/reminders?scope=all").status, 403);

  Reply other = Call(Caller::kSubcontractor, "PATCH", path, json{{"done", true}}.dump());
  EXPECT_EQ(other.status, 404);
  Reply snoozed = Call(Caller::kAgent, "PATCH", path, json{{"in_business_hours", 3}}.dump());
  ASSERT_EQ(snoozed.status, 200) << snoozed.body;
  EXPECT_EQ(snoozed.json["due_at"], "2026-11-18T14:06:40Z");
  Reply done = Call(Caller::kAgent, "PATCH", path, json{{"done", true}}.dump());
  ASSERT_EQ(done.status, 200);
  EXPECT_EQ(done.json["done_at"], "2026-11-18T11:06:40Z");
  EXPECT_EQ(Call(Caller::kAgent, "GET", "/api/v1/reminders").json["items"].size(), 0u);
  EXPECT_EQ(Call(Caller::kAgent, "GET", "/api/v1/reminders?include_done=true").json["items"].size(), 1u);
  EXPECT_EQ(Call(Caller::kAgent, "DELETE", path).status, 204);
  EXPECT_EQ(Call(Caller::kAgent, "DELETE", path).status, 404);
}

TEST_P(FollowUpsHttpTest, DueReminderShowsAsANoticeInTheApiAndThePages) {
  auto owner = pool().Acquire();
  ASSERT_TRUE(owner.ok());
  User u = *(*owner)->GetUser(user_id(Caller::kOwner));
  u.on_call = true;
  ASSERT_TRUE((*owner)->UpdateUser(u).ok());
  Reply made = Call(Caller::kOwner, "POST", "/api/v1/reminders",
                    json{{"title", "Renew <the> contract"}, {"due_at", "2026-11-18T11:00:00Z"}}.dump());
  ASSERT_EQ(made.status, 201) << made.body;
  auto delivered = app::DeliverDueReminders(pool(), clock().Now());
  ASSERT_TRUE(delivered.ok());
  EXPECT_EQ(*delivered, 1);

  Reply list = Call(Caller::kOwner, "GET", "/api/v1/notices");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json["unread_count"], 1);
  ASSERT_EQ(list.json["items"].size(), 1u);
  EXPECT_EQ(list.json["items"][0]["title"], "Reminder: Renew <the> contract");
  const std::string read = "/api/v1/notices/" + std::to_string(list.json["items"][0]["id"].get<std::int64_t>()) + "/read";

  auto [cookie, csrf] = WebSession(Caller::kOwner);
  Reply badge = Raw("GET", "/notices/badge", {{"Cookie", cookie}, {"HX-Request", "true"}});
  EXPECT_EQ(badge.status, 200);
  EXPECT_NE(badge.body.find("data-notice-count=\"1\""), std::string::npos) << badge.body;
  Reply page = Raw("GET", "/notices", {{"Cookie", cookie}});
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Reminder: Renew &lt;the&gt; contract"), std::string::npos) << "escaped";
  EXPECT_EQ(page.body.find("<the>"), std::string::npos);

  EXPECT_EQ(Call(Caller::kAgent, "POST", read).status, 404) << "not the agent's notice";
  EXPECT_EQ(Call(Caller::kOwner, "POST", read).status, 204);
  EXPECT_EQ(Call(Caller::kOwner, "GET", "/api/v1/notices").json["unread_count"], 0);
  Reply empty_badge = Raw("GET", "/notices/badge", {{"Cookie", cookie}, {"HX-Request", "true"}});
  EXPECT_EQ(empty_badge.body.find("data-notice-count"), std::string::npos);
}

TEST_P(FollowUpsHttpTest, RemindersPageFormsNeedTheCsrfToken) {
  auto [cookie, csrf] = WebSession(Caller::kAgent);
  const std::string form = "title=Call+Bob&unit=business_hours&amount=2";
  Reply refused = Raw("POST", "/reminders", {{"Cookie", cookie}}, form, "application/x-www-form-urlencoded");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(Call(Caller::kAgent, "GET", "/api/v1/reminders").json["items"].size(), 0u);
  Reply ok = Raw("POST", "/reminders", {{"Cookie", cookie}}, Form(csrf, form), "application/x-www-form-urlencoded");
  EXPECT_EQ(ok.status, 303);
  Reply page = Raw("GET", "/reminders", {{"Cookie", cookie}});
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Call Bob"), std::string::npos);
  Reply at = Raw("POST", "/reminders", {{"Cookie", cookie}},
                 Form(csrf, "title=Local&unit=at&at=2026-11-19T09%3A30"), "application/x-www-form-urlencoded");
  EXPECT_EQ(at.status, 303);
  auto items = Call(Caller::kAgent, "GET", "/api/v1/reminders").json["items"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[1]["due_at"], "2026-11-19T09:30:00Z") << "the agent's zone is UTC";
}

// The web forms answer a success with a redirect to a page that words it (?done=<keyword>, never free
// text in the URL) and a mistake with the same page again, 400, saying what was wrong.
TEST_P(FollowUpsHttpTest, WebFollowUpFormsRedirectWithAKeywordOrShowTheFormAgain) {
  auto [cookie, csrf] = WebSession(Caller::kAgent);
  const httplib::Headers as_agent = {{"Cookie", cookie}};
  const std::string form_type = "application/x-www-form-urlencoded";
  Reply set = Raw("POST", "/reminders", as_agent, Form(csrf, "title=Call+Bob&unit=business_hours&amount=2"), form_type);
  ASSERT_EQ(set.status, 303);
  EXPECT_EQ(set.Header("Location"), "/reminders?done=set");
  EXPECT_NE(Raw("GET", "/reminders?done=set", as_agent).body.find("Reminder set."), std::string::npos);
  json items = Call(Caller::kAgent, "GET", "/api/v1/reminders").json["items"];
  ASSERT_EQ(items.size(), 1u);
  const std::string path = "/reminders/" + std::to_string(items[0]["id"].get<std::int64_t>());
  const std::string due = items[0]["due_at"];

  Reply bad = Raw("POST", path + "/snooze", as_agent, Form(csrf, "unit=business_hours&amount=soon"), form_type);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("must be a whole number from 1 to"), std::string::npos) << bad.body;
  EXPECT_EQ(Call(Caller::kAgent, "GET", "/api/v1/reminders").json["items"][0]["due_at"], due) << "nothing changed";
  Reply snoozed = Raw("POST", path + "/snooze", as_agent, Form(csrf, "unit=business_hours&amount=3"), form_type);
  ASSERT_EQ(snoozed.status, 303);
  EXPECT_EQ(snoozed.Header("Location"), "/reminders?done=snoozed");
  EXPECT_NE(Call(Caller::kAgent, "GET", "/api/v1/reminders").json["items"][0]["due_at"], due);
  Reply done = Raw("POST", path + "/done", as_agent, Form(csrf), form_type);
  ASSERT_EQ(done.status, 303);
  EXPECT_EQ(done.Header("Location"), "/reminders?done=done");
  EXPECT_NE(Raw("GET", "/reminders?done=done", as_agent).body.find("Reminder done."), std::string::npos);
  Reply deleted = Raw("POST", path + "/delete", as_agent, Form(csrf), form_type);
  ASSERT_EQ(deleted.status, 303);
  EXPECT_EQ(deleted.Header("Location"), "/reminders?done=deleted");
  EXPECT_EQ(Raw("POST", path + "/delete", as_agent, Form(csrf), form_type).status, 404);

  // From a ticket page: success returns there; a mistake shows the ticket page with the error.
  json ticket = CreateTicket({{"subject", "Toner"}, {"body", "b"}, {"contact", {{"email", "t@t.example"}}}});
  const std::string ticket_id = std::to_string(ticket["id"].get<std::int64_t>());
  Reply wrong = Raw("POST", "/reminders", as_agent,
                    Form(csrf, "ticket_id=" + ticket_id + "&unit=business_days&amount=0"), form_type);
  EXPECT_EQ(wrong.status, 400);
  EXPECT_NE(wrong.body.find("Reminder not set"), std::string::npos) << wrong.body;
  EXPECT_NE(wrong.body.find("Toner"), std::string::npos) << "the ticket page";
  Reply on_ticket = Raw("POST", "/reminders", as_agent,
                        Form(csrf, "ticket_id=" + ticket_id + "&unit=business_days&amount=2"), form_type);
  ASSERT_EQ(on_ticket.status, 303);
  EXPECT_EQ(on_ticket.Header("Location"), "/tickets/" + ticket_id);

  // The client page's forms: the annual review, its plan and its zone.
  Reply client = Call(Caller::kOwner, "POST", "/api/v1/clients", json{{"name", "Acme"}}.dump());
  ASSERT_EQ(client.status, 201);
  const std::string client_path = "/clients/" + std::to_string(client.json["id"].get<std::int64_t>());
  Reply no_length = Raw("POST", client_path + "/review", as_agent,
                        Form(csrf, "starts_local=2027-03-15T10%3A00&duration_minutes=long"), form_type);
  EXPECT_EQ(no_length.status, 400);
  EXPECT_NE(no_length.body.find("must be a whole number of minutes"), std::string::npos) << no_length.body;
  EXPECT_NE(no_length.body.find("Acme"), std::string::npos) << "the client page";
  Reply review = Raw("POST", client_path + "/review", as_agent,
                     Form(csrf, "starts_local=2027-03-15T10%3A00&duration_minutes=90"), form_type);
  ASSERT_EQ(review.status, 303);
  EXPECT_EQ(review.Header("Location"), client_path);
  Reply cleared = Raw("POST", client_path + "/review/clear", as_agent, Form(csrf), form_type);
  ASSERT_EQ(cleared.status, 303);
  EXPECT_EQ(cleared.Header("Location"), client_path);
  Reply plan = Raw("POST", client_path + "/plan", as_agent, Form(csrf, "plan=premium"), form_type);
  ASSERT_EQ(plan.status, 303);
  EXPECT_EQ(Call(Caller::kOwner, "GET", "/api/v1" + client_path).json["plan"], "premium");
  Reply zone = Raw("POST", client_path + "/time-zone", as_agent, Form(csrf, "time_zone=Mars%2FOlympus"), form_type);
  EXPECT_EQ(zone.status, 400);
  EXPECT_NE(zone.body.find("alert-error"), std::string::npos) << zone.body;
  EXPECT_EQ(Call(Caller::kOwner, "GET", "/api/v1" + client_path).json["time_zone"], "") << "nothing saved";
}

TEST_P(FollowUpsHttpTest, TheCalendarFeedReadsBackWithAnIndependentParser) {
  json ticket = CreateTicket({{"subject", "Printer"}, {"body", "b"}, {"contact", {{"email", "p@p.example"}}}});
  const std::int64_t ticket_id = ticket["id"];
  // A long title with multi-byte characters and TEXT specials forces escaping and folding.
  const std::string title = "Rappeler Zoë; devis, «été» \\ ✓ " + std::string(40, 'x') + " 日本語のテキスト";
  Reply made = Call(Caller::kOwner, "POST", "/api/v1/reminders",
                    json{{"ticket_id", ticket_id}, {"title", title}, {"note", "line one\nline two"},
                         {"due_at", "2026-11-25T10:00:00Z"}}.dump());
  ASSERT_EQ(made.status, 201) << made.body;
  const std::int64_t reminder_id = made.json["id"];
  Reply client = Call(Caller::kOwner, "POST", "/api/v1/clients", json{{"name", "Acme, Inc."}}.dump());
  ASSERT_EQ(client.status, 201);
  app::ClientReviews reviews(pool(), clock());
  app::ReviewFields review;
  review.starts_local = "2027-03-15T10:00";
  review.duration_minutes = 90;
  auto set = reviews.Set(actor(Caller::kOwner), ClientId(client.json["id"].get<std::int64_t>()), review);
  ASSERT_TRUE(set.ok()) << set.status().ToString();

  const std::string feed = NewFeedPath();
  ASSERT_FALSE(feed.empty());
  Reply got = Call(Caller::kAnonymous, "GET", feed);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.Header("Content-Type"), "text/calendar; charset=utf-8");
  EXPECT_EQ(got.Header("Cache-Control"), "no-store");
  for (std::size_t start = 0; start < got.body.size();) {
    std::size_t end = got.body.find("\r\n", start);
    ASSERT_NE(end, std::string::npos) << "every line ends with CRLF";
    EXPECT_LE(end - start, 75u) << got.body.substr(start, end - start);
    start = end + 2;
  }

  json parsed = Parse(got.body);
  ASSERT_TRUE(parsed.is_object());
  EXPECT_EQ(parsed["version"], "2.0");
  ASSERT_EQ(parsed["events"].size(), 2u) << parsed.dump();
  const json& r = parsed["events"][0];
  // The UIDs name the feed, not the address it was fetched by.
  const std::string uid = r["uid"];
  std::smatch uid_parts;
  ASSERT_TRUE(std::regex_match(uid, uid_parts, std::regex("reminder-" + std::to_string(reminder_id) +
                                                          "(-[0-9a-f]{16}@rapport)")))
      << uid;
  EXPECT_EQ(r["summary"], "Reminder: " + title);
  EXPECT_EQ(r["description"], "line one\nline two");
  EXPECT_EQ(r["start"], "2026-11-25T10:00:00+00:00");
  EXPECT_EQ(r["end"], "2026-11-25T10:15:00+00:00");
  EXPECT_EQ(r["stamp"], "2026-11-18T11:06:40+00:00");
  EXPECT_EQ(r["url"], "http://127.0.0.1:" + std::to_string(running_port()) + "/tickets/" + std::to_string(ticket_id));
  EXPECT_TRUE(r["freq"].empty());
  const json& m = parsed["events"][1];
  EXPECT_EQ(m["summary"], "Annual review: Acme, Inc.");
  EXPECT_EQ(m["description"], "Client: Acme, Inc.");
  EXPECT_EQ(m["start"], "2027-03-15T10:00:00+00:00");
  EXPECT_EQ(m["end"], "2027-03-15T11:30:00+00:00");
  EXPECT_EQ(m["freq"], json::array({"YEARLY"}));
  EXPECT_EQ(m["uid"], "meeting-" + std::to_string(set->id.value) + uid_parts[1].str());

  // The UIDs stay the same from one fetch to the next, and through another address for the server.
  json again = Parse(Call(Caller::kAnonymous, "GET", feed, "", {{"Host", "desk.lan:8080"}}).body);
  ASSERT_EQ(again["events"].size(), 2u) << again.dump();
  EXPECT_EQ(again["events"][0]["uid"], r["uid"]);
  EXPECT_EQ(again["events"][1]["uid"], m["uid"]);
  EXPECT_EQ(again["events"][0]["url"], "http://desk.lan:8080/tickets/" + std::to_string(ticket_id))
      << "links do follow the address the feed was fetched by";
}

TEST_P(FollowUpsHttpTest, WrongAndRevokedTokensLookLikeNothing) {
  const std::string feed = NewFeedPath();
  ASSERT_FALSE(feed.empty());
  ASSERT_EQ(Call(Caller::kAnonymous, "GET", feed).status, 200);
  Reply wrong = Call(Caller::kAnonymous, "GET", "/calendar/" + std::string(43, 'A') + ".ics");
  EXPECT_EQ(wrong.status, 404);
  Reply junk = Call(Caller::kAnonymous, "GET", "/calendar/nothing");
  EXPECT_EQ(junk.status, 404);
  EXPECT_EQ(junk.body, wrong.body);

  const std::string renewed = NewFeedPath();
  EXPECT_NE(renewed, feed);
  Reply old = Call(Caller::kAnonymous, "GET", feed);
  EXPECT_EQ(old.status, 404) << "a new address revokes the old one";
  EXPECT_EQ(old.body, wrong.body) << "and says nothing about it";
  EXPECT_EQ(Call(Caller::kAnonymous, "GET", renewed).status, 200);

  auto [cookie, csrf] = WebSession(Caller::kOwner);
  Reply off = Raw("POST", "/profile/calendar-feed/revoke", {{"Cookie", cookie}}, Form(csrf),
                  "application/x-www-form-urlencoded");
  EXPECT_EQ(off.status, 303);
  EXPECT_EQ(Call(Caller::kAnonymous, "GET", renewed).status, 404);
}

TEST_P(FollowUpsHttpTest, GuessingFeedTokensIsRateLimited) {
  int limited = 0;
  for (int i = 0; i < 25; ++i) {
    Reply r = Call(Caller::kAnonymous, "GET", "/calendar/" + std::string(42, 'B') + std::to_string(i % 10) + ".ics");
    if (r.status == 429) {
      ++limited;
    } else {
      EXPECT_EQ(r.status, 404);
    }
  }
  EXPECT_EQ(limited, 5) << "20 wrong tokens per address in 15 minutes, then 429";
}

INSTANTIATE_TEST_SUITE_P(Backends, FollowUpsHttpTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::http::testing
