#pragma once
// The review packs the store keeps (the review_packs table, migration 6): one per occurrence of a
// client's annual review, prepared a few days before it (app/review_packs.h).

#include <string>

#include "app/ports/follow_up_records.h"
#include "core/ids.h"
#include "core/time.h"

namespace rapport {
using ReviewPackId = Id<struct ReviewPackTag>;
}  // namespace rapport

namespace rapport::app {

struct ReviewPack {
  ReviewPackId id;
  ClientId client_id;
  MeetingId meeting_id;
  Instant meeting_at{};  // the start of the occurrence it prepares (a yearly meeting has one a year)
  Instant created_at{};
  std::string body;  // Markdown (app/review_packs.h says why)
};

}  // namespace rapport::app
