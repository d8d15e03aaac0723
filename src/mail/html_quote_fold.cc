#include "mail/html_quote_fold.h"

#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>

#include "core/ascii.h"
#include "mail/html_tree.h"
#include "mail/quote_markers.h"

namespace rapport::mail::html {
namespace {

bool IsElement(const GumboNode& node, GumboTag tag) {
  return node.type == GUMBO_NODE_ELEMENT && node.v.element.tag == tag &&
         node.v.element.tag_namespace == GUMBO_NAMESPACE_HTML;
}

bool HasClass(const GumboElement& element, std::string_view wanted) {
  const char* value = AttributeValue(element, "class");
  if (value == nullptr) return false;
  std::string_view classes(value);
  size_t pos = 0;
  while (pos < classes.size()) {
    while (pos < classes.size() && (classes[pos] == ' ' || classes[pos] == '\t' || classes[pos] == '\n')) ++pos;
    size_t end = pos;
    while (end < classes.size() && classes[end] != ' ' && classes[end] != '\t' && classes[end] != '\n') ++end;
    if (classes.substr(pos, end - pos) == wanted) return true;
    pos = end;
  }
  return false;
}

bool AttributeIs(const GumboElement& element, const char* name, std::string_view wanted) {
  const char* value = AttributeValue(element, name);
  return value != nullptr && EqualsNoCase(value, wanted);
}

// The first `limit` bytes of an element's text, whitespace collapsed, for recognising header blocks.
// Looks at no more than a few dozen nodes: this runs for many elements, and a deep tree without text
// must not make the fold search quadratic.
std::string LeadingText(const GumboNode& node, size_t limit) {
  constexpr int kNodeBudget = 64;
  int budget = kNodeBudget;
  std::string text;
  bool space = false;
  WalkChildren(
      node,
      [&](const GumboNode& n) {
        if (text.size() >= limit || --budget < 0) return false;
        if (n.type == GUMBO_NODE_TEXT || n.type == GUMBO_NODE_WHITESPACE) {
          for (const char* p = n.v.text.text; *p != '\0' && text.size() < limit; ++p) {
            const auto c = static_cast<unsigned char>(*p);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
                (c == 0xC2 && static_cast<unsigned char>(p[1]) == 0xA0)) {
              if (c == 0xC2) ++p;
              space = !text.empty();
              continue;
            }
            if (space) text.push_back(' ');
            space = false;
            text.push_back(static_cast<char>(c));
          }
          return false;
        }
        return n.type == GUMBO_NODE_ELEMENT;
      },
      [](const GumboNode&) {});
  return text;
}

bool StartsWithAny(std::string_view text, std::initializer_list<std::string_view> prefixes) {
  for (std::string_view prefix : prefixes) {
    if (text.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

// Outlook desktop's reply header: a div with a top border whose text starts with "From:" in some language.
bool IsOutlookHeaderDiv(const GumboNode& node) {
  if (!IsElement(node, GUMBO_TAG_DIV)) return false;
  const char* style = AttributeValue(node.v.element, "style");
  if (style == nullptr || !ContainsNoCase(style, "border-top")) return false;
  return StartsWithAny(LeadingText(node, 40),
                       {"From:", "Von:", "De :", "De:", "Van:", "Da:", "Från:", "Fra:", "Od:", "Lähettäjä:"});
}

const GumboNode* OnlyElementChild(const GumboNode& node) {
  if (node.type != GUMBO_NODE_ELEMENT) return nullptr;
  const GumboNode* only = nullptr;
  const GumboVector& children = node.v.element.children;
  for (unsigned int i = 0; i < children.length; ++i) {
    const auto* child = static_cast<const GumboNode*>(children.data[i]);
    if (child->type == GUMBO_NODE_WHITESPACE || child->type == GUMBO_NODE_COMMENT) continue;
    if (child->type != GUMBO_NODE_ELEMENT || only != nullptr) return nullptr;
    only = child;
  }
  return only;
}

bool IsOutlookReplyHeader(const GumboNode& node) {
  if (node.type != GUMBO_NODE_ELEMENT) return false;
  if (AttributeIs(node.v.element, "id", "divrplyfwdmsg") || AttributeIs(node.v.element, "id", "x_divrplyfwdmsg")) {
    return true;
  }
  if (IsOutlookHeaderDiv(node)) return true;
  const GumboNode* only = OnlyElementChild(node);
  return only != nullptr && IsElement(node, GUMBO_TAG_DIV) && IsOutlookHeaderDiv(*only);
}

bool IsOriginalMessageMarker(const GumboNode& node) {
  if (!IsElement(node, GUMBO_TAG_DIV) && !IsElement(node, GUMBO_TAG_P)) return false;
  const std::string text = LeadingText(node, 48);
  for (std::string_view marker : kOriginalMessageMarkers) {
    if (std::string_view(text).starts_with(marker)) return true;
  }
  return false;
}

bool CanHoldDetails(const GumboNode& parent) {
  if (parent.type != GUMBO_NODE_ELEMENT || parent.v.element.tag_namespace != GUMBO_NAMESPACE_HTML) return false;
  switch (parent.v.element.tag) {
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_NAV:
      return true;
    default:
      return false;
  }
}

// The next sibling that is not whitespace or a comment, or nullptr.
const GumboNode* NextSibling(const GumboNode& node) {
  const GumboNode* parent = node.parent;
  if (parent == nullptr || parent->type != GUMBO_NODE_ELEMENT) return nullptr;
  const GumboVector& siblings = parent->v.element.children;
  for (unsigned int i = static_cast<unsigned int>(node.index_within_parent) + 1; i < siblings.length; ++i) {
    const auto* sibling = static_cast<const GumboNode*>(siblings.data[i]);
    if (sibling->type == GUMBO_NODE_WHITESPACE || sibling->type == GUMBO_NODE_COMMENT) continue;
    return sibling;
  }
  return nullptr;
}

const GumboNode* LastSibling(const GumboNode& node) {
  const GumboVector& siblings = node.parent->v.element.children;
  return static_cast<const GumboNode*>(siblings.data[siblings.length - 1]);
}

}  // namespace

const GumboNode* QuotedHistoryEnd(const GumboNode& child) {
  if (child.type != GUMBO_NODE_ELEMENT || child.v.element.tag_namespace != GUMBO_NAMESPACE_HTML) return nullptr;
  if (child.parent == nullptr || !CanHoldDetails(*child.parent)) return nullptr;
  const GumboElement& element = child.v.element;

  if (IsElement(child, GUMBO_TAG_BLOCKQUOTE) && (AttributeIs(element, "type", "cite") || HasClass(element, "gmail_quote"))) {
    return &child;
  }
  if (IsElement(child, GUMBO_TAG_DIV) && (HasClass(element, "gmail_quote") || HasClass(element, "yahoo_quoted"))) {
    return &child;
  }
  if (IsElement(child, GUMBO_TAG_DIV) && HasClass(element, "moz-cite-prefix")) {
    const GumboNode* next = NextSibling(child);
    if (next != nullptr && IsElement(*next, GUMBO_TAG_BLOCKQUOTE)) return next;
    return nullptr;  // a prefix without a quote is only a line of text
  }
  if (IsOutlookReplyHeader(child) || IsOriginalMessageMarker(child)) return LastSibling(child);
  if (IsElement(child, GUMBO_TAG_HR)) {
    const GumboNode* next = NextSibling(child);
    if (next != nullptr && IsOutlookReplyHeader(*next)) return LastSibling(child);
  }
  return nullptr;
}

}  // namespace rapport::mail::html
