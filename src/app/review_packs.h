#pragma once
// Review packs: a set number of days (Workspace::review_pack_days, 14 by default) before each
// occurrence of a client's annual review (app/client_reviews.h), Rapport prepares a pack for the
// meeting and tells the meeting's owner and the workspace's owners with a notice
// "Review pack ready: <client> annual review on <date>" (app/notices.h: delivered inside each
// person's working hours unless they are on call).
//
// What a pack says, about the year before the meeting ([start - 1 year, start), the same UTC date
// and time a year earlier; a February 29 start goes back to February 28), as of its preparation:
//  - requests: the client's tickets created in that year, by channel, how many are resolved (or
//    closed) and how many are still open;
//  - promises: the promise report (core/promise_report.h) of those tickets, computed by
//    ComputePromiseReport exactly as the Reports page computes it (business time of the workspace
//    calendar only): median and 90th percentile of first response and resolution times, and the
//    first-response, next-response and resolution promises kept and missed;
//  - hours spent: Rapport does not track time spent on tickets yet; the pack says so rather than
//    guess a figure;
//  - open matters: the client's open tickets now, whatever their age, due first: number, subject,
//    status and the state of their promise (the ticket badge's words and due time).
//
// Once per occurrence, across restarts and nodes: the pack row (unique per meeting and occurrence
// start) and its notices (dedup key "review_pack:<meeting id>@<occurrence start, unix seconds>") are
// written in one transaction, so a crash leaves both or neither, and a second worker's insert finds
// the row and writes nothing. A review moved to another date is a new occurrence and gets its own
// pack; packs already prepared stay as they were.
//
// Why the pack is stored as Markdown text and not as figures rendered on each view: a pack is a
// document of what was true when it was prepared (its figures must not move when it is read a week
// later, as the clocks and tickets change), and it is written for people. Markdown reads well as it
// is (in the API, in an email) and the web shows it through the same safe renderer as the replies
// (mail/markdown.h). Text that comes from outside (client names, subjects, titles) goes through
// EscapeMarkdownText (core/markdown_text.h) so that it stays text.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/notices.h"
#include "app/periodic_worker.h"
#include "app/ports/clock.h"
#include "app/ports/store.h"
#include "app/session_pool.h"
#include "core/permissions.h"
#include "core/promise_report.h"

namespace rapport::app {

inline constexpr int kMaxReviewPackDays = 90;  // Workspace::review_pack_days: 1..90

// An open ticket of the client, as the pack lists it.
struct OpenMatter {
  std::int64_t number = 0;
  std::string subject;
  TicketStatus status = TicketStatus::kOpen;
  SlaState promise = SlaState::kNone;  // the badge's state at the preparation (OverallStateAt)
  std::optional<Instant> due_at;       // the earliest due time of its running promises
};

// The figures of one pack (see the header comment).
struct ReviewPackFacts {
  ClientId client_id;
  std::string client_name;
  std::string meeting_title;
  std::string owner_name;  // the meeting's owner; "" when the user is gone
  Instant meeting_at{};    // the occurrence's start
  Instant prepared_at{};
  std::string time_zone;  // the workspace's: the pack's dates and times are in it
  Instant year_from{};    // the requests counted were created in [year_from, year_to = meeting_at)
  ReportGroup year;       // the promise report's overall group of the client's tickets of the year
  std::vector<std::pair<Channel, std::int64_t>> requests_by_channel;  // channels with requests, in AllChannels order
  std::int64_t requests_open = 0;         // of the year's requests, still open now
  std::vector<OpenMatter> open_matters;   // due first; at most kMaxPageSize
  std::int64_t open_matters_total = 0;    // all of them
};

// The start of the year a pack covers: the same UTC date and time one year before `meeting_at`
// (February 29 goes back to February 28).
Instant YearBefore(Instant meeting_at);

// Gathers the figures of `meeting`'s occurrence at `meeting_at`, as of `now`, in the caller's
// transaction. kNotFound when the client is gone.
Result<ReviewPackFacts> GatherReviewPack(StoreSession& s, const Meeting& meeting, Instant meeting_at, Instant now);

// The pack as Markdown (see the header comment). Pure.
std::string RenderReviewPack(const ReviewPackFacts& facts);

// Prepares the pack of one occurrence in the caller's transaction: gathers and renders it, stores
// it and raises its notices. Returns the pack's id, or nullopt when the occurrence has a pack
// already (nothing is written then).
Result<std::optional<ReviewPackId>> PrepareReviewPack(StoreSession& s, const Meeting& meeting, Instant meeting_at,
                                                      Instant now);
// The same with the notices' context of a round (app/notices.h), read once for all its packs.
Result<std::optional<ReviewPackId>> PrepareReviewPack(StoreSession& s, const NoticeContext& context,
                                                      const Meeting& meeting, Instant meeting_at, Instant now);

// One round of the review-pack worker: every annual review (yearly meeting) with an occurrence
// starting in [now, now + review_pack_days] and no pack yet gets one, one occurrence per
// transaction. Returns how many packs it prepared. An idle round only reads.
Result<int> PrepareReviewPacks(SessionPool& pool, Instant now);

// Runs PrepareReviewPacks every `poll` on its own thread inside `rapport serve`.
inline PeriodicWorker MakeReviewPackWorker(SessionPool& pool, const Clock& clock, std::chrono::milliseconds poll) {
  return PeriodicWorker([&pool](Instant now) { (void)PrepareReviewPacks(pool, now); }, clock, poll);
}

// Reading packs: staff only (CanViewClients); subcontractors get kPermissionDenied.
class ReviewPacks {
 public:
  explicit ReviewPacks(SessionPool& pool) : pool_(pool) {}
  // The client's packs, the latest meeting first (at most kMaxPageSize). kNotFound for an unknown
  // client.
  Result<std::vector<ReviewPack>> List(const Actor& actor, ClientId client);
  // kNotFound for an unknown pack.
  Result<ReviewPack> Get(const Actor& actor, ReviewPackId id);

 private:
  SessionPool& pool_;
};

}  // namespace rapport::app
