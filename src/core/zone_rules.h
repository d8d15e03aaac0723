#pragma once
// A time zone's UTC offsets as a plain value, so that core can convert between UTC and local wall
// time without reading the tz database (core does no I/O). The app layer builds one from the IANA
// database (app/zone_rules_loader.h); tests may build fixed or hand-made ones.

#include <chrono>
#include <string>
#include <vector>

#include "core/time.h"

namespace rapport {

// From `begin` until the next span's begin, local wall time = UTC + offset.
struct OffsetSpan {
  Instant begin{};
  std::chrono::seconds offset{0};
  friend bool operator==(const OffsetSpan&, const OffsetSpan&) = default;
};

class ZoneRules {
 public:
  // UTC, offset 0 everywhere.
  ZoneRules();
  // `spans` sorted by begin, at least one; the first span's offset also applies before its begin.
  // Adjacent spans with the same offset are merged. The name is only for messages and display.
  // (Defensively: spans are sorted if they are not, of several spans with one begin the last wins, an
  // empty list means offset 0, and offsets are clamped to +-24 h; no real zone is 16 h from UTC.)
  ZoneRules(std::string name, std::vector<OffsetSpan> spans);
  static ZoneRules Fixed(std::string name, std::chrono::seconds offset);

  const std::string& name() const { return name_; }
  std::chrono::seconds OffsetAt(Instant t) const;
  // Index of the span that holds `t` (0 before the first begin); SpanEnd says when that span ends.
  std::size_t SpanIndexAt(Instant t) const;
  // The instant span `index` ends: the next span's begin, or Instant::max() for the last span.
  Instant SpanEnd(std::size_t index) const {
    return index + 1 < spans_.size() ? spans_[index + 1].begin : Instant::max();
  }
  const std::vector<OffsetSpan>& spans() const { return spans_; }

 private:
  std::string name_;
  std::vector<OffsetSpan> spans_;
};

}  // namespace rapport
