#include "core/zone_rules.h"

#include <algorithm>
#include <utility>

namespace rapport {
namespace {

constexpr std::chrono::seconds kMaxOffset = std::chrono::hours(24);

}  // namespace

ZoneRules::ZoneRules() : name_("UTC"), spans_{OffsetSpan{}} {}

ZoneRules::ZoneRules(std::string name, std::vector<OffsetSpan> spans) : name_(std::move(name)) {
  std::stable_sort(spans.begin(), spans.end(),
                   [](const OffsetSpan& a, const OffsetSpan& b) { return a.begin < b.begin; });
  spans_.reserve(spans.size());
  for (OffsetSpan span : spans) {
    span.offset = std::clamp(span.offset, -kMaxOffset, kMaxOffset);
    if (!spans_.empty() && spans_.back().begin == span.begin) spans_.pop_back();
    if (!spans_.empty() && spans_.back().offset == span.offset) continue;
    spans_.push_back(span);
  }
  if (spans_.empty()) spans_.push_back(OffsetSpan{});
}

ZoneRules ZoneRules::Fixed(std::string name, std::chrono::seconds offset) {
  return ZoneRules(std::move(name), {OffsetSpan{Instant{}, offset}});
}

std::size_t ZoneRules::SpanIndexAt(Instant t) const {
  // The first span whose begin is after t; the one before it holds t (span 0 also holds all before).
  const auto after = std::upper_bound(spans_.begin(), spans_.end(), t,
                                      [](Instant v, const OffsetSpan& s) { return v < s.begin; });
  return after == spans_.begin() ? 0 : static_cast<std::size_t>(after - spans_.begin()) - 1;
}

std::chrono::seconds ZoneRules::OffsetAt(Instant t) const { return spans_[SpanIndexAt(t)].offset; }

}  // namespace rapport
