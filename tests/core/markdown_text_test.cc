// Untrusted text in Markdown bodies (core/markdown_text.h): what is escaped and what stays readable.
// tests/mail/composer_test.cc renders the escaped text with the real renderer.
#include "core/markdown_text.h"

#include <gtest/gtest.h>

namespace rapport {
namespace {

TEST(EscapeMarkdownText, EscapesLinkImageAndAutolinkMarkup) {
  EXPECT_EQ(EscapeMarkdownText("[Verify](https://evil.example)"), "\\[Verify\\](https\\://evil.example)");
  EXPECT_EQ(EscapeMarkdownText("![x](y)"), "!\\[x\\](y)");
  EXPECT_EQ(EscapeMarkdownText("<https://a.example>"), "\\<https\\://a.example>");
  EXPECT_EQ(EscapeMarkdownText("ftp://a.example"), "ftp\\://a.example");
  EXPECT_EQ(EscapeMarkdownText("www.a.example WwW.b"), "www\\.a.example WwW\\.b");
  EXPECT_EQ(EscapeMarkdownText("ann@a.example"), "ann@\u200ba.example");
}

TEST(EscapeMarkdownText, EscapesEmphasisCodeHtmlAndEntities) {
  EXPECT_EQ(EscapeMarkdownText("*a* _b_ ~c~ `d` \\e |"), "\\*a\\* \\_b\\_ \\~c\\~ \\`d\\` \\\\e \\|");
  EXPECT_EQ(EscapeMarkdownText("<b>x</b>"), "\\<b>x\\</b>");
  EXPECT_EQ(EscapeMarkdownText("&amp; &#60; &#x3C;"), "\\&amp; \\&#60; \\&#x3C;");
  EXPECT_EQ(EscapeMarkdownText("> quoted"), "\\> quoted");
}

TEST(EscapeMarkdownText, ControlCharactersBecomeSpaces) {
  EXPECT_EQ(EscapeMarkdownText("a\r\n# b\tc\x7f"), "a  # b c ");
}

TEST(EscapeMarkdownText, OrdinaryNamesStayReadable) {
  for (const char* name : {"Jane O'Brien (Acme, Inc.)", "Smith & Sons", "J. R. R. Tolkien", "Zoë Müller-Lüdenscheidt",
                           "Dr. Who #1!", "R&D, Q&A", "Due 11:00 (UTC).", "a > b", ""}) {
    EXPECT_EQ(EscapeMarkdownText(name), name);
  }
}

TEST(EscapeMarkdownLines, KeepsLinesAndStopsBlocks) {
  EXPECT_EQ(EscapeMarkdownLines("line one\r\nline two"), "line one  \nline two");
  EXPECT_EQ(EscapeMarkdownLines("a\n\nb"), "a\n\nb") << "an empty line stays a paragraph break";
  EXPECT_EQ(EscapeMarkdownLines("# h\n- i\n+ j\n===\n12. k\n3) l\n    code"),
            "\\# h  \n\\- i  \n\\+ j  \n\\===  \n12\\. k  \n3\\) l  \ncode");
  EXPECT_EQ(EscapeMarkdownLines("[x](https://e.example)"), "\\[x\\](https\\://e.example)");
  EXPECT_EQ(EscapeMarkdownLines(""), "");
  EXPECT_EQ(EscapeMarkdownLines("Call Ann at 3pm. 2 tapes left."), "Call Ann at 3pm. 2 tapes left.");
}

}  // namespace
}  // namespace rapport
