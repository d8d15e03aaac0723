#pragma once
// Escaping for HTML we write ourselves. Internal to rapport_mail.

#include <string>
#include <string_view>

namespace rapport::mail::html {

// Appends `text` escaped for an element's content: & < > (and quotes, so the same text is also safe in
// an attribute value).
void AppendEscaped(std::string& out, std::string_view text);

// Appends ` name="value"` with the value escaped.
void AppendAttribute(std::string& out, std::string_view name, std::string_view value);

}  // namespace rapport::mail::html
