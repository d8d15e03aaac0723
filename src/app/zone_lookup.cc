#include "app/zone_lookup.h"

#include <exception>

namespace rapport::app {

const date::time_zone* LocateZone(std::string_view name) {
  try {
    return date::locate_zone(name.empty() ? std::string_view("UTC") : name);
  } catch (const std::exception&) {
    // date throws std::runtime_error for an unknown name (and when the database is missing): an
    // answer here, not an error.
    return nullptr;
  }
}

std::string FormatInZone(Instant t, const date::time_zone* zone, const char* format) {
  if (zone == nullptr) return date::format(format, t);
  return date::format(format, date::make_zoned(zone, t));
}

}  // namespace rapport::app
