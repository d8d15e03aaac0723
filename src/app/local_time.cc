#include "app/local_time.h"

#include <cstdio>

#include "app/zone_lookup.h"

namespace rapport::app {

Result<Instant> ParseLocalDateTime(std::string_view text, const std::string& zone, const std::string& field) {
  const Status bad = Status::FieldError(field, "must be a date and time like 2026-11-25T09:30");
  if (text.size() != 16 && text.size() != 19) return bad;
  const std::string s(text);
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  char sep = 0;
  int used = 0;
  const int n = std::sscanf(s.c_str(), "%4d-%2d-%2d%c%2d:%2d%n", &y, &mo, &d, &sep, &h, &mi, &used);
  if (n != 6 || (sep != 'T' && sep != ' ') || used != 16) return bad;
  if (s.size() == 19) {
    int more = 0;
    if (std::sscanf(s.c_str() + 16, ":%2d%n", &sec, &more) != 1 || more != 3) return bad;
  }
  using namespace std::chrono;
  const year_month_day ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
  if (!ymd.ok() || y < 1970 || y > 9999 || h > 23 || mi > 59 || sec > 59 || h < 0 || mi < 0 || sec < 0) return bad;
  const date::time_zone* tz = LocateZone(zone);
  if (tz == nullptr) return Status::FieldError(field, "the time zone " + zone + " is not known");
  const date::local_seconds local{sys_days(ymd).time_since_epoch() + hours(h) + minutes(mi) + seconds(sec)};
  const auto info = tz->get_info(local);
  if (info.result == date::local_info::nonexistent) {
    // In the gap: the instant the clocks jumped (the first wall time that exists after it).
    return Instant(info.second.begin);
  }
  return Instant(local.time_since_epoch() - info.first.offset);
}

std::string FormatLocalDateTime(Instant t, const std::string& zone) {
  return FormatInZone(t, LocateZone(zone), "%Y-%m-%dT%H:%M");
}

std::string FormatReadableDateTime(Instant t, const std::string& zone) {
  const date::time_zone* tz = LocateZone(zone);
  if (tz == nullptr) tz = LocateZone("UTC");
  const std::string name = tz != nullptr ? std::string(tz->name()) : "UTC";
  return FormatInZone(t, tz, "%a %d %b %Y, %H:%M") + " (" + name + ")";
}

}  // namespace rapport::app
