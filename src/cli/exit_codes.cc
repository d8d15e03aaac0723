#include "cli/exit_codes.h"

#include <iostream>

namespace rapport::cli {

int ExitCodeFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return kExitOk;
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kAlreadyExists:
    case StatusCode::kConflict:
      return kExitData;
    case StatusCode::kUnauthenticated:
    case StatusCode::kPermissionDenied:
      return kExitNoPermission;
    case StatusCode::kUnavailable:
      return kExitUnavailable;
    case StatusCode::kInternal:
      return kExitSoftware;
    case StatusCode::kResourceExhausted:
      return kExitOther;
  }
  return kExitOther;
}

int Fail(const Status& status) {
  return Report(ExitCodeFor(status.code()), "rapport",
                status.message().empty() ? StatusCodeName(status.code()) : status.message());
}

int Report(int exit_code, std::string_view who, std::string message) {
  for (char& c : message) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  std::cerr << who << ": " << message << '\n';
  return exit_code;
}

}  // namespace rapport::cli
