// The embedded templates and static files: every template parses, user text is escaped, static
// URLs carry the content version, and /static/ answers with the right caching.
#include <gtest/gtest.h>
#include <httplib.h>

#include "http/web/embedded_files.h"
#include "http/web/page.h"
#include "http/web/static_files.h"
#include "http/web/templates.h"
#include "http/web/view_format.h"

namespace rapport::http::web {
namespace {

TEST(WebTemplates, EveryTemplateParses) {
  const auto names = TemplateNames();
  ASSERT_GE(names.size(), 10u);
  for (const std::string& name : names) EXPECT_EQ(TemplateError(name), "") << name;
}

TEST(WebTemplates, UnescapedOutputOnlyForSanitisedMessageBodies) {
  // Triple mustaches and {{& x}} print without escaping. The exceptions are a message body, which
  // the ticket page has already made safe (mail::SanitizeEmailHtml, RenderMarkdown or
  // RenderPlainTextBody; see pages/ticket_mail_parts.cc), and a review pack, rendered by the same safe
  // RenderMarkdown (pages/review_pack_pages.cc). Anything else must be escaped.
  for (const EmbeddedFile& f : EmbeddedFiles()) {
    if (!f.name.starts_with("templates/")) continue;
    std::string content(f.content);
    if (f.name == "templates/ticket.mustache" || f.name == "templates/review_pack.mustache") {
      const std::size_t at = content.find("{{{body_html}}}");
      ASSERT_NE(at, std::string::npos);
      content.erase(at, std::string_view("{{{body_html}}}").size());
    }
    EXPECT_EQ(content.find("{{{"), std::string::npos) << f.name;
    EXPECT_EQ(content.find("{{&"), std::string::npos) << f.name;
  }
}

TEST(WebTemplates, UserTextIsEscaped) {
  Data row;
  row.set("subject", "<script>alert('x')</script>");
  row.set("url", "/tickets/1");
  row.set("client_name", "A & B \"quoted\"");
  Data rows(Data::type::list);
  rows.push_back(row);
  Data d;
  d.set("tickets", rows);
  const std::string html = RenderTemplate("_ticket_table", d);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;"), std::string::npos) << html;
  EXPECT_NE(html.find("A &amp; B &quot;quoted&quot;"), std::string::npos);
}

TEST(WebTemplates, PageIsWrappedInLayoutWithCsrfToken) {
  Data d;
  d.set("title", "Settings");
  d.set("signed_in", true);
  d.set("csrf_token", "tok123");
  d.set("name", "Acme");
  const std::string html = RenderPage("settings", d);
  EXPECT_NE(html.find("<!doctype html>"), std::string::npos);
  EXPECT_NE(html.find("<title>Settings · Rapport</title>"), std::string::npos);
  // The sign-out form and the settings page's two forms (workspace, follow-ups) carry the token.
  std::size_t count = 0;
  for (std::size_t at = html.find("value=\"tok123\""); at != std::string::npos; at = html.find("value=\"tok123\"", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 3u);
}

TEST(WebStatic, UrlCarriesContentVersion) {
  const EmbeddedFile* css = FindEmbeddedFile("static/app.css");
  ASSERT_NE(css, nullptr);
  EXPECT_EQ(StaticUrl("app.css"), "/static/app." + std::string(css->sha256.substr(0, 8)) + ".css");
  ASSERT_NE(FindEmbeddedFile("static/htmx.min.js"), nullptr);
  EXPECT_TRUE(StaticUrl("htmx.min.js").starts_with("/static/htmx.min."));
}

RequestContext StaticRequest(const httplib::Request& req, httplib::Response& res, const std::string& file) {
  return RequestContext{req, res, std::nullopt, "", {{"file", file}}, std::nullopt};
}

TEST(WebStatic, CurrentVersionIsCachedForAYear) {
  httplib::Request req;
  httplib::Response res;
  const std::string url = StaticUrl("app.js");
  auto ctx = StaticRequest(req, res, url.substr(std::string("/static/").size()));
  ServeStaticFile(ctx);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.get_header_value("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(res.get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(res.body, std::string(FindEmbeddedFile("static/app.js")->content));
}

TEST(WebStatic, OldVersionIsServedButNotCached) {
  httplib::Request req;
  httplib::Response res;
  auto ctx = StaticRequest(req, res, "app.00000000.css");
  ServeStaticFile(ctx);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.get_header_value("Cache-Control"), "no-cache");
}

TEST(WebStatic, UnknownFilesAndTemplatesAreNotServed) {
  for (const char* name : {"nope.css", "..%2Ftemplates%2Flayout.mustache", "layout.mustache", ""}) {
    httplib::Request req;
    httplib::Response res;
    auto ctx = StaticRequest(req, res, name);
    ServeStaticFile(ctx);
    EXPECT_EQ(res.status, 404) << name;
  }
}

TEST(WebFormat, AgesAndLabels) {
  const Instant now = InstantFromUnix(1'800'000'000);
  EXPECT_EQ(Age(now - std::chrono::seconds(30), now), "just now");
  EXPECT_EQ(Age(now - std::chrono::minutes(5), now), "5 min");
  EXPECT_EQ(Age(now - std::chrono::hours(3), now), "3 h");
  EXPECT_EQ(Age(now - std::chrono::hours(24 * 3), now), "3 d");
  EXPECT_EQ(Age(now - std::chrono::hours(24 * 21), now), "3 wk");
  EXPECT_EQ(StatusLabel(TicketStatus::kWaitingOnClient), "Waiting on client");
  EXPECT_EQ(UrlEncode("a b&c/ü"), "a%20b%26c%2F%C3%BC");
  EXPECT_EQ(LocalTime(InstantFromUnix(0), "America/New_York"), "Dec 31, 1969 19:00");
  EXPECT_EQ(LocalTime(InstantFromUnix(0), "Not/AZone"), "Jan 01, 1970 00:00 UTC");
}

}  // namespace
}  // namespace rapport::http::web

namespace rapport::http::web {
namespace {

TEST(WebErrorPage, StandalonePageIsStyledAndEscaped) {
  const std::string html = StandaloneErrorPage(403, "Not allowed", "<b>no</b> entry");
  EXPECT_NE(html.find(StaticUrl("app.css")), std::string::npos);
  EXPECT_NE(html.find("403"), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;no&lt;/b&gt; entry"), std::string::npos);
  EXPECT_EQ(html.find("Sign out"), std::string::npos);
}

}  // namespace
}  // namespace rapport::http::web
