#pragma once
// The words of Rapport's automatic mail to clients: the acknowledgement of a new request, the
// nudges to a client who owes an answer, and the note that closes a ticket after the last nudge.
// Pure functions (no I/O, no clock): the app layer (app/auto_followups.h) decides when each is sent
// and passes the instants and the client's zone in.

#include <cstdint>
#include <optional>
#include <string>

#include "core/time.h"
#include "core/zone_rules.h"

namespace rapport {

// Bounds of the workspace settings (Workspace::nudge_after_days, nudge_limit).
inline constexpr int kMaxNudgeAfterDays = 30;
inline constexpr int kMaxNudgeLimit = 10;

// `t` as a client reads it in `zone`, in English with a 12-hour clock: "Tuesday, November 24, 3:00 PM".
// Uses the offset in force at `t`, so a date after a daylight-saving change reads in the new offset.
std::string FormatPromiseTime(Instant t, const ZoneRules& zone);

// The body (Markdown, plain sentences) of the acknowledgement of ticket `number`. With a promise:
// "We have received your request (#123) and will reply by Tuesday, November 24, 3:00 PM
// (Europe/London time)." Without one (no response policy applies): the same without a time.
// `contact_name` greets the person when not empty.
std::string AcknowledgementText(std::int64_t number, const std::string& contact_name,
                                const std::optional<Instant>& reply_by, const ZoneRules& zone);

// The body of nudge `nudge` (1-based) of `limit` on ticket `number`: a friendly question whether the
// client still needs help; the last one says that the request will be closed if no answer comes, and
// that a reply reopens it at any time.
std::string NudgeText(std::int64_t number, const std::string& contact_name, int nudge, int limit);

// The public reply that closes ticket `number` after the nudges went unanswered.
std::string ClosingNoteText(std::int64_t number, const std::string& contact_name);

}  // namespace rapport
