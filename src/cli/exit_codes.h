#pragma once
// The one place where errors become process exit codes (after BSD sysexits.h), so that scripts
// can tell a typo from a database that is down.

#include "core/status.h"

namespace rapport::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitOther = 1;
inline constexpr int kExitUsage = 64;        // wrong flags or arguments
inline constexpr int kExitData = 65;         // input that breaks a rule, a name that does not exist
inline constexpr int kExitUnavailable = 69;  // the database did not answer; retry later
inline constexpr int kExitSoftware = 70;     // a bug
inline constexpr int kExitNoPermission = 77; // credentials or role

int ExitCodeFor(StatusCode code);

// Prints "rapport: <message>" on one line to stderr and returns ExitCodeFor(status.code()).
int Fail(const Status& status);

}  // namespace rapport::cli
