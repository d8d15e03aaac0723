#pragma once
// The clock port. Use cases read time only through it, so tests run on a fixed or simulated clock.

#include "core/time.h"

namespace rapport::app {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Instant Now() const override;
};

// A clock for tests: stands still until told to move.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Instant start) : now_(start) {}
  Instant Now() const override { return now_; }
  void Set(Instant t) { now_ = t; }
  void Advance(std::chrono::seconds d) { now_ += d; }

 private:
  Instant now_;
};

}  // namespace rapport::app
