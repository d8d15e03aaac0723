#include "http/api/openapi.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace rapport::http::api {
namespace {

using nlohmann::json;

json Ref(const std::string& schema) { return {{"$ref", "#/components/schemas/" + schema}}; }

json Enum(std::initializer_list<const char*> values) {
  json e = json::array();
  for (const char* v : values) e.push_back(v);
  return {{"type", "string"}, {"enum", e}};
}

json Nullable(const std::string& type) { return {{"type", json::array({type, "null"})}}; }
json Time() { return {{"type", "string"}, {"format", "date-time"}}; }
json StringList() { return {{"type", "array"}, {"items", {{"type", "string"}}}}; }
json IdSchema() { return {{"type", "integer"}, {"format", "int64"}, {"minimum", 1}}; }

json Object(json properties, std::vector<std::string> required = {}) {
  json o = {{"type", "object"}, {"additionalProperties", false}, {"properties", std::move(properties)}};
  if (!required.empty()) o["required"] = required;
  return o;
}

json PageOf(const std::string& schema) {
  return Object({{"items", {{"type", "array"}, {"items", Ref(schema)}}}, {"next_cursor", Nullable("string")}},
                {"items", "next_cursor"});
}

// Mailboxes: passwords may be written (imap.password, smtp.password) and are never read back.
void AddMailboxSchemas(json& schemas) {
  const json str = {{"type", "string"}};
  const json port = {{"type", "integer"}, {"minimum", 1}, {"maximum", 65535}};
  const json security = Enum({"tls", "starttls", "none"});
  const json flag = {{"type", "boolean"}};
  json imap = Object({{"host", str}, {"port", port}, {"security", security}, {"user", str}, {"has_password", flag},
                      {"folder", str}, {"processed_folder", str}, {"ca_file", str}});
  json smtp = Object({{"host", str}, {"port", port}, {"security", security}, {"user", str}, {"has_password", flag},
                      {"ca_file", str}});
  schemas["Mailbox"] = Object({{"id", IdSchema()},
                               {"name", str},
                               {"address", str},
                               {"display_name", str},
                               {"is_default", flag},
                               {"fetch_enabled", flag},
                               {"imap", imap},
                               {"smtp", smtp},
                               {"last_error", str},
                               {"last_checked_at", Nullable("string")},
                               {"uid_validity", {{"type", "integer"}}},
                               {"last_uid", {{"type", "integer"}}}});
  for (json* side : {&imap, &smtp}) {
    (*side)["properties"].erase("has_password");
    (*side)["properties"]["password"] = {{"type", "string"}, {"writeOnly", true}};
  }
  schemas["MailboxFields"] = Object({{"name", str},
                                     {"address", str},
                                     {"display_name", str},
                                     {"is_default", flag},
                                     {"fetch_enabled", flag},
                                     {"imap", imap},
                                     {"smtp", smtp}});
  schemas["MailboxPage"] = PageOf("Mailbox");
  schemas["ConnectionTest"] = Object({{"ok", flag},
                                      {"error", Nullable("string")},
                                      {"messages", {{"type", "integer"}}},
                                      {"uid_validity", {{"type", "integer"}}}});
}

// Promises: business hours, holidays, response policies (promise_routes.cc).
void AddPromiseSchemas(json& schemas) {
  const json str = {{"type", "string"}};
  const json hhmm = {{"type", "string"}, {"pattern", "^([01]?[0-9]|2[0-4]):[0-5][0-9]$"}};
  const json interval = Object({{"weekday", {{"type", "integer"}, {"minimum", 0}, {"maximum", 6}}},
                                {"start", hhmm},
                                {"end", hhmm}},
                               {"weekday", "start", "end"});
  const json intervals = {{"type", "array"}, {"items", interval}};
  schemas["BusinessHours"] = Object({{"time_zone", str}, {"intervals", intervals}, {"is_default", {{"type", "boolean"}}}});
  schemas["BusinessHoursChange"] = Object({{"time_zone", str}, {"intervals", intervals}}, {"intervals"});
  schemas["Holiday"] = Object({{"id", IdSchema()},
                               {"year", {{"type", json::array({"integer", "null"})}, {"description", "null: every year"}}},
                               {"month", {{"type", "integer"}, {"minimum", 1}, {"maximum", 12}}},
                               {"day", {{"type", "integer"}, {"minimum", 1}, {"maximum", 31}}},
                               {"name", str}});
  schemas["NewHoliday"] = schemas["Holiday"];
  schemas["NewHoliday"]["properties"].erase("id");
  schemas["NewHoliday"]["required"] = {"month", "day", "name"};
  schemas["HolidayPage"] = PageOf("Holiday");
  const json minutes = {{"type", json::array({"integer", "null"})}, {"minimum", 1}, {"maximum", 525600}};
  const json targets = Object({{"first_response_minutes", minutes},
                               {"next_response_minutes", minutes},
                               {"resolution_minutes", minutes}});
  const json by_priority = Object({{"low", targets}, {"normal", targets}, {"high", targets}, {"urgent", targets}});
  schemas["SlaPolicy"] = Object({{"id", IdSchema()},
                                 {"name", str},
                                 {"plan", {{"type", "string"}, {"description", "\"\": the default policy"}}},
                                 {"warning_percent", {{"type", "integer"}, {"minimum", 1}, {"maximum", 99}}},
                                 {"targets", by_priority}});
  schemas["SlaPolicyFields"] = schemas["SlaPolicy"];
  schemas["SlaPolicyFields"]["properties"].erase("id");
  schemas["SlaPolicyFields"]["required"] = {"name"};
  schemas["SlaPolicyPage"] = PageOf("SlaPolicy");
  schemas["UserChanges"] = Object({{"email", str},
                                   {"name", str},
                                   {"role", Enum({"owner", "admin", "agent", "subcontractor"})},
                                   {"time_zone", str},
                                   {"active", {{"type", "boolean"}}},
                                   {"on_call", {{"type", "boolean"}}}});
}

// Follow-ups: notices and reminders (follow_up_routes.cc).
void AddFollowUpSchemas(json& schemas) {
  const json str = {{"type", "string"}};
  const json optional_time = {{"type", json::array({"string", "null"})}, {"format", "date-time"}};
  schemas["Notice"] = Object({{"id", IdSchema()},
                              {"kind", str},
                              {"ticket_id", Nullable("integer")},
                              {"client_id", Nullable("integer")},
                              {"title", str},
                              {"body", str},
                              {"created_at", Time()},
                              {"deliver_at", Time()},
                              {"read_at", optional_time}});
  schemas["NoticePage"] = PageOf("Notice");
  schemas["NoticePage"]["properties"]["unread_count"] = {{"type", "integer"}};
  schemas["Reminder"] = Object({{"id", IdSchema()},
                                {"user_id", IdSchema()},
                                {"ticket_id", Nullable("integer")},
                                {"client_id", Nullable("integer")},
                                {"title", str},
                                {"note", str},
                                {"due_at", Time()},
                                {"done_at", optional_time},
                                {"created_by", IdSchema()},
                                {"created_at", Time()},
                                {"notified_at", optional_time}});
  schemas["ReminderPage"] = PageOf("Reminder");
  const json count = {{"type", "integer"}, {"minimum", 1}};
  schemas["NewReminder"] = Object({{"ticket_id", IdSchema()},
                                   {"client_id", IdSchema()},
                                   {"user_id", IdSchema()},
                                   {"title", str},
                                   {"note", str},
                                   {"due_at", Time()},
                                   {"in_business_hours", count},
                                   {"in_business_days", count}});
  schemas["ReminderChanges"] = Object(
      {{"done", {{"type", "boolean"}, {"const", true}}}, {"due_at", Time()}, {"in_business_hours", count},
       {"in_business_days", count}});
}

// Reports: the promise report (report_routes.cc).
void AddReportSchemas(json& schemas) {
  const json count = {{"type", "integer"}, {"minimum", 0}};
  const json seconds = {{"type", json::array({"integer", "null"})},
                        {"description", "business seconds; nearest-rank percentile; null without values"}};
  const json durations = Object({{"count", count}, {"median_seconds", seconds}, {"p90_seconds", seconds}});
  const json attainment = Object({{"kept", count},
                                  {"missed", count},
                                  {"share", {{"type", json::array({"number", "null"})}, {"description", "kept / (kept + missed)"}}}});
  schemas["PromiseReportGroup"] = Object(
      {{"id", {{"type", json::array({"integer", "null"})}, {"description", "null: no policy / client / assignee"}}},
       {"name", {{"type", "string"}}},
       {"tickets", count},
       {"first_response", durations},
       {"resolution", durations},
       {"attainment", Object({{"first_response", attainment},
                              {"next_response", attainment},
                              {"resolution", attainment},
                              {"overall", attainment}})}});
  const json date = {{"type", "string"}, {"format", "date"}};
  const json groups = {{"type", "array"}, {"items", Ref("PromiseReportGroup")}};
  schemas["PromiseReport"] = Object({{"from", date},
                                     {"to", {{"type", "string"}, {"format", "date"}, {"description", "exclusive"}}},
                                     {"time_zone", {{"type", "string"}}},
                                     {"from_at", Time()},
                                     {"to_at", Time()},
                                     {"as_of", Time()},
                                     {"overall", Ref("PromiseReportGroup")},
                                     {"by_policy", groups},
                                     {"by_client", groups},
                                     {"by_person", groups}});
}

// Review packs (review_pack_routes.cc).
void AddReviewPackSchemas(json& schemas) {
  schemas["ReviewPackSummary"] = Object({{"id", IdSchema()},
                                         {"client_id", IdSchema()},
                                         {"meeting_id", IdSchema()},
                                         {"meeting_at", Time()},
                                         {"created_at", Time()}});
  schemas["ReviewPackPage"] = PageOf("ReviewPackSummary");
  schemas["ReviewPack"] = schemas["ReviewPackSummary"];
  schemas["ReviewPack"]["properties"]["body"] = {{"type", "string"}, {"description", "Markdown, as prepared"}};
  schemas["ReviewPack"]["properties"]["body_html"] = {{"type", "string"},
                                                      {"description", "the body rendered to safe HTML"}};
}

json Components() {
  const json status = Enum({"new", "open", "waiting_on_client", "on_hold", "resolved", "closed"});
  const json priority = Enum({"low", "normal", "high", "urgent"});
  const json channel = Enum({"email", "phone", "sms", "web_form", "social", "api"});
  json schemas;
  schemas["Problem"] = {
      {"type", "object"},
      {"description", "RFC 9457 problem details"},
      {"properties",
       {{"type", {{"type", "string"}}},
        {"title", {{"type", "string"}}},
        {"status", {{"type", "integer"}}},
        {"detail", {{"type", "string"}}},
        {"errors", {{"type", "object"}, {"additionalProperties", {{"type", "string"}}}}}}},
      {"required", {"type", "title", "status", "detail"}}};
  schemas["Ticket"] = Object({{"id", IdSchema()},
                              {"number", {{"type", "integer"}}},
                              {"subject", {{"type", "string"}}},
                              {"client_id", Nullable("integer")},
                              {"contact_id", IdSchema()},
                              {"channel", channel},
                              {"status", status},
                              {"priority", priority},
                              {"assignee_id", Nullable("integer")},
                              {"tags", StringList()},
                              {"created_at", Time()},
                              {"updated_at", Time()},
                              {"last_message_at", Time()},
                              {"resolved_at", {{"type", json::array({"string", "null"})}, {"format", "date-time"}}},
                              {"closed_at", {{"type", json::array({"string", "null"})}, {"format", "date-time"}}},
                              {"first_response_due_at", {{"type", json::array({"string", "null"})}, {"format", "date-time"}}},
                              {"next_response_due_at", {{"type", json::array({"string", "null"})}, {"format", "date-time"}}},
                              {"resolution_due_at", {{"type", json::array({"string", "null"})}, {"format", "date-time"}}},
                              {"sla_state", Enum({"none", "ok", "warning", "breached", "met", "paused"})}});
  schemas["Ticket"]["properties"]["sla_state"]["description"] =
      "the promise clocks' state at the time of the request: the worst running clock (breached, warning, ok), "
      "else paused, else breached or met for settled ones; none without a promise";
  json row = schemas["Ticket"];
  row["properties"]["client_name"] = Nullable("string");
  row["properties"]["contact_name"] = {{"type", "string"}};
  row["properties"]["contact_email"] = Nullable("string");
  schemas["TicketListItem"] = row;
  schemas["Message"] = Object({{"id", IdSchema()},
                               {"ticket_id", IdSchema()},
                               {"kind", Enum({"inbound", "reply", "note"})},
                               {"channel", channel},
                               {"author_user_id", Nullable("integer")},
                               {"author_contact_id", Nullable("integer")},
                               {"body", {{"type", "string"}}},
                               {"body_html", Nullable("string")},
                               {"external_id", Nullable("string")},
                               {"created_at", Time()}});
  schemas["Client"] = Object({{"id", IdSchema()},
                              {"name", {{"type", "string"}}},
                              {"email_domains", StringList()},
                              {"notes", {{"type", "string"}}},
                              {"plan", {{"type", "string"}, {"description", "picks the response policy"}}},
                              {"created_at", Time()},
                              {"updated_at", Time()}});
  const json social = Object({{"network", {{"type", "string"}}}, {"id", {{"type", "string"}}}}, {"network", "id"});
  schemas["SocialId"] = social;
  schemas["Contact"] = Object({{"id", IdSchema()},
                               {"client_id", Nullable("integer")},
                               {"name", {{"type", "string"}}},
                               {"emails", StringList()},
                               {"phones", StringList()},
                               {"social_ids", {{"type", "array"}, {"items", Ref("SocialId")}}},
                               {"created_at", Time()},
                               {"updated_at", Time()}});
  schemas["TicketView"] = schemas["Ticket"];
  schemas["TicketView"]["properties"]["messages"] = {{"type", "array"}, {"items", Ref("Message")}};
  schemas["TicketView"]["properties"]["contact"] = Ref("Contact");
  schemas["TicketView"]["properties"]["client"] = {{"oneOf", json::array({Ref("Client"), {{"type", "null"}}})}};
  schemas["User"] = Object({{"id", IdSchema()},
                            {"email", {{"type", "string"}}},
                            {"name", {{"type", "string"}}},
                            {"role", Enum({"owner", "admin", "agent", "subcontractor"})},
                            {"time_zone", {{"type", "string"}}},
                            {"working_hours", {{"type", "array"}, {"items", {{"type", "object"}}}}},
                            {"active", {{"type", "boolean"}}},
                            {"on_call", {{"type", "boolean"}}},
                            {"created_at", Time()}});
  schemas["Workspace"] = Object(
      {{"name", {{"type", "string"}}}, {"time_zone", {{"type", "string"}}}, {"currency", {{"type", "string"}}}});
  schemas["TicketPage"] = PageOf("TicketListItem");
  schemas["ClientPage"] = PageOf("Client");
  schemas["ContactPage"] = PageOf("Contact");
  schemas["UserPage"] = PageOf("User");

  schemas["NewTicket"] = Object(
      {{"subject", {{"type", "string"}}},
       {"body", {{"type", "string"}}},
       {"body_html", {{"type", "string"}}},
       {"channel", channel},
       {"priority", priority},
       {"contact",
        Object({{"id", IdSchema()}, {"email", {{"type", "string"}}}, {"phone", {{"type", "string"}}}, {"name", {{"type", "string"}}}})},
       {"assignee_id", IdSchema()},
       {"tags", StringList()},
       {"external_id", {{"type", "string"}}}},
      {"subject", "body", "contact"});
  schemas["TicketChanges"] = Object({{"subject", {{"type", "string"}}},
                                     {"status", status},
                                     {"priority", priority},
                                     {"assignee_id", Nullable("integer")},
                                     {"tags", StringList()}});
  schemas["NewMessage"] = Object(
      {{"kind", Enum({"reply", "note"})}, {"body", {{"type", "string"}}}, {"body_html", {{"type", "string"}}}},
      {"kind", "body"});
  schemas["ClientFields"] = Object(
      {{"name", {{"type", "string"}}}, {"email_domains", StringList()}, {"notes", {{"type", "string"}}},
       {"plan", {{"type", "string"}}}});
  schemas["ContactFields"] = Object({{"client_id", Nullable("integer")},
                                     {"name", {{"type", "string"}}},
                                     {"emails", StringList()},
                                     {"phones", StringList()},
                                     {"social_ids", {{"type", "array"}, {"items", Ref("SocialId")}}}});
  schemas["WorkspaceChanges"] = schemas["Workspace"];
  // Automatic mail to clients (app/auto_followups.h): the workspace's settings and a client's zone.
  for (const char* name : {"Workspace", "WorkspaceChanges"}) {
    json& properties = schemas[name]["properties"];
    properties["acknowledge_requests"] = {{"type", "boolean"}, {"description", "acknowledge new email requests"}};
    properties["nudge_after_days"] = {{"type", "integer"}, {"minimum", 0}, {"maximum", 30},
                                      {"description", "business days before nudging a client who owes an answer; 0 = never"}};
    properties["nudge_limit"] = {{"type", "integer"}, {"minimum", 0}, {"maximum", 10},
                                 {"description", "nudges before the ticket is closed with a friendly note"}};
    properties["review_pack_days"] = {{"type", "integer"}, {"minimum", 1}, {"maximum", 90},
                                      {"description", "days before an annual review that its review pack is prepared"}};
  }
  for (const char* name : {"Client", "ClientFields"}) {
    schemas[name]["properties"]["time_zone"] = {
        {"type", "string"}, {"description", "IANA zone the client reads times in; empty = the workspace's"}};
  }
  schemas["Health"] = Object({{"status", {{"type", "string"}}}});
  AddMailboxSchemas(schemas);
  AddFollowUpSchemas(schemas);
  AddPromiseSchemas(schemas);
  AddReportSchemas(schemas);
  AddReviewPackSchemas(schemas);
  return {{"schemas", schemas},
          {"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}, {"description", "an API token"}}}}}};
}

struct QueryParam {
  const char* name;
  json schema;
  const char* description;
};

struct OperationDoc {
  std::vector<QueryParam> query;
  std::string request;   // schema name of the JSON body, or empty
  std::string response;  // schema name of the success body, or empty
  int success = 200;
};

std::vector<QueryParam> PagingParams(const char* search) {
  return {{"q", {{"type", "string"}}, search},
          {"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 200}, {"default", 50}}, "page size"},
          {"cursor", {{"type", "string"}}, "next_cursor of the previous page"}};
}

// What the route table cannot say by itself: query parameters and body schemas.
const std::map<std::string, OperationDoc>& Docs() {
  static const std::map<std::string, OperationDoc> docs{
      {"GET /api/v1/tickets",
       {{{"status", {{"type", "string"}}, "comma list of statuses"},
         {"assignee_id", {{"type", "string"}}, "a user id, or none for unassigned tickets"},
         {"client_id", IdSchema(), "tickets of this client"},
         {"contact_id", IdSchema(), "tickets of this contact"},
         {"channel", {{"type", "string"}}, "comma list of channels"},
         {"tag", {{"type", "string"}}, "tickets with this tag"},
         {"created_from", Time(), "created at or after (inclusive)"},
         {"created_to", Time(), "created before (exclusive)"},
         {"q", {{"type", "string"}}, "full-text search: words are ANDed and match as prefixes"},
         {"sort", Enum({"due", "last_activity", "newest", "oldest"}),
          "order: due = earliest due time first (tickets without a running promise last, then by last activity); "
          "default due when every status asked for is open (new, open, waiting_on_client, on_hold), else "
          "last_activity"},
         {"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 200}, {"default", 50}}, "page size"},
         {"cursor", {{"type", "string"}}, "next_cursor of the previous page"}},
        "",
        "TicketPage"}},
      {"POST /api/v1/tickets", {{}, "NewTicket", "Ticket", 201}},
      {"GET /api/v1/tickets/{id}", {{}, "", "TicketView"}},
      {"PATCH /api/v1/tickets/{id}", {{}, "TicketChanges", "Ticket"}},
      {"POST /api/v1/tickets/{id}/messages", {{}, "NewMessage", "Message", 201}},
      {"GET /api/v1/clients", {PagingParams("part of the name or an email domain"), "", "ClientPage"}},
      {"POST /api/v1/clients", {{}, "ClientFields", "Client", 201}},
      {"GET /api/v1/clients/{id}", {{}, "", "Client"}},
      {"PATCH /api/v1/clients/{id}", {{}, "ClientFields", "Client"}},
      {"GET /api/v1/contacts", {[] {
                                  auto p = PagingParams("part of the name, an email or a phone");
                                  p.push_back({"client_id", IdSchema(), "contacts of this client"});
                                  return p;
                                }(),
                                "", "ContactPage"}},
      {"POST /api/v1/contacts", {{}, "ContactFields", "Contact", 201}},
      {"GET /api/v1/contacts/{id}", {{}, "", "Contact"}},
      {"PATCH /api/v1/contacts/{id}", {{}, "ContactFields", "Contact"}},
      {"GET /api/v1/users", {{}, "", "UserPage"}},
      {"GET /api/v1/me", {{}, "", "User"}},
      {"GET /api/v1/workspace", {{}, "", "Workspace"}},
      {"PATCH /api/v1/workspace", {{}, "WorkspaceChanges", "Workspace"}},
      {"GET /api/v1/mailboxes", {{}, "", "MailboxPage"}},
      {"POST /api/v1/mailboxes", {{}, "MailboxFields", "Mailbox", 201}},
      {"GET /api/v1/mailboxes/{id}", {{}, "", "Mailbox"}},
      {"PATCH /api/v1/mailboxes/{id}", {{}, "MailboxFields", "Mailbox"}},
      {"DELETE /api/v1/mailboxes/{id}", {{}, "", "", 204}},
      {"POST /api/v1/mailboxes/{id}/test", {{}, "", "ConnectionTest"}},
      {"GET /api/v1/notices",
       {{{"unread", Enum({"true", "false"}), "only unread notices"},
         {"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 200}, {"default", 50}}, "page size"}},
        "",
        "NoticePage"}},
      {"POST /api/v1/notices/{id}/read", {{}, "", "", 204}},
      {"GET /api/v1/reminders",
       {{{"scope", Enum({"mine", "all"}), "the caller's (default) or everyone's (owner, admin)"},
         {"include_done", Enum({"true", "false"}), "also reminders marked done"}},
        "",
        "ReminderPage"}},
      {"POST /api/v1/reminders", {{}, "NewReminder", "Reminder", 201}},
      {"PATCH /api/v1/reminders/{id}", {{}, "ReminderChanges", "Reminder"}},
      {"DELETE /api/v1/reminders/{id}", {{}, "", "", 204}},
      {"GET /api/v1/business-hours", {{}, "", "BusinessHours"}},
      {"PUT /api/v1/business-hours", {{}, "BusinessHoursChange", "BusinessHours"}},
      {"GET /api/v1/holidays", {{}, "", "HolidayPage"}},
      {"POST /api/v1/holidays", {{}, "NewHoliday", "Holiday", 201}},
      {"DELETE /api/v1/holidays/{id}", {{}, "", "", 204}},
      {"GET /api/v1/sla-policies", {{}, "", "SlaPolicyPage"}},
      {"POST /api/v1/sla-policies", {{}, "SlaPolicyFields", "SlaPolicy", 201}},
      {"GET /api/v1/sla-policies/{id}", {{}, "", "SlaPolicy"}},
      {"PUT /api/v1/sla-policies/{id}", {{}, "SlaPolicyFields", "SlaPolicy"}},
      {"DELETE /api/v1/sla-policies/{id}", {{}, "", "", 204}},
      {"PATCH /api/v1/users/{id}", {{}, "UserChanges", "User"}},
      {"PATCH /api/v1/me", {{}, "UserChanges", "User"}},
      {"GET /api/v1/reports/promises",
       {{{"from", {{"type", "string"}, {"format", "date"}}, "first day, in the workspace zone (default: 30 days before to)"},
         {"to", {{"type", "string"}, {"format", "date"}}, "day after the last, exclusive (default: tomorrow)"},
         {"format", Enum({"json", "csv"}), "csv: the same figures as a CSV file (also with Accept: text/csv)"}},
        "",
        "PromiseReport"}},
      {"GET /api/v1/clients/{id}/review-packs", {{}, "", "ReviewPackPage"}},
      {"GET /api/v1/review-packs/{id}", {{}, "", "ReviewPack"}},
      {"GET /healthz", {{}, "", "Health"}},
  };
  return docs;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

json ProblemResponse(const char* description) {
  return {{"description", description}, {"content", {{"application/problem+json", {{"schema", Ref("Problem")}}}}}};
}

std::string OperationId(const Route& route) {
  std::string id = Lower(route.method);
  bool upper = true;
  for (char c : route.pattern) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      id += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    } else {
      upper = true;
    }
  }
  return id;
}

}  // namespace

bool IsDocumented(const Route& route) {
  return route.pattern.rfind("/api/", 0) == 0 || route.pattern == "/healthz" || route.pattern == "/metrics";
}

json BuildOpenApi(const std::vector<Route>& routes) {
  json paths = json::object();
  for (const Route& route : routes) {
    if (!IsDocumented(route)) continue;
    json op = {{"summary", route.summary}, {"operationId", OperationId(route)}};
    json parameters = json::array();
    std::size_t pos = 0;
    while ((pos = route.pattern.find('{', pos)) != std::string::npos) {
      const std::size_t end = route.pattern.find('}', pos);
      const std::string name = route.pattern.substr(pos + 1, end - pos - 1);
      parameters.push_back({{"name", name}, {"in", "path"}, {"required", true}, {"schema", IdSchema()}});
      pos = end;
    }
    auto doc = Docs().find(route.method + " " + route.pattern);
    const OperationDoc empty;
    const OperationDoc& d = doc == Docs().end() ? empty : doc->second;
    for (const QueryParam& q : d.query) {
      parameters.push_back({{"name", q.name}, {"in", "query"}, {"required", false}, {"schema", q.schema},
                            {"description", q.description}});
    }
    if (route.method != "GET") {
      parameters.push_back({{"name", "Idempotency-Key"},
                            {"in", "header"},
                            {"required", false},
                            {"schema", {{"type", "string"}, {"maxLength", 255}}},
                            {"description", "retrying with the same key returns the first response"}});
    }
    if (!parameters.empty()) op["parameters"] = parameters;
    if (!d.request.empty()) {
      op["requestBody"] = {{"required", true}, {"content", {{"application/json", {{"schema", Ref(d.request)}}}}}};
    }
    json ok = {{"description", "success"}};
    if (!d.response.empty()) ok["content"] = {{"application/json", {{"schema", Ref(d.response)}}}};
    if (route.pattern == "/metrics") ok["content"] = {{"text/plain", {{"schema", {{"type", "string"}}}}}};
    if (route.pattern == "/api/v1/reports/promises") ok["content"]["text/csv"] = {{"schema", {{"type", "string"}}}};
    if (route.pattern.find("openapi") != std::string::npos) {
      ok["content"] = {{"application/json", {{"schema", {{"type", "object"}}}}}};
    }
    json responses = {{std::to_string(d.success), ok}};
    if (route.auth == Auth::kBearer) {
      op["security"] = json::array({{{"bearer", json::array()}}});
      responses["400"] = ProblemResponse("the request is invalid; errors names each bad field");
      responses["401"] = ProblemResponse("no valid API token");
      responses["403"] = ProblemResponse("the token's role may not do this");
      responses["404"] = ProblemResponse("no such record, or not visible to this user");
    } else {
      op["security"] = json::array();
    }
    if (route.pattern == "/healthz") responses["503"] = ProblemResponse("the database did not answer");
    op["responses"] = responses;
    paths[route.pattern][Lower(route.method)] = op;
  }
  return {
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "Rapport API"},
        {"version", "1.0.0"},
        {"description", "The help desk's JSON API. Errors are application/problem+json (RFC 9457); lists return "
                        "{items, next_cursor}; instants are RFC 3339 UTC."}}},
      {"servers", json::array({{{"url", "/"}}})},
      {"paths", paths},
      {"components", Components()},
  };
}

}  // namespace rapport::http::api
