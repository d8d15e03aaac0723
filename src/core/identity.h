#pragma once
// Normal forms of the identifiers by which a message is matched to a contact. Two spellings of the
// same address or number must normalize to the same string, because uniqueness is enforced on it.

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace rapport {

// Trims, lower-cases, and checks the shape local@domain.tld (no spaces, one @, a dot in the domain).
// Returns kInvalidArgument with a message a person can act on.
Result<std::string> NormalizeEmail(std::string_view raw);
// The lower-case domain of a normalized address ("ann@acme.com" -> "acme.com").
std::string EmailDomain(std::string_view normalized_email);
// A client's email domain: lower-case, no leading @, at least one dot.
Result<std::string> NormalizeEmailDomain(std::string_view raw);
// E.164: "+", country code and number, 8 to 15 digits in all. Spaces, dots, dashes and brackets are
// dropped; a leading 00 is read as +. A number without a country code is rejected rather than guessed.
Result<std::string> NormalizePhone(std::string_view raw);
// Tags are lower-case words of letters, digits, '-', '_' and '.', 1 to 40 characters.
Result<std::string> NormalizeTag(std::string_view raw);

// A copy with A-Z lower-cased and every other byte as it is (header names, charsets, markers: ASCII
// and case-insensitive, and never through the C locale).
std::string AsciiLower(std::string_view s);

// Trims ASCII white space from both ends.
std::string_view Trim(std::string_view s);

}  // namespace rapport
