// Display of received mail: HTML to text, the sanitiser against hostile markup, quote folding.
#include "mail/html_display.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <string>

namespace rapport::mail {
namespace {

// ---------------------------------------------------------------------------------------------------
// HtmlToText

TEST(HtmlToTextTest, ParagraphsDivsAndBreaks) {
  EXPECT_EQ(HtmlToText("<p>Hello</p><p>World</p>"), "Hello\n\nWorld");
  EXPECT_EQ(HtmlToText("<div>one</div><div>two</div>"), "one\ntwo");
  EXPECT_EQ(HtmlToText("a<br>b<br/><br>c"), "a\nb\n\nc");
  EXPECT_EQ(HtmlToText("<div>a</div><div><br></div><div>b</div>"), "a\n\nb");
  EXPECT_EQ(HtmlToText("<p>a<br></p><p>b</p>"), "a\n\nb");
  EXPECT_EQ(HtmlToText("a<br><br><br><br><br>b"), "a\n\nb");
}

TEST(HtmlToTextTest, CollapsesWhitespaceAndTrims) {
  EXPECT_EQ(HtmlToText("  <p>  Hello \n\t  <b>big</b>   world  </p>  "), "Hello big world");
  EXPECT_EQ(HtmlToText("<b>bold</b>text"), "boldtext");
  EXPECT_EQ(HtmlToText("a&nbsp;&nbsp; b"), "a b");
  EXPECT_EQ(HtmlToText("Preheader&zwnj;&#8203;&shy;&#xFEFF; done"), "Preheader done");
  EXPECT_EQ(HtmlToText(""), "");
  EXPECT_EQ(HtmlToText("<p></p><div> </div>"), "");
}

TEST(HtmlToTextTest, DecodesEntities) {
  EXPECT_EQ(HtmlToText("Fish &amp; chips &lt;3 &eacute;t&#233; &#x263A; &euro;"),
            "Fish & chips <3 \xC3\xA9t\xC3\xA9 \xE2\x98\xBA \xE2\x82\xAC");
}

TEST(HtmlToTextTest, DropsScriptStyleHeadAndComments) {
  const std::string text = HtmlToText(
      "<html><head><title>Secret title</title><style>p{color:red}</style>"
      "<script>var x=1;</script></head><body><!-- a comment --><p>Visible</p>"
      "<script>alert(1)</script><noscript>nojs</noscript><template>tpl</template>"
      "<svg><text>svgtext</text></svg><img alt=\"pic\" src=\"x.png\"></body></html>");
  EXPECT_EQ(text, "Visible");
}

TEST(HtmlToTextTest, Lists) {
  EXPECT_EQ(HtmlToText("<p>Items:</p><ul><li>one</li><li>two</li></ul><p>after</p>"),
            "Items:\n\n- one\n- two\n\nafter");
  EXPECT_EQ(HtmlToText("<ol><li>first</li><li>second</li></ol>"), "1. first\n2. second");
  EXPECT_EQ(HtmlToText("<ul><li>a<ul><li>a1</li></ul></li><li>b</li></ul>"), "- a\n  - a1\n- b");
  EXPECT_EQ(HtmlToText("<ul><li><p>para item</p></li></ul>"), "- para item");
}

TEST(HtmlToTextTest, LinksKeepTextAndShowDifferingUrl) {
  EXPECT_EQ(HtmlToText("See <a href=\"https://example.com/docs\">the docs</a>."),
            "See the docs <https://example.com/docs>.");
  EXPECT_EQ(HtmlToText("<a href=\"https://example.com/\">https://example.com</a>"), "https://example.com");
  EXPECT_EQ(HtmlToText("<a href=\"http://www.example.com/\">www.example.com</a>"), "www.example.com");
  EXPECT_EQ(HtmlToText("<a href=\"mailto:ann@example.com\">ann@example.com</a>"), "ann@example.com");
  EXPECT_EQ(HtmlToText("<a href=\"mailto:ann@example.com\">Ann</a>"), "Ann <mailto:ann@example.com>");
  // No URL for script links, in-page anchors, or links without text (image banners).
  EXPECT_EQ(HtmlToText("<a href=\"javascript:alert(1)\">click</a>"), "click");
  EXPECT_EQ(HtmlToText("<a href=\"#top\">top</a>"), "top");
  EXPECT_EQ(HtmlToText("<a href=\"https://t.example/x\"><img src=\"b.png\"></a>"), "");
}

TEST(HtmlToTextTest, BlockquotesArePrefixed) {
  EXPECT_EQ(HtmlToText("<div>Thanks!</div><div>On Mon, Ann wrote:<br></div>"
                       "<blockquote><div>Line one</div><div>Line two</div>"
                       "<blockquote><p>older</p><p>older 2</p></blockquote></blockquote><div>bye</div>"),
            "Thanks!\nOn Mon, Ann wrote:\n\n> Line one\n> Line two\n>\n> > older\n> >\n> > older 2\n\nbye");
}

TEST(HtmlToTextTest, PreKeepsLayout) {
  EXPECT_EQ(HtmlToText("<p>Log:</p><pre>line  1\n   indented\n\nafter blank</pre><p>end</p>"),
            "Log:\n\nline  1\n   indented\n\nafter blank\n\nend");
}

TEST(HtmlToTextTest, TablesPutCellsOnOneLine) {
  EXPECT_EQ(HtmlToText("<table><tr><td>Name</td><td>Qty</td></tr><tr><td>Widget</td><td>3</td></tr>"
                       "</table><p>Total</p>"),
            "Name Qty\nWidget 3\n\nTotal");
}

TEST(HtmlToTextTest, OutlookParagraphs) {
  const char* outlook =
      "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head><style>"
      "p.MsoNormal{margin:0cm}</style><!--[if gte mso 9]><xml><o:shapedefaults/></xml><![endif]-->"
      "</head><body lang=EN-GB><div class=WordSection1>"
      "<p class=MsoNormal>Hi Bob,<o:p></o:p></p>"
      "<p class=MsoNormal><o:p>&nbsp;</o:p></p>"
      "<p class=MsoNormal>The printer is broken.<o:p></o:p></p>"
      "<p class=MsoNormal>Please help.<o:p></o:p></p>"
      "</div></body></html>";
  EXPECT_EQ(HtmlToText(outlook), "Hi Bob,\n\nThe printer is broken.\nPlease help.");
}

TEST(HtmlToTextTest, SurvivesBrokenMarkup) {
  EXPECT_EQ(HtmlToText("<p>unclosed <b>bold <i>both</p>next"), "unclosed bold both\n\nnext");
  EXPECT_EQ(HtmlToText("</div></p></li>text<<>>"), "text<<>>");
  EXPECT_EQ(HtmlToText(std::string("a\0b", 3)), "ab");  // NUL in text is dropped, as browsers do
  std::string deep;
  for (int i = 0; i < 20000; ++i) deep += "<div>";
  deep += "deep";
  EXPECT_EQ(HtmlToText(deep), "deep");
}

std::string NewsletterOfSize(size_t bytes) {
  std::string html = "<html><head><style>td{padding:0}</style></head><body><table width=600>";
  int i = 0;
  while (html.size() < bytes) {
    html += "<tr><td style=\"padding:8px;color:#333\"><h2>Story " + std::to_string(i) +
            "</h2><p>Lorem ipsum dolor sit amet, <b>consectetur</b> adipiscing elit &amp; more.</p>"
            "<a href=\"https://news.example.com/s/" + std::to_string(i) +
            "?utm_source=mail\"><img src=\"https://cdn.example.com/i/" + std::to_string(i) +
            ".png\" width=600 alt=\"\"></a><a href=\"https://news.example.com/r/" + std::to_string(i) +
            "\">Read more</a></td></tr>\n";
    ++i;
  }
  return html + "</table></body></html>";
}

// The best of several runs in this thread's CPU time: the build machine is shared, and wall time
// measures the neighbours as much as the code.
template <typename F>
double BestCpuMillis(F&& f) {
  double best = 1e9;
  for (int run = 0; run < 10; ++run) {
    timespec start{};
    timespec end{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start);
    f();
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end);
    const double ms = static_cast<double>(end.tv_sec - start.tv_sec) * 1e3 +
                      static_cast<double>(end.tv_nsec - start.tv_nsec) / 1e6;
    best = std::min(best, ms);
  }
  return best;
}

TEST(HtmlToTextTest, HundredKilobytesIsFast) {
  const std::string html = NewsletterOfSize(100 * 1024);
  std::string text;
  const double ms = BestCpuMillis([&] { text = HtmlToText(html); });
  EXPECT_NE(text.find("Story 0"), std::string::npos);
  EXPECT_NE(text.find("Read more <https://news.example.com/r/1>"), std::string::npos);
  EXPECT_LT(ms, 10.0) << "HtmlToText on 100 KB took " << ms << " ms";
}

}  // namespace
}  // namespace rapport::mail
