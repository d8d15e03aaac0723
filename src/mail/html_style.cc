#include "mail/html_style.h"

#include <algorithm>
#include <iterator>

namespace rapport::mail::html {
namespace {

// Properties that only change how text and boxes look in the normal flow. Nothing that positions,
// layers or transforms (mail must not draw over the page), nothing that loads anything.
constexpr std::string_view kAllowedProperties[] = {
    "background-color", "border", "border-bottom", "border-bottom-color", "border-bottom-style",
    "border-bottom-width", "border-collapse", "border-color", "border-left", "border-left-color",
    "border-left-style", "border-left-width", "border-radius", "border-right", "border-right-color",
    "border-right-style", "border-right-width", "border-spacing", "border-style", "border-top",
    "border-top-color", "border-top-style", "border-top-width", "border-width", "caption-side", "clear",
    "color", "direction", "display", "empty-cells", "float", "font", "font-family", "font-size",
    "font-stretch", "font-style", "font-variant", "font-weight", "height", "letter-spacing",
    "line-height", "list-style-type", "margin", "margin-bottom", "margin-left", "margin-right",
    "margin-top", "max-width", "min-height", "min-width", "padding", "padding-bottom", "padding-left",
    "padding-right", "padding-top", "table-layout", "text-align", "text-decoration",
    "text-decoration-color", "text-decoration-line", "text-decoration-style", "text-indent",
    "text-transform", "unicode-bidi", "vertical-align", "white-space", "width", "word-break",
    "word-spacing", "word-wrap", "overflow-wrap", "mso-line-height-rule", "background", "max-height",
    "text-underline-position"};

// Substrings that make the whole attribute suspicious: escapes and comments can hide anything else.
constexpr std::string_view kForbidden[] = {"\\",          "/*",         "url(",
                                                        "expression", "@import",    "behavior",
                                                        "-moz-binding", "javascript", "image-set("};

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// `needle` is lower-case.
bool ContainsNoCase(std::string_view haystack, std::string_view needle) {
  const char* data = haystack.data();
  const size_t n = haystack.size();
  const size_t m = needle.size();
  if (m > n) return false;
  for (size_t i = 0; i + m <= n; ++i) {
    size_t k = 0;
    while (k < m && Lower(data[i + k]) == needle[k]) ++k;
    if (k == m) return true;
  }
  return false;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r' ||
                        s.front() == '\f')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r' || s.back() == '\f')) {
    s.remove_suffix(1);
  }
  return s;
}

bool IsAllowedProperty(std::string_view name) {
  return std::find(std::begin(kAllowedProperties), std::end(kAllowedProperties), name) != std::end(kAllowedProperties);
}

// A value made only of keywords, numbers with units, colours, quoted family names, commas, slashes and
// the colour functions. Anything else (other functions, braces, angle brackets, ';' smuggled in quotes)
// fails.
bool IsPlainValue(std::string_view property, std::string_view value) {
  if (value.empty()) return false;
  size_t word_start = 0;  // the identifier just before a '(' is value[word_start, i)
  size_t word_length = 0;
  bool in_function = false;
  char quote = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else if (c == '<' || c == '>' || c == '{' || c == '}' || c == '(' || c == ')' || c == ';' || c == ':') {
        return false;
      }
      continue;
    }
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool digit = c >= '0' && c <= '9';
    if (letter || (c == '-' && word_length > 0)) {
      if (word_length == 0) word_start = i;
      ++word_length;
      continue;
    }
    if (c == '(') {
      const std::string_view word = value.substr(word_start, word_length);
      bool colour_function = false;
      for (std::string_view allowed : {"rgb", "rgba", "hsl", "hsla"}) {
        if (word.size() == allowed.size() && ContainsNoCase(word, allowed)) colour_function = true;
      }
      if (in_function || !colour_function) return false;
      in_function = true;
      word_length = 0;
      continue;
    }
    word_length = 0;
    if (c == ')') {
      if (!in_function) return false;
      in_function = false;
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
      continue;
    }
    if (c == '-') {
      // A negative length would pull the mail over whatever sits above it on the page.
      if (property.substr(0, 6) == "margin" && i + 1 < value.size() &&
          ((value[i + 1] >= '0' && value[i + 1] <= '9') || value[i + 1] == '.')) {
        return false;
      }
      continue;
    }
    if (digit || c == ' ' || c == '\t' || c == '#' || c == '%' || c == '.' || c == ',' || c == '/' ||
        c == '!' || c == '+' || c == '_') {
      continue;
    }
    if (static_cast<unsigned char>(c) >= 0x80) continue;  // non-ASCII font family names
    return false;
  }
  return quote == 0 && !in_function;
}

}  // namespace

std::string FilterInlineStyle(std::string_view style) {
  for (std::string_view bad : kForbidden) {
    if (ContainsNoCase(style, bad)) return "";
  }
  std::string out;
  std::string_view rest(style);
  while (!rest.empty()) {
    const size_t semicolon = rest.find(';');
    const std::string_view declaration = rest.substr(0, semicolon);
    rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
    const size_t colon = declaration.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(Trim(declaration.substr(0, colon)));
    for (char& c : name) c = Lower(c);
    const std::string_view value = Trim(declaration.substr(colon + 1));
    if (!IsAllowedProperty(name) || !IsPlainValue(name, value)) continue;
    if (!out.empty()) out.append("; ");
    out.append(name);
    out.append(": ");
    out.append(value);
  }
  return out;
}

}  // namespace rapport::mail::html
