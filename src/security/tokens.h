#pragma once
// Random secrets for session cookies, CSRF tokens and API tokens.

#include <cstdint>
#include <span>
#include <string>

#include "core/status.h"

namespace rapport::security {

// 32 random bytes from the OS, as URL-safe base64 without padding (43 characters of
// A-Z a-z 0-9 - _), fit for a cookie, a header or a URL. kInternal only when libsodium cannot
// initialise.
Result<std::string> RandomToken();

// Fills `out` with random bytes from the OS (Message-IDs, Thread-Index GUIDs). kInternal only when
// libsodium cannot initialise.
Status RandomBytes(std::span<std::uint8_t> out);

}  // namespace rapport::security
