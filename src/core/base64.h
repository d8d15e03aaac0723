#pragma once
// Standard base64 (RFC 4648, "+/" alphabet) for the places mail needs it: Outlook's Thread-Index and
// RFC 2047 encoded words. Pure functions.

#include <optional>
#include <string>
#include <string_view>

namespace rapport {

// Padded base64 of the bytes.
std::string EncodeBase64(std::string_view bytes);

// Strict: white space (folding) is skipped and padding is optional; any other character outside the
// alphabet, data after padding, or a lone trailing character makes it nullopt.
std::optional<std::string> DecodeBase64(std::string_view text);

// Lenient, as mail readers decode encoded words: characters outside the alphabet are skipped and
// decoding stops at the first '='. Never fails.
std::string DecodeBase64Leniently(std::string_view text);

}  // namespace rapport
