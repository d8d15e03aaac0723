// Outgoing mail: Markdown rendering, Thread-Index, Message-ID and the composed message, which is
// checked by parsing it back with GMime itself.

#include <gmime/gmime.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "mail/gmime_composer.h"
#include "mail/gmime_runtime.h"
#include "mail/markdown.h"
#include "mail/message_id.h"
#include "core/auto_followup_text.h"
#include "core/markdown_text.h"
#include "core/thread_index.h"

namespace rapport::mail {
namespace {

using app::EmailAddress;
using app::EmailAttachment;
using app::OutgoingEmail;

constexpr std::array<std::uint8_t, 16> kGuid = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
const Instant kThreadStart = InstantFromUnix(1531726800);  // 2018-07-16T07:40:00Z

// ---- GMime helpers for reading the composed message back --------------------------------------

struct GObjectUnref {
  void operator()(void* object) const { g_object_unref(object); }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;
struct GFree {
  void operator()(void* p) const { g_free(p); }
};

GPtr<GMimeMessage> ParseMessage(const std::string& raw) {
  EnsureGmime();
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  return GPtr<GMimeMessage>(g_mime_parser_construct_message(parser.get(), nullptr));
}

std::string Header(GMimeMessage* message, const char* name) {
  const char* value = g_mime_object_get_header(GMIME_OBJECT(message), name);
  return value == nullptr ? std::string("<absent>") : std::string(value);
}

std::vector<EmailAddress> Addresses(InternetAddressList* list) {
  std::vector<EmailAddress> out;
  for (int i = 0; i < internet_address_list_length(list); ++i) {
    InternetAddress* a = internet_address_list_get_address(list, i);
    const char* name = internet_address_get_name(a);
    out.push_back({name == nullptr ? "" : name, internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a))});
  }
  return out;
}

std::string ContentType(GMimeObject* object) {
  GMimeContentType* type = g_mime_object_get_content_type(object);
  return std::string(g_mime_content_type_get_media_type(type)) + "/" + g_mime_content_type_get_media_subtype(type);
}

// The decoded text of a text part, with the CRLF line ends of the wire turned back into LF.
std::string Text(GMimeObject* object) {
  std::unique_ptr<char, GFree> text(g_mime_text_part_get_text(GMIME_TEXT_PART(object)));
  std::string out;
  for (const char* p = text.get(); p != nullptr && *p != '\0'; ++p) {
    if (!(p[0] == '\r' && p[1] == '\n')) out += *p;
  }
  return out;
}

std::string DecodedBytes(GMimeObject* object) {
  GMimeDataWrapper* content = g_mime_part_get_content(GMIME_PART(object));
  GPtr<GMimeStream> out(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, out.get());
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

GMimeObject* Child(GMimeObject* multipart, int index) {
  return g_mime_multipart_get_part(GMIME_MULTIPART(multipart), index);
}

int ChildCount(GMimeObject* multipart) { return g_mime_multipart_get_count(GMIME_MULTIPART(multipart)); }

// The header block of a raw message, unfolded lines kept apart: every physical line.
std::vector<std::string> HeaderLines(const std::string& raw) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < raw.size()) {
    const std::size_t end = raw.find("\r\n", start);
    if (end == std::string::npos || end == start) break;
    lines.push_back(raw.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

// Every CR is followed by LF and every LF preceded by CR; no line is longer than 998 octets.
void ExpectCrlfAndShortLines(const std::string& raw) {
  std::size_t line_length = 0;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\r') {
      ASSERT_TRUE(i + 1 < raw.size() && raw[i + 1] == '\n') << "bare CR at " << i;
    } else if (raw[i] == '\n') {
      ASSERT_TRUE(i > 0 && raw[i - 1] == '\r') << "bare LF at " << i;
      line_length = 0;
      continue;
    }
    if (raw[i] != '\r') ++line_length;
    ASSERT_LE(line_length, 998u) << "line too long at " << i;
  }
}

bool IsSevenBit(const std::string& raw) {
  for (char c : raw) {
    if (static_cast<unsigned char>(c) >= 0x80 || c == '\0') return false;
  }
  return true;
}

// ---- fixtures ---------------------------------------------------------------------------------

OutgoingEmail BasicEmail() {
  OutgoingEmail e;
  e.message_id = "abc123@support.example.com";
  e.in_reply_to = {"orig-1@client.example.org"};
  e.references = {"root@client.example.org", "orig-1@client.example.org"};
  e.thread_index = "AdQc2DNQAAECAwQFBgcICQoLDA0ODwACGHGg";
  e.thread_topic = "Printer on fire";
  e.from = {"Acme Support", "support@example.com"};
  e.reply_to = {{"", "support+t1234@example.com"}};
  e.to = {{"Jane Doe", "jane@client.example.org"}};
  e.cc = {{"", "boss@client.example.org"}, {"Ops Team", "ops@client.example.org"}};
  e.subject = "Re: Printer on fire [#1234]";
  e.date = InstantFromUnix(1531726800);  // 2018-07-16T07:40:00Z, a Monday
  e.markdown = "Hello Jane,\n\nWe **replaced** the toner.\n\n| Part | Qty |\n|------|-----|\n| Toner | 1 |\n";
  return e;
}

Result<std::string> Compose(const OutgoingEmail& e) { return GmimeEmailComposer().Compose(e); }

// ---- RenderMarkdown ---------------------------------------------------------------------------

TEST(RenderMarkdown, RendersEmphasisTablesAndGfmExtensions) {
  const std::string html = RenderMarkdown(
      "**bold** and ~~gone~~\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\nsee www.example.com\n");
  EXPECT_NE(html.find("<strong>bold</strong>"), std::string::npos) << html;
  EXPECT_NE(html.find("<del>gone</del>"), std::string::npos) << html;
  EXPECT_NE(html.find("<table>"), std::string::npos) << html;
  EXPECT_NE(html.find("<td>2</td>"), std::string::npos) << html;
  EXPECT_NE(html.find("type=\"checkbox\""), std::string::npos) << html;
  EXPECT_NE(html.find("href=\"http://www.example.com\""), std::string::npos) << html;
}

TEST(RenderMarkdown, DropsRawHtml) {
  const std::string html = RenderMarkdown(
      "<script>alert(1)</script>\n\ntext <img src=x onerror=alert(2)> and <b onclick=\"x()\">b</b>\n\n"
      "<iframe src=\"https://evil.example\"></iframe>\n");
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("<img"), std::string::npos) << html;
  EXPECT_EQ(html.find("onclick"), std::string::npos) << html;
  EXPECT_EQ(html.find("<iframe"), std::string::npos) << html;
  EXPECT_NE(html.find("text"), std::string::npos) << html;  // the surrounding text stays
}

TEST(RenderMarkdown, RemovesDangerousLinks) {
  const std::string html = RenderMarkdown(
      "[click](javascript:alert(1)) [v](vbscript:msgbox) [up](JAVASCRIPT:alert(2)) "
      "![i](javascript:alert(3)) <javascript:alert(4)> [ok](https://example.com/a?b=1)\n");
  // Only the targets go; the text of an autolink-looking <javascript:...> stays as harmless text.
  EXPECT_EQ(html.find("=\"javascript:"), std::string::npos) << html;
  EXPECT_EQ(html.find("=\"JAVASCRIPT:"), std::string::npos) << html;
  EXPECT_EQ(html.find("=\"vbscript:"), std::string::npos) << html;
  EXPECT_NE(html.find("href=\"https://example.com/a?b=1\""), std::string::npos) << html;
}

TEST(RenderMarkdown, EscapesTextAndSurvivesInvalidUtf8) {
  const std::string html = RenderMarkdown("a < b & \"c\"\n");
  EXPECT_NE(html.find("a &lt; b &amp; &quot;c&quot;"), std::string::npos) << html;
  const std::string broken = RenderMarkdown("caf\xC3 \xFF ok");
  EXPECT_NE(broken.find("ok"), std::string::npos);
  EXPECT_NE(broken.find("\xEF\xBF\xBD"), std::string::npos) << broken;  // U+FFFD
  EXPECT_EQ(RenderMarkdown(""), "");
}

// Untrusted text (a client's display name, a ticket's subject) in the Markdown of automatic mail
// (core/markdown_text.h): once escaped it renders as exactly that text, whatever markup it holds.
std::string HtmlText(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '"') out += "&quot;";
    else if (c == '@') out += "@\u200b";  // the zero-width space EscapeMarkdownText puts after '@'
    else out += (static_cast<unsigned char>(c) < 0x20) ? ' ' : c;
  }
  return out;
}

TEST(RenderMarkdown, EscapedUntrustedTextRendersAsItself) {
  const std::vector<std::string> hostile = {
      "[Verify your account](https://evil.example)",
      "![logo](https://evil.example/pixel.png)",
      "<https://evil.example/login>",
      "https://evil.example/login",
      "www.evil.example",
      "WWW.evil.example",
      "billing@evil.example",
      "mailto:billing@evil.example",
      "*urgent* _now_ **bold** __strong__ ~~gone~~",
      "<b>Support</b> <img src=x onerror=alert(1)> <a href=\"https://evil.example\">x</a>",
      "`code` &amp; &#60;b&#62; \\[x]",
      "Jane\n\n[x]: https://evil.example\n\n[Verify][x]",
      "Jane\r\n# Heading\r\n> quote",
      "a | b | c",
      "Jane O'Brien (Acme, Inc.) & Sons - 3.0!",
  };
  for (const std::string& name : hostile) {
    const std::string html = RenderMarkdown("Hello " + EscapeMarkdownText(name) + ",\n");
    EXPECT_EQ(html, "<p>Hello " + HtmlText(name) + ",</p>\n") << name;
  }
  // The inputs are hostile: unescaped, they do become markup.
  EXPECT_NE(RenderMarkdown(hostile[0]).find("<a href=\"https://evil.example\""), std::string::npos);
  EXPECT_NE(RenderMarkdown(hostile[1]).find("<img"), std::string::npos);
  EXPECT_NE(RenderMarkdown(hostile[3]).find("<a href"), std::string::npos);
  EXPECT_NE(RenderMarkdown(hostile[4]).find("<a href"), std::string::npos);
  EXPECT_NE(RenderMarkdown(hostile[8]).find("<em>"), std::string::npos);
}

TEST(RenderMarkdown, EscapedLinesRenderAsTheirLinesWithoutBlocks) {
  const std::string note = "Ask Felix\n# Heading\n- item\n1. first\n    indented\n===\n> quote\n[Pay](https://evil.example)";
  const std::string html = RenderMarkdown(EscapeMarkdownLines(note));
  for (const char* tag : {"<h1", "<h2", "<ul", "<ol", "<pre", "<code", "<blockquote", "<a "}) {
    EXPECT_EQ(html.find(tag), std::string::npos) << tag << " in " << html;
  }
  EXPECT_EQ(html, "<p>Ask Felix<br />\n# Heading<br />\n- item<br />\n1. first<br />\nindented<br />\n===<br />\n"
                  "&gt; quote<br />\n[Pay](https://evil.example)</p>\n");
}

TEST(RenderMarkdown, AutomaticMailGreetsAHostileNameAsText) {
  const std::string name = "[Verify your account](https://evil.example) <https://evil.example> *x*";
  for (const std::string& body : {AcknowledgementText(12, name, std::nullopt, ZoneRules()), NudgeText(12, name, 1, 2),
                                  ClosingNoteText(12, name)}) {
    const std::string html = RenderMarkdown(body);
    EXPECT_EQ(html.find("<a"), std::string::npos) << html;
    EXPECT_EQ(html.find("<em>"), std::string::npos) << html;
    EXPECT_NE(html.find("<p>Hello " + HtmlText(name) + ",</p>"), std::string::npos) << html;
  }
}

// ---- Message-ID -------------------------------------------------------------------------------

TEST(MessageId, RefusesDomainsThatAreNotDnsNames) {
  for (const char* bad : {"", "exa mple.com", "example.com>", "a..b", ".example.com", "example.com.", "-a.com",
                          "a-.com", "ex\r\nample.com", "[127.0.0.1]",
                          "b\xC3\xBC"
                          "cher.de"}) {
    EXPECT_FALSE(IsValidDomain(bad)) << bad;
  }
  EXPECT_TRUE(IsValidDomain("localhost"));
  EXPECT_TRUE(IsValidDomain("xn--bcher-kva.de"));
  EXPECT_TRUE(IsValidDomain("support.example.com"));
  EXPECT_FALSE(IsValidDomain(std::string(64, 'a') + ".com"));
  EXPECT_TRUE(IsValidDomain(std::string(63, 'a') + ".com"));
}

TEST(MessageId, ValidatesIds) {
  EXPECT_TRUE(IsValidMessageId("a.b+c@d.e"));
  // The shape app/email_outbox.cc makes: "rapport." and a URL-safe base64 token.
  EXPECT_TRUE(IsValidMessageId("rapport.Zq3-x_9AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_@support.example.com"));
  for (const char* bad : {"", "no-at", "<a@b>", "a b@c", "a@b\r\nX: y", "@b", "a@", "a..b@c", "a@b@c\"d\""}) {
    EXPECT_FALSE(IsValidMessageId(bad)) << bad;
  }
}

// ---- the composer -----------------------------------------------------------------------------

TEST(GmimeEmailComposer, WritesEveryHeader) {
  Result<std::string> raw = Compose(BasicEmail());
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  auto message = ParseMessage(*raw);
  ASSERT_NE(message, nullptr);
  GMimeMessage* m = message.get();

  EXPECT_EQ(Addresses(g_mime_message_get_from(m)),
            (std::vector<EmailAddress>{{"Acme Support", "support@example.com"}}));
  EXPECT_EQ(Addresses(g_mime_message_get_reply_to(m)), (std::vector<EmailAddress>{{"", "support+t1234@example.com"}}));
  EXPECT_EQ(Addresses(g_mime_message_get_to(m)), (std::vector<EmailAddress>{{"Jane Doe", "jane@client.example.org"}}));
  EXPECT_EQ(Addresses(g_mime_message_get_cc(m)),
            (std::vector<EmailAddress>{{"", "boss@client.example.org"}, {"Ops Team", "ops@client.example.org"}}));
  EXPECT_STREQ(g_mime_message_get_subject(m), "Re: Printer on fire [#1234]");
  EXPECT_EQ(Header(m, "Date"), "Mon, 16 Jul 2018 07:40:00 +0000");
  EXPECT_STREQ(g_mime_message_get_message_id(m), "abc123@support.example.com");
  EXPECT_EQ(Header(m, "Message-ID"), "<abc123@support.example.com>");
  EXPECT_EQ(Header(m, "In-Reply-To"), "<orig-1@client.example.org>");
  EXPECT_EQ(Header(m, "References"), "<root@client.example.org> <orig-1@client.example.org>");
  EXPECT_EQ(Header(m, "Thread-Index"), "AdQc2DNQAAECAwQFBgcICQoLDA0ODwACGHGg");
  EXPECT_EQ(Header(m, "Thread-Topic"), "Printer on fire");
  EXPECT_EQ(Header(m, "MIME-Version"), "1.0");
  EXPECT_EQ(Header(m, "Auto-Submitted"), "<absent>");
  EXPECT_EQ(Header(m, "X-Auto-Response-Suppress"), "<absent>");

  // The order of the header block, as documented.
  std::vector<std::string> names;
  for (const std::string& line : HeaderLines(*raw)) {
    if (line[0] != ' ' && line[0] != '\t') names.push_back(line.substr(0, line.find(':')));
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{"From", "Reply-To", "To", "Cc", "Subject", "Date", "Message-ID", "In-Reply-To",
                                      "References", "Thread-Index", "Thread-Topic", "MIME-Version", "Content-Type"}));
  EXPECT_TRUE(IsSevenBit(*raw));
  ExpectCrlfAndShortLines(*raw);
}

TEST(GmimeEmailComposer, LeavesOutEmptyOptionalHeaders) {
  OutgoingEmail e = BasicEmail();
  e.in_reply_to.clear();
  e.references.clear();
  e.thread_index.clear();
  e.thread_topic.clear();
  e.reply_to.clear();
  e.cc.clear();
  Result<std::string> raw = Compose(e);
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  auto message = ParseMessage(*raw);
  ASSERT_NE(message, nullptr);
  for (const char* name : {"In-Reply-To", "References", "Thread-Index", "Thread-Topic", "Reply-To", "Cc"}) {
    EXPECT_EQ(Header(message.get(), name), "<absent>") << name;
  }
}

TEST(GmimeEmailComposer, MarksAutomaticMail) {
  OutgoingEmail e = BasicEmail();
  e.auto_submitted = true;
  Result<std::string> raw = Compose(e);
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  auto message = ParseMessage(*raw);
  ASSERT_NE(message, nullptr);
  EXPECT_EQ(Header(message.get(), "Auto-Submitted"), "auto-replied");
  EXPECT_EQ(Header(message.get(), "X-Auto-Response-Suppress"), "All");
}

TEST(GmimeEmailComposer, SendsMarkdownAsTextAndSafeHtml) {
  OutgoingEmail e = BasicEmail();
  e.markdown += "\n<script>alert('x')</script>\n\n[pay here](javascript:steal())\n";
  Result<std::string> raw = Compose(e);
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  auto message = ParseMessage(*raw);
  ASSERT_NE(message, nullptr);
  GMimeObject* body = g_mime_message_get_mime_part(message.get());
  ASSERT_EQ(ContentType(body), "multipart/alternative");
  ASSERT_EQ(ChildCount(body), 2);
  GMimeObject* plain = Child(body, 0);
  GMimeObject* html = Child(body, 1);
  EXPECT_EQ(ContentType(plain), "text/plain");
  EXPECT_EQ(ContentType(html), "text/html");
  EXPECT_EQ(Text(plain), e.markdown);

  const std::string h = Text(html);
  EXPECT_NE(h.find("<meta charset=\"utf-8\">"), std::string::npos) << h;
  EXPECT_NE(h.find("<strong>replaced</strong>"), std::string::npos) << h;
  EXPECT_NE(h.find("<table>"), std::string::npos) << h;
  EXPECT_NE(h.find("<td>Toner</td>"), std::string::npos) << h;
  EXPECT_EQ(h.find("<script"), std::string::npos) << h;
  EXPECT_EQ(h.find("javascript:"), std::string::npos) << h;
  EXPECT_NE(h.find("pay here"), std::string::npos) << h;
  EXPECT_TRUE(IsSevenBit(*raw));
  ExpectCrlfAndShortLines(*raw);
}

TEST(GmimeEmailComposer, NormalisesBodyLineEndings) {
  OutgoingEmail e = BasicEmail();
  e.markdown = "line one\r\nline two\rline three\n";
  Result<std::string> raw = Compose(e);
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  ExpectCrlfAndShortLines(*raw);
  auto message = ParseMessage(*raw);
  ASSERT_NE(message, nullptr);
  const std::string text = Text(Child(g_mime_message_get_mime_part(message.get()), 0));
  EXPECT_EQ(text, "line one\nline two\nline three\n");
}

TEST(GmimeEmailComposer, EncodesNonAsciiNamesSubjectAndTopic) {
  OutgoingEmail e = BasicEmail();
  e.from.name = "Ünïcødé Support — Café";
  e.to = {{"Zoë \"Z\" O'Brien, Jr.", "zoe@client.example.org"}, {"山田 太郎", "taro@client.example.jp"}};
  e.subject = "Re: Überweisung fehlgeschlagen – 請求書 😀 [#1234] " + std::string(60, 'x');
  e.thread_topic = "Überweisung fehlgeschlagen";
  e.markdown = "Grüße, **Jörg** — 你好\n";
  Result<std::string> raw = Compose(e);
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  EXPECT_TRUE(IsSevenBit(*raw)) << "headers must be RFC 2047-encoded and bodies 7-bit-safe";
  ExpectCrlfAndShortLines(*raw);
  EXPECT_NE(raw->find("=?UTF-8?"), std::string::npos);
  EXPECT_EQ(raw->find("iso-8859"), std::string::npos) << "always UTF-8, never GMime's narrower \"best\" charset";
  auto message = ParseMessage(*raw);
  ASSERT_NE(message, nullptr);
  EXPECT_EQ(Addresses(g_mime_message_get_from(message.get())),
            (std::vector<EmailAddress>{{"Ünïcødé Support — Café", "support@example.com"}}));
  EXPECT_EQ(Addresses(g_mime_message_get_to(message.get())), e.to);
  EXPECT_EQ(g_mime_message_get_subject(message.get()), e.subject);
  EXPECT_EQ(Header(message.get(), "Thread-Topic"), e.thread_topic);
  GMimeObject* body = g_mime_message_get_mime_part(message.get());
  for (int i = 0; i < 2; ++i) {
    EXPECT_STREQ(g_mime_object_get_content_type_parameter(Child(body, i), "charset"), "utf-8");
    // Mostly non-ASCII text comes out shorter in base64, mostly ASCII text in quoted-printable.
    const GMimeContentEncoding encoding = g_mime_part_get_content_encoding(GMIME_PART(Child(body, i)));
    EXPECT_TRUE(encoding == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE || encoding == GMIME_CONTENT_ENCODING_BASE64) << i;
  }
  EXPECT_EQ(Text(Child(body, 0)), e.markdown);
  EXPECT_NE(Text(Child(body, 1)).find("<strong>Jörg</strong>"), std::string::npos);
  // Header lines are folded to a readable width (GMime folds at 78 where it can).
  for (const std::string& line : HeaderLines(*raw)) EXPECT_LE(line.size(), 78u) << line;
}

TEST(GmimeEmailComposer, FoldsLongReferences) {
  OutgoingEmail e = BasicEmail();
  e.references.clear();
  for (int i = 0; i < 300; ++i) e.references.push_back("message-" + std::to_string(i) + "@mail.client.example.org");
  e.in_reply_to = {e.references.back()};
  Result<std::string> raw = Compose(e);
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  ExpectCrlfAndShortLines(*raw);
  int continuation_lines = 0;
  for (const std::string& line : HeaderLines(*raw)) {
    EXPECT_LE(line.size(), 998u);
    if (line[0] == ' ' || line[0] == '\t') ++continuation_lines;
  }
  EXPECT_GT(continuation_lines, 100);
  auto message = ParseMessage(*raw);
  ASSERT_NE(message, nullptr);
  GMimeReferences* refs = g_mime_references_parse(nullptr, Header(message.get(), "References").c_str());
  ASSERT_NE(refs, nullptr);
  ASSERT_EQ(g_mime_references_length(refs), 300);
  for (int i = 0; i < 300; ++i)
    EXPECT_EQ(g_mime_references_get_message_id(refs, i), e.references[static_cast<std::size_t>(i)]);
  g_mime_references_free(refs);
}

TEST(GmimeEmailComposer, QuotesLongBodyLines) {
  OutgoingEmail e = BasicEmail();
  e.markdown = std::string(5000, 'a') + "\n\n" + std::string(3000, 'b') + " end\n";
  Result<std::string> raw = Compose(e);
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  ExpectCrlfAndShortLines(*raw);
  auto message = ParseMessage(*raw);
  ASSERT_NE(message, nullptr);
  EXPECT_EQ(Text(Child(g_mime_message_get_mime_part(message.get()), 0)), e.markdown);
}

TEST(GmimeEmailComposer, KeepsHeaderLinesShortWithoutSpacesToFoldAt) {
  OutgoingEmail e = BasicEmail();
  e.subject = std::string(1500, 's');
  e.thread_topic = std::string(1200, 't');
  e.from.name = std::string(1100, 'n');
  e.to[0].name = std::string(300, 'x') + "\xC3\xA9" + std::string(1000, 'y');
  Result<std::string> raw = Compose(e);
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  ExpectCrlfAndShortLines(*raw);
  auto message = ParseMessage(*raw);
  ASSERT_NE(message, nullptr);
  EXPECT_EQ(g_mime_message_get_subject(message.get()), e.subject);
  EXPECT_EQ(Header(message.get(), "Thread-Topic"), e.thread_topic);
  EXPECT_EQ(Addresses(g_mime_message_get_from(message.get())).at(0).name, e.from.name);
  EXPECT_EQ(Addresses(g_mime_message_get_to(message.get())).at(0).name, e.to[0].name);
}

TEST(GmimeEmailComposer, WritesALongThreadIndexAsOneWord) {
  // Outlook reads the value as plain base64: no folding inside it, no RFC 2047 encoded-words.
  OutgoingEmail e = BasicEmail();
  std::string index = MakeThreadIndex(kThreadStart, kGuid);
  for (int i = 1; i <= 100; ++i) index = *AppendThreadIndexChild(index, kThreadStart + std::chrono::hours(i), 0);
  ASSERT_GT(index.size(), 600u);
  e.thread_index = index;
  Result<std::string> raw = Compose(e);
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  ExpectCrlfAndShortLines(*raw);
  EXPECT_NE(raw->find("\r\nThread-Index: " + index + "\r\n"), std::string::npos);
  auto message = ParseMessage(*raw);
  ASSERT_NE(message, nullptr);
  EXPECT_EQ(Header(message.get(), "Thread-Index"), index);
}

TEST(GmimeEmailComposer, WritesLongMessageIdsWhole) {
  OutgoingEmail e = BasicEmail();
  const std::string long_id = std::string(400, 'q') + "@" + std::string(200, 'd') + ".example";
  e.message_id = long_id;
  e.in_reply_to = {long_id};
  e.references = {"short@x", long_id, "other@y"};
  Result<std::string> raw = Compose(e);
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  ExpectCrlfAndShortLines(*raw);
  EXPECT_EQ(raw->substr(0, raw->find("\r\n\r\n")).find("=?"), std::string::npos) << "no encoded-words";
  auto message = ParseMessage(*raw);
  ASSERT_NE(message, nullptr);
  EXPECT_EQ(g_mime_message_get_message_id(message.get()), long_id);
  EXPECT_EQ(Header(message.get(), "In-Reply-To"), "<" + long_id + ">");
  GMimeReferences* refs = g_mime_references_parse(nullptr, Header(message.get(), "References").c_str());
  ASSERT_NE(refs, nullptr);
  ASSERT_EQ(g_mime_references_length(refs), 3);
  EXPECT_EQ(g_mime_references_get_message_id(refs, 1), long_id);
  g_mime_references_free(refs);
}

TEST(GmimeEmailComposer, SendsOnlyTheRootOfAnOverlongThreadIndex) {
  OutgoingEmail e = BasicEmail();
  std::string index = MakeThreadIndex(kThreadStart, kGuid);
  for (int i = 1; i <= 200; ++i) index = *AppendThreadIndexChild(index, kThreadStart + std::chrono::hours(i), 0);
  ASSERT_GT(index.size(), 998u);
  e.thread_index = index;
  Result<std::string> raw = Compose(e);
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  ExpectCrlfAndShortLines(*raw);
  auto message = ParseMessage(*raw);
  ASSERT_NE(message, nullptr);
  EXPECT_EQ(Header(message.get(), "Thread-Index"), ThreadIndexRoot(index));
}

TEST(GmimeEmailComposer, RefusesDatesGMimeCannotWrite) {
  OutgoingEmail e = BasicEmail();
  e.date = InstantFromUnix(400'000'000'000);  // the year 14645
  Result<std::string> raw = Compose(e);
  ASSERT_FALSE(raw.ok());
  EXPECT_EQ(raw.status().code(), StatusCode::kInvalidArgument);
}

TEST(GmimeEmailComposer, ComposesAMinimalMessage) {
  OutgoingEmail e;
  e.message_id = "m@example.com";
  e.from = {"", "support@example.com"};
  e.date = InstantFromUnix(0);
  Result<std::string> raw = Compose(e);
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  ExpectCrlfAndShortLines(*raw);
  auto message = ParseMessage(*raw);
  ASSERT_NE(message, nullptr);
  EXPECT_EQ(Header(message.get(), "Date"), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(Text(Child(g_mime_message_get_mime_part(message.get()), 0)), "");
}

EmailAttachment Attachment(std::string filename, std::string type, std::string data) {
  EmailAttachment a;
  a.filename = std::move(filename);
  a.content_type = std::move(type);
  a.size = static_cast<std::int64_t>(data.size());
  a.data = std::move(data);
  return a;
}

std::string AllBytes() {
  std::string bytes;
  for (int round = 0; round < 40; ++round) {
    for (int b = 0; b < 256; ++b) bytes += static_cast<char>((b * 7 + round) & 0xFF);
  }
  bytes += std::string("\r\n\n\r\0\0", 6);
  return bytes;
}

TEST(GmimeEmailComposer, AttachesFilesByteExact) {
  OutgoingEmail e = BasicEmail();
  e.attachments.push_back(Attachment("report.pdf", "application/pdf", AllBytes()));
  e.attachments.push_back(Attachment("Rechnung März 2026 — überfällig.txt", "text/plain", "Grüße\r\nline\n"));
  e.attachments.push_back(Attachment("empty.bin", "", ""));
  Result<std::string> raw = Compose(e);
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  EXPECT_TRUE(IsSevenBit(*raw));
  ExpectCrlfAndShortLines(*raw);
  // RFC 2231, with continuations for the long name.
  EXPECT_NE(raw->find("filename*0*=UTF-8''Rechnung%20M%C3%A4rz"), std::string::npos);

  auto message = ParseMessage(*raw);
  ASSERT_NE(message, nullptr);
  GMimeObject* mixed = g_mime_message_get_mime_part(message.get());
  ASSERT_EQ(ContentType(mixed), "multipart/mixed");
  ASSERT_EQ(ChildCount(mixed), 4);
  EXPECT_EQ(ContentType(Child(mixed, 0)), "multipart/alternative");
  const std::array<std::string, 3> types = {"application/pdf", "text/plain", "application/octet-stream"};
  for (int i = 0; i < 3; ++i) {
    GMimeObject* part = Child(mixed, i + 1);
    const EmailAttachment& a = e.attachments[static_cast<std::size_t>(i)];
    EXPECT_EQ(ContentType(part), types[static_cast<std::size_t>(i)]);
    EXPECT_STREQ(g_mime_object_get_disposition(part), "attachment");
    EXPECT_EQ(g_mime_part_get_content_encoding(GMIME_PART(part)), GMIME_CONTENT_ENCODING_BASE64);
    EXPECT_EQ(g_mime_part_get_filename(GMIME_PART(part)), a.filename);
    EXPECT_EQ(DecodedBytes(part), a.data) << a.filename;
  }
}

TEST(GmimeEmailComposer, PutsInlineImagesNextToTheHtml) {
  OutgoingEmail e = BasicEmail();
  e.markdown = "Here: ![logo](cid:logo@rapport)\n";
  EmailAttachment logo = Attachment("logo.png", "image/png", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  logo.content_id = "logo@rapport";
  logo.is_inline = true;
  EmailAttachment no_cid = Attachment("photo.jpg", "image/jpeg", "\xFF\xD8\xFF\xE0 jpeg");
  no_cid.is_inline = true;
  e.attachments = {logo, Attachment("notes.txt", "text/plain", "n"), no_cid};
  Result<std::string> raw = Compose(e);
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  ExpectCrlfAndShortLines(*raw);
  auto message = ParseMessage(*raw);
  ASSERT_NE(message, nullptr);

  // mixed(alternative(plain, related(html, logo)), notes.txt, photo.jpg)
  GMimeObject* mixed = g_mime_message_get_mime_part(message.get());
  ASSERT_EQ(ContentType(mixed), "multipart/mixed");
  ASSERT_EQ(ChildCount(mixed), 3);
  GMimeObject* alternative = Child(mixed, 0);
  ASSERT_EQ(ContentType(alternative), "multipart/alternative");
  ASSERT_EQ(ChildCount(alternative), 2);
  EXPECT_EQ(ContentType(Child(alternative, 0)), "text/plain");
  GMimeObject* related = Child(alternative, 1);
  ASSERT_EQ(ContentType(related), "multipart/related");
  ASSERT_EQ(ChildCount(related), 2);
  EXPECT_NE(Text(Child(related, 0)).find("src=\"cid:logo@rapport\""), std::string::npos);
  GMimeObject* image = Child(related, 1);
  EXPECT_EQ(ContentType(image), "image/png");
  EXPECT_STREQ(g_mime_object_get_content_id(image), "logo@rapport");
  EXPECT_STREQ(g_mime_object_get_disposition(image), "inline");
  EXPECT_EQ(DecodedBytes(image), logo.data);
  EXPECT_STREQ(g_mime_object_get_disposition(Child(mixed, 1)), "attachment");
  EXPECT_STREQ(g_mime_object_get_disposition(Child(mixed, 2)), "inline");
  EXPECT_EQ(DecodedBytes(Child(mixed, 2)), no_cid.data);
}

TEST(GmimeEmailComposer, RefusesHeaderInjection) {
  struct Case {
    const char* what;
    void (*spoil)(OutgoingEmail&);
  };
  const Case cases[] = {
      {"subject CRLF", [](OutgoingEmail& e) { e.subject = "Hi\r\nBcc: victim@evil.example"; }},
      {"subject LF", [](OutgoingEmail& e) { e.subject = "Hi\nBcc: victim@evil.example"; }},
      {"subject CR", [](OutgoingEmail& e) { e.subject = "Hi\rBcc: victim@evil.example"; }},
      {"subject NUL", [](OutgoingEmail& e) { e.subject = std::string("Hi\0there", 8); }},
      {"subject not UTF-8", [](OutgoingEmail& e) { e.subject = "caf\xE9"; }},
      {"from name", [](OutgoingEmail& e) { e.from.name = "Support\r\nBcc: victim@evil.example"; }},
      {"to name", [](OutgoingEmail& e) { e.to[0].name = "Jane\nX-Evil: 1"; }},
      {"cc address", [](OutgoingEmail& e) { e.cc[0].address = "boss@client.example.org\r\nBcc: x@y.z"; }},
      {"to address no @", [](OutgoingEmail& e) { e.to[0].address = "jane"; }},
      {"to address two @", [](OutgoingEmail& e) { e.to[0].address = "jane@x@y.com"; }},
      {"to address space", [](OutgoingEmail& e) { e.to[0].address = "jane doe@example.com"; }},
      {"to address brackets", [](OutgoingEmail& e) { e.to[0].address = "<jane@example.com>"; }},
      {"to address list", [](OutgoingEmail& e) { e.to[0].address = "jane@example.com, evil@example.com"; }},
      {"to address bad domain", [](OutgoingEmail& e) { e.to[0].address = "jane@exa_mple.com"; }},
      {"to address non-ASCII", [](OutgoingEmail& e) { e.to[0].address = "j\xC3\xA4ne@example.com"; }},
      {"reply-to empty", [](OutgoingEmail& e) { e.reply_to[0].address = ""; }},
      {"from missing", [](OutgoingEmail& e) { e.from = {}; }},
      {"message id CRLF", [](OutgoingEmail& e) { e.message_id = "a@b\r\nBcc: x@y.z"; }},
      {"message id brackets", [](OutgoingEmail& e) { e.message_id = "<a@b>"; }},
      {"message id empty", [](OutgoingEmail& e) { e.message_id = ""; }},
      {"in-reply-to LF", [](OutgoingEmail& e) { e.in_reply_to = {"a@b\nX: y"}; }},
      {"references space", [](OutgoingEmail& e) { e.references = {"a@b c@d"}; }},
      {"references bracket", [](OutgoingEmail& e) { e.references = {"a@b>\r\n"}; }},
      {"references empty", [](OutgoingEmail& e) { e.references = {""}; }},
      {"thread topic", [](OutgoingEmail& e) { e.thread_topic = "Topic\r\nBcc: x@y.z"; }},
      {"thread index", [](OutgoingEmail& e) { e.thread_index = "AdQc\r\nBcc: x@y.z"; }},
      {"thread index length", [](OutgoingEmail& e) { e.thread_index = "AdQc2DNQ"; }},
      {"markdown NUL", [](OutgoingEmail& e) { e.markdown = std::string("a\0b", 3); }},
      {"markdown not UTF-8", [](OutgoingEmail& e) { e.markdown = "\xFF\xFE"; }},
      {"attachment filename",
       [](OutgoingEmail& e) { e.attachments = {Attachment("a\r\nContent-Type: text/html", "text/plain", "x")}; }},
      {"attachment type", [](OutgoingEmail& e) { e.attachments = {Attachment("a.txt", "text/plain\r\nX: y", "x")}; }},
      {"attachment type shape", [](OutgoingEmail& e) { e.attachments = {Attachment("a.txt", "textplain", "x")}; }},
      {"attachment content id",
       [](OutgoingEmail& e) {
         e.attachments = {Attachment("a.png", "image/png", "x")};
         e.attachments[0].content_id = "a>\r\nX: y";
       }},
      {"attachment omitted",
       [](OutgoingEmail& e) {
         e.attachments = {Attachment("big.iso", "application/octet-stream", "")};
         e.attachments[0].size = 30LL << 20;
         e.attachments[0].omitted_reason = "larger than 25 MB";
       }},
  };
  for (const Case& c : cases) {
    OutgoingEmail e = BasicEmail();
    c.spoil(e);
    Result<std::string> raw = Compose(e);
    ASSERT_FALSE(raw.ok()) << c.what << ":\n" << *raw;
    EXPECT_EQ(raw.status().code(), StatusCode::kInvalidArgument) << c.what;
    EXPECT_FALSE(raw.status().field_errors().empty()) << c.what;
  }
}

TEST(GmimeEmailComposer, AcceptsUnusualButSafeReferenceIds) {
  OutgoingEmail e = BasicEmail();
  e.in_reply_to = {"no-at-sign-here"};
  e.references = {"\"quoted\"@[10.0.0.1]", "no-at-sign-here"};
  Result<std::string> raw = Compose(e);
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  auto message = ParseMessage(*raw);
  ASSERT_NE(message, nullptr);
  EXPECT_EQ(Header(message.get(), "In-Reply-To"), "<no-at-sign-here>");
}

TEST(GmimeEmailComposer, IsDeterministicExceptForBoundaries) {
  OutgoingEmail e = BasicEmail();
  e.attachments.push_back(Attachment("a.bin", "application/octet-stream", "abc"));
  Result<std::string> first = Compose(e);
  Result<std::string> second = Compose(e);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(*first, *second);  // boundaries are random
  auto strip_boundaries = [](std::string s) {
    for (std::size_t at = s.find("=_rapport_"); at != std::string::npos; at = s.find("=_rapport_", at)) {
      s.replace(at, 10 + 43, "BOUNDARY");  // "=_rapport_" and a 43-character token
    }
    return s;
  };
  EXPECT_EQ(strip_boundaries(*first), strip_boundaries(*second));
}

TEST(GmimeEmailComposer, ComposesFromManyThreads) {
  const GmimeEmailComposer composer;
  OutgoingEmail e = BasicEmail();
  e.subject = "Grüße aus Köln [#1234]";
  e.attachments.push_back(Attachment("daten.bin", "application/octet-stream", AllBytes()));
  std::vector<std::thread> threads;
  std::array<int, 4> failures{};
  for (std::size_t t = 0; t < failures.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        Result<std::string> raw = composer.Compose(e);
        auto message = raw.ok() ? ParseMessage(*raw) : nullptr;
        if (message == nullptr || g_mime_message_get_subject(message.get()) != e.subject) ++failures[t];
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures, (std::array<int, 4>{}));
}

TEST(GmimeEmailComposer, KeepsContentTypeParametersOfAttachments) {
  OutgoingEmail e = BasicEmail();
  e.attachments = {Attachment("invite.ics", "text/calendar; method=REQUEST; charset=utf-8", "BEGIN:VCALENDAR\r\n")};
  Result<std::string> raw = Compose(e);
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  auto message = ParseMessage(*raw);
  ASSERT_NE(message, nullptr);
  GMimeObject* part = Child(g_mime_message_get_mime_part(message.get()), 1);
  EXPECT_EQ(ContentType(part), "text/calendar");
  EXPECT_STREQ(g_mime_object_get_content_type_parameter(part, "method"), "REQUEST");
  EXPECT_EQ(DecodedBytes(part), "BEGIN:VCALENDAR\r\n");
}

TEST(GmimeEmailComposer, SendsFilenamesWithoutDirectories) {
  OutgoingEmail e = BasicEmail();
  e.attachments = {Attachment("../../etc/passwd", "text/plain", "a"),
                   Attachment("C:\\Users\\x\\r.txt", "text/plain", "b"), Attachment("dir/..", "text/plain", "c"),
                   Attachment("", "text/plain", "d")};
  Result<std::string> raw = Compose(e);
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  auto message = ParseMessage(*raw);
  ASSERT_NE(message, nullptr);
  GMimeObject* mixed = g_mime_message_get_mime_part(message.get());
  ASSERT_EQ(ChildCount(mixed), 5);
  EXPECT_STREQ(g_mime_part_get_filename(GMIME_PART(Child(mixed, 1))), "passwd");
  EXPECT_STREQ(g_mime_part_get_filename(GMIME_PART(Child(mixed, 2))), "r.txt");
  EXPECT_STREQ(g_mime_part_get_filename(GMIME_PART(Child(mixed, 3))), "attachment");
  EXPECT_STREQ(g_mime_part_get_filename(GMIME_PART(Child(mixed, 4))), "attachment");
}

}  // namespace
}  // namespace rapport::mail
