// HtmlToText: a single pass over the gumbo tree feeding a writer that owns all layout decisions
// (line breaks, quote prefixes, list bullets, whitespace collapsing).
#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/ascii.h"
#include "mail/html_display.h"
#include "mail/html_tree.h"

namespace rapport::mail {
namespace {

// Accumulates text, deferring every separator until real content follows, so that empty elements and
// whitespace-only nodes never leave stray spaces or blank lines behind.
class TextWriter {
 public:
  // Asks for at least `lines` line ends (1 = newline, 2 = blank line) before the next content.
  void Break(int lines) {
    pending_breaks_ = std::max(pending_breaks_, lines);
    NoteBreakDepth();
    pending_space_ = false;
  }
  // <br>: one more line end than already pending, up to a blank line.
  void HardBreak() {
    pending_breaks_ = std::min(pending_breaks_ + 1, 2);
    NoteBreakDepth();
    pending_space_ = false;
  }
  void Space() {
    if (!at_line_start_ && pending_breaks_ == 0) pending_space_ = true;
  }
  void EnterQuote() { ++quote_depth_; }
  void LeaveQuote() { quote_depth_ = std::max(0, quote_depth_ - 1); }
  void EnterPre() { ++pre_depth_; }
  void LeavePre() { pre_depth_ = std::max(0, pre_depth_ - 1); }
  // A bullet to print before the next content, at the start of its line.
  void SetBullet(std::string bullet) { bullet_ = std::move(bullet); }

  void Text(std::string_view text) {
    const size_t n = text.size();
    const bool pre = pre_depth_ > 0;
    size_t i = 0;
    while (i < n) {
      // Copy runs of ordinary bytes in one go; only whitespace and a few UTF-8 lead bytes need a look.
      size_t run_end = i;
      while (run_end < n && !IsSpecial(static_cast<unsigned char>(text[run_end]), pre)) ++run_end;
      if (run_end > i) {
        Flush();
        out_.append(text.data() + i, run_end - i);
        i = run_end;
        continue;
      }
      const auto c = static_cast<unsigned char>(text[i]);
      if (pre) {
        // A line end in <pre> is a <br>: deferred like every separator, so blank lines still never pile up.
        if (c == '\n') HardBreak();
        ++i;  // '\r' is dropped
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        Space();
        ++i;
        continue;
      }
      const size_t skip = InvisibleLength(text.substr(i));
      if (skip > 0) {
        i += skip;
        continue;
      }
      if (c == 0xC2 && i + 1 < n && static_cast<unsigned char>(text[i + 1]) == 0xA0) {  // U+00A0
        Space();
        i += 2;
        continue;
      }
      Flush();
      out_.push_back(static_cast<char>(c));
      ++i;
    }
  }

  // Text written verbatim as one unit (a URL), after the usual pending separators.
  void Raw(std::string_view text) {
    if (text.empty()) return;
    Flush();
    out_.append(text);
  }

  size_t size() const { return out_.size(); }
  // What was written from `offset` on. Line ends trim trailing spaces, so the text can be shorter than an
  // offset taken earlier.
  std::string_view since(size_t offset) const {
    return offset >= out_.size() ? std::string_view() : std::string_view(out_).substr(offset);
  }

  std::string Finish() {
    while (!out_.empty() && (out_.back() == ' ' || out_.back() == '\n')) out_.pop_back();
    return std::move(out_);
  }

 private:
  static bool IsSpecial(unsigned char c, bool pre) {
    if (pre) return c == '\n' || c == '\r';
    return c <= ' ' || c == 0xC2 || c == 0xCD || c == 0xE2 || c == 0xEF;
  }

  // Length of a zero-width character or soft hyphen at the start of `s` (newsletters pad their hidden
  // preheader with hundreds of them), or 0.
  static size_t InvisibleLength(std::string_view s) {
    auto at = [&](size_t k) { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0; };
    if (at(0) == 0xC2 && at(1) == 0xAD) return 2;                                 // U+00AD soft hyphen
    if (at(0) == 0xCD && at(1) == 0x8F) return 2;                                 // U+034F
    if (at(0) == 0xE2 && at(1) == 0x80 && at(2) >= 0x8B && at(2) <= 0x8D) return 3;  // U+200B..U+200D
    if (at(0) == 0xEF && at(1) == 0xBB && at(2) == 0xBF) return 3;                // U+FEFF
    return 0;
  }

  void NoteBreakDepth() { break_depth_ = std::min(break_depth_, quote_depth_); }

  // Writes the separators owed before content: line ends (blank lines inside a quote keep their ">"),
  // then the quote prefix and bullet of a new line, or a single collapsed space.
  void Flush() {
    if (pending_breaks_ > 0) {
      if (!out_.empty()) {
        while (!out_.empty() && out_.back() == ' ') out_.pop_back();
        if (!at_line_start_) out_.push_back('\n');
        at_line_start_ = true;
        if (pending_breaks_ >= 2 && !last_line_blank_) {
          const int depth = std::min(break_depth_, quote_depth_);
          for (int q = 0; q < depth; ++q) out_.append(q + 1 < depth ? "> " : ">");
          out_.push_back('\n');
          last_line_blank_ = true;
        }
      }
      pending_breaks_ = 0;
      pending_space_ = false;
      break_depth_ = kNoBreak;
    }
    if (at_line_start_) {
      for (int q = 0; q < quote_depth_; ++q) out_.append("> ");
      out_.append(bullet_);
      bullet_.clear();
      at_line_start_ = false;
      pending_space_ = false;
    } else if (pending_space_) {
      out_.push_back(' ');
      pending_space_ = false;
    }
    last_line_blank_ = false;
  }

  static constexpr int kNoBreak = 1 << 20;
  std::string out_;
  std::string bullet_;
  int pending_breaks_ = 0;
  int break_depth_ = kNoBreak;
  int quote_depth_ = 0;
  int pre_depth_ = 0;
  bool pending_space_ = false;
  bool at_line_start_ = true;
  bool last_line_blank_ = true;  // true at the start, so output never begins with a blank line
};

bool DropsContent(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_IMG:
      return true;
    default:
      return false;
  }
}

// Elements set off by a blank line (2) or a line end (1); 0 for inline.
int BlockBreak(const GumboElement& element, int list_depth) {
  switch (element.tag) {
    case GUMBO_TAG_P: {
      const char* cls = html::AttributeValue(element, "class");
      return (cls != nullptr && std::strstr(cls, "MsoNormal") != nullptr) ? 1 : 2;
    }
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_FIGURE:
      return 2;
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
      return list_depth > 0 ? 1 : 2;
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_DIR:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_LEGEND:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TFOOT:
      return 1;
    default:
      return 0;
  }
}

// The part of a URL or link text a reader compares: no scheme, no trailing slash, no surrounding space.
std::string ComparableUrl(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '<')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '>' || s.back() == '/')) {
    s.remove_suffix(1);
  }
  for (std::string_view scheme : {"https://", "http://", "mailto:", "ftp://"}) {
    if (StartsWithNoCase(s, scheme)) {
      s.remove_prefix(scheme.size());
      break;
    }
  }
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

bool ShowsUrl(std::string_view href) {
  return StartsWithNoCase(href, "http://") || StartsWithNoCase(href, "https://") ||
         StartsWithNoCase(href, "mailto:") || StartsWithNoCase(href, "ftp://");
}

struct OpenLink {
  const GumboNode* node;
  size_t text_start;
  std::string_view href;
};

struct OpenParagraph {
  const GumboNode* node;
  size_t text_start;
};

}  // namespace

std::string HtmlToText(std::string_view html) {
  const std::unique_ptr<html::ParsedHtml> parsed = html::ParseHtml(html);
  TextWriter writer;
  std::vector<int> list_counters;  // one per open list: 0 for <ul>, next number for <ol>
  std::vector<OpenLink> links;
  std::vector<OpenParagraph> paragraphs;

  auto enter = [&](const GumboNode& node) -> bool {
    switch (node.type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_CDATA:
      case GUMBO_NODE_WHITESPACE:
        writer.Text(node.v.text.text);
        return false;
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE:
        break;
      default:
        return false;  // comments, the document node
    }
    const GumboElement& element = node.v.element;
    if (DropsContent(element.tag)) return false;
    const int block = BlockBreak(element, static_cast<int>(list_counters.size()));
    if (block > 0) writer.Break(block);
    switch (element.tag) {
      case GUMBO_TAG_BR:
        writer.HardBreak();
        break;
      case GUMBO_TAG_TD:
      case GUMBO_TAG_TH:
        writer.Space();
        break;
      case GUMBO_TAG_BLOCKQUOTE:
        writer.EnterQuote();
        break;
      case GUMBO_TAG_PRE:
        writer.EnterPre();
        break;
      case GUMBO_TAG_UL:
      case GUMBO_TAG_DIR:
      case GUMBO_TAG_MENU:
        list_counters.push_back(0);
        break;
      case GUMBO_TAG_OL:
        list_counters.push_back(1);
        break;
      case GUMBO_TAG_LI: {
        std::string bullet(2 * (list_counters.empty() ? 0 : list_counters.size() - 1), ' ');
        if (!list_counters.empty() && list_counters.back() > 0) {
          bullet += std::to_string(list_counters.back()++) + ". ";
        } else {
          bullet += "- ";
        }
        writer.SetBullet(std::move(bullet));
        break;
      }
      case GUMBO_TAG_A: {
        const char* href = html::AttributeValue(element, "href");
        if (href != nullptr && ShowsUrl(href)) links.push_back({&node, writer.size(), href});
        break;
      }
      case GUMBO_TAG_P:
        paragraphs.push_back({&node, writer.size()});
        break;
      default:
        break;
    }
    return true;
  };

  auto leave = [&](const GumboNode& node) {
    if (node.type != GUMBO_NODE_ELEMENT && node.type != GUMBO_NODE_TEMPLATE) return;
    const GumboElement& element = node.v.element;
    if (DropsContent(element.tag)) return;
    switch (element.tag) {
      case GUMBO_TAG_TD:
      case GUMBO_TAG_TH:
        writer.Space();
        break;
      case GUMBO_TAG_BLOCKQUOTE:
        writer.LeaveQuote();
        break;
      case GUMBO_TAG_PRE:
        writer.LeavePre();
        break;
      case GUMBO_TAG_UL:
      case GUMBO_TAG_DIR:
      case GUMBO_TAG_MENU:
      case GUMBO_TAG_OL:
        if (!list_counters.empty()) list_counters.pop_back();
        break;
      case GUMBO_TAG_LI:
        writer.SetBullet("");
        break;
      case GUMBO_TAG_A:
        if (!links.empty() && links.back().node == &node) {
          const std::string text = ComparableUrl(writer.since(links.back().text_start));
          if (!text.empty() && text != ComparableUrl(links.back().href)) {
            writer.Raw(" <");
            writer.Raw(links.back().href);
            writer.Raw(">");
          }
          links.pop_back();
        }
        break;
      case GUMBO_TAG_P:
        if (!paragraphs.empty() && paragraphs.back().node == &node) {
          // An empty paragraph is how Outlook (and many editors) write a blank line.
          const bool empty = writer.size() <= paragraphs.back().text_start;
          paragraphs.pop_back();
          if (empty) {
            writer.Break(2);
            return;
          }
        }
        break;
      default:
        break;
    }
    const int block = BlockBreak(element, static_cast<int>(list_counters.size()));
    if (block > 0) writer.Break(block);
  };

  html::WalkChildren(html::BodyOf(parsed->output()), enter, leave);
  return writer.Finish();
}

}  // namespace rapport::mail
