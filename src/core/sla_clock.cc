#include "core/sla_clock.h"

#include <algorithm>
#include <array>
#include <utility>

namespace rapport {
namespace {

using std::chrono::seconds;

bool IsPausing(TicketStatus s) { return s == TicketStatus::kWaitingOnClient || s == TicketStatus::kOnHold; }
bool IsSettling(TicketStatus s) { return s == TicketStatus::kResolved || s == TicketStatus::kClosed; }

// One clock: counts business time over the segments in which it is active (started, not paused,
// not stopped), and notes the exact instants at which the warning share and the target were reached.
// A clock without a target counts time the same way, and has no thresholds and no state; it reports
// only once stopped (what it measured), so that open tickets cost no calendar work for it.
class Clock {
 public:
  Clock(std::optional<std::chrono::minutes> target, int warning_percent, const BusinessCalendar& calendar)
      : calendar_(&calendar), enabled_(target.has_value()) {
    if (enabled_) {
      target_ = std::max(seconds(0), seconds(*target));
      warn_ = target_ * std::clamp(warning_percent, 0, 100) / 100;
    }
  }

  bool started() const { return started_; }
  bool open() const { return started_ && !stopped_; }  // running or paused

  void Start(Instant at, bool active) {
    if (started_) return;
    started_ = true;
    started_at_ = at;
    if (active) Activate(at);
  }
  // Pause or resume with the ticket's status.
  void SetActive(Instant at, bool active) {
    if (!open() || active == active_) return;
    if (active) {
      Activate(at);
    } else {
      CloseSegment(at);
    }
  }
  void Stop(Instant at) {
    if (!open()) return;
    if (active_) {
      CloseSegment(at);
      if (enabled_ && !due_at_) settled_due_ = calendar_->Add(at, target_ - elapsed_);
    }
    stopped_ = true;
    stopped_at_ = at;
  }
  // A resolved ticket reopened: the resolution clock runs on from where it stopped.
  void Reopen(Instant at, bool active) {
    if (!stopped_) return;
    stopped_ = false;
    stopped_at_.reset();
    settled_due_.reset();
    if (active) Activate(at);
  }

  ClockResult Finish(Instant now) const {
    ClockResult r;
    if (!started_ || (!enabled_ && !stopped_)) return r;
    r.started_at = started_at_;
    r.stopped_at = stopped_at_;
    r.elapsed = elapsed_;
    if (!enabled_) return r;  // measured only: kNone
    r.target = target_;
    if (stopped_) {
      r.due_at = due_at_ ? due_at_ : settled_due_;
      r.warning_at = warning_at_;
      // Kept when it stopped at or before its due time, the instant the client was told. Comparing
      // instants and not business time: a reply due 17:00 and sent 17:30 broke the promise, although
      // no business time passed after 17:00.
      r.state = due_at_ && *stopped_at_ > *due_at_ ? SlaState::kBreached : SlaState::kMet;
      return r;
    }
    if (!active_) {
      r.state = SlaState::kPaused;
      return r;
    }
    r.elapsed = elapsed_ + calendar_->Between(active_since_, now);
    r.due_at = due_at_ ? due_at_ : calendar_->Add(active_since_, target_ - elapsed_);
    r.warning_at = warning_at_ ? warning_at_ : calendar_->Add(active_since_, warn_ - elapsed_);
    // The same rule as a stopped clock's (and OverallStateAt's): broken once the due time has passed,
    // so that at the due second itself a reply still keeps the promise.
    r.state = r.due_at && now > *r.due_at           ? SlaState::kBreached
              : r.warning_at && now >= *r.warning_at ? SlaState::kWarning
                                                     : SlaState::kOk;
    return r;
  }

 private:
  void Activate(Instant at) {
    active_ = true;
    active_since_ = at;
  }
  // Ends the active segment at `end`, noting the thresholds crossed inside it.
  void CloseSegment(Instant end) {
    const seconds segment = calendar_->Between(active_since_, end);
    if (enabled_) {
      if (!warning_at_ && elapsed_ + segment >= warn_) warning_at_ = calendar_->Add(active_since_, warn_ - elapsed_);
      if (!due_at_ && elapsed_ + segment >= target_) due_at_ = calendar_->Add(active_since_, target_ - elapsed_);
    }
    elapsed_ += segment;
    active_ = false;
  }

  const BusinessCalendar* calendar_;
  bool enabled_;
  seconds target_{0};
  seconds warn_{0};
  bool started_ = false;
  bool stopped_ = false;
  bool active_ = false;
  Instant started_at_{};
  Instant active_since_{};
  std::optional<Instant> stopped_at_;
  seconds elapsed_{0};
  std::optional<Instant> warning_at_;
  std::optional<Instant> due_at_;
  std::optional<Instant> settled_due_;
};

int Severity(SlaState s) {
  switch (s) {
    case SlaState::kBreached: return 3;
    case SlaState::kWarning: return 2;
    case SlaState::kOk: return 1;
    default: return 0;
  }
}

void KeepEarliest(std::optional<Instant>& into, std::optional<Instant> candidate) {
  if (candidate && (!into || *candidate < *into)) into = candidate;
}

void Summarize(SlaClocks& c, Instant now) {
  const std::array<const ClockResult*, 3> all = {&c.first_response, &c.next_response, &c.resolution};
  SlaState running = SlaState::kNone;
  bool paused = false, met = false, missed = false;
  for (const ClockResult* r : all) {
    if (r->running()) {
      if (Severity(r->state) > Severity(running)) running = r->state;
      KeepEarliest(c.due_at, r->due_at);
      KeepEarliest(c.warning_at, r->warning_at);
      if (r->warning_at && *r->warning_at > now) KeepEarliest(c.next_change_at, r->warning_at);
      if (r->due_at && *r->due_at >= now) KeepEarliest(c.next_change_at, *r->due_at + seconds(1));
    } else if (r->state == SlaState::kPaused) {
      paused = true;
    } else if (r->state == SlaState::kMet) {
      met = true;
    } else if (r->state == SlaState::kBreached) {
      missed = true;
    }
  }
  c.overall = running != SlaState::kNone ? running
              : paused                   ? SlaState::kPaused
              : missed                   ? SlaState::kBreached
              : met                      ? SlaState::kMet
                                         : SlaState::kNone;
}

constexpr std::array<std::pair<SlaState, std::string_view>, 6> kSlaStateNames = {{
    {SlaState::kNone, "none"},
    {SlaState::kOk, "ok"},
    {SlaState::kWarning, "warning"},
    {SlaState::kBreached, "breached"},
    {SlaState::kMet, "met"},
    {SlaState::kPaused, "paused"},
}};
constexpr std::array<std::pair<TicketEventKind, std::string_view>, 3> kEventKindNames = {{
    {TicketEventKind::kClientMessage, "client_message"},
    {TicketEventKind::kAgentReply, "agent_reply"},
    {TicketEventKind::kStatus, "status"},
}};

template <typename E, std::size_t N>
std::string_view NameIn(const std::array<std::pair<E, std::string_view>, N>& names, E v) {
  for (const auto& [value, name] : names) {
    if (value == v) return name;
  }
  return "";
}
template <typename E, std::size_t N>
std::optional<E> ParseIn(const std::array<std::pair<E, std::string_view>, N>& names, std::string_view s) {
  for (const auto& [value, name] : names) {
    if (name == s) return value;
  }
  return std::nullopt;
}

}  // namespace

std::string_view Name(SlaState s) { return NameIn(kSlaStateNames, s); }
std::optional<SlaState> ParseSlaState(std::string_view s) { return ParseIn(kSlaStateNames, s); }
std::string_view Name(TicketEventKind k) { return NameIn(kEventKindNames, k); }
std::optional<TicketEventKind> ParseTicketEventKind(std::string_view s) { return ParseIn(kEventKindNames, s); }

SlaClocks ComputeSlaClocks(std::span<const TicketEvent> events, const ResponseTargets& targets,
                           int warning_percent, const BusinessCalendar& calendar, Instant now) {
  Clock first(targets.first_response, warning_percent, calendar);
  Clock resolution(targets.resolution, warning_percent, calendar);
  Clock next(targets.next_response, warning_percent, calendar);
  SlaClocks out;
  TicketStatus status = TicketStatus::kNew;
  // A public reply was sent, or the ticket was resolved or closed without one: the first response is
  // settled, and later client messages start next-response cycles.
  bool first_settled = false;
  bool client_wrote = false;

  auto settle_next = [&](Instant at) {
    if (!next.open()) return;
    next.Stop(at);
    const ClockResult r = next.Finish(at);
    if (r.state == SlaState::kMet) ++out.next_response_met;
    if (r.state == SlaState::kBreached) ++out.next_response_breached;
  };

  for (const TicketEvent& e : events) {
    const bool active = !IsPausing(status) && !IsSettling(status);
    switch (e.kind) {
      case TicketEventKind::kClientMessage:
        client_wrote = true;
        if (!first_settled) first.Start(e.at, active);
        resolution.Start(e.at, active);
        if (first_settled && !next.open()) {
          next = Clock(targets.next_response, warning_percent, calendar);
          next.Start(e.at, active);
        }
        break;
      case TicketEventKind::kAgentReply:
        first_settled = true;
        first.Stop(e.at);
        settle_next(e.at);
        break;
      case TicketEventKind::kStatus: {
        const TicketStatus before = status;
        status = e.status;
        const bool now_active = !IsPausing(status) && !IsSettling(status);
        if (IsSettling(status) && !IsSettling(before)) {
          first_settled = first_settled || client_wrote;
          first.Stop(e.at);
          settle_next(e.at);
          resolution.Stop(e.at);
        } else if (!IsSettling(status) && IsSettling(before)) {
          resolution.Reopen(e.at, now_active);
          next.SetActive(e.at, now_active);  // a cycle a client message started while it was settled
        } else if (!IsSettling(status)) {
          first.SetActive(e.at, now_active);
          next.SetActive(e.at, now_active);
          resolution.SetActive(e.at, now_active);
        }
        break;
      }
    }
  }
  out.first_response = first.Finish(now);
  out.next_response = next.Finish(now);
  out.resolution = resolution.Finish(now);
  Summarize(out, now);
  return out;
}

SlaState OverallStateAt(SlaState stored, std::optional<Instant> warning_at, std::optional<Instant> due_at,
                        Instant now) {
  if (stored != SlaState::kOk && stored != SlaState::kWarning) return stored;
  if (due_at && now > *due_at) return SlaState::kBreached;
  if (warning_at && now >= *warning_at) return SlaState::kWarning;
  return stored;
}

}  // namespace rapport
