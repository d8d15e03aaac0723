// Untrusted text in Markdown bodies (core/markdown_text.h): what is escaped and what stays readable.
// tests/mail/composer_test.cc renders the escaped text with the real renderer.
#include "core/markdown_text.h"

#include <gtest/gtest.h>

namespace rapport {
namespace {

TEST(EscapeMarkdownText, EscapesLinkImageAndAutolinkMarkup) {
  EXPECT_EQ(EscapeMarkdownText("[Verify](https://evil.example)"), "\\[Verify\\](https\\://evil.example)");
  EXPECT_EQ(EscapeMarkdownText("![x](y)"), "!\\[x\\](y)");
  EXPECT_EQ(EscapeMarkdownText("<https://a.example>"), "\\<https\\://a.example\\>");
  EXPECT_EQ(EscapeMarkdownText("www.a.example WwW.b"), "www\\.a.example WwW\\.b");
  EXPECT_EQ(EscapeMarkdownText("ann@a.example"), "ann@\u200ba.example");
}

TEST(EscapeMarkdownText, EscapesEmphasisCodeHtmlAndEntities) {
  EXPECT_EQ(EscapeMarkdownText("*a* _b_ ~c~ `d` \\e |"), "\\*a\\* \\_b\\_ \\~c\\~ \\`d\\` \\\\e \\|");
  EXPECT_EQ(EscapeMarkdownText("<b>x</b>"), "\\<b\\>x\\</b\\>");
  EXPECT_EQ(EscapeMarkdownText("&amp; &#60;"), "\\&amp; \\&#60;");
}

TEST(EscapeMarkdownText, ControlCharactersBecomeSpaces) {
  EXPECT_EQ(EscapeMarkdownText("a\r\n# b\tc\x7f"), "a  # b c ");
}

TEST(EscapeMarkdownText, OrdinaryNamesStayReadable) {
  for (const char* name : {"Jane O'Brien (Acme, Inc.)", "Smith & Sons", "J. R. R. Tolkien", "Zoë Müller-Lüdenscheidt",
                           "Dr. Who #1!", ""}) {
    EXPECT_EQ(EscapeMarkdownText(name), name);
  }
}

}  // namespace
}  // namespace rapport
