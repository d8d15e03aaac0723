#include "app/zone_rules_loader.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "app/zone_lookup.h"
#include "core/business_hours.h"

namespace rapport {
namespace {

constexpr std::size_t kMaxZoneNameLength = 64;

// The rules of one zone from the tz database; nullopt when it does not know the name.
std::optional<ZoneRules> ReadZone(const std::string& name) {
  const date::time_zone* zone = app::LocateZone(name);
  if (zone == nullptr) return std::nullopt;
  using std::chrono::seconds;
  const date::sys_seconds first{date::sys_days{date::year{1900} / 1 / 1}};
  const date::sys_seconds last{date::sys_days{date::year{2200} / 1 / 1}};
  std::vector<OffsetSpan> spans;
  for (date::sys_seconds t = first; t < last;) {
    const date::sys_info info = zone->get_info(t);
    spans.push_back(OffsetSpan{Instant(std::max(info.begin, first).time_since_epoch()), info.offset});
    // A zone's last period ends at the end of time; never loop on an end that does not advance.
    if (info.end <= t) break;
    t = info.end;
  }
  return ZoneRules(name, std::move(spans));
}

struct ZoneCache {
  std::mutex mu;
  std::map<std::string, ZoneRules, std::less<>> zones;  // GUARDED_BY(mu); known names only
};

ZoneCache& Cache() {
  static ZoneCache cache;
  return cache;
}

}  // namespace

Result<ZoneRules> LoadZoneRules(std::string_view iana_name) {
  ZoneCache& cache = Cache();
  {
    std::lock_guard lock(cache.mu);
    if (const auto it = cache.zones.find(iana_name); it != cache.zones.end()) return it->second;
  }
  const std::string name(iana_name);
  std::optional<ZoneRules> rules;
  if (!name.empty() && name.size() <= kMaxZoneNameLength) rules = ReadZone(name);
  if (!rules) return Status::FieldError("time_zone", "unknown time zone '" + name.substr(0, kMaxZoneNameLength) + "'");
  std::lock_guard lock(cache.mu);
  return cache.zones.try_emplace(name, std::move(*rules)).first->second;
}

Result<BusinessCalendar> PersonCalendar(const User& user, std::vector<Holiday> holidays) {
  RAPPORT_ASSIGN_OR_RETURN(ZoneRules zone, LoadZoneRules(user.time_zone.empty() ? "UTC" : user.time_zone));
  std::vector<WorkingInterval> hours = user.working_hours.empty() ? DefaultBusinessHours() : user.working_hours;
  return BusinessCalendar::Make(std::move(hours), std::move(holidays), std::move(zone));
}

}  // namespace rapport
