#pragma once
// Response policies: what the business promises, per client plan and ticket priority, in business
// time of the workspace calendar (core/business_calendar.h).

#include <array>
#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/ids.h"
#include "core/vocabulary.h"

namespace rapport {

using SlaPolicyId = Id<struct SlaPolicyTag>;

// One priority's promises. Absent = no promise of that kind.
struct ResponseTargets {
  std::optional<std::chrono::minutes> first_response;  // from the request to the first public reply
  std::optional<std::chrono::minutes> next_response;   // from each later client message to the next reply
  std::optional<std::chrono::minutes> resolution;      // from the request to resolved (paused time excluded)
  friend bool operator==(const ResponseTargets&, const ResponseTargets&) = default;
};

struct SlaPolicy {
  SlaPolicyId id;
  std::string name;
  // The client plan this policy serves (lower-case, trimmed). Empty: the default policy, used for
  // tickets without a client and for clients whose plan has no policy of its own.
  std::string plan;
  int warning_percent = 75;  // a clock turns "warning" when this share of its target has elapsed (1..99)
  std::array<ResponseTargets, 4> targets{};  // indexed by Priority (low, normal, high, urgent)

  const ResponseTargets& For(Priority p) const { return targets[static_cast<std::size_t>(p)]; }
  ResponseTargets& For(Priority p) { return targets[static_cast<std::size_t>(p)]; }
};

// The policy for a client on `plan`: the one for that plan, else the default (plan ""), else none.
inline const SlaPolicy* ChoosePolicy(std::span<const SlaPolicy> policies, std::string_view plan) {
  const SlaPolicy* fallback = nullptr;
  for (const SlaPolicy& p : policies) {
    if (!plan.empty() && p.plan == plan) return &p;
    if (p.plan.empty()) fallback = &p;
  }
  return fallback;
}

}  // namespace rapport
