// Walks EVERY route of the server's table (API and web alike) as every role and anonymously, and
// checks the outcome against a table keyed by the route's declared Access. A new Access value
// without an entry, or a route whose behaviour does not match its declaration, fails here.
#include <set>

#include "http/router.h"
#include "http_fixture.h"

namespace rapport::http::testing {
namespace {

using nlohmann::json;

class RoleWalkTest : public HttpTest {};

// Which callers each Access admits. Everyone else must be refused: anonymous with 401 (API) or a
// redirect to the sign-in page (web), signed-in users with 403 (or 404, which hides existence).
const std::map<Access, std::set<Caller>>& Admitted() {
  static const std::map<Access, std::set<Caller>> table = {
      {Access::kAnyone, {Caller::kOwner, Caller::kAdmin, Caller::kAgent, Caller::kSubcontractor, Caller::kAnonymous}},
      {Access::kAnyUser, {Caller::kOwner, Caller::kAdmin, Caller::kAgent, Caller::kSubcontractor}},
      {Access::kStaff, {Caller::kOwner, Caller::kAdmin, Caller::kAgent}},
      {Access::kManageSettings, {Caller::kOwner, Caller::kAdmin}},
  };
  return table;
}

TEST_P(RoleWalkTest, EveryRouteAnswersEveryRoleAsItsAccessDeclares) {
  // Records for the {id} of each route: a ticket assigned to the subcontractor (so they may see it),
  // a client and a contact.
  Reply client = Call(Caller::kOwner, "POST", "/api/v1/clients", R"({"name":"Walk Ltd"})");
  ASSERT_EQ(client.status, 201);
  json ticket = CreateTicket({{"subject", "Walk"},
                              {"body", "b"},
                              {"assignee_id", user_id(Caller::kSubcontractor).value},
                              {"contact", {{"email", "walker@walk.example"}, {"name", "Walker"}}}});
  const std::string ticket_id = std::to_string(ticket["id"].get<std::int64_t>());
  const std::string client_id = std::to_string(client.json["id"].get<std::int64_t>());
  const std::string contact_id = std::to_string(ticket["contact_id"].get<std::int64_t>());

  const std::vector<Route>& routes = server().router().routes();
  ASSERT_GE(routes.size(), 30u) << "the API and the web UI should both be in the table";
  int calls = 0;
  for (const Route& route : routes) {
    auto admitted = Admitted().find(route.access);
    ASSERT_NE(admitted, Admitted().end()) << "no expectation for the Access of " << route.method << " "
                                          << route.pattern << ": add it to Admitted()";
    std::string target = route.pattern;
    for (std::size_t open; (open = target.find('{')) != std::string::npos;) {
      const std::size_t close = target.find('}', open);
      const std::string name = target.substr(open + 1, close - open - 1);
      std::string value = "unknown-file.css";
      if (name == "id") {
        value = target.rfind("/api/v1/clients", 0) == 0 || target.rfind("/clients", 0) == 0     ? client_id
                : target.rfind("/api/v1/contacts", 0) == 0 || target.rfind("/contacts", 0) == 0 ? contact_id
                                                                                                : ticket_id;
      }
      target.replace(open, close - open + 1, value);
    }
    const bool api = IsApiPath(target);
    for (Caller who : {Caller::kOwner, Caller::kAdmin, Caller::kAgent, Caller::kSubcontractor, Caller::kAnonymous}) {
      SCOPED_TRACE(route.method + " " + target + " as " + CallerName(who));
      httplib::Headers headers;
      std::string body = api ? "{}" : "";
      std::string content_type = api ? "application/json" : "application/x-www-form-urlencoded";
      if (who != Caller::kAnonymous) {
        if (route.auth == Auth::kBearer || (route.auth == Auth::kNone && api)) {
          headers.emplace("Authorization", "Bearer " + token(who));
        } else {
          auto [cookie, csrf] = WebSession(who);  // fresh: the walk may sign a session out
          headers.emplace("Cookie", cookie);
          headers.emplace("X-CSRF-Token", csrf);
        }
      }
      Reply r = Raw(route.method, target, headers, route.method == "GET" ? "" : body, content_type);
      ++calls;
      EXPECT_LT(r.status, 500) << r.body;
      // The router's redirect for a missing session always names the page to come back to.
      const bool to_sign_in = r.status == 303 && r.Header("Location").rfind("/sign-in?next=", 0) == 0;
      if (route.access == Access::kAnyone) {
        // Public routes: the router lets everyone through. What the handler then says (the sign-in
        // form's own token check may refuse an empty post) is not an access decision.
        EXPECT_NE(r.status, 401) << r.body;
      } else if (admitted->second.count(who) > 0) {
        EXPECT_NE(r.status, 401) << r.body;
        EXPECT_NE(r.status, 403) << r.body;
        EXPECT_FALSE(to_sign_in) << "a signed-in user was sent to sign in";
      } else if (who == Caller::kAnonymous) {
        if (route.auth == Auth::kBearer) {
          EXPECT_EQ(r.status, 401) << r.body;
          EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
        } else {
          EXPECT_TRUE(to_sign_in) << r.status << " " << r.Header("Location");
        }
      } else {
        EXPECT_TRUE(r.status == 403 || r.status == 404) << r.status << " " << r.body;
      }
    }
  }
  EXPECT_EQ(calls, static_cast<int>(routes.size()) * 5);
}

INSTANTIATE_TEST_SUITE_P(Backends, RoleWalkTest, rapport::testing::AllBackends(), rapport::testing::BackendName);

}  // namespace
}  // namespace rapport::http::testing
