// The JSON API end to end: every endpoint, pagination, filters, search, idempotency and auth, on
// SQLite and PostgreSQL.
#include <set>

#include "http_fixture.h"

namespace rapport::http::testing {
namespace {

using nlohmann::json;

class ApiTest : public HttpTest {};

std::set<std::int64_t> Ids(const json& items) {
  std::set<std::int64_t> ids;
  for (const auto& item : items) ids.insert(item["id"].get<std::int64_t>());
  return ids;
}

TEST_P(ApiTest, ClientsCanBeCreatedReadChangedAndListed) {
  Reply created = Call(Caller::kAgent, "POST", "/api/v1/clients",
                       R"({"name":"Acme Plumbing","email_domains":["Acme.example"],"notes":"pays on time"})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Header("Content-Type"), "application/json");
  const auto id = created.json["id"].get<std::int64_t>();
  EXPECT_GT(id, 0);
  EXPECT_EQ(created.json["name"], "Acme Plumbing");
  EXPECT_EQ(created.json["email_domains"], json::array({"acme.example"}));
  EXPECT_EQ(created.json["created_at"], "2026-11-18T11:06:40Z");
  EXPECT_EQ(created.Header("Location"), "/api/v1/clients/" + std::to_string(id));

  Reply got = Call(Caller::kAgent, "GET", "/api/v1/clients/" + std::to_string(id));
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.json["notes"], "pays on time");

  Reply patched = Call(Caller::kAdmin, "PATCH", "/api/v1/clients/" + std::to_string(id), R"({"name":"Acme Pipes"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json["name"], "Acme Pipes");
  EXPECT_EQ(patched.json["notes"], "pays on time");  // untouched fields stay

  ASSERT_EQ(Call(Caller::kOwner, "POST", "/api/v1/clients", R"({"name":"Zenith Dental"})").status, 201);
  Reply found = Call(Caller::kOwner, "GET", "/api/v1/clients?q=pipes");
  ASSERT_EQ(found.status, 200) << found.body;
  ASSERT_EQ(found.json["items"].size(), 1u);
  EXPECT_EQ(found.json["items"][0]["id"], id);
  EXPECT_TRUE(found.json["next_cursor"].is_null());

  EXPECT_EQ(Call(Caller::kOwner, "GET", "/api/v1/clients/999999").status, 404);
}

TEST_P(ApiTest, ClientPagesFollowTheCursorWithoutRepeats) {
  std::set<std::int64_t> created;
  for (int i = 0; i < 5; ++i) {
    Reply r = Call(Caller::kOwner, "POST", "/api/v1/clients", json{{"name", "Client " + std::to_string(i)}}.dump());
    ASSERT_EQ(r.status, 201) << r.body;
    created.insert(r.json["id"].get<std::int64_t>());
  }
  std::set<std::int64_t> seen;
  std::string target = "/api/v1/clients?limit=2";
  int pages = 0;
  while (true) {
    Reply page = Call(Caller::kOwner, "GET", target);
    ASSERT_EQ(page.status, 200) << page.body;
    ASSERT_LE(page.json["items"].size(), 2u);
    for (const auto& item : page.json["items"]) EXPECT_TRUE(seen.insert(item["id"].get<std::int64_t>()).second);
    ++pages;
    if (page.json["next_cursor"].is_null()) break;
    target = "/api/v1/clients?limit=2&cursor=" +
             httplib::detail::encode_query_param(page.json["next_cursor"].get<std::string>());
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(seen, created);
  EXPECT_EQ(pages, 3);
}

TEST_P(ApiTest, ContactsCanBeCreatedReadChangedAndListedByClient) {
  Reply client = Call(Caller::kOwner, "POST", "/api/v1/clients", R"({"name":"Acme"})");
  ASSERT_EQ(client.status, 201);
  const auto client_id = client.json["id"].get<std::int64_t>();
  Reply created = Call(Caller::kAgent, "POST", "/api/v1/contacts",
                       json{{"name", "Ann Lee"},
                            {"client_id", client_id},
                            {"emails", {"Ann@Acme.example"}},
                            {"phones", {"+1 415 555 0123"}},
                            {"social_ids", {{{"network", "facebook"}, {"id", "ann.lee"}}}}}
                           .dump());
  ASSERT_EQ(created.status, 201) << created.body;
  const auto id = created.json["id"].get<std::int64_t>();
  EXPECT_EQ(created.json["emails"], json::array({"ann@acme.example"}));
  EXPECT_EQ(created.json["phones"], json::array({"+14155550123"}));
  EXPECT_EQ(created.json["social_ids"][0]["network"], "facebook");
  EXPECT_EQ(created.json["client_id"], client_id);

  ASSERT_EQ(Call(Caller::kAgent, "POST", "/api/v1/contacts", R"({"name":"Bob, no client"})").status, 201);

  Reply listed = Call(Caller::kAgent, "GET", "/api/v1/contacts?client_id=" + std::to_string(client_id));
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(Ids(listed.json["items"]), std::set<std::int64_t>{id});

  Reply patched = Call(Caller::kAgent, "PATCH", "/api/v1/contacts/" + std::to_string(id), R"({"client_id":null})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_TRUE(patched.json["client_id"].is_null());
  EXPECT_EQ(Call(Caller::kAgent, "GET", "/api/v1/contacts/" + std::to_string(id)).json["name"], "Ann Lee");

  // The same address twice is a conflict that names it.
  Reply taken = Call(Caller::kAgent, "POST", "/api/v1/contacts", R"({"name":"Ann again","emails":["ann@acme.example"]})");
  EXPECT_EQ(taken.status, 409) << taken.body;
  EXPECT_EQ(taken.Header("Content-Type"), "application/problem+json");
}

TEST_P(ApiTest, TicketLifecycleThroughTheApi) {
  json created = CreateTicket({{"subject", "Leaking tap"},
                               {"body", "The kitchen tap drips."},
                               {"channel", "email"},
                               {"priority", "high"},
                               {"contact", {{"email", "pat@home.example"}, {"name", "Pat"}}},
                               {"tags", {"Plumbing"}},
                               {"external_id", "<m1@home.example>"}});
  ASSERT_TRUE(created.is_object());
  const auto id = created["id"].get<std::int64_t>();
  EXPECT_GT(created["number"].get<std::int64_t>(), 0);
  EXPECT_EQ(created["status"], "new");
  EXPECT_EQ(created["priority"], "high");
  EXPECT_EQ(created["channel"], "email");
  EXPECT_EQ(created["tags"], json::array({"plumbing"}));
  EXPECT_TRUE(created["assignee_id"].is_null());
  const std::string path = "/api/v1/tickets/" + std::to_string(id);

  Reply got = Call(Caller::kAgent, "GET", path);
  ASSERT_EQ(got.status, 200) << got.body;
  ASSERT_EQ(got.json["messages"].size(), 1u);
  EXPECT_EQ(got.json["messages"][0]["body"], "The kitchen tap drips.");
  EXPECT_EQ(got.json["contact"]["emails"], json::array({"pat@home.example"}));

  const auto agent = user_id(Caller::kAgent).value;
  Reply patched = Call(Caller::kAgent, "PATCH", path,
                       json{{"status", "open"}, {"priority", "urgent"}, {"assignee_id", agent}, {"tags", {"a", "b"}},
                            {"subject", "Leaking kitchen tap"}}
                           .dump());
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json["status"], "open");
  EXPECT_EQ(patched.json["priority"], "urgent");
  EXPECT_EQ(patched.json["assignee_id"], agent);
  EXPECT_EQ(patched.json["tags"], json::array({"a", "b"}));
  EXPECT_EQ(patched.json["subject"], "Leaking kitchen tap");

  Reply unassigned = Call(Caller::kAgent, "PATCH", path, R"({"assignee_id":null})");
  ASSERT_EQ(unassigned.status, 200) << unassigned.body;
  EXPECT_TRUE(unassigned.json["assignee_id"].is_null());
  EXPECT_EQ(unassigned.json["status"], "open");

  Reply reply = Call(Caller::kAgent, "POST", path + "/messages", R"({"kind":"reply","body":"On our way."})");
  ASSERT_EQ(reply.status, 201) << reply.body;
  EXPECT_EQ(reply.json["kind"], "reply");
  EXPECT_EQ(reply.json["author_user_id"], agent);
  Reply note = Call(Caller::kAgent, "POST", path + "/messages", R"({"kind":"note","body":"Bring a washer."})");
  ASSERT_EQ(note.status, 201) << note.body;

  Reply again = Call(Caller::kOwner, "GET", path);
  ASSERT_EQ(again.json["messages"].size(), 3u);
  EXPECT_EQ(again.json["messages"][2]["kind"], "note");

  // A second ticket naming the contact by id, and one by phone.
  const auto contact_id = got.json["contact"]["id"].get<std::int64_t>();
  json by_id = CreateTicket({{"subject", "Follow-up"}, {"body", "Thanks"}, {"contact", {{"id", contact_id}}}});
  EXPECT_EQ(by_id["contact_id"], contact_id);
  EXPECT_GT(by_id["number"].get<std::int64_t>(), created["number"].get<std::int64_t>());
  json by_phone = CreateTicket(
      {{"subject", "Call"}, {"body", "Called about the boiler"}, {"channel", "phone"},
       {"contact", {{"phone", "+44 20 7946 0958"}, {"name", "Sam"}}}});
  EXPECT_EQ(by_phone["channel"], "phone");
  EXPECT_EQ(Call(Caller::kOwner, "GET", "/api/v1/tickets/987654").status, 404);
}

TEST_P(ApiTest, TicketListFiltersSortsAndSearches) {
  Reply client = Call(Caller::kOwner, "POST", "/api/v1/clients", R"({"name":"Acme","email_domains":["acme.example"]})");
  ASSERT_EQ(client.status, 201);
  const auto client_id = client.json["id"].get<std::int64_t>();
  const auto agent = user_id(Caller::kAgent).value;

  json a = CreateTicket({{"subject", "Invoice question"}, {"body", "About invoice 42"},
                         {"contact", {{"email", "ann@acme.example"}, {"name", "Ann"}}}, {"tags", {"billing"}},
                         {"assignee_id", agent}});
  clock().Advance(std::chrono::hours(24));
  json b = CreateTicket({{"subject", "Printer jam"}, {"body", "Paper stuck"}, {"channel", "phone"},
                         {"contact", {{"phone", "+14155550100"}, {"name", "Bo"}}}});
  clock().Advance(std::chrono::hours(24));
  json c = CreateTicket({{"subject", "Wifi down"}, {"body", "No internet since noon"},
                         {"contact", {{"email", "cy@acme.example"}, {"name", "Cy"}}}});
  ASSERT_EQ(Call(Caller::kOwner, "PATCH", "/api/v1/tickets/" + std::to_string(c["id"].get<std::int64_t>()),
                 R"({"status":"waiting_on_client"})")
                .status,
            200);
  const auto ida = a["id"].get<std::int64_t>(), idb = b["id"].get<std::int64_t>(), idc = c["id"].get<std::int64_t>();

  auto list = [&](const std::string& query) {
    Reply r = Call(Caller::kAgent, "GET", "/api/v1/tickets" + query);
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    return r.json.is_object() ? Ids(r.json["items"]) : std::set<std::int64_t>{};
  };
  EXPECT_EQ(list(""), (std::set<std::int64_t>{ida, idb, idc}));
  EXPECT_EQ(list("?status=new"), (std::set<std::int64_t>{ida, idb}));
  EXPECT_EQ(list("?status=waiting_on_client,closed"), (std::set<std::int64_t>{idc}));
  EXPECT_EQ(list("?assignee_id=" + std::to_string(agent)), (std::set<std::int64_t>{ida}));
  EXPECT_EQ(list("?assignee_id=none"), (std::set<std::int64_t>{idb, idc}));
  EXPECT_EQ(list("?client_id=" + std::to_string(client_id)), (std::set<std::int64_t>{ida, idc}));
  EXPECT_EQ(list("?contact_id=" + std::to_string(b["contact_id"].get<std::int64_t>())), (std::set<std::int64_t>{idb}));
  EXPECT_EQ(list("?channel=phone"), (std::set<std::int64_t>{idb}));
  EXPECT_EQ(list("?tag=billing"), (std::set<std::int64_t>{ida}));
  EXPECT_EQ(list("?created_from=2026-11-19T00:00:00Z"), (std::set<std::int64_t>{idb, idc}));
  EXPECT_EQ(list("?created_to=2026-11-19T00:00:00Z"), (std::set<std::int64_t>{ida}));
  EXPECT_EQ(list("?created_from=2026-11-19&created_to=2026-11-20"), (std::set<std::int64_t>{idb}));
  EXPECT_EQ(list("?q=invo"), (std::set<std::int64_t>{ida}));      // prefix of a subject word
  EXPECT_EQ(list("?q=internet"), (std::set<std::int64_t>{idc}));  // a word of a message body
  EXPECT_EQ(list("?q=nothing-like-this"), std::set<std::int64_t>{});

  Reply oldest = Call(Caller::kAgent, "GET", "/api/v1/tickets?sort=oldest");
  ASSERT_EQ(oldest.json["items"].size(), 3u);
  EXPECT_EQ(oldest.json["items"][0]["id"], ida);
  EXPECT_EQ(oldest.json["items"][0]["client_name"], "Acme");
  EXPECT_EQ(oldest.json["items"][0]["contact_name"], "Ann");
  Reply newest = Call(Caller::kAgent, "GET", "/api/v1/tickets?sort=newest");
  EXPECT_EQ(newest.json["items"][0]["id"], idc);

  Reply first = Call(Caller::kAgent, "GET", "/api/v1/tickets?sort=oldest&limit=2");
  ASSERT_EQ(first.json["items"].size(), 2u);
  ASSERT_TRUE(first.json["next_cursor"].is_string()) << first.body;
  Reply second = Call(Caller::kAgent, "GET",
                      "/api/v1/tickets?sort=oldest&limit=2&cursor=" +
                          httplib::detail::encode_query_param(first.json["next_cursor"].get<std::string>()));
  ASSERT_EQ(second.status, 200) << second.body;
  ASSERT_EQ(second.json["items"].size(), 1u);
  EXPECT_EQ(second.json["items"][0]["id"], idc);
  EXPECT_TRUE(second.json["next_cursor"].is_null());
}

TEST_P(ApiTest, UsersWorkspaceAndMe) {
  Reply users = Call(Caller::kSubcontractor, "GET", "/api/v1/users");
  ASSERT_EQ(users.status, 200) << users.body;
  ASSERT_EQ(users.json["items"].size(), 4u);
  for (const auto& u : users.json["items"]) {
    EXPECT_FALSE(u.contains("password_hash"));
    EXPECT_TRUE(u["role"].is_string());
  }

  Reply me = Call(Caller::kAgent, "GET", "/api/v1/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json["id"], user_id(Caller::kAgent).value);
  EXPECT_EQ(me.json["role"], "agent");
  EXPECT_EQ(me.json["email"], "agent@desk.example");

  Reply patched = Call(Caller::kAdmin, "PATCH", "/api/v1/workspace",
                       R"({"name":"Fixit Ltd","time_zone":"Europe/London","currency":"GBP"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json["name"], "Fixit Ltd");
  Reply ws = Call(Caller::kSubcontractor, "GET", "/api/v1/workspace");
  ASSERT_EQ(ws.status, 200);
  EXPECT_EQ(ws.json["time_zone"], "Europe/London");
  EXPECT_EQ(ws.json["currency"], "GBP");

  EXPECT_EQ(Call(Caller::kAgent, "PATCH", "/api/v1/workspace", R"({"name":"Mine now"})").status, 403);
  Reply bad_zone = Call(Caller::kOwner, "PATCH", "/api/v1/workspace", R"({"time_zone":"Mars/Olympus"})");
  EXPECT_EQ(bad_zone.status, 400) << bad_zone.body;
  EXPECT_EQ(Call(Caller::kOwner, "GET", "/api/v1/workspace").json["name"], "Fixit Ltd");
}

TEST_P(ApiTest, IdempotencyKeyReplaysTheFirstResponse) {
  const std::string body =
      json{{"subject", "Once only"}, {"body", "hello"}, {"contact", {{"email", "x@y.example"}, {"name", "X"}}}}.dump();
  const httplib::Headers key = {{"Idempotency-Key", "7f1c2a8e-retry-1"}};
  Reply first = Call(Caller::kOwner, "POST", "/api/v1/tickets", body, key);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.Header("Idempotency-Replayed"), "");
  Reply retry = Call(Caller::kOwner, "POST", "/api/v1/tickets", body, key);
  EXPECT_EQ(retry.status, 201);
  EXPECT_EQ(retry.body, first.body);
  EXPECT_EQ(retry.Header("Idempotency-Replayed"), "true");
  Reply all = Call(Caller::kOwner, "GET", "/api/v1/tickets");
  EXPECT_EQ(all.json["items"].size(), 1u) << "a replay must not create a second ticket";

  Reply other = Call(Caller::kOwner, "POST", "/api/v1/tickets",
                     json{{"subject", "Different"}, {"body", "b"}, {"contact", {{"email", "x@y.example"}}}}.dump(), key);
  EXPECT_EQ(other.status, 422) << other.body;
  EXPECT_TRUE(other.json["errors"].contains("Idempotency-Key"));

  // Keys belong to a user: the agent's same key is a new request.
  Reply agents = Call(Caller::kAgent, "POST", "/api/v1/tickets", body, key);
  EXPECT_EQ(agents.status, 201) << agents.body;
  EXPECT_NE(agents.json["id"], first.json["id"]);

  // A validation error is final too: replayed, not re-run.
  const httplib::Headers key2 = {{"Idempotency-Key", "bad-body-key"}};
  Reply bad = Call(Caller::kOwner, "PATCH", "/api/v1/workspace", R"({"currency":"dollars"})", key2);
  EXPECT_EQ(bad.status, 400) << bad.body;
  Reply bad_again = Call(Caller::kOwner, "PATCH", "/api/v1/workspace", R"({"currency":"dollars"})", key2);
  EXPECT_EQ(bad_again.status, 400);
  EXPECT_EQ(bad_again.Header("Idempotency-Replayed"), "true");
  EXPECT_EQ(bad_again.Header("Content-Type"), "application/problem+json");

  Reply empty_key = Call(Caller::kOwner, "POST", "/api/v1/clients", R"({"name":"K"})", {{"Idempotency-Key", "a b"}});
  EXPECT_EQ(empty_key.status, 400);
}

TEST_P(ApiTest, MissingOrWrongTokenIs401) {
  Reply none = Call(Caller::kAnonymous, "GET", "/api/v1/tickets");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.Header("Content-Type"), "application/problem+json");
  EXPECT_EQ(none.json["status"], 401);
  EXPECT_NE(none.Header("WWW-Authenticate"), "");
  Reply wrong = Raw("GET", "/api/v1/tickets", {{"Authorization", "Bearer rpt_not-a-real-token"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.json["title"], "Unauthorized");
  Reply basic = Raw("GET", "/api/v1/me", {{"Authorization", "Basic b3duZXI6cHc="}});
  EXPECT_EQ(basic.status, 401);
}

TEST_P(ApiTest, SubcontractorSeesOnlyTheirOwnTickets) {
  const auto sub = user_id(Caller::kSubcontractor).value;
  json mine = CreateTicket({{"subject", "Overnight outage"}, {"body", "Server down"}, {"assignee_id", sub},
                            {"contact", {{"email", "ops@client.example"}, {"name", "Ops"}}}});
  json theirs = CreateTicket({{"subject", "Office move"}, {"body", "Next week"},
                              {"contact", {{"email", "boss@client.example"}, {"name", "Boss"}}}});
  const auto mine_id = mine["id"].get<std::int64_t>();
  const auto other_id = theirs["id"].get<std::int64_t>();

  Reply list = Call(Caller::kSubcontractor, "GET", "/api/v1/tickets");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(Ids(list.json["items"]), std::set<std::int64_t>{mine_id});
  Reply search = Call(Caller::kSubcontractor, "GET", "/api/v1/tickets?q=office");
  EXPECT_EQ(search.json["items"].size(), 0u);

  EXPECT_EQ(Call(Caller::kSubcontractor, "GET", "/api/v1/tickets/" + std::to_string(mine_id)).status, 200);
  Reply hidden = Call(Caller::kSubcontractor, "GET", "/api/v1/tickets/" + std::to_string(other_id));
  EXPECT_EQ(hidden.status, 404) << hidden.body;
  EXPECT_EQ(Call(Caller::kSubcontractor, "PATCH", "/api/v1/tickets/" + std::to_string(other_id), R"({"status":"open"})")
                .status,
            404);
  EXPECT_EQ(Call(Caller::kSubcontractor, "POST", "/api/v1/tickets/" + std::to_string(other_id) + "/messages",
                 R"({"kind":"note","body":"peek"})")
                .status,
            404);
  Reply note = Call(Caller::kSubcontractor, "POST", "/api/v1/tickets/" + std::to_string(mine_id) + "/messages",
                    R"({"kind":"note","body":"Rebooted, watching it"})");
  EXPECT_EQ(note.status, 201) << note.body;
  EXPECT_EQ(Call(Caller::kSubcontractor, "GET", "/api/v1/clients").status, 403);
  EXPECT_EQ(Call(Caller::kSubcontractor, "POST", "/api/v1/tickets", R"({"subject":"x","body":"y"})").status, 403);
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::http::testing
