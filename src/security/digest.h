#pragma once
// Digests and comparisons of secrets.

#include <string>
#include <string_view>

namespace rapport::security {

// SHA-256 of the bytes, as 64 lower-case hex digits. Used to store tokens and session ids: a
// stolen database does not hold a usable credential.
std::string Sha256Hex(std::string_view data);

// Compares two secrets in time that depends only on their lengths, not on where they differ
// (for CSRF tokens and other values an attacker may guess byte by byte).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace rapport::security
