#include "mail/html_style.h"

#include "core/identity.h"
#include "core/ascii.h"

#include <cstring>

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

bool IsAllowedProperty(std::string_view name) {
  if (name.empty()) return false;
  for (std::string_view allowed : kAllowedProperties) {
    if (allowed[0] == name[0] && allowed.size() == name.size() &&
        std::memcmp(allowed.data(), name.data(), name.size()) == 0) {
      return true;
    }
  }
  return false;
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
  const char* v = value.data();  // raw access: this loop runs for every character of every style
  const size_t n = value.size();
  const bool is_margin = property.size() >= 6 && std::memcmp(property.data(), "margin", 6) == 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = v[i];
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
        if (EqualsNoCase(word, allowed)) colour_function = true;
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
      if (is_margin && i + 1 < n && ((v[i + 1] >= '0' && v[i + 1] <= '9') || v[i + 1] == '.')) {
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

// Whether any forbidden substring occurs; one pass, trying the list only where a first letter matches.
bool HasForbidden(std::string_view style) {
  const char* data = style.data();
  const size_t n = style.size();
  for (size_t i = 0; i < n; ++i) {
    const char c = AsciiLower(data[i]);
    if (c != '\\' && c != '/' && c != 'u' && c != 'e' && c != '@' && c != 'b' && c != '-' && c != 'j' && c != 'i') {
      continue;
    }
    for (std::string_view bad : kForbidden) {
      if (bad[0] != c || bad.size() > n - i) continue;
      size_t k = 1;
      while (k < bad.size() && AsciiLower(data[i + k]) == bad[k]) ++k;
      if (k == bad.size()) return true;
    }
  }
  return false;
}

}  // namespace

std::string FilterInlineStyle(std::string_view style) {
  if (HasForbidden(style)) return "";
  std::string out;
  const char* data = style.data();
  const size_t n = style.size();
  size_t start = 0;
  while (start < n) {
    size_t end = start;
    while (end < n && data[end] != ';') ++end;
    size_t colon = start;
    while (colon < end && data[colon] != ':') ++colon;
    if (colon < end) {
      const std::string_view raw_name = rapport::Trim(std::string_view(data + start, colon - start));
      const std::string_view value = rapport::Trim(std::string_view(data + colon + 1, end - colon - 1));
      char name[32];  // longer names are not on the list
      if (raw_name.size() < sizeof(name)) {
        for (size_t k = 0; k < raw_name.size(); ++k) name[k] = AsciiLower(raw_name.data()[k]);
        const std::string_view lowered(name, raw_name.size());
        if (IsAllowedProperty(lowered) && IsPlainValue(lowered, value)) {
          if (!out.empty()) out.append("; ", 2);
          out.append(lowered.data(), lowered.size());
          out.append(": ", 2);
          out.append(value.data(), value.size());
        }
      }
    }
    start = end + 1;
  }
  return out;
}

}  // namespace rapport::mail::html
