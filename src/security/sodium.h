#pragma once
// libsodium must be initialised once per process before any of its functions is used. Every
// function of security/ calls EnsureSodium() itself, so callers need not; it is public so that a
// program can fail early at start-up.

#include "core/status.h"

namespace rapport::security {

// Thread-safe and cheap after the first call. kInternal when libsodium cannot initialise (no
// source of randomness), which no retry will cure.
Status EnsureSodium();

}  // namespace rapport::security
