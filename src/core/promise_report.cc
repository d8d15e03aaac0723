#include "core/promise_report.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

namespace rapport {
namespace {

using std::chrono::seconds;

bool ReplyAt(std::span<const TicketEvent> events, Instant at) {
  return std::any_of(events.begin(), events.end(),
                     [at](const TicketEvent& e) { return e.kind == TicketEventKind::kAgentReply && e.at == at; });
}

Attainment Kept(const ClockResult& c) {
  Attainment a;
  if (c.state == SlaState::kMet) a.kept = 1;
  if (c.state == SlaState::kBreached) a.missed = 1;  // settled past its target, or running past it
  return a;
}

struct Accumulator {
  ReportGroup group;
  std::vector<seconds> first_response;
  std::vector<seconds> resolution;

  void Add(const ReportTicket& t) {
    const TicketMeasures& m = t.measures;
    ++group.tickets;
    if (m.first_response) first_response.push_back(*m.first_response);
    if (m.resolution) resolution.push_back(*m.resolution);
    const Attainment first = Kept(m.clocks.first_response);
    Attainment next;
    next.kept = m.clocks.next_response_met;
    next.missed = m.clocks.next_response_breached;
    if (m.clocks.next_response.running() && m.clocks.next_response.state == SlaState::kBreached) ++next.missed;
    const Attainment resolved = Kept(m.clocks.resolution);
    group.first_response_attainment += first;
    group.next_response_attainment += next;
    group.resolution_attainment += resolved;
    group.overall_attainment += first;
    group.overall_attainment += next;
    group.overall_attainment += resolved;
  }

  ReportGroup Finish() && {
    auto summarize = [](std::vector<seconds>& values) {
      DurationSummary s;
      s.count = static_cast<int>(values.size());
      s.median = NearestRankPercentile(values, 50);
      s.p90 = NearestRankPercentile(values, 90);
      return s;
    };
    group.first_response = summarize(first_response);
    group.resolution = summarize(resolution);
    return std::move(group);
  }
};

using Groups = std::map<std::int64_t, Accumulator>;  // by id; 0 = the group of "none"

void AddTo(Groups& groups, std::int64_t id, const std::string& name, const char* none_name, const ReportTicket& t) {
  auto [it, inserted] = groups.try_emplace(id);
  if (inserted) {
    it->second.group.id = id;
    it->second.group.name = id == 0 ? std::string(none_name) : name;
  }
  it->second.Add(t);
}

std::vector<ReportGroup> Ordered(Groups& groups) {
  std::vector<ReportGroup> out;
  out.reserve(groups.size());
  for (auto& [id, acc] : groups) out.push_back(std::move(acc).Finish());
  std::sort(out.begin(), out.end(), [](const ReportGroup& a, const ReportGroup& b) {
    const bool a_none = a.id == 0, b_none = b.id == 0;
    if (a_none != b_none) return b_none;
    if (a.name != b.name) return a.name < b.name;
    return a.id < b.id;
  });
  return out;
}

template <typename Tag>
std::int64_t IdOrZero(const std::optional<Id<Tag>>& id) {
  return id && id->valid() ? id->value : 0;
}

}  // namespace

TicketMeasures MeasureTicket(std::span<const TicketEvent> events, const ResponseTargets& targets,
                             int warning_percent, const BusinessCalendar& calendar, Instant now) {
  TicketMeasures m;
  m.clocks = ComputeSlaClocks(events, targets, warning_percent, calendar, now);
  const ClockResult& first = m.clocks.first_response;
  if (first.stopped_at && ReplyAt(events, *first.stopped_at)) m.first_response = first.elapsed;
  if (m.clocks.resolution.stopped_at) m.resolution = m.clocks.resolution.elapsed;
  return m;
}

std::string_view Name(ReportGrouping g) {
  switch (g) {
    case ReportGrouping::kOverall: return "overall";
    case ReportGrouping::kPolicy: return "policy";
    case ReportGrouping::kClient: return "client";
    case ReportGrouping::kPerson: return "person";
  }
  return "";
}

std::optional<seconds> NearestRankPercentile(std::vector<seconds>& values, int p) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const auto n = static_cast<std::int64_t>(values.size());
  const std::int64_t clamped = std::clamp(p, 1, 100);
  const std::int64_t rank = std::max<std::int64_t>(1, (clamped * n + 99) / 100);  // ceil(p * n / 100)
  return values[static_cast<std::size_t>(rank - 1)];
}

struct PromiseReportBuilder::State {
  Accumulator overall;
  Groups by_policy;
  Groups by_client;
  Groups by_person;
};

PromiseReportBuilder::PromiseReportBuilder(Instant from, Instant to, Instant now)
    : from_(from), to_(to), now_(now), state_(std::make_unique<State>()) {}
PromiseReportBuilder::~PromiseReportBuilder() = default;
PromiseReportBuilder::PromiseReportBuilder(PromiseReportBuilder&&) noexcept = default;
PromiseReportBuilder& PromiseReportBuilder::operator=(PromiseReportBuilder&&) noexcept = default;

void PromiseReportBuilder::Add(const ReportTicket& t) {
  if (!state_) state_ = std::make_unique<State>();
  state_->overall.Add(t);
  AddTo(state_->by_policy, IdOrZero(t.policy_id), t.policy_name, "No policy", t);
  AddTo(state_->by_client, IdOrZero(t.client_id), t.client_name, "No client", t);
  AddTo(state_->by_person, IdOrZero(t.assignee_id), t.assignee_name, "Unassigned", t);
}

PromiseReport PromiseReportBuilder::Finish() {
  PromiseReport r;
  r.from = from_;
  r.to = to_;
  r.now = now_;
  std::unique_ptr<State> state = std::exchange(state_, std::make_unique<State>());
  r.overall = std::move(state->overall).Finish();
  r.overall.name = "All tickets";
  r.by_policy = Ordered(state->by_policy);
  r.by_client = Ordered(state->by_client);
  r.by_person = Ordered(state->by_person);
  return r;
}

std::string FormatBusinessDuration(seconds d) {
  const std::int64_t total_minutes = std::max<std::int64_t>(0, d.count()) / 60;
  const std::int64_t hours = total_minutes / 60;
  const std::int64_t minutes = total_minutes % 60;
  if (hours == 0) return std::to_string(minutes) + " min";
  if (minutes == 0) return std::to_string(hours) + " h";
  return std::to_string(hours) + " h " + std::to_string(minutes) + " min";
}

std::string FormatKeptShare(double share) {
  std::int64_t tenths = std::llround(share * 1000.0);
  if (share < 1.0) tenths = std::min<std::int64_t>(tenths, 999);
  if (share > 0.0) tenths = std::max<std::int64_t>(tenths, 1);
  std::string out = std::to_string(tenths / 10);
  if (tenths % 10 != 0) out += "." + std::to_string(tenths % 10);
  return out + "%";
}

}  // namespace rapport
