#pragma once
// The inline-style filter of the sanitiser (see SanitizeEmailHtml in html_display.h for the policy).
// Internal to rapport_mail.

#include <string>
#include <string_view>

namespace rapport::mail::html {

// The declarations of a style attribute that are safe to keep, re-joined as "prop: value; prop: value",
// or "" when none survive (the caller then drops the attribute).
std::string FilterInlineStyle(std::string_view style);

}  // namespace rapport::mail::html
