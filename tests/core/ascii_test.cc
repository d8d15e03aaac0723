// ASCII case folding (core/ascii.h), shared by the mail parser, the HTML reader, identities and the
// subject-line threading: only A-Z fold, every other byte (UTF-8 included) stays as it is.
#include "core/ascii.h"

#include <gtest/gtest.h>

#include "core/email_threading.h"
#include "core/identity.h"

namespace rapport {
namespace {

TEST(AsciiLower, FoldsOnlyAsciiLetters) {
  EXPECT_EQ(AsciiLower('A'), 'a');
  EXPECT_EQ(AsciiLower('Z'), 'z');
  EXPECT_EQ(AsciiLower('a'), 'a');
  EXPECT_EQ(AsciiLower('@'), '@');
  EXPECT_EQ(AsciiLower('['), '[');
  EXPECT_EQ(AsciiLower(static_cast<char>(0xC4)), static_cast<char>(0xC4));  // Latin-1 'Ä' stays
  EXPECT_EQ(AsciiLower("Ärger ABC"), "Ärger abc");
}

TEST(NoCase, ComparesAgainstALowerCaseNeedle) {
  EXPECT_TRUE(StartsWithNoCase("Re: hello", "re:"));
  EXPECT_FALSE(StartsWithNoCase("R", "re:"));
  EXPECT_TRUE(EqualsNoCase("UTF-8", "utf-8"));
  EXPECT_FALSE(EqualsNoCase("UTF-8x", "utf-8"));
  EXPECT_TRUE(ContainsNoCase("<DIV Class=gmail_quote>", "gmail_quote"));
  EXPECT_FALSE(ContainsNoCase("", "x"));
  EXPECT_TRUE(ContainsNoCase("anything", ""));
}

TEST(NoCase, ReplyPrefixesFoldAsciiOnly) {
  EXPECT_EQ(CleanSubject("RE: AW: Printer"), "Printer");
  // A non-ASCII byte is never folded onto an ASCII letter, whatever the C locale says.
  EXPECT_EQ(CleanSubject("\xD2\xC5: Printer"), "\xD2\xC5: Printer");
}

}  // namespace
}  // namespace rapport
