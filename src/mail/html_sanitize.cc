// SanitizeEmailHtml: parse with gumbo, then write a new fragment from the tree, element by element, keeping
// only what the allow-lists below name. Nothing from the input reaches the output except through
// AppendEscaped/AppendAttribute, so markup can only come from this file.
#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "mail/html_display.h"
#include "mail/html_escape.h"
#include "mail/html_quote_fold.h"
#include "mail/html_style.h"
#include "mail/html_tree.h"
#include "mail/html_url.h"

namespace rapport::mail {
namespace {

enum class Policy {
  kKeep,    // written out, with filtered attributes
  kUnwrap,  // not written, its content is
  kDrop,    // neither it nor anything inside it
};

Policy PolicyFor(const GumboNode& node) {
  if (node.type == GUMBO_NODE_TEMPLATE) return Policy::kDrop;
  const GumboElement& element = node.v.element;
  // SVG and MathML have their own parsing rules; keeping none of it rules out namespace confusion.
  if (element.tag_namespace != GUMBO_NAMESPACE_HTML) return Policy::kDrop;
  switch (element.tag) {
    case GUMBO_TAG_A: case GUMBO_TAG_ABBR: case GUMBO_TAG_ACRONYM: case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE: case GUMBO_TAG_B: case GUMBO_TAG_BDI: case GUMBO_TAG_BDO:
    case GUMBO_TAG_BIG: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_BR: case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_CENTER: case GUMBO_TAG_CITE: case GUMBO_TAG_CODE: case GUMBO_TAG_COL:
    case GUMBO_TAG_COLGROUP: case GUMBO_TAG_DD: case GUMBO_TAG_DEL: case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DFN: case GUMBO_TAG_DIV: case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_EM:
    case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FIGURE: case GUMBO_TAG_FONT: case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5:
    case GUMBO_TAG_H6: case GUMBO_TAG_HEADER: case GUMBO_TAG_HR: case GUMBO_TAG_I: case GUMBO_TAG_IMG:
    case GUMBO_TAG_INS: case GUMBO_TAG_KBD: case GUMBO_TAG_LI: case GUMBO_TAG_MAIN: case GUMBO_TAG_MARK:
    case GUMBO_TAG_NAV: case GUMBO_TAG_OL: case GUMBO_TAG_P: case GUMBO_TAG_PRE: case GUMBO_TAG_Q:
    case GUMBO_TAG_S: case GUMBO_TAG_SAMP: case GUMBO_TAG_SECTION: case GUMBO_TAG_SMALL:
    case GUMBO_TAG_SPAN: case GUMBO_TAG_STRIKE: case GUMBO_TAG_STRONG: case GUMBO_TAG_SUB:
    case GUMBO_TAG_SUMMARY: case GUMBO_TAG_SUP: case GUMBO_TAG_TABLE: case GUMBO_TAG_TBODY:
    case GUMBO_TAG_TD: case GUMBO_TAG_TFOOT: case GUMBO_TAG_TH: case GUMBO_TAG_THEAD: case GUMBO_TAG_TIME:
    case GUMBO_TAG_TR: case GUMBO_TAG_TT: case GUMBO_TAG_U: case GUMBO_TAG_UL: case GUMBO_TAG_VAR:
    case GUMBO_TAG_WBR:
      return Policy::kKeep;
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_HEAD: case GUMBO_TAG_TITLE:
    case GUMBO_TAG_META: case GUMBO_TAG_LINK: case GUMBO_TAG_BASE: case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_FRAME: case GUMBO_TAG_FRAMESET: case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED:
    case GUMBO_TAG_APPLET: case GUMBO_TAG_PARAM: case GUMBO_TAG_FORM: case GUMBO_TAG_INPUT:
    case GUMBO_TAG_BUTTON: case GUMBO_TAG_SELECT: case GUMBO_TAG_OPTION: case GUMBO_TAG_OPTGROUP:
    case GUMBO_TAG_DATALIST: case GUMBO_TAG_KEYGEN: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_NOEMBED: case GUMBO_TAG_NOFRAMES: case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH: case GUMBO_TAG_AUDIO: case GUMBO_TAG_VIDEO: case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_TRACK: case GUMBO_TAG_CANVAS: case GUMBO_TAG_MAP: case GUMBO_TAG_AREA:
    case GUMBO_TAG_MENUITEM: case GUMBO_TAG_ISINDEX:
      return Policy::kDrop;
    default:
      return Policy::kUnwrap;  // html, body handled apart, unknown tags (<o:p>), picture, label, marquee ...
  }
}

bool IsVoid(GumboTag tag) {
  return tag == GUMBO_TAG_BR || tag == GUMBO_TAG_HR || tag == GUMBO_TAG_IMG || tag == GUMBO_TAG_COL ||
         tag == GUMBO_TAG_WBR;
}

// Presentational attributes, harmless on any kept element. Values are written escaped.
constexpr const char* kPlainAttributes[] = {
    "abbr",  "align",  "alt",   "bgcolor", "border", "bordercolor", "cellpadding", "cellspacing", "clear",
    "color", "colspan", "datetime", "dir", "face",   "height",      "hspace",      "lang",        "nowrap",
    "reversed", "rowspan", "scope", "size", "span",  "start",       "title",       "valign",      "vspace",
    "width"};

// `name` is gumbo's NUL-terminated, lower-cased attribute name.
bool IsPlainAttribute(const char* name) {
  for (const char* allowed : kPlainAttributes) {
    if (allowed[0] == name[0] && std::strcmp(allowed, name) == 0) return true;
  }
  return false;
}

bool IsListType(std::string_view value) {
  return value == "1" || value == "a" || value == "A" || value == "i" || value == "I" || value == "disc" ||
         value == "circle" || value == "square";
}

bool IsColourToken(std::string_view value) {
  if (value.empty() || value.size() > 32) return false;
  return std::all_of(value.begin(), value.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '#';
  });
}

constexpr std::string_view kFoldOpen = "<details class=\"quoted\"><summary>Show quoted text</summary>";
constexpr std::string_view kFoldClose = "</details>";

class Sanitizer {
 public:
  explicit Sanitizer(const SanitizeOptions& options) : options_(options) {}

  SanitizedHtml Run(std::string_view html) {
    const std::unique_ptr<html::ParsedHtml> parsed = html::ParseHtml(html);
    const GumboNode& body = html::BodyOf(parsed->output());
    out_.Reserve(html.size() + 1024);
    const bool wrap = body.type == GUMBO_NODE_ELEMENT && body.v.element.tag == GUMBO_TAG_BODY &&
                      WriteBodyWrapper(body.v.element);
    html::WalkChildren(
        body, [this](const GumboNode& node) { return Enter(node); },
        [this](const GumboNode& node) { Leave(node); });
    if (wrap) out_.Append("</div>");
    result_.html = out_.Take();
    return std::move(result_);
  }

 private:
  bool Enter(const GumboNode& node) {
    switch (node.type) {
      case GUMBO_NODE_TEXT:
        html::AppendEscaped(out_, node.v.text.text);
        return false;
      case GUMBO_NODE_WHITESPACE:
        out_.Append(node.v.text.text);  // only spaces, tabs and line ends
        return false;
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE:
        break;
      default:
        return false;  // comments (IE conditional comments with them), CDATA outside foreign content
    }
    if (options_.fold_quotes && fold_end_ == nullptr) {
      if (const GumboNode* end = html::QuotedHistoryEnd(node)) {
        out_.Append(kFoldOpen);
        fold_end_ = end;
      }
    }
    const Policy policy = PolicyFor(node);
    if (policy != Policy::kKeep) {
      end_tags_.emplace_back();
      return policy == Policy::kUnwrap;
    }
    const GumboElement& element = node.v.element;
    const std::string_view name = gumbo_normalized_tagname(element.tag);
    const size_t start = out_.size();
    out_.Append('<');
    out_.Append(name);
    if (!WriteAttributes(element)) {
      // An image with nothing safe to show, or a link without a usable target: leave no element behind.
      out_.Truncate(start);
      end_tags_.emplace_back();
      return element.tag != GUMBO_TAG_IMG;
    }
    out_.Append('>');
    if (element.tag == GUMBO_TAG_PRE && element.children.length > 0) {
      // A parser drops one newline right after <pre>; write one so a leading blank line survives.
      const auto* first = static_cast<const GumboNode*>(element.children.data[0]);
      if ((first->type == GUMBO_NODE_TEXT || first->type == GUMBO_NODE_WHITESPACE) && first->v.text.text[0] == '\n') {
        out_.Append('\n');
      }
    }
    end_tags_.push_back(IsVoid(element.tag) ? std::string_view() : name);
    return !IsVoid(element.tag);
  }

  void Leave(const GumboNode& node) {
    if (node.type == GUMBO_NODE_ELEMENT || node.type == GUMBO_NODE_TEMPLATE) {
      // Enter pushed exactly one entry for every element (WalkChildren pairs enter and leave).
      const std::string_view end_tag = end_tags_.back();
      end_tags_.pop_back();
      if (!end_tag.empty()) {
        out_.Append("</");
        out_.Append(end_tag);
        out_.Append('>');
      }
    }
    if (&node == fold_end_) {
      out_.Append(kFoldClose);
      fold_end_ = nullptr;
    }
  }

  // Writes the attributes of a kept element; false when the element must go (img without a usable
  // source; for <a> without a safe href, false means "write the content only").
  bool WriteAttributes(const GumboElement& element) {
    std::string classes;
    bool keep = true;
    if (element.tag == GUMBO_TAG_IMG) keep = WriteImageSource(element, classes);
    if (element.tag == GUMBO_TAG_A) keep = WriteLinkTarget(element);
    if (!keep) return false;

    const GumboVector& attributes = element.attributes;
    for (unsigned int i = 0; i < attributes.length; ++i) {
      const auto* attribute = static_cast<const GumboAttribute*>(attributes.data[i]);
      if (attribute->attr_namespace != GUMBO_ATTR_NAMESPACE_NONE) continue;
      const std::string_view name = attribute->name;
      const std::string_view value = attribute->value;
      if (IsPlainAttribute(attribute->name)) {
        html::AppendAttribute(out_, name, value);
      } else if (name == "style") {
        const std::string style = html::FilterInlineStyle(value);
        if (!style.empty()) html::AppendAttribute(out_, "style", style);
      } else if (name == "type" && (element.tag == GUMBO_TAG_OL || element.tag == GUMBO_TAG_UL ||
                                    element.tag == GUMBO_TAG_LI)) {
        if (IsListType(value)) html::AppendAttribute(out_, "type", value);
      } else if (name == "background") {
        WriteImageUrl("background", html::CleanUrl(value), classes);
      }
    }
    if (!classes.empty()) html::AppendAttribute(out_, "class", classes);
    return true;
  }

  bool WriteImageSource(const GumboElement& element, std::string& classes) {
    const char* src = html::AttributeValue(element, "src");
    if (src == nullptr) return false;
    const std::string url = html::CleanUrl(src);
    if (html::IsSafeDataImage(url)) {
      html::AppendAttribute(out_, "src", url);
      return true;
    }
    return WriteImageUrl("src", url, classes);
  }

  // Writes attribute `name` (an image's src, a background) for a cleaned URL: a cid: URL as the URL
  // resolve_cid gives; an http(s) URL as it is, or, while remote images are blocked, as
  // data-remote-<name> with class "remote-blocked", counted. False when nothing was written (no
  // resolver, unknown cid, any other URL).
  bool WriteImageUrl(std::string_view name, const std::string& url, std::string& classes) {
    const std::string content_id = html::ContentIdOf(url);
    if (!content_id.empty()) {
      if (!options_.resolve_cid) return false;
      const std::optional<std::string> resolved = options_.resolve_cid(content_id);
      if (!resolved.has_value()) return false;
      html::AppendAttribute(out_, name, *resolved);
      return true;
    }
    const std::string remote = html::RemoteUrl(url);
    if (remote.empty()) return false;
    if (options_.allow_remote_images) {
      html::AppendAttribute(out_, name, remote);
    } else {
      html::AppendAttribute(out_, "data-remote-" + std::string(name), remote);
      classes = "remote-blocked";
      ++result_.blocked_remote_images;
    }
    return true;
  }

  bool WriteLinkTarget(const GumboElement& element) {
    const char* href = html::AttributeValue(element, "href");
    if (href == nullptr) return false;
    const std::string url = html::CleanUrl(href);
    if (!html::IsSafeLinkUrl(url)) return false;
    html::AppendAttribute(out_, "href", url);
    out_.Append(" rel=\"noopener noreferrer nofollow\" target=\"_blank\"");
    return true;
  }

  // <body> carries a newsletter's page colours; keep them on a <div> so light text stays on its dark
  // background. Returns whether a <div> was opened.
  bool WriteBodyWrapper(const GumboElement& body) {
    std::string style;
    if (const char* bgcolor = html::AttributeValue(body, "bgcolor"); bgcolor != nullptr && IsColourToken(bgcolor)) {
      style += "background-color: " + std::string(bgcolor);
    }
    if (const char* text = html::AttributeValue(body, "text"); text != nullptr && IsColourToken(text)) {
      if (!style.empty()) style += "; ";
      style += "color: " + std::string(text);
    }
    if (const char* inline_style = html::AttributeValue(body, "style"); inline_style != nullptr) {
      const std::string filtered = html::FilterInlineStyle(inline_style);
      if (!filtered.empty()) {
        if (!style.empty()) style += "; ";
        style += filtered;
      }
    }
    const char* background = html::AttributeValue(body, "background");
    if (style.empty() && background == nullptr) return false;
    out_.Append("<div");
    std::string classes;
    if (background != nullptr) WriteImageUrl("background", html::CleanUrl(background), classes);
    if (!style.empty()) html::AppendAttribute(out_, "style", style);
    if (!classes.empty()) html::AppendAttribute(out_, "class", classes);
    out_.Append('>');
    return true;
  }

  const SanitizeOptions& options_;
  SanitizedHtml result_;  // the count; the html is assembled in out_
  html::HtmlBuffer out_;
  std::vector<std::string_view> end_tags_;  // per open element: its end tag, or "" when none was written
  const GumboNode* fold_end_ = nullptr;     // the last node of the open <details>, if any
};

}  // namespace

SanitizedHtml SanitizeEmailHtml(std::string_view html, const SanitizeOptions& options) {
  return Sanitizer(options).Run(html);
}

}  // namespace rapport::mail
