// GmimeEmailParser, one feature at a time, on small messages written here.

#include "mail/gmime_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "mail/parse_auto_reply.h"
#include "mail/parse_charset.h"
#include "mail/parse_delivery_report.h"
#include "mail/parse_forward.h"
#include "mail/parse_message_ids.h"

namespace rapport::mail {
namespace {

using app::AutoReplyKind;
using app::EmailAttachment;
using app::InboundEmail;

// Messages are written with LF here; real mail has CRLF, so every test message is tried both ways.
std::string Crlf(std::string_view lf) {
  std::string out;
  for (char c : lf) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

InboundEmail ParseOk(std::string_view raw, app::EmailLimits limits = {}) {
  GmimeEmailParser parser(limits);
  Result<InboundEmail> crlf = parser.Parse(Crlf(raw));
  EXPECT_TRUE(crlf.ok()) << crlf.status().ToString();
  Result<InboundEmail> lf = parser.Parse(raw);
  EXPECT_TRUE(lf.ok()) << lf.status().ToString();
  if (!lf.ok()) return {};
  if (crlf.ok()) {  // line endings must not change what is read (the parser normalises text to LF)
    EXPECT_EQ(crlf->subject, lf->subject);
    EXPECT_EQ(crlf->text, lf->text);
    EXPECT_EQ(crlf->attachments.size(), lf->attachments.size());
    EXPECT_EQ(crlf->auto_reply, lf->auto_reply);
  }
  return std::move(lf).value();
}

const EmailAttachment* FindAttachment(const InboundEmail& e, std::string_view filename) {
  for (const EmailAttachment& a : e.attachments) {
    if (a.filename == filename) return &a;
  }
  return nullptr;
}

bool HasWarningContaining(const InboundEmail& e, std::string_view needle) {
  for (const std::string& w : e.warnings) {
    if (w.find(needle) != std::string::npos) return true;
  }
  return false;
}

// ---- headers ---------------------------------------------------------------------------------

TEST(ParserHeaders, AddressesSubjectDateAndIds) {
  InboundEmail e = ParseOk(
      "From: \"Doe, Jane\" <jane@example.com>\n"
      "To: support@rapport.test, Bob <bob@example.org>\n"
      "Cc: Team: a@example.com, b@example.com;\n"
      "Reply-To: replies@example.com\n"
      "Subject: Printer\n on fire\n"
      "Date: Tue, 03 Feb 2026 10:15:00 +0100\n"
      "Message-ID: <abc.123@mail.example.com>\n"
      "\n"
      "Help!\n");
  ASSERT_TRUE(e.from.has_value());
  EXPECT_EQ(e.from->name, "Doe, Jane");
  EXPECT_EQ(e.from->address, "jane@example.com");
  ASSERT_EQ(e.to.size(), 2u);
  EXPECT_EQ(e.to[0].address, "support@rapport.test");
  EXPECT_EQ(e.to[1].name, "Bob");
  ASSERT_EQ(e.cc.size(), 2u);  // group members are flattened
  EXPECT_EQ(e.cc[1].address, "b@example.com");
  ASSERT_EQ(e.reply_to.size(), 1u);
  EXPECT_EQ(e.reply_to[0].address, "replies@example.com");
  EXPECT_EQ(e.subject, "Printer on fire");
  ASSERT_TRUE(e.date.has_value());
  EXPECT_EQ(FormatRfc3339(*e.date), "2026-02-03T09:15:00Z");
  EXPECT_EQ(e.message_id, "abc.123@mail.example.com");
  EXPECT_EQ(e.text, "Help!\n");
  EXPECT_TRUE(e.html.empty());
  EXPECT_TRUE(e.attachments.empty());
  EXPECT_EQ(e.auto_reply, AutoReplyKind::kNone);
  EXPECT_FALSE(e.forwarded.has_value());
  EXPECT_FALSE(e.delivery_failure.has_value());
  EXPECT_TRUE(e.warnings.empty());
}

TEST(ParserHeaders, UnreadableOrMissingDateIsNullopt) {
  InboundEmail bad = ParseOk("From: a@example.com\nDate: the day after tomorrow\nSubject: x\n\nbody\n");
  EXPECT_FALSE(bad.date.has_value());
  InboundEmail none = ParseOk("From: a@example.com\nSubject: x\n\nbody\n");
  EXPECT_FALSE(none.date.has_value());
}

TEST(ParserHeaders, EncodedWords) {
  InboundEmail e = ParseOk(
      "From: =?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>\n"
      "To: =?UTF-8?B?SsO8cmdlbiBNw7xsbGVy?= <j@example.de>\n"
      "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?= =?utf-8?q?_aus_K=C3=B6ln?=\n"
      "Thread-Topic: =?iso-8859-1?Q?R=E9union?=\n"
      "\n"
      "x\n");
  ASSERT_TRUE(e.from.has_value());
  EXPECT_EQ(e.from->name, "André Pirard");
  EXPECT_EQ(e.to.at(0).name, "Jürgen Müller");
  EXPECT_EQ(e.subject, "Grüße aus Köln");  // whitespace between adjacent encoded words is dropped
  EXPECT_EQ(e.thread_topic, "Réunion");
}

TEST(ParserHeaders, SloppyEncodedWords) {
  // No space between words, a word split inside a multi-byte character, an encoded word inside a
  // quoted display name, lower-case encoding letters: all seen in the wild.
  InboundEmail e = ParseOk(
      "From: \"=?utf-8?b?SsO8cmdlbg==?=\" <j@example.de>\n"
      "Subject: Re:=?utf-8?Q?M=C3=BCll?=er =?UTF-8?B?w6Q=?==?UTF-8?B?w7Y=?= und =?utf-8?q?caf=C3?= "
      "=?utf-8?q?=A9?=\n"
      "\n"
      "x\n");
  EXPECT_EQ(e.from->name, "Jürgen");
  EXPECT_EQ(e.subject, "Re:Müller äö und café");
}

TEST(ParserHeaders, AdjacentPaddedBase64WordsKeepEveryCharacter) {
  // GMime 3.2 alone decodes these to "ä" (see parse_rfc2047.h).
  InboundEmail e = ParseOk(
      "From: =?UTF-8?B?w6Q=?= =?UTF-8?B?w7Y=?= <a@example.com>\n"
      "Subject: =?UTF-8?B?w6Q=?=\n =?UTF-8?B?w7Y=?=\n"
      "Content-Type: text/plain; name=\"=?UTF-8?B?w6Q=?= =?UTF-8?B?w7Y=?=.txt\"\n"
      "Content-Disposition: attachment\n"
      "\n"
      "x\n");
  EXPECT_EQ(e.subject, "äö");
  EXPECT_EQ(e.from->name, "äö");
  ASSERT_EQ(e.attachments.size(), 1u);
  EXPECT_EQ(e.attachments[0].filename, "äö.txt");
}

TEST(ParserHeaders, Undeclared8BitHeaderIsGuessedWithWarning) {
  // Latin-1 bytes straight in the header (no encoded word): not UTF-8, so windows-1252.
  InboundEmail latin = ParseOk("From: Ren\xE9 <r@example.fr>\nSubject: Caf\xE9 cr\xE8me \x80 5\n\nx\n");
  EXPECT_EQ(latin.subject, "Café crème € 5");
  EXPECT_EQ(latin.from->name, "René");
  EXPECT_TRUE(HasWarningContaining(latin, "8-bit header"));
  // Raw UTF-8 (RFC 6532) is simply read.
  InboundEmail utf8 = ParseOk("From: r@example.fr\nSubject: Caf\xC3\xA9\n\nx\n");
  EXPECT_EQ(utf8.subject, "Café");
  EXPECT_TRUE(utf8.warnings.empty());
}

TEST(ParserHeaders, ThreadingHeaders) {
  InboundEmail e = ParseOk(
      "From: a@example.com\n"
      "Message-ID: <root@x>\n"
      "In-Reply-To: <parent@example.com> (John Doe's message of \"Mon, 1 Jan 2024\")\n"
      "References: <r1@example.com> garbage \"<<\" <r2@exa\n mple.com>\n"
      "  <r1@example.com>,<r3@example.com>\n"
      "Thread-Index: AdQ8ZxXxYZ1234567890abcdefgh==\n"
      "Thread-Topic: Printer\n"
      "\n"
      "x\n");
  EXPECT_EQ(e.message_id, "root@x");
  EXPECT_EQ(e.in_reply_to, (std::vector<std::string>{"parent@example.com"}));
  EXPECT_EQ(e.references, (std::vector<std::string>{"r1@example.com", "r2@example.com", "r3@example.com"}));
  EXPECT_EQ(e.thread_index, "AdQ8ZxXxYZ1234567890abcdefgh==");
  EXPECT_EQ(e.thread_topic, "Printer");
}

TEST(ParserHeaders, InReplyToWithTextOnly) {
  InboundEmail e = ParseOk("From: a@example.com\nIn-Reply-To: Your message of Monday\nSubject: x\n\nx\n");
  EXPECT_TRUE(e.in_reply_to.empty());
  InboundEmail bare = ParseOk("From: a@example.com\nIn-Reply-To: id1@example.com\nMessage-ID: 12345.ABC\n\nx\n");
  EXPECT_EQ(bare.in_reply_to, (std::vector<std::string>{"id1@example.com"}));
  EXPECT_EQ(bare.message_id, "12345.ABC");
}

TEST(ParserHeaders, DeliveredToAndXOriginalTo) {
  InboundEmail e = ParseOk(
      "Delivered-To: support@rapport.test\n"
      "X-Original-To: help@rapport.test\n"
      "Delivered-To: support@rapport.test\n"
      "From: a@example.com\n"
      "To: Someone <x@example.com>\n"
      "\n"
      "x\n");
  ASSERT_EQ(e.delivered_to.size(), 2u);
  EXPECT_EQ(e.delivered_to[0].address, "support@rapport.test");
  EXPECT_EQ(e.delivered_to[1].address, "help@rapport.test");
}

TEST(ParserHeaders, MboxFromLineIsSkipped) {
  InboundEmail e = ParseOk("From jane@example.com Mon Jan  1 00:00:00 2024\nFrom: jane@example.com\nSubject: hi\n\nx\n");
  EXPECT_EQ(e.subject, "hi");
  EXPECT_EQ(e.from->address, "jane@example.com");
}

TEST(ParserHeaders, ByteOrderMarkLeadingBlanksAndAnExportersBannerAreSkipped) {
  EXPECT_EQ(ParseOk("\xEF\xBB\xBFSubject: bom\n\nx\n").subject, "bom");
  EXPECT_EQ(ParseOk(" From: a@example.com\nSubject: indented\n\nx\n").subject, "indented");
  InboundEmail banner = ParseOk("---- Original email message ----\nReturn-Path: a@example.com\nFrom: a@example.com\n"
                                "Subject: exported\n\nx\n");
  EXPECT_EQ(banner.subject, "exported");
  EXPECT_EQ(banner.from->address, "a@example.com");
}

// ---- bodies --------------------------------------------------------------------------------------

TEST(ParserBody, DeclaredCharsetsAreConverted) {
  InboundEmail latin = ParseOk(
      "From: a@example.com\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: "
      "quoted-printable\n\nGr=FC=DFe\n");
  EXPECT_EQ(latin.text, "Grüße\n");
  InboundEmail koi8 = ParseOk("From: a@example.com\nContent-Type: text/plain; charset=koi8-r\n\n\xF0\xD2\xC9\xD7\xC5\xD4\n");
  EXPECT_EQ(koi8.text, "Привет\n");
  InboundEmail jis = ParseOk(
      "From: a@example.com\nContent-Type: text/plain; charset=ISO-2022-JP\n\n\x1B$B$3$s$K$A$O\x1B(B\n");
  EXPECT_EQ(jis.text, "こんにちは\n");
  EXPECT_TRUE(latin.warnings.empty());
  EXPECT_TRUE(koi8.warnings.empty());
}

TEST(ParserBody, Undeclared8BitBodyTriesUtf8ThenWindows1252) {
  InboundEmail utf8 = ParseOk("From: a@example.com\n\nK\xC3\xB6ln\n");
  EXPECT_EQ(utf8.text, "Köln\n");
  EXPECT_TRUE(HasWarningContaining(utf8, "read as UTF-8"));
  InboundEmail cp1252 = ParseOk("From: a@example.com\nContent-Type: text/plain; charset=us-ascii\n\nK\xF6ln \x93quoted\x94\n");
  EXPECT_EQ(cp1252.text, "Köln \u201Cquoted\u201D\n");
  EXPECT_TRUE(HasWarningContaining(cp1252, "windows-1252"));
}

TEST(ParserBody, UnknownCharsetFallsBackWithWarning) {
  InboundEmail e = ParseOk("From: a@example.com\nContent-Type: text/plain; charset=x-no-such-charset\n\nK\xF6ln\n");
  EXPECT_EQ(e.text, "Köln\n");
  EXPECT_TRUE(HasWarningContaining(e, "x-no-such-charset"));
}

TEST(ParserBody, MultipartAlternativeGivesTextAndHtml) {
  InboundEmail e = ParseOk(
      "From: a@example.com\n"
      "Content-Type: multipart/alternative; boundary=\"b1\"\n"
      "\n"
      "--b1\n"
      "Content-Type: text/plain; charset=utf-8\n"
      "\n"
      "Plain version\n"
      "--b1\n"
      "Content-Type: text/html; charset=utf-8\n"
      "\n"
      "<p>HTML <b>version</b></p>\n"
      "--b1--\n");
  EXPECT_EQ(e.text, "Plain version");
  EXPECT_EQ(e.html, "<p>HTML <b>version</b></p>");
  EXPECT_TRUE(e.attachments.empty());
}

TEST(ParserBody, HtmlOnlyMailGetsTextFromHtml) {
  InboundEmail e = ParseOk(
      "From: a@example.com\n"
      "Content-Type: text/html; charset=utf-8\n"
      "\n"
      "<html><head><style>p{color:red}</style></head><body><p>Hello &amp; welcome</p><p>Line two</p></body></html>\n");
  EXPECT_NE(e.text.find("Hello & welcome"), std::string::npos) << e.text;
  EXPECT_NE(e.text.find("Line two"), std::string::npos);
  EXPECT_EQ(e.text.find("color"), std::string::npos);
  EXPECT_EQ(e.text.find('<'), std::string::npos);
  EXPECT_NE(e.html.find("<p>Hello &amp; welcome</p>"), std::string::npos);
}

TEST(ParserBody, HtmlCharsetFromMetaTag) {
  InboundEmail e = ParseOk(
      "From: a@example.com\nContent-Type: text/html\n\n"
      "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\"></head>"
      "<body>\xF0\xD2\xC9\xD7\xC5\xD4</body></html>\n");
  EXPECT_NE(e.html.find("Привет"), std::string::npos);
}

TEST(ParserBody, NestedMultipartsWithRelatedImagesAndAttachments) {
  InboundEmail e = ParseOk(
      "From: a@example.com\n"
      "Content-Type: multipart/mixed; boundary=outer\n"
      "\n"
      "--outer\n"
      "Content-Type: multipart/alternative; boundary=alt\n"
      "\n"
      "--alt\n"
      "Content-Type: text/plain\n"
      "\n"
      "See the logo.\n"
      "--alt\n"
      "Content-Type: multipart/related; boundary=rel\n"
      "\n"
      "--rel\n"
      "Content-Type: text/html\n"
      "\n"
      "<p>See the <img src=\"cid:logo@x\"></p>\n"
      "--rel\n"
      "Content-Type: image/png\n"
      "Content-ID: <logo@x>\n"
      "Content-Transfer-Encoding: base64\n"
      "\n"
      "iVBORw0KGgo=\n"
      "--rel--\n"
      "--alt--\n"
      "--outer\n"
      "Content-Type: application/pdf; name=\"report.pdf\"\n"
      "Content-Disposition: attachment; filename=\"report.pdf\"\n"
      "Content-Transfer-Encoding: base64\n"
      "\n"
      "JVBERi0xLjQK\n"
      "--outer--\n");
  EXPECT_EQ(e.text, "See the logo.");
  EXPECT_EQ(e.html, "<p>See the <img src=\"cid:logo@x\"></p>");
  ASSERT_EQ(e.attachments.size(), 2u);
  const EmailAttachment& logo = e.attachments[0];
  EXPECT_EQ(logo.content_type, "image/png");
  EXPECT_EQ(logo.content_id, "logo@x");
  EXPECT_TRUE(logo.is_inline);  // referenced by cid although it has no disposition
  EXPECT_EQ(logo.filename, "attachment-1.png");
  EXPECT_EQ(logo.data, std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(logo.size, 8);
  const EmailAttachment& pdf = e.attachments[1];
  EXPECT_EQ(pdf.filename, "report.pdf");
  EXPECT_EQ(pdf.content_type, "application/pdf");
  EXPECT_EQ(pdf.data, "%PDF-1.4\n");
  EXPECT_FALSE(pdf.is_inline);
  EXPECT_TRUE(pdf.content_id.empty());
}

TEST(ParserBody, FormatFlowedIsJoined) {
  InboundEmail e = ParseOk(
      "From: a@example.com\nContent-Type: text/plain; charset=utf-8; format=flowed\n\n"
      "This is a long \nline that flows.\n> quoted \n> flowed\n-- \nsig\n");
  EXPECT_EQ(e.text, "This is a long line that flows.\n> quoted flowed\n-- \nsig\n");
}

// ---- attachments -------------------------------------------------------------------------------

TEST(ParserAttachments, Rfc2231AndEncodedWordFilenamesWithPathsStripped) {
  InboundEmail e = ParseOk(
      "From: a@example.com\n"
      "Content-Type: multipart/mixed; boundary=b\n"
      "\n"
      "--b\n"
      "Content-Type: text/plain\n\nbody\n"
      "--b\n"
      "Content-Type: application/octet-stream\n"
      "Content-Disposition: attachment;\n"
      " filename*0*=UTF-8''Gr%C3%BC%C3%9Fe%20aus;\n"
      " filename*1*=%20K%C3%B6ln.txt\n"
      "\n"
      "a\n"
      "--b\n"
      "Content-Type: application/octet-stream; name=\"=?UTF-8?Q?r=C3=A9sum=C3=A9=2Edoc?=\"\n"
      "Content-Disposition: attachment\n"
      "\n"
      "b\n"
      "--b\n"
      "Content-Type: application/octet-stream\n"
      "Content-Disposition: attachment; filename=\"C:\\\\Users\\\\evil\\\\..\\\\win.ini\"\n"
      "\n"
      "c\n"
      "--b\n"
      "Content-Type: application/octet-stream\n"
      "Content-Disposition: attachment; filename=\"../../etc/passwd\"\n"
      "\n"
      "d\n"
      "--b--\n");
  ASSERT_EQ(e.attachments.size(), 4u);
  EXPECT_EQ(e.attachments[0].filename, "Grüße aus Köln.txt");
  EXPECT_EQ(e.attachments[1].filename, "résumé.doc");
  EXPECT_EQ(e.attachments[2].filename, "win.ini");
  EXPECT_EQ(e.attachments[3].filename, "passwd");
}

TEST(ParserAttachments, UnnamedPartsAreNamedFromTheirType) {
  InboundEmail e = ParseOk(
      "From: a@example.com\n"
      "Content-Type: multipart/mixed; boundary=b\n"
      "\n"
      "--b\n"
      "Content-Type: text/plain\n\nbody\n"
      "--b\n"
      "Content-Type: application/pdf\n\n%PDF\n"
      "--b\n"
      "Content-Type: image/png\nContent-Disposition: inline\n\npng\n"
      "--b\n"
      "Content-Type: text/calendar; method=REQUEST\n\nBEGIN:VCALENDAR\nEND:VCALENDAR\n"
      "--b\n"
      "Content-Type: application/octet-stream\nContent-Description: Scan from the copier\n\nxx\n"
      "--b--\n");
  ASSERT_EQ(e.attachments.size(), 4u);
  EXPECT_EQ(e.attachments[0].filename, "attachment-1.pdf");
  EXPECT_EQ(e.attachments[1].filename, "attachment-2.png");
  EXPECT_TRUE(e.attachments[1].is_inline);  // disposition inline, though no Content-ID
  EXPECT_EQ(e.attachments[2].filename, "invite.ics");
  EXPECT_EQ(e.attachments[2].content_type, "text/calendar");
  EXPECT_NE(e.attachments[2].data.find("BEGIN:VCALENDAR"), std::string::npos);
  EXPECT_EQ(e.attachments[3].filename, "Scan from the copier.bin");
  EXPECT_EQ(e.text, "body");
}

TEST(ParserAttachments, OutlookInviteInAlternativeAndTnefAreKept) {
  InboundEmail e = ParseOk(
      "From: a@example.com\n"
      "Content-Type: multipart/mixed; boundary=m\n"
      "\n"
      "--m\n"
      "Content-Type: multipart/alternative; boundary=a\n"
      "\n"
      "--a\n"
      "Content-Type: text/plain\n\nMeeting\n"
      "--a\n"
      "Content-Type: text/html\n\n<p>Meeting</p>\n"
      "--a\n"
      "Content-Type: text/calendar; charset=utf-8; method=REQUEST\n\nBEGIN:VCALENDAR\n"
      "--a--\n"
      "--m\n"
      "Content-Type: application/ms-tnef; name=\"winmail.dat\"\n"
      "Content-Disposition: attachment; filename=\"winmail.dat\"\n"
      "Content-Transfer-Encoding: base64\n\neJ8+IgAA\n"
      "--m--\n");
  EXPECT_EQ(e.text, "Meeting");
  EXPECT_EQ(e.html, "<p>Meeting</p>");
  ASSERT_EQ(e.attachments.size(), 2u);
  EXPECT_EQ(e.attachments[0].filename, "invite.ics");
  EXPECT_EQ(e.attachments[1].filename, "winmail.dat");
  EXPECT_EQ(e.attachments[1].content_type, "application/ms-tnef");
  EXPECT_EQ(e.attachments[1].data, std::string("\x78\x9f\x3e\x22\x00\x00", 6));
}

TEST(ParserAttachments, TooLargePartsAreListedWithoutData) {
  app::EmailLimits limits;
  limits.max_attachment_bytes = 10;
  InboundEmail e = ParseOk(
      "From: a@example.com\n"
      "Content-Type: multipart/mixed; boundary=b\n"
      "\n"
      "--b\n"
      "Content-Type: text/plain\n\nbody\n"
      "--b\n"
      "Content-Type: application/octet-stream; name=big.bin\n\n0123456789ABCDEF\n"
      "--b\n"
      "Content-Type: application/octet-stream; name=small.bin\n\n0123\n"
      "--b--\n",
      limits);
  const EmailAttachment* big = FindAttachment(e, "big.bin");
  ASSERT_NE(big, nullptr);
  EXPECT_TRUE(big->data.empty());
  EXPECT_EQ(big->size, 16);
  EXPECT_EQ(big->omitted_reason, "larger than 10 bytes");
  const EmailAttachment* small = FindAttachment(e, "small.bin");
  ASSERT_NE(small, nullptr);
  EXPECT_EQ(small->data, "0123");
  EXPECT_TRUE(small->omitted_reason.empty());
  EXPECT_EQ(GmimeEmailParser().Parse("From: a@b.c\n\nx").value().attachments.size(), 0u);
  app::EmailLimits defaults;
  EXPECT_EQ(defaults.max_attachment_bytes, 25LL << 20);
}

TEST(ParserAttachments, SignedAndEncryptedParts) {
  InboundEmail signed_mail = ParseOk(
      "From: a@example.com\n"
      "Content-Type: multipart/signed; protocol=\"application/pgp-signature\"; micalg=pgp-sha256; boundary=s\n"
      "\n"
      "--s\n"
      "Content-Type: text/plain\n\nSigned words\n"
      "--s\n"
      "Content-Type: application/pgp-signature; name=signature.asc\n\n-----BEGIN PGP SIGNATURE-----\n"
      "--s--\n");
  EXPECT_EQ(signed_mail.text, "Signed words");
  ASSERT_EQ(signed_mail.attachments.size(), 1u);
  EXPECT_EQ(signed_mail.attachments[0].filename, "signature.asc");

  InboundEmail encrypted = ParseOk(
      "From: a@example.com\n"
      "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=e\n"
      "\n"
      "--e\n"
      "Content-Type: application/pgp-encrypted\n\nVersion: 1\n"
      "--e\n"
      "Content-Type: application/octet-stream; name=encrypted.asc\n\n-----BEGIN PGP MESSAGE-----\n"
      "--e--\n");
  EXPECT_TRUE(encrypted.text.empty());
  ASSERT_EQ(encrypted.attachments.size(), 1u);
  EXPECT_EQ(encrypted.attachments[0].filename, "encrypted.asc");
}

// ---- forwards ----------------------------------------------------------------------------------

TEST(ParserForward, AttachedMessageFillsForwardedAndIsKeptAsEml) {
  InboundEmail e = ParseOk(
      "From: agent@example.com\n"
      "Subject: Fwd: Broken invoice\n"
      "Content-Type: multipart/mixed; boundary=b\n"
      "\n"
      "--b\n"
      "Content-Type: text/plain\n\nSee below.\n"
      "--b\n"
      "Content-Type: message/rfc822\n"
      "\n"
      "From: =?utf-8?q?Kundin_M=C3=BCller?= <kunde@example.de>\n"
      "Subject: Broken invoice\n"
      "Message-ID: <orig-1@example.de>\n"
      "Date: Mon, 02 Feb 2026 08:00:00 +0000\n"
      "\n"
      "The invoice is wrong.\n"
      "--b--\n");
  ASSERT_TRUE(e.forwarded.has_value());
  EXPECT_EQ(e.forwarded->from.name, "Kundin Müller");
  EXPECT_EQ(e.forwarded->from.address, "kunde@example.de");
  EXPECT_EQ(e.forwarded->subject, "Broken invoice");
  EXPECT_EQ(e.forwarded->message_id, "orig-1@example.de");
  ASSERT_TRUE(e.forwarded->date.has_value());
  EXPECT_EQ(FormatRfc3339(*e.forwarded->date), "2026-02-02T08:00:00Z");
  EXPECT_EQ(e.text, "See below.");
  const EmailAttachment* eml = FindAttachment(e, "Broken invoice.eml");
  ASSERT_NE(eml, nullptr);
  EXPECT_EQ(eml->content_type, "message/rfc822");
  EXPECT_NE(eml->data.find("The invoice is wrong."), std::string::npos);
  EXPECT_NE(eml->data.find("Message-ID: <orig-1@example.de>"), std::string::npos);
}

TEST(ParserForward, GmailInlineForward) {
  InboundEmail e = ParseOk(
      "From: agent@example.com\n"
      "Subject: Fwd: Login problem\n"
      "\n"
      "FYI\n"
      "\n"
      "---------- Forwarded message ---------\n"
      "From: Jane Customer <jane@example.org>\n"
      "Date: Mon, 2 Feb 2026 at 10:00\n"
      "Subject: Login problem\n"
      "To: <agent@example.com>\n"
      "\n"
      "I cannot log in.\n");
  ASSERT_TRUE(e.forwarded.has_value());
  EXPECT_EQ(e.forwarded->from.name, "Jane Customer");
  EXPECT_EQ(e.forwarded->from.address, "jane@example.org");
  EXPECT_EQ(e.forwarded->subject, "Login problem");
  EXPECT_TRUE(e.forwarded->message_id.empty());
}

TEST(ParserForward, OutlookAndAppleInlineForwards) {
  InboundEmail outlook = ParseOk(
      "From: agent@example.com\nSubject: FW: Order 77\n\nPlease handle.\n\n"
      "-----Original Message-----\n"
      "From: Max Mustermann [mailto:max@example.de]\n"
      "Sent: Monday, February 2, 2026 10:00 AM\n"
      "To: agent@example.com\n"
      "Subject: Order 77\n\nWhere is it?\n");
  ASSERT_TRUE(outlook.forwarded.has_value());
  EXPECT_EQ(outlook.forwarded->from.address, "max@example.de");
  EXPECT_EQ(outlook.forwarded->from.name, "Max Mustermann");
  EXPECT_EQ(outlook.forwarded->subject, "Order 77");

  InboundEmail apple = ParseOk(
      "From: agent@example.com\nSubject: Fwd: Crash\n\n\nBegin forwarded message:\n\n"
      "> From: Anna <anna@example.com>\n"
      "> Subject: Crash\n"
      "> Date: 2 February 2026 at 10:00:00 CET\n"
      ">\n> It crashed.\n");
  ASSERT_TRUE(apple.forwarded.has_value());
  EXPECT_EQ(apple.forwarded->from.address, "anna@example.com");
  EXPECT_EQ(apple.forwarded->subject, "Crash");
}

TEST(ParserForward, QuotedOriginalInAReplyIsNotAForward) {
  InboundEmail e = ParseOk(
      "From: customer@example.com\nSubject: RE: Order 77\nIn-Reply-To: <ours@rapport.test>\n\nThanks!\n\n"
      "-----Original Message-----\n"
      "From: Support <support@rapport.test>\n"
      "Subject: Order 77\n\nIt shipped.\n");
  EXPECT_FALSE(e.forwarded.has_value());
  // And text that only mentions forwarding is not one either.
  InboundEmail prose = ParseOk("From: a@example.com\nSubject: q\n\nI forwarded message to you yesterday.\n");
  EXPECT_FALSE(prose.forwarded.has_value());
}

// ---- automatic mail ----------------------------------------------------------------------------

TEST(ParserAutoReply, HeadersThatMarkAutomaticMail) {
  EXPECT_EQ(ParseOk("From: a@example.com\nAuto-Submitted: auto-replied\n\nx\n").auto_reply, AutoReplyKind::kAutoReply);
  EXPECT_EQ(ParseOk("From: a@example.com\nAuto-Submitted: auto-generated; owner=x\n\nx\n").auto_reply,
            AutoReplyKind::kAutoReply);
  EXPECT_EQ(ParseOk("From: a@example.com\nX-Autoreply: yes\n\nx\n").auto_reply, AutoReplyKind::kAutoReply);
  EXPECT_EQ(ParseOk("From: a@example.com\nX-Autorespond: Vacation\n\nx\n").auto_reply, AutoReplyKind::kAutoReply);
  EXPECT_EQ(ParseOk("From: a@example.com\nPrecedence: bulk\n\nx\n").auto_reply, AutoReplyKind::kBulk);
  EXPECT_EQ(ParseOk("From: a@example.com\nPrecedence: list\n\nx\n").auto_reply, AutoReplyKind::kBulk);
  EXPECT_EQ(ParseOk("From: a@example.com\nList-Id: <dev.lists.example.org>\n\nx\n").auto_reply, AutoReplyKind::kBulk);
  EXPECT_EQ(ParseOk("From: a@example.com\nList-Unsubscribe: <mailto:u@example.org>\n\nx\n").auto_reply,
            AutoReplyKind::kBulk);
}

TEST(ParserAutoReply, NegativeCases) {
  EXPECT_EQ(ParseOk("From: a@example.com\nAuto-Submitted: no\n\nx\n").auto_reply, AutoReplyKind::kNone);
  // Outlook puts X-Auto-Response-Suppress on ordinary mail: not a signal on its own.
  EXPECT_EQ(ParseOk("From: a@example.com\nX-Auto-Response-Suppress: All\nSubject: My printer\n\nx\n").auto_reply,
            AutoReplyKind::kNone);
  EXPECT_EQ(ParseOk("From: a@example.com\nX-Auto-Response-Suppress: DR, OOF, AutoReply\n\nx\n").auto_reply,
            AutoReplyKind::kNone);
  EXPECT_EQ(ParseOk("From: a@example.com\nSubject: Re: our out of office policy\n\nx\n").auto_reply,
            AutoReplyKind::kNone);
  EXPECT_EQ(ParseOk("From: a@example.com\nPrecedence: normal\n\nx\n").auto_reply, AutoReplyKind::kNone);
  // A person writing from a postmaster address without bounce wording is a person.
  EXPECT_EQ(ParseOk("From: postmaster@example.com\nSubject: Question about your product\n\nHello\n").auto_reply,
            AutoReplyKind::kNone);
}

TEST(ParserAutoReply, SubjectPatterns) {
  for (const char* subject : {"Out of Office: Re: Invoice", "Automatic reply: Invoice", "Auto-Reply: Invoice",
                              "AutoReply: x", "Abwesenheitsnotiz: Rechnung", "=?utf-8?q?R=C3=A9ponse_automatique_:_x?=",
                              "[Auto-Reply] Invoice", "Out of Office AutoReply: x", "Autoreply", "Automatische Antwort: x"}) {
    EXPECT_EQ(ParseOk(std::string("From: a@example.com\nSubject: ") + subject + "\n\nx\n").auto_reply,
              AutoReplyKind::kAutoReply)
        << subject;
  }
  EXPECT_FALSE(IsAutoReplySubject("Out of office hours support"));
  EXPECT_FALSE(IsAutoReplySubject("Question about auto-reply settings"));
}

constexpr std::string_view kDsn =
    "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\n"
    "To: support@rapport.test\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "Auto-Submitted: auto-replied\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=r\n"
    "\n"
    "--r\n"
    "Content-Description: Notification\n"
    "Content-Type: text/plain\n"
    "\n"
    "I'm sorry to have to inform you that your message could not be delivered.\n"
    "--r\n"
    "Content-Description: Delivery report\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns; mx.example.com\n"
    "Arrival-Date: Mon, 2 Feb 2026 10:00:00 +0100\n"
    "\n"
    "Final-Recipient: rfc822; gone@example.org\n"
    "Original-Recipient: rfc822;gone@example.org\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <gone@example.org>: Recipient address\n"
    "    rejected: User unknown\n"
    "--r\n"
    "Content-Description: Undelivered Message Headers\n"
    "Content-Type: text/rfc822-headers\n"
    "\n"
    "From: support@rapport.test\n"
    "To: gone@example.org\n"
    "Message-ID: <reply-42@rapport.test>\n"
    "Subject: [#42] Your ticket\n"
    "--r--\n";

TEST(ParserBounce, DeliveryStatusNotification) {
  InboundEmail e = ParseOk(kDsn);
  EXPECT_EQ(e.auto_reply, AutoReplyKind::kBounce);
  ASSERT_TRUE(e.delivery_failure.has_value());
  EXPECT_EQ(e.delivery_failure->original_message_id, "reply-42@rapport.test");
  EXPECT_EQ(e.delivery_failure->recipient, "gone@example.org");
  EXPECT_EQ(e.delivery_failure->action, "failed");
  EXPECT_EQ(e.delivery_failure->status, "5.1.1");
  EXPECT_EQ(e.delivery_failure->diagnostic, "550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown");
  EXPECT_NE(e.text.find("could not be delivered"), std::string::npos);
  EXPECT_NE(FindAttachment(e, "Delivery report.txt"), nullptr);
  EXPECT_FALSE(e.forwarded.has_value());
}

TEST(ParserBounce, ReturnedMessageGivesOriginalIdAndIsNotAForward) {
  InboundEmail e = ParseOk(
      "From: postmaster@example.org\n"
      "Subject: Delivery Status Notification (Failure)\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=r\n"
      "\n"
      "--r\n"
      "Content-Type: text/plain\n\nDelivery to the following recipients failed.\n"
      "--r\n"
      "Content-Type: message/delivery-status\n\n"
      "Reporting-MTA: dns;ex.example.org\n\n"
      "Final-Recipient: rfc822;a@example.org\nAction: delayed\nStatus: 4.4.7\n\n"
      "Final-Recipient: rfc822;b@example.org\nAction: failed\nStatus: 5.2.2\n"
      "--r\n"
      "Content-Type: message/rfc822\n\n"
      "From: support@rapport.test\nSubject: [#7] Hello\nMessage-ID: <sent-7@rapport.test>\n\nhello\n"
      "--r--\n");
  EXPECT_EQ(e.auto_reply, AutoReplyKind::kBounce);
  ASSERT_TRUE(e.delivery_failure.has_value());
  EXPECT_EQ(e.delivery_failure->original_message_id, "sent-7@rapport.test");
  EXPECT_EQ(e.delivery_failure->recipient, "b@example.org");  // the failed one, not the delayed one
  EXPECT_EQ(e.delivery_failure->status, "5.2.2");
  EXPECT_FALSE(e.forwarded.has_value());
  EXPECT_NE(FindAttachment(e, "[#7] Hello.eml"), nullptr);
}

TEST(ParserBounce, ClassicTextBounce) {
  InboundEmail e = ParseOk(
      "From: MAILER-DAEMON@mail.example.net\n"
      "Subject: failure notice\n"
      "\n"
      "Hi. This is the qmail-send program at mail.example.net.\n"
      "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
      "This is a permanent error; I've given up. Sorry it didn't work out.\n"
      "\n"
      "<nobody@example.net>:\n"
      "Sorry, no mailbox here by that name. (#5.1.1)\n"
      "\n"
      "--- Below this line is a copy of the message.\n"
      "\n"
      "From: support@rapport.test\n"
      "Message-ID: <sent-9@rapport.test>\n"
      "Subject: [#9] Hi\n");
  EXPECT_EQ(e.auto_reply, AutoReplyKind::kBounce);
  ASSERT_TRUE(e.delivery_failure.has_value());
  EXPECT_EQ(e.delivery_failure->recipient, "nobody@example.net");
  EXPECT_EQ(e.delivery_failure->status, "5.1.1");
  EXPECT_EQ(e.delivery_failure->original_message_id, "sent-9@rapport.test");
  EXPECT_NE(e.delivery_failure->diagnostic.find("no mailbox"), std::string::npos);
}

TEST(ParserBounce, ReadReceiptIsAutomaticButNotABounce) {
  InboundEmail e = ParseOk(
      "From: a@example.com\nSubject: Read: hello\n"
      "Content-Type: multipart/report; report-type=disposition-notification; boundary=r\n\n"
      "--r\nContent-Type: text/plain\n\nYour message was read.\n"
      "--r\nContent-Type: message/disposition-notification\n\nDisposition: manual-action/MDN-sent-manually; displayed\n"
      "--r--\n");
  EXPECT_EQ(e.auto_reply, AutoReplyKind::kAutoReply);
  EXPECT_FALSE(e.delivery_failure.has_value());
}

// ---- limits and hostile input ------------------------------------------------------------------

TEST(ParserLimits, MessageSizeLimit) {
  app::EmailLimits limits;
  limits.max_message_bytes = 100;
  GmimeEmailParser parser(limits);
  Result<InboundEmail> r = parser.Parse("From: a@example.com\n\n" + std::string(200, 'x'));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("limit"), std::string::npos);
}

std::string Nested(int depth) {
  std::string m = "From: a@example.com\nContent-Type: multipart/mixed; boundary=b0\n\n";
  for (int i = 1; i <= depth; ++i) {
    m += "--b" + std::to_string(i - 1) + "\nContent-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\n\n";
  }
  m += "--b" + std::to_string(depth) + "\nContent-Type: text/plain\n\ndeep text\n--b" + std::to_string(depth) + "--\n";
  for (int i = depth - 1; i >= 0; --i) m += "--b" + std::to_string(i) + "--\n";
  return m;
}

TEST(ParserLimits, DepthLimitStopsDescendingWithWarning) {
  app::EmailLimits limits;
  limits.max_mime_depth = 5;
  InboundEmail shallow = ParseOk(Nested(3), limits);
  EXPECT_EQ(shallow.text, "deep text");
  InboundEmail deep = ParseOk(Nested(10), limits);
  EXPECT_TRUE(deep.text.empty());
  EXPECT_TRUE(HasWarningContaining(deep, "nested deeper than 5"));
}

TEST(ParserLimits, PartCountLimit) {
  app::EmailLimits limits;
  limits.max_parts = 4;
  std::string m = "From: a@example.com\nContent-Type: multipart/mixed; boundary=b\n\n";
  for (int i = 0; i < 10; ++i) m += "--b\nContent-Type: application/octet-stream\n\npart\n";
  m += "--b--\n";
  InboundEmail e = ParseOk(m, limits);
  EXPECT_EQ(e.attachments.size(), 3u);  // the multipart itself is the first of the four parts
  EXPECT_TRUE(HasWarningContaining(e, "more than 4 MIME parts"));
}

TEST(ParserLimits, NotMailIsInvalidArgument) {
  GmimeEmailParser parser;
  for (std::string_view input : {std::string_view(""), std::string_view("\n\nJust a body\n"),
                                 std::string_view("<html><body>hi</body></html>"),
                                 std::string_view("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16),
                                 std::string_view("Hello world, no headers here\n"),
                                 std::string_view("From nobody\n")}) {
    Result<InboundEmail> r = parser.Parse(input);
    ASSERT_FALSE(r.ok()) << input;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_FALSE(r.status().message().empty());
  }
}

TEST(ParserLimits, BrokenButRecognisableMailParses) {
  GmimeEmailParser parser;
  // Truncated in the middle of a multipart, a missing boundary, a header without a body.
  for (std::string_view input :
       {std::string_view("From: a@example.com\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\ntrunc"),
        std::string_view("From: a@example.com\nContent-Type: multipart/mixed\n\nno boundary\n"),
        std::string_view("Subject: only a header"),
        std::string_view("From: a@example.com\nContent-Transfer-Encoding: base64\n\n!!!not base64***\n")}) {
    Result<InboundEmail> r = parser.Parse(input);
    EXPECT_TRUE(r.ok()) << input << ": " << r.status().ToString();
  }
}

TEST(ParserConcurrency, ParsesOnSeveralThreadsAtOnce) {
  const GmimeEmailParser parser;
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        Result<InboundEmail> r = parser.Parse(kDsn);
        if (!r.ok() || !r->delivery_failure || r->delivery_failure->original_message_id != "reply-42@rapport.test") {
          ++failures[t];
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

// ---- the helpers on their own ------------------------------------------------------------------

TEST(ParserHelpers, MessageIds) {
  EXPECT_EQ(ParseMessageIds("<a@b> <c@d>"), (std::vector<std::string>{"a@b", "c@d"}));
  EXPECT_EQ(ParseMessageIds("<<a@b>>"), (std::vector<std::string>{"a@b"}));
  EXPECT_EQ(ParseMessageIds("a@b, c@d"), (std::vector<std::string>{"a@b", "c@d"}));
  EXPECT_TRUE(ParseMessageIds("<>").empty());
  EXPECT_TRUE(ParseMessageIds("no ids at all").empty());
  EXPECT_EQ(ParseMessageId("  <x@y>  "), "x@y");
}

TEST(ParserHelpers, Charsets) {
  EXPECT_TRUE(IsValidUtf8("K\xC3\xB6ln"));
  EXPECT_FALSE(IsValidUtf8("K\xF6ln"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_EQ(Windows1252ToUtf8("\x80\x81\xFF"), "\u20AC\u0081\u00FF");
  EXPECT_EQ(SanitizeUtf8(std::string("a\0b\xFF", 4)), "ab\uFFFD");
  DecodedText utf7 = DecodeToUtf8("Hi Mom -+Jjo--!", "utf-7");
  EXPECT_EQ(utf7.text, "Hi Mom -\u263A-!");
  DecodedText broken = DecodeToUtf8("ok \xFF\xFE ok", "koi8-r");
  EXPECT_TRUE(IsValidUtf8(broken.text));
}

TEST(ParserHelpers, DeliveryStatusWithoutRecipientIsNullopt) {
  EXPECT_FALSE(ParseDeliveryStatus("Reporting-MTA: dns; x\n").has_value());
  EXPECT_EQ(FindMessageIdInHeaders("From: x\nMessage-Id:\n <a@b>\n"), "a@b");
}

TEST(ParserHelpers, ForwardPrefixes) {
  EXPECT_TRUE(HasForwardPrefix("Fwd: x"));
  EXPECT_TRUE(HasForwardPrefix("WG: x"));
  EXPECT_TRUE(HasForwardPrefix("FW : x"));
  EXPECT_FALSE(HasForwardPrefix("Fwding x"));
  EXPECT_TRUE(HasReplyPrefix("Re[2]: x"));
  EXPECT_TRUE(HasReplyPrefix("AW: x"));
  EXPECT_FALSE(HasReplyPrefix("Regarding x"));
}

}  // namespace
}  // namespace rapport::mail
