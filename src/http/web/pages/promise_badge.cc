#include "http/web/pages/promise_badge.h"

#include <algorithm>
#include <chrono>

#include "app/local_time.h"
#include "core/sla_clock.h"
#include "http/web/view_format.h"

namespace rapport::http::web {
namespace {

using std::chrono::duration_cast;
using std::chrono::minutes;

// "in 45 min", "in 2 h" within a day; "Mon 12:00" within a week; "Dec 14 12:00" later (viewer's zone).
std::string Until(Instant due, Instant now, const std::string& zone) {
  const auto left = due - now;
  if (left < std::chrono::hours(1)) {
    const auto m = std::max<std::int64_t>(1, (duration_cast<std::chrono::seconds>(left).count() + 59) / 60);
    return "in " + std::to_string(m) + " min";
  }
  if (left < std::chrono::hours(24)) {
    return "in " + std::to_string((duration_cast<minutes>(left).count() + 30) / 60) + " h";
  }
  return LocalTime(due, zone, left < std::chrono::days(7) ? "%a %H:%M" : "%b %d %H:%M");
}

}  // namespace

Data PromiseBadgeData(const Ticket& t, Instant now, const std::string& zone) {
  Data badge;
  const SlaState state = OverallStateAt(t.sla_state, t.sla_warning_at, t.sla_due_at, now);
  badge.set("has_promise", state != SlaState::kNone);
  if (state == SlaState::kNone) return badge;
  badge.set("key", std::string(Name(state)));
  std::string text;
  switch (state) {
    case SlaState::kOk:
      text = t.sla_due_at ? "due " + Until(*t.sla_due_at, now, zone) : "on time";
      break;
    case SlaState::kWarning:
      text = t.sla_due_at ? "due soon: " + Until(*t.sla_due_at, now, zone) : "due soon";
      break;
    case SlaState::kBreached:
      if (t.sla_due_at) {
        const std::string ago = Age(*t.sla_due_at, now);
        text = ago == "just now" ? "breached just now" : "breached " + ago + " ago";
      } else {
        text = "breached";
      }
      break;
    case SlaState::kMet:
      text = "met";
      break;
    case SlaState::kPaused:
      text = "paused";
      break;
    case SlaState::kNone:
      break;
  }
  badge.set("text", text);
  badge.set("title", t.sla_due_at ? "Due " + app::FormatReadableDateTime(*t.sla_due_at, zone)
                     : state == SlaState::kPaused ? std::string("Paused while waiting on the client or on hold")
                                                  : std::string("Promise ") + text);
  return badge;
}

Data PromiseTimesData(const Ticket& t, Instant now, const std::string& zone) {
  Data panel;
  panel.set("badge", PromiseBadgeData(t, now, zone));
  Data items(Data::type::list);
  const std::pair<const char*, const std::optional<Instant>*> times[] = {
      {"First response", &t.first_response_due_at},
      {"Next response", &t.next_response_due_at},
      {"Resolution", &t.resolution_due_at},
  };
  for (const auto& [label, when] : times) {
    Data item;
    item.set("label", std::string(label));
    item.set("when", *when ? app::FormatReadableDateTime(**when, zone) : std::string("\u2014"));
    item.set("is_set", when->has_value());
    items.push_back(item);
  }
  panel.set("times", items);
  return panel;
}

}  // namespace rapport::http::web
