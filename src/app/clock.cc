#include "app/ports/clock.h"

#include <chrono>

namespace rapport::app {

Instant SystemClock::Now() const {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace rapport::app
