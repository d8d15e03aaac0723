#pragma once
// Gumbo (like the HTML5 algorithm it implements) does work proportional to the depth of the open-element
// stack for every start tag, and re-creates every open formatting element (<b>, <font> ...) for every
// new block. Hostile mail with 50,000 nested <div>s (250 KB) took 16 s to parse; 20,000 <b x>s with text
// in between, half a second. This guard runs before the parser: it follows the tags with a small lexer
// and leaves out start tags (and as many matching end tags) beyond a nesting depth no real mail reaches.
// It changes nothing for ordinary mail and never affects safety: whatever it passes on is parsed and
// sanitised like any other input. Internal to rapport_mail.

#include <string>
#include <string_view>

namespace rapport::mail::html {

struct NestingLimits {
  int max_depth = 1000;            // open elements (tags that close themselves, like <p> and <li>, excepted)
  int max_open_formatting = 100;   // open b, i, u, s, em, strong, font, a, ...
};

// `html` itself when it stays within the limits; otherwise a copy, in `storage`, without the excess tags.
std::string_view LimitNesting(std::string_view html, std::string& storage, const NestingLimits& limits = {});

}  // namespace rapport::mail::html
