#include "app/ports/follow_up_records.h"

namespace rapport::app {

std::string_view MeetingRecurrenceName(MeetingRecurrence r) {
  return r == MeetingRecurrence::kYearly ? "yearly" : "none";
}

std::optional<MeetingRecurrence> ParseMeetingRecurrence(std::string_view s) {
  if (s == "none") return MeetingRecurrence::kNone;
  if (s == "yearly") return MeetingRecurrence::kYearly;
  return std::nullopt;
}

}  // namespace rapport::app
