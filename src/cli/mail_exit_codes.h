#pragma once
// Exit codes of the mail commands (`rapport ingest`, `rapport import`) beyond those of exit_codes.h,
// after BSD sysexits.h. An MTA reads them: 75 makes it keep the message queued and retry, 65 makes it
// bounce the message; anything else it treats as a permanent failure too.

namespace rapport::cli {

inline constexpr int kExitNoInput = 66;     // the archive to import does not exist or cannot be read
inline constexpr int kExitCantCreate = 73;  // a rejected message could not be saved aside
inline constexpr int kExitIoError = 74;     // the archive could not be read to its end
inline constexpr int kExitTempFail = 75;    // the database did not answer (or is not set up); retry later

}  // namespace rapport::cli
