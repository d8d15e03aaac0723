#include "core/identity.h"

#include <gtest/gtest.h>

#include <string>

namespace rapport {
namespace {

std::string Ok(const Result<std::string>& r) {
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r.value() : std::string("<error>");
}

TEST(NormalizeEmail, TrimsAndLowerCases) {
  EXPECT_EQ(Ok(NormalizeEmail("  Ann.Lee@Example.COM \r\n")), "ann.lee@example.com");
  EXPECT_EQ(Ok(NormalizeEmail("a+tag@sub.example.co.uk")), "a+tag@sub.example.co.uk");
}

TEST(NormalizeEmail, TwoSpellingsOfOneAddressAreEqual) {
  EXPECT_EQ(Ok(NormalizeEmail("BOB@ACME.COM")), Ok(NormalizeEmail(" bob@acme.com")));
}

TEST(NormalizeEmail, KeepsNonAsciiBytes) {
  EXPECT_EQ(Ok(NormalizeEmail("Jürgen@Bäckerei.de")), "jürgen@bäckerei.de");
}

TEST(NormalizeEmail, RejectsMalformedAddresses) {
  for (const char* bad : {"", "   ", "ann", "ann@", "@example.com", "ann@@example.com", "a@b@example.com",
                          "ann@localhost", "ann lee@example.com", "<ann@example.com>", "ann@example..com",
                          "ann@.example.com", "ann@example.com.", "ann,bob@example.com", "ann@exa mple.com",
                          "ann@exa_mple.com", "\"ann\"@example.com", "ann\x01@example.com"}) {
    auto r = NormalizeEmail(bad);
    EXPECT_FALSE(r.ok()) << "accepted '" << bad << "'";
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
      EXPECT_FALSE(r.status().message().empty());
    }
  }
}

TEST(NormalizeEmail, RejectsOverlongAddress) {
  std::string local(250, 'a');
  EXPECT_FALSE(NormalizeEmail(local + "@example.com").ok());
}

TEST(EmailDomain, IsThePartAfterTheAt) {
  EXPECT_EQ(EmailDomain("ann@acme.com"), "acme.com");
  EXPECT_EQ(EmailDomain("no-at-sign"), "");
}

TEST(NormalizeEmailDomain, AcceptsAtPrefixAndCase) {
  EXPECT_EQ(Ok(NormalizeEmailDomain(" @ACME.com ")), "acme.com");
  EXPECT_EQ(Ok(NormalizeEmailDomain("mail.acme.co.uk")), "mail.acme.co.uk");
}

TEST(NormalizeEmailDomain, RejectsNonDomains) {
  for (const char* bad : {"", "acme", ".acme.com", "acme.com.", "acme..com", "ac me.com", "ann@acme.com", "@"}) {
    EXPECT_FALSE(NormalizeEmailDomain(bad).ok()) << "accepted '" << bad << "'";
  }
}

TEST(NormalizePhone, DropsPunctuation) {
  EXPECT_EQ(Ok(NormalizePhone("+1 (415) 555-0123")), "+14155550123");
  EXPECT_EQ(Ok(NormalizePhone(" +44 20.7946.0958 ")), "+442079460958");
}

TEST(NormalizePhone, ReadsLeadingDoubleZeroAsPlus) {
  EXPECT_EQ(Ok(NormalizePhone("0049 30 1234567")), "+49301234567");
  EXPECT_EQ(Ok(NormalizePhone("0049 30 1234567")), Ok(NormalizePhone("+49 30 1234567")));
}

TEST(NormalizePhone, AcceptsLengthBounds) {
  EXPECT_EQ(Ok(NormalizePhone("+12345678")), "+12345678");              // 8 digits
  EXPECT_EQ(Ok(NormalizePhone("+123456789012345")), "+123456789012345");  // 15 digits
}

TEST(NormalizePhone, RejectsNumbersWithoutCountryCode) {
  auto r = NormalizePhone("415 555 0123");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("country code"), std::string::npos);
}

TEST(NormalizePhone, RejectsMalformedNumbers) {
  for (const char* bad : {"", "+", "+1234567", "+1234567890123456", "+0412345678", "++14155550123",
                          "1+4155550123", "+1 415 555 O123", "+1-415-555-0123 ext 5", "tel:+14155550123",
                          "+1/415/5550123"}) {
    EXPECT_FALSE(NormalizePhone(bad).ok()) << "accepted '" << bad << "'";
  }
}

TEST(NormalizeTag, LowerCasesAndTrims) {
  EXPECT_EQ(Ok(NormalizeTag("  VIP ")), "vip");
  EXPECT_EQ(Ok(NormalizeTag("after-hours_2.0")), "after-hours_2.0");
  EXPECT_EQ(Ok(NormalizeTag("caf\xC3\xA9")), "caf\xC3\xA9");
}

TEST(NormalizeTag, BoundsLength) {
  EXPECT_TRUE(NormalizeTag(std::string(40, 'a')).ok());
  EXPECT_FALSE(NormalizeTag(std::string(41, 'a')).ok());
  EXPECT_FALSE(NormalizeTag("").ok());
  EXPECT_FALSE(NormalizeTag("   ").ok());
}

TEST(NormalizeTag, RejectsPunctuationAndSpaces) {
  for (const char* bad : {"two words", "a,b", "#urgent", "a/b", "tag!", "a\tb"}) {
    EXPECT_FALSE(NormalizeTag(bad).ok()) << "accepted '" << bad << "'";
  }
}

TEST(Trim, RemovesAsciiWhiteSpaceOnly) {
  EXPECT_EQ(Trim(" \t\r\n\f\vx y\n"), "x y");
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim("   "), "");
  EXPECT_EQ(Trim("\xC2\xA0x"), "\xC2\xA0x");  // a no-break space is not ASCII white space
}

}  // namespace
}  // namespace rapport
