// /api/v1/business-hours, /holidays and /sla-policies end to end on SQLite and PostgreSQL, with a
// client's plan and a person's on-call flag: round trips, the role walk (every role reads, only owners
// and admins write), bad input (400 with field errors, nothing changed) and Idempotency-Key replays;
// the settings pages' delete, on-call and Follow-ups forms.
#include "http_fixture.h"

namespace rapport::http::testing {
namespace {

using nlohmann::json;

json LunchBreakHours() {
  json intervals = json::array();
  for (int day = 1; day <= 5; ++day) {
    intervals.push_back({{"weekday", day}, {"start", "09:00"}, {"end", "12:30"}});
    intervals.push_back({{"weekday", day}, {"start", "13:30"}, {"end", "17:30"}});
  }
  return {{"time_zone", "Europe/Paris"}, {"intervals", intervals}};
}

json PremiumPolicy() {
  return {{"name", "Premium"},
          {"plan", "Premium"},
          {"warning_percent", 80},
          {"targets",
           {{"normal", {{"first_response_minutes", 120}, {"next_response_minutes", 240}, {"resolution_minutes", 960}}},
            {"urgent", {{"first_response_minutes", 30}, {"next_response_minutes", nullptr}}}}}};
}

class PromiseApiTest : public HttpTest {};

TEST_P(PromiseApiTest, BusinessHoursRoundTrip) {
  Reply before = Call(Caller::kAgent, "GET", "/api/v1/business-hours");
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_EQ(before.json["is_default"], true);
  EXPECT_EQ(before.json["intervals"].size(), 5u);
  EXPECT_EQ(before.json["intervals"][0], (json{{"weekday", 1}, {"start", "09:00"}, {"end", "17:00"}}));

  Reply put = Call(Caller::kOwner, "PUT", "/api/v1/business-hours", LunchBreakHours().dump());
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.json["is_default"], false);
  EXPECT_EQ(put.json["time_zone"], "Europe/Paris");
  ASSERT_EQ(put.json["intervals"].size(), 10u);
  EXPECT_EQ(put.json["intervals"][1], (json{{"weekday", 1}, {"start", "13:30"}, {"end", "17:30"}}));

  Reply after = Call(Caller::kSubcontractor, "GET", "/api/v1/business-hours");
  EXPECT_EQ(after.json, put.json);
  EXPECT_EQ(Call(Caller::kAgent, "GET", "/api/v1/workspace").json["time_zone"], "Europe/Paris");

  // Overnight and whole-day intervals; the zone left out stays.
  json night = {{"intervals", {{{"weekday", 5}, {"start", "22:00"}, {"end", "06:00"}},
                               {{"weekday", 6}, {"start", "00:00"}, {"end", "24:00"}}}}};
  Reply overnight = Call(Caller::kAdmin, "PUT", "/api/v1/business-hours", night.dump());
  ASSERT_EQ(overnight.status, 200) << overnight.body;
  EXPECT_EQ(overnight.json["time_zone"], "Europe/Paris");
  EXPECT_EQ(overnight.json["intervals"][0]["end"], "06:00");
  EXPECT_EQ(overnight.json["intervals"][1]["end"], "24:00");
}

TEST_P(PromiseApiTest, BadHoursAre400WithFieldErrorsAndChangeNothing) {
  ASSERT_EQ(Call(Caller::kOwner, "PUT", "/api/v1/business-hours", LunchBreakHours().dump()).status, 200);
  const json stored = Call(Caller::kOwner, "GET", "/api/v1/business-hours").json;
  struct Case {
    json body;
    const char* field;
  };
  const std::vector<Case> cases = {
      {{{"intervals", {{{"weekday", 1}, {"start", "9am"}, {"end", "17:00"}}}}}, "intervals[0].start"},
      {{{"intervals", {{{"weekday", 1}, {"start", "09:00"}, {"end", "25:00"}}}}}, "intervals[0].end"},
      {{{"intervals", {{{"weekday", 1}, {"start", "09:00"}}}}}, "intervals[0].end"},
      {{{"intervals", {{{"weekday", 7}, {"start", "09:00"}, {"end", "17:00"}}}}}, "intervals"},
      {{{"intervals", {{{"weekday", 1}, {"start", "09:00"}, {"end", "09:00"}}}}}, "intervals"},
      {{{"intervals", json::array()}, {"time_zone", "Mars/Olympus"}}, "time_zone"},
      {{{"time_zone", "UTC"}}, "intervals"},
      {{{"intervals", json::array()}, {"colour", "red"}}, "colour"},
  };
  for (const Case& c : cases) {
    Reply r = Call(Caller::kOwner, "PUT", "/api/v1/business-hours", c.body.dump());
    EXPECT_EQ(r.status, 400) << c.body << " -> " << r.body;
    EXPECT_EQ(r.Header("Content-Type").rfind("application/problem+json", 0), 0u) << r.Header("Content-Type");
    EXPECT_TRUE(r.json["errors"].contains(c.field)) << c.body << " -> " << r.body;
  }
  EXPECT_EQ(Call(Caller::kOwner, "GET", "/api/v1/business-hours").json, stored);
}

TEST_P(PromiseApiTest, HolidaysRoundTrip) {
  Reply yearly = Call(Caller::kOwner, "POST", "/api/v1/holidays", json{{"month", 12}, {"day", 25}, {"name", "Christmas"}}.dump());
  ASSERT_EQ(yearly.status, 201) << yearly.body;
  EXPECT_TRUE(yearly.json["year"].is_null());
  const std::string id = std::to_string(yearly.json["id"].get<std::int64_t>());
  EXPECT_EQ(yearly.Header("Location"), "/api/v1/holidays/" + id);
  Reply once = Call(Caller::kAdmin, "POST", "/api/v1/holidays",
                    json{{"year", 2026}, {"month", 12}, {"day", 24}, {"name", "Christmas Eve"}}.dump());
  ASSERT_EQ(once.status, 201) << once.body;

  Reply dup = Call(Caller::kOwner, "POST", "/api/v1/holidays", json{{"month", 12}, {"day", 25}, {"name", "X"}}.dump());
  EXPECT_EQ(dup.status, 409) << dup.body;
  EXPECT_TRUE(dup.json["errors"].contains("date")) << dup.body;
  Reply bad = Call(Caller::kOwner, "POST", "/api/v1/holidays",
                   json{{"year", 2027}, {"month", 2}, {"day", 29}, {"name", ""}}.dump());
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(bad.json["errors"].contains("day")) << bad.body;
  EXPECT_TRUE(bad.json["errors"].contains("name")) << bad.body;
  Reply missing = Call(Caller::kOwner, "POST", "/api/v1/holidays", json{{"name", "When?"}}.dump());
  EXPECT_EQ(missing.status, 400);
  EXPECT_TRUE(missing.json["errors"].contains("month")) << missing.body;

  Reply list = Call(Caller::kAgent, "GET", "/api/v1/holidays");
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.json["items"].size(), 2u);
  EXPECT_EQ(list.json["items"][0]["name"], "Christmas") << "yearly ones first";
  EXPECT_EQ(list.json["items"][1]["year"], 2026);

  EXPECT_EQ(Call(Caller::kOwner, "DELETE", "/api/v1/holidays/" + id).status, 204);
  EXPECT_EQ(Call(Caller::kOwner, "DELETE", "/api/v1/holidays/" + id).status, 404);
  EXPECT_EQ(Call(Caller::kOwner, "GET", "/api/v1/holidays").json["items"].size(), 1u);
}

TEST_P(PromiseApiTest, PoliciesRoundTrip) {
  Reply made = Call(Caller::kOwner, "POST", "/api/v1/sla-policies", PremiumPolicy().dump());
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string id = std::to_string(made.json["id"].get<std::int64_t>());
  EXPECT_EQ(made.Header("Location"), "/api/v1/sla-policies/" + id);
  EXPECT_EQ(made.json["plan"], "premium");
  EXPECT_EQ(made.json["warning_percent"], 80);
  EXPECT_EQ(made.json["targets"]["normal"]["resolution_minutes"], 960);
  EXPECT_EQ(made.json["targets"]["urgent"]["first_response_minutes"], 30);
  EXPECT_TRUE(made.json["targets"]["urgent"]["next_response_minutes"].is_null());
  EXPECT_TRUE(made.json["targets"]["low"]["first_response_minutes"].is_null());

  Reply standard = Call(Caller::kAdmin, "POST", "/api/v1/sla-policies", json{{"name", "Standard"}}.dump());
  ASSERT_EQ(standard.status, 201) << standard.body;
  EXPECT_EQ(standard.json["plan"], "");
  EXPECT_EQ(standard.json["warning_percent"], 75);

  Reply list = Call(Caller::kAgent, "GET", "/api/v1/sla-policies");
  ASSERT_EQ(list.json["items"].size(), 2u);
  EXPECT_EQ(list.json["items"][0]["name"], "Standard");
  EXPECT_EQ(Call(Caller::kSubcontractor, "GET", "/api/v1/sla-policies/" + id).json, made.json);

  json next = PremiumPolicy();
  next["name"] = "Premium plus";
  next["targets"] = {{"high", {{"first_response_minutes", 60}}}};
  Reply put = Call(Caller::kOwner, "PUT", "/api/v1/sla-policies/" + id, next.dump());
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.json["name"], "Premium plus");
  EXPECT_EQ(put.json["targets"]["high"]["first_response_minutes"], 60);
  EXPECT_TRUE(put.json["targets"]["normal"]["first_response_minutes"].is_null()) << "PUT replaces the targets";
  EXPECT_EQ(Call(Caller::kOwner, "GET", "/api/v1/sla-policies/" + id).json, put.json);

  EXPECT_EQ(Call(Caller::kOwner, "DELETE", "/api/v1/sla-policies/" + id).status, 204);
  EXPECT_EQ(Call(Caller::kOwner, "GET", "/api/v1/sla-policies/" + id).status, 404);
}

TEST_P(PromiseApiTest, BadPoliciesAre400WithFieldErrorsAndChangeNothing) {
  Reply made = Call(Caller::kOwner, "POST", "/api/v1/sla-policies", PremiumPolicy().dump());
  ASSERT_EQ(made.status, 201);
  const std::string id = std::to_string(made.json["id"].get<std::int64_t>());
  json bad = {{"name", ""},
              {"plan", std::string(65, 'p')},
              {"warning_percent", 0},
              {"targets",
               {{"low", {{"first_response_minutes", -5}, {"resolution_minutes", 600000}}},
                {"normal", {{"first_response_minutes", "4h"}}},
                {"someday", json::object()}}}};
  Reply r = Call(Caller::kOwner, "PUT", "/api/v1/sla-policies/" + id, bad.dump());
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(r.json["errors"].contains("targets.normal.first_response_minutes")) << r.body;
  EXPECT_TRUE(r.json["errors"].contains("targets.someday")) << r.body;
  // Once the JSON is well-formed, the use case names the rules each value breaks.
  bad["targets"].erase("someday");
  bad["targets"]["normal"]["first_response_minutes"] = 240;
  r = Call(Caller::kOwner, "PUT", "/api/v1/sla-policies/" + id, bad.dump());
  ASSERT_EQ(r.status, 400) << r.body;
  for (const char* field : {"name", "plan", "warning_percent", "targets.low.first_response_minutes",
                            "targets.low.resolution_minutes"}) {
    EXPECT_TRUE(r.json["errors"].contains(field)) << field << ": " << r.body;
  }
  Reply dup = Call(Caller::kOwner, "POST", "/api/v1/sla-policies", json{{"name", "Again"}, {"plan", "PREMIUM "}}.dump());
  EXPECT_EQ(dup.status, 409);
  EXPECT_TRUE(dup.json["errors"].contains("plan")) << dup.body;
  EXPECT_EQ(Call(Caller::kOwner, "GET", "/api/v1/sla-policies/" + id).json, made.json);
  EXPECT_EQ(Call(Caller::kOwner, "GET", "/api/v1/sla-policies").json["items"].size(), 1u);
}

TEST_P(PromiseApiTest, OnlyOwnersAndAdminsWrite) {
  Reply made = Call(Caller::kOwner, "POST", "/api/v1/sla-policies", PremiumPolicy().dump());
  Reply holiday = Call(Caller::kOwner, "POST", "/api/v1/holidays", json{{"month", 1}, {"day", 1}, {"name", "New Year"}}.dump());
  ASSERT_EQ(made.status, 201);
  ASSERT_EQ(holiday.status, 201);
  const std::string policy = "/api/v1/sla-policies/" + std::to_string(made.json["id"].get<std::int64_t>());
  const std::string day = "/api/v1/holidays/" + std::to_string(holiday.json["id"].get<std::int64_t>());
  struct Write {
    const char* method;
    std::string target;
    std::string body;
  };
  const std::vector<Write> writes = {
      {"PUT", "/api/v1/business-hours", LunchBreakHours().dump()},
      {"POST", "/api/v1/holidays", json{{"month", 5}, {"day", 1}, {"name", "May Day"}}.dump()},
      {"DELETE", day, ""},
      {"POST", "/api/v1/sla-policies", json{{"name", "Gold"}, {"plan", "gold"}}.dump()},
      {"PUT", policy, PremiumPolicy().dump()},
      {"DELETE", policy, ""},
  };
  for (Caller who : {Caller::kAgent, Caller::kSubcontractor, Caller::kAnonymous}) {
    for (const Write& w : writes) {
      Reply r = Call(who, w.method, w.target, w.body);
      EXPECT_EQ(r.status, who == Caller::kAnonymous ? 401 : 403) << CallerName(who) << " " << w.method << " " << w.target;
    }
    for (const char* read : {"/api/v1/business-hours", "/api/v1/holidays", "/api/v1/sla-policies"}) {
      EXPECT_EQ(Call(who, "GET", read).status, who == Caller::kAnonymous ? 401 : 200) << CallerName(who) << " " << read;
    }
  }
  // Nothing changed.
  EXPECT_EQ(Call(Caller::kOwner, "GET", "/api/v1/business-hours").json["is_default"], true);
  EXPECT_EQ(Call(Caller::kOwner, "GET", "/api/v1/holidays").json["items"].size(), 1u);
  EXPECT_EQ(Call(Caller::kOwner, "GET", policy).json, made.json);
}

TEST_P(PromiseApiTest, RetriedPostWithTheSameKeyCreatesOnce) {
  const httplib::Headers key = {{"Idempotency-Key", "holiday-retry-1"}};
  const std::string body = json{{"month", 7}, {"day", 14}, {"name", "Bastille Day"}}.dump();
  Reply first = Call(Caller::kOwner, "POST", "/api/v1/holidays", body, key);
  ASSERT_EQ(first.status, 201) << first.body;
  Reply again = Call(Caller::kOwner, "POST", "/api/v1/holidays", body, key);
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.Header("Idempotency-Replayed"), "true");
  EXPECT_EQ(again.json, first.json);
  EXPECT_EQ(Call(Caller::kOwner, "GET", "/api/v1/holidays").json["items"].size(), 1u);

  const httplib::Headers policy_key = {{"Idempotency-Key", "policy-retry-1"}};
  Reply p1 = Call(Caller::kOwner, "POST", "/api/v1/sla-policies", PremiumPolicy().dump(), policy_key);
  Reply p2 = Call(Caller::kOwner, "POST", "/api/v1/sla-policies", PremiumPolicy().dump(), policy_key);
  ASSERT_EQ(p1.status, 201);
  EXPECT_EQ(p2.status, 201) << "the replay, not a 409 for the taken plan";
  EXPECT_EQ(p2.json, p1.json);
}

TEST_P(PromiseApiTest, ClientPlanAndOnCall) {
  Reply c = Call(Caller::kAgent, "POST", "/api/v1/clients", json{{"name", "Acme"}, {"plan", " Premium "}}.dump());
  ASSERT_EQ(c.status, 201) << c.body;
  EXPECT_EQ(c.json["plan"], "premium");
  const std::string client = "/api/v1/clients/" + std::to_string(c.json["id"].get<std::int64_t>());
  Reply changed = Call(Caller::kAgent, "PATCH", client, json{{"plan", ""}}.dump());
  EXPECT_EQ(changed.json["plan"], "");
  Reply bad = Call(Caller::kAgent, "PATCH", client, json{{"plan", std::string(65, 'x')}}.dump());
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(bad.json["errors"].contains("plan")) << bad.body;

  Reply on = Call(Caller::kAgent, "PATCH", "/api/v1/me", json{{"on_call", true}}.dump());
  ASSERT_EQ(on.status, 200) << on.body;
  EXPECT_EQ(on.json["on_call"], true);
  EXPECT_EQ(Call(Caller::kAgent, "GET", "/api/v1/me").json["on_call"], true);
  EXPECT_EQ(Call(Caller::kAgent, "PATCH", "/api/v1/me", json{{"role", "owner"}}.dump()).status, 403)
      << "oneself: name, zone and on call only";
  const std::string agent = "/api/v1/users/" + std::to_string(user_id(Caller::kAgent).value);
  const std::string admin = "/api/v1/users/" + std::to_string(user_id(Caller::kAdmin).value);
  EXPECT_EQ(Call(Caller::kAgent, "PATCH", admin, json{{"on_call", true}}.dump()).status, 403);
  EXPECT_EQ(Call(Caller::kAgent, "PATCH", agent, json{{"on_call", false}}.dump()).status, 403)
      << "the route is for owners and admins; oneself goes through /me";
  Reply by_admin = Call(Caller::kAdmin, "PATCH", agent, json{{"on_call", false}}.dump());
  EXPECT_EQ(by_admin.json["on_call"], false);
  EXPECT_EQ(Call(Caller::kOwner, "PATCH", agent, json{{"on_call", "yes"}}.dump()).status, 400);
}

// The settings pages' forms that only post: deleting a holiday and a policy, putting a person on call,
// and the Follow-ups form (the review-pack window included). The router keeps agents out (403).
class SettingsFormsTest : public PromiseApiTest {
 protected:
  Reply Post(const std::string& cookie, const std::string& path, const std::string& csrf, const std::string& rest = "") {
    const std::string body = "csrf_token=" + httplib::detail::encode_query_param(csrf) + (rest.empty() ? "" : "&" + rest);
    return Raw("POST", path, {{"Cookie", cookie}}, body, "application/x-www-form-urlencoded");
  }
  bool OnCall(Caller who) {
    const json users = Call(Caller::kOwner, "GET", "/api/v1/users").json;
    for (const json& u : users["items"]) {
      if (u["id"] == user_id(who).value) return u["on_call"].get<bool>();
    }
    ADD_FAILURE() << "no such user";
    return false;
  }
};

TEST_P(SettingsFormsTest, DeleteHolidayAndPolicyAndPutSomeoneOnCall) {
  auto [cookie, csrf] = WebSession(Caller::kAdmin);
  auto [agent_cookie, agent_csrf] = WebSession(Caller::kAgent);
  Reply holiday = Call(Caller::kOwner, "POST", "/api/v1/holidays", json{{"month", 12}, {"day", 25}, {"name", "Christmas"}}.dump());
  ASSERT_EQ(holiday.status, 201) << holiday.body;
  const std::string holiday_path = "/settings/holidays/" + std::to_string(holiday.json["id"].get<std::int64_t>());
  EXPECT_EQ(Post(agent_cookie, holiday_path + "/delete", agent_csrf).status, 403);
  EXPECT_EQ(Post(cookie, "/settings/holidays/x1/delete", csrf).status, 404) << "an id that is no number";
  Reply deleted = Post(cookie, holiday_path + "/delete", csrf);
  ASSERT_EQ(deleted.status, 303) << deleted.body;
  EXPECT_EQ(deleted.Header("Location"), "/settings/holidays?done=deleted");
  EXPECT_TRUE(Call(Caller::kOwner, "GET", "/api/v1/holidays").json["items"].empty());
  EXPECT_EQ(Post(cookie, holiday_path + "/delete", csrf).status, 404) << "already gone";

  Reply policy = Call(Caller::kOwner, "POST", "/api/v1/sla-policies", PremiumPolicy().dump());
  ASSERT_EQ(policy.status, 201) << policy.body;
  const std::string id = std::to_string(policy.json["id"].get<std::int64_t>());
  EXPECT_EQ(Post(agent_cookie, "/settings/promises/" + id + "/delete", agent_csrf).status, 403);
  EXPECT_EQ(Call(Caller::kOwner, "GET", "/api/v1/sla-policies/" + id).status, 200) << "the agent deleted nothing";
  Reply gone = Post(cookie, "/settings/promises/" + id + "/delete", csrf);
  ASSERT_EQ(gone.status, 303) << gone.body;
  EXPECT_EQ(gone.Header("Location"), "/settings/promises?done=deleted");
  EXPECT_EQ(Call(Caller::kOwner, "GET", "/api/v1/sla-policies/" + id).status, 404);
  EXPECT_EQ(Post(cookie, "/settings/promises/" + id + "/delete", csrf).status, 404);

  const std::string on_call = "/settings/users/" + std::to_string(user_id(Caller::kAgent).value) + "/on-call";
  ASSERT_FALSE(OnCall(Caller::kAgent));
  EXPECT_EQ(Post(agent_cookie, on_call, agent_csrf, "on_call=1").status, 403) << "oneself goes through /profile";
  EXPECT_FALSE(OnCall(Caller::kAgent));
  Reply on = Post(cookie, on_call, csrf, "on_call=1");
  ASSERT_EQ(on.status, 303) << on.body;
  EXPECT_EQ(on.Header("Location"), "/settings/users");
  EXPECT_TRUE(OnCall(Caller::kAgent));
  ASSERT_EQ(Post(cookie, on_call, csrf).status, 303);
  EXPECT_FALSE(OnCall(Caller::kAgent)) << "no on_call field: off";
  EXPECT_EQ(Post(cookie, "/settings/users/999999/on-call", csrf, "on_call=1").status, 404);
}

TEST_P(SettingsFormsTest, FollowUpsFormSetsTheReviewPackWindow) {
  ASSERT_EQ(Call(Caller::kOwner, "PATCH", "/api/v1/workspace", json{{"name", "Acme Support"}}.dump()).status, 200);
  auto [cookie, csrf] = WebSession(Caller::kOwner);
  EXPECT_NE(Raw("GET", "/settings", {{"Cookie", cookie}}).body.find(R"(name="review_pack_days" value="14")"),
            std::string::npos);
  const std::string fields = "acknowledge_requests=yes&nudge_after_days=3&nudge_limit=2&review_pack_days=";
  Reply saved = Post(cookie, "/settings/follow-ups", csrf, fields + "30");
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(saved.Header("Location"), "/settings?done=saved");
  EXPECT_EQ(Call(Caller::kOwner, "GET", "/api/v1/workspace").json["review_pack_days"], 30);
  EXPECT_NE(Raw("GET", "/settings", {{"Cookie", cookie}}).body.find(R"(name="review_pack_days" value="30")"),
            std::string::npos);
  Reply bad = Post(cookie, "/settings/follow-ups", csrf, fields + "91");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("must be 1 to 90 days"), std::string::npos) << bad.body;
  Reply blank = Post(cookie, "/settings/follow-ups", csrf, fields);
  EXPECT_EQ(blank.status, 400);
  EXPECT_EQ(Call(Caller::kOwner, "GET", "/api/v1/workspace").json["review_pack_days"], 30) << "nothing changed";
}

INSTANTIATE_TEST_SUITE_P(Backends, SettingsFormsTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

INSTANTIATE_TEST_SUITE_P(Backends, PromiseApiTest, rapport::testing::AllBackends(),
                         rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::http::testing
