#pragma once
// At("2026-11-23T09:00:00Z"): an instant written as RFC 3339 in a test; a typo fails the test.

#include <gtest/gtest.h>

#include <optional>

#include "core/time.h"

namespace rapport::testing {

inline Instant At(const char* text) {
  const std::optional<Instant> t = ParseRfc3339(text);
  EXPECT_TRUE(t.has_value()) << text;
  return t.value_or(Instant{});
}

}  // namespace rapport::testing
