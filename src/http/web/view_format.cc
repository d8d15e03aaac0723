#include "http/web/view_format.h"

#include <array>

#include "app/zone_lookup.h"

namespace rapport::http::web {

std::string StatusLabel(TicketStatus s) {
  switch (s) {
    case TicketStatus::kNew: return "New";
    case TicketStatus::kOpen: return "Open";
    case TicketStatus::kWaitingOnClient: return "Waiting on client";
    case TicketStatus::kOnHold: return "On hold";
    case TicketStatus::kResolved: return "Resolved";
    case TicketStatus::kClosed: return "Closed";
  }
  return std::string(Name(s));
}

std::string PriorityLabel(Priority p) {
  switch (p) {
    case Priority::kLow: return "Low";
    case Priority::kNormal: return "Normal";
    case Priority::kHigh: return "High";
    case Priority::kUrgent: return "Urgent";
  }
  return std::string(Name(p));
}

std::string ChannelLabel(Channel c) {
  switch (c) {
    case Channel::kEmail: return "Email";
    case Channel::kPhone: return "Phone";
    case Channel::kSms: return "SMS";
    case Channel::kWebForm: return "Web form";
    case Channel::kSocial: return "Social";
    case Channel::kApi: return "API";
  }
  return std::string(Name(c));
}

std::string RoleLabel(Role r) {
  switch (r) {
    case Role::kOwner: return "Owner";
    case Role::kAdmin: return "Admin";
    case Role::kAgent: return "Agent";
    case Role::kSubcontractor: return "Subcontractor";
  }
  return std::string(Name(r));
}

std::string Age(Instant then, Instant now) {
  const std::int64_t s = ToUnix(now) - ToUnix(then);
  if (s < 60) return "just now";
  const std::int64_t m = s / 60;
  if (m < 60) return std::to_string(m) + " min";
  const std::int64_t h = m / 60;
  if (h < 24) return std::to_string(h) + " h";
  const std::int64_t d = h / 24;
  if (d < 14) return std::to_string(d) + " d";
  if (d < 60) return std::to_string(d / 7) + " wk";
  if (d < 730) return std::to_string(d / 30) + " mo";
  return std::to_string(d / 365) + " y";
}

std::string LocalTime(Instant t, const std::string& zone, const char* format) {
  // An unknown zone name (or a missing tz database) must not break the page: show UTC, and say so.
  const date::time_zone* tz = app::LocateZone(zone);
  return app::FormatInZone(t, tz, format) + (tz == nullptr ? " UTC" : "");
}

std::string UrlEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    }
  }
  return out;
}


}  // namespace rapport::http::web
