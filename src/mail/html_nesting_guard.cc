#include "mail/html_nesting_guard.h"

#include "core/ascii.h"

#include <algorithm>
#include <cstring>

namespace rapport::mail::html {
namespace {

bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool NameIs(std::string_view name, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Elements with no end tag, and those whose start tag closes an open one of their kind: neither deepens
// the tree in a way that grows with their number.
bool DoesNotNest(std::string_view name) {
  return NameIs(name, {"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta",
                       "param", "source", "track", "wbr", "image", "p", "li", "dt", "dd", "option", "optgroup",
                       "tr", "td", "th", "tbody", "thead", "tfoot", "colgroup", "caption", "rb", "rt", "rp",
                       "html", "head", "body", "frame"});
}

bool IsFormatting(std::string_view name) {
  return NameIs(name, {"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt",
                       "u"});
}

// Elements whose content the tokenizer reads as text up to their end tag.
bool IsRawText(std::string_view name) {
  return NameIs(name, {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"});
}

struct Tag {
  size_t end = 0;  // one past the '>' (or the input's end)
  std::string name;
  bool closing = false;
};

// Reads the tag starting at html[start] == '<' followed by a letter or '/'+letter.
Tag ReadTag(std::string_view html, size_t start) {
  Tag tag;
  size_t i = start + 1;
  if (html[i] == '/') {
    tag.closing = true;
    ++i;
  }
  while (i < html.size() && html[i] != '>' && html[i] != '/' && static_cast<unsigned char>(html[i]) > ' ') {
    if (tag.name.size() < 16) tag.name.push_back(AsciiLower(html[i]));
    ++i;
  }
  // Attributes: a '>' inside a quoted value does not end the tag.
  while (i < html.size() && html[i] != '>') {
    if (html[i] == '=') {
      ++i;
      while (i < html.size() && (html[i] == ' ' || html[i] == '\t' || html[i] == '\n' || html[i] == '\r')) ++i;
      if (i < html.size() && (html[i] == '"' || html[i] == '\'')) {
        const size_t close = html.find(html[i], i + 1);
        i = close == std::string_view::npos ? html.size() : close + 1;
        continue;
      }
      continue;
    }
    ++i;
  }
  tag.end = std::min(html.size(), i + 1);
  return tag;
}

// Where the raw text of element `name` ends: at "</name" (any case), or the input's end.
size_t RawTextEnd(std::string_view html, size_t from, std::string_view name) {
  for (size_t i = html.find("</", from); i != std::string_view::npos; i = html.find("</", i + 2)) {
    if (StartsWithNoCase(html.substr(i + 2), name)) return i;
  }
  return html.size();
}

}  // namespace

std::string_view LimitNesting(std::string_view html, std::string& storage, const NestingLimits& limits) {
  int depth = 0;
  int formatting = 0;
  int dropped = 0;  // start tags left out whose end tags are still to come
  bool copying = false;
  size_t copied_until = 0;  // when copying: html[0, copied_until) is accounted for in storage

  auto drop = [&](size_t begin, size_t end) {
    if (!copying) {
      storage.assign(html.data(), begin);
      copying = true;
    } else {
      storage.append(html.data() + copied_until, begin - copied_until);
    }
    copied_until = end;
  };

  size_t i = 0;
  while (i < html.size()) {
    const size_t lt = html.find('<', i);
    if (lt == std::string_view::npos || lt + 1 >= html.size()) break;
    const char next = html[lt + 1];
    if (next == '!') {
      if (html.substr(lt, 4) == "<!--") {
        const size_t close = html.find("-->", lt + 4);
        i = close == std::string_view::npos ? html.size() : close + 3;
      } else {
        const size_t close = html.find('>', lt + 2);
        i = close == std::string_view::npos ? html.size() : close + 1;
      }
      continue;
    }
    const bool is_tag = IsLetter(next) || (next == '/' && lt + 2 < html.size() && IsLetter(html[lt + 2]));
    if (!is_tag) {
      i = lt + 1;
      continue;
    }
    const Tag tag = ReadTag(html, lt);
    i = tag.end;
    if (tag.name == "plaintext" && !tag.closing) break;  // everything after it is text
    if (DoesNotNest(tag.name)) continue;
    const bool formatting_tag = IsFormatting(tag.name);
    if (tag.closing) {
      if (dropped > 0) {
        --dropped;
        drop(lt, tag.end);
        continue;
      }
      depth = std::max(0, depth - 1);
      if (formatting_tag) formatting = std::max(0, formatting - 1);
      continue;
    }
    if (depth >= limits.max_depth || (formatting_tag && formatting >= limits.max_open_formatting)) {
      ++dropped;
      drop(lt, tag.end);
      continue;
    }
    ++depth;
    if (formatting_tag) ++formatting;
    if (IsRawText(tag.name)) i = RawTextEnd(html, i, tag.name);
  }
  if (!copying) return html;
  storage.append(html.data() + copied_until, html.size() - copied_until);
  return storage;
}

}  // namespace rapport::mail::html
