#pragma once
// The one place where errors become process exit codes (after BSD sysexits.h), so that scripts
// can tell a typo from a database that is down. The mail commands (`rapport ingest`, `rapport
// import`) are run by an MTA, which reads 75 as "keep the message queued and retry" and 65 as
// "bounce it"; anything else it treats as a permanent failure too.

#include <string>
#include <string_view>

#include "core/status.h"

namespace rapport::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitOther = 1;
inline constexpr int kExitUsage = 64;        // wrong flags or arguments
inline constexpr int kExitData = 65;         // input that breaks a rule, a name that does not exist
inline constexpr int kExitNoInput = 66;      // the archive to import does not exist or cannot be read
inline constexpr int kExitUnavailable = 69;  // the database did not answer; retry later
inline constexpr int kExitSoftware = 70;     // a bug
inline constexpr int kExitCantCreate = 73;   // a rejected message could not be saved aside
inline constexpr int kExitIoError = 74;      // the archive could not be read to its end
inline constexpr int kExitTempFail = 75;     // the database did not answer (or is not set up); retry later
inline constexpr int kExitNoPermission = 77; // credentials or role

int ExitCodeFor(StatusCode code);

// Prints "rapport: <message>" on one line to stderr and returns ExitCodeFor(status.code()).
int Fail(const Status& status);

// Prints "<who>: <message>" on one line to stderr (line breaks become spaces: operators and MTAs
// read logs line by line) and returns `exit_code`. For commands that pick their own codes.
int Report(int exit_code, std::string_view who, std::string message);

}  // namespace rapport::cli
