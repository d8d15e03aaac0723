// Bad input of every kind gets a 4xx problem+json naming what to fix — never a 5xx.
#include "http_fixture.h"

namespace rapport::http::testing {
namespace {

using nlohmann::json;

class ValidationTest : public HttpTest {};

struct BadInput {
  const char* method;
  const char* target;  // {ticket} is replaced by a real ticket id
  const char* body;
  int status;
  const char* field;  // expected key of "errors", or "" when the error is about the whole request
};

const BadInput kBadInputs[] = {
    // malformed bodies
    {"POST", "/api/v1/clients", "{\"name\": ", 400, ""},
    {"POST", "/api/v1/clients", "[1,2,3]", 400, ""},
    {"POST", "/api/v1/clients", "\"just a string\"", 400, ""},
    {"POST", "/api/v1/clients", "{\"name\":\"a\"} trailing", 400, ""},
    {"POST", "/api/v1/clients", "{\"name\":\"\xff\xfe\"}", 400, ""},
    {"POST", "/api/v1/clients", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", 400, ""},
    // unknown fields and wrong types
    {"POST", "/api/v1/clients", R"({"name":"A","colour":"red"})", 400, "colour"},
    {"POST", "/api/v1/clients", R"({"name":42})", 400, "name"},
    {"POST", "/api/v1/clients", R"({"name":"A","email_domains":"a.example"})", 400, "email_domains"},
    {"POST", "/api/v1/clients", R"({"name":"A","email_domains":[1]})", 400, "email_domains"},
    {"POST", "/api/v1/clients", R"({})", 400, "name"},
    {"POST", "/api/v1/clients", R"({"name":"A","email_domains":["not a domain"]})", 400, "email_domains"},
    {"POST", "/api/v1/contacts", R"({"name":"A","client_id":"7"})", 400, "client_id"},
    {"POST", "/api/v1/contacts", R"({"name":"A","client_id":-3})", 400, "client_id"},
    {"POST", "/api/v1/contacts", R"({"name":"A","client_id":1.5})", 400, "client_id"},
    {"POST", "/api/v1/contacts", R"({"name":"A","client_id":99999999999999999999})", 400, "client_id"},
    {"POST", "/api/v1/contacts", R"({"name":"A","emails":["not-an-email"]})", 400, "emails"},
    {"POST", "/api/v1/contacts", R"({"name":"A","phones":["5550123"]})", 400, "phones"},
    {"POST", "/api/v1/contacts", R"({"name":"A","social_ids":[{"network":"fb"}]})", 400, "social_ids[0].id"},
    {"POST", "/api/v1/contacts", R"({"name":"A","social_ids":[{"network":"fb","id":"x","extra":1}]})", 400,
     "social_ids[0].extra"},
    // tickets
    {"POST", "/api/v1/tickets", R"({"body":"b","contact":{"email":"a@b.example"}})", 400, "subject"},
    {"POST", "/api/v1/tickets", R"({"subject":"s","body":"b"})", 400, "contact"},
    {"POST", "/api/v1/tickets", R"({"subject":"s","body":"b","contact":{}})", 400, "contact.id"},
    {"POST", "/api/v1/tickets", R"({"subject":"s","body":"b","contact":{"id":1,"email":"a@b.example"}})", 400,
     "contact.id"},
    {"POST", "/api/v1/tickets", R"({"subject":"s","body":"b","contact":{"email":"a@b.example","nick":"x"}})", 400,
     "contact.nick"},
    {"POST", "/api/v1/tickets", R"({"subject":"s","body":"b","contact":"a@b.example"})", 400, "contact"},
    {"POST", "/api/v1/tickets", R"({"subject":"s","body":"b","contact":{"email":"a@b.example"},"priority":"asap"})",
     400, "priority"},
    {"POST", "/api/v1/tickets", R"({"subject":"s","body":"b","contact":{"email":"a@b.example"},"channel":"fax"})", 400,
     "channel"},
    {"POST", "/api/v1/tickets", R"({"subject":"s","body":"b","contact":{"email":"a@b.example"},"tags":"x"})", 400,
     "tags"},
    {"POST", "/api/v1/tickets", R"({"subject":"s","body":"b","contact":{"email":"a@b.example"},"assignee_id":0})", 400,
     "assignee_id"},
    {"POST", "/api/v1/tickets", R"({"subject":"s","body":"b","contact":{"id":424242}})", 400, "contact"},
    {"PATCH", "/api/v1/tickets/{ticket}", R"({"status":"done"})", 400, "status"},
    {"PATCH", "/api/v1/tickets/{ticket}", R"({"assignee_id":"me"})", 400, "assignee_id"},
    {"PATCH", "/api/v1/tickets/{ticket}", R"({"tags":["no spaces allowed"]})", 400, "tags"},
    {"PATCH", "/api/v1/tickets/{ticket}", R"({"number":5})", 400, "number"},
    {"PATCH", "/api/v1/tickets/{ticket}", R"({"assignee_id":424242})", 400, "assignee_id"},
    {"POST", "/api/v1/tickets/{ticket}/messages", R"({"kind":"inbound","body":"x"})", 400, "kind"},
    {"POST", "/api/v1/tickets/{ticket}/messages", R"({"kind":"reply"})", 400, "body"},
    // ids in the path
    {"GET", "/api/v1/tickets/abc", "", 400, "id"},
    {"GET", "/api/v1/tickets/-1", "", 400, "id"},
    {"GET", "/api/v1/tickets/0", "", 400, "id"},
    {"GET", "/api/v1/tickets/99999999999999999999", "", 400, "id"},
    {"GET", "/api/v1/tickets/1.5", "", 400, "id"},
    {"PATCH", "/api/v1/clients/x", "{}", 400, "id"},
    // query parameters
    {"GET", "/api/v1/tickets?status=done", "", 400, "status"},
    {"GET", "/api/v1/tickets?status=open,nope", "", 400, "status"},
    {"GET", "/api/v1/tickets?channel=fax", "", 400, "channel"},
    {"GET", "/api/v1/tickets?assignee_id=someone", "", 400, "assignee_id"},
    {"GET", "/api/v1/tickets?client_id=-4", "", 400, "client_id"},
    {"GET", "/api/v1/tickets?created_from=yesterday", "", 400, "created_from"},
    {"GET", "/api/v1/tickets?created_to=2026-13-45", "", 400, "created_to"},
    {"GET", "/api/v1/tickets?sort=random", "", 400, "sort"},
    {"GET", "/api/v1/tickets?limit=0", "", 400, "limit"},
    {"GET", "/api/v1/tickets?limit=201", "", 400, "limit"},
    {"GET", "/api/v1/tickets?limit=ten", "", 400, "limit"},
    {"GET", "/api/v1/tickets?limit=1&limit=2", "", 400, "limit"},
    {"GET", "/api/v1/tickets?cursor=not-a-cursor", "", 400, ""},
    {"GET", "/api/v1/tickets?tag=Has%20Space", "", 400, "tag"},
    {"GET", "/api/v1/tickets?stauts=open", "", 400, "stauts"},
    {"GET", "/api/v1/clients?cursor=%00%01garbage", "", 400, ""},
    {"GET", "/api/v1/contacts?client_id=abc", "", 400, "client_id"},
    // workspace
    {"PATCH", "/api/v1/workspace", R"({"currency":"usd"})", 400, "currency"},
    {"PATCH", "/api/v1/workspace", R"({"time_zone":"Nowhere/Special"})", 400, "time_zone"},
    {"PATCH", "/api/v1/workspace", R"({"name":null,"owner":"me"})", 400, "owner"},
};

TEST_P(ValidationTest, BadInputGetsAClear4xx) {
  json ticket = CreateTicket({{"subject", "Target"}, {"body", "for PATCH"}, {"contact", {{"email", "t@t.example"}}}});
  const std::string ticket_id = std::to_string(ticket["id"].get<std::int64_t>());
  for (const BadInput& bad : kBadInputs) {
    std::string target = bad.target;
    if (auto pos = target.find("{ticket}"); pos != std::string::npos) target.replace(pos, 8, ticket_id);
    SCOPED_TRACE(std::string(bad.method) + " " + target + " " + bad.body);
    Reply r = Call(Caller::kOwner, bad.method, target, bad.body);
    EXPECT_EQ(r.status, bad.status) << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
    ASSERT_TRUE(r.json.is_object()) << r.body;
    EXPECT_EQ(r.json["status"], bad.status);
    EXPECT_TRUE(r.json["detail"].is_string() && !r.json["detail"].get<std::string>().empty());
    if (std::string(bad.field).empty()) continue;
    ASSERT_TRUE(r.json.contains("errors")) << r.body;
    EXPECT_TRUE(r.json["errors"].contains(bad.field)) << "expected an error for " << bad.field << ": " << r.body;
  }
  // Nothing above changed the ticket.
  Reply after = Call(Caller::kOwner, "GET", "/api/v1/tickets/" + ticket_id);
  EXPECT_EQ(after.json["status"], "new");
  EXPECT_EQ(after.json["messages"].size(), 1u);
}

TEST_P(ValidationTest, WrongMethodAndUnknownPathAreProblems) {
  Reply unknown = Call(Caller::kOwner, "GET", "/api/v1/invoices");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.Header("Content-Type"), "application/problem+json");
  Reply method = Call(Caller::kOwner, "DELETE", "/api/v1/tickets");
  EXPECT_EQ(method.status, 405);
  EXPECT_EQ(method.Header("Content-Type"), "application/problem+json");
  EXPECT_EQ(method.Header("Allow"), "POST, GET");
  Reply page = Raw("GET", "/no-such-page", {});
  EXPECT_EQ(page.status, 404);
  EXPECT_EQ(page.Header("Content-Type"), "text/html; charset=utf-8");
  Reply trailing = Call(Caller::kOwner, "GET", "/api/v1/tickets/");
  EXPECT_EQ(trailing.status, 404);
}

INSTANTIATE_TEST_SUITE_P(Backends, ValidationTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::http::testing
