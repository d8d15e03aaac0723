#pragma once
// Email intake: one received message becomes a new ticket or joins the right one. Used by the IMAP
// worker, `rapport ingest` (MTA pipe) and `rapport import`. Every path is idempotent on the
// Message-ID (or, for mail without one, a digest of the raw bytes), and commits before it returns,
// so the caller may acknowledge (flag the IMAP message, exit 0 to the MTA) once it has an outcome.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "app/ports/clock.h"
#include "app/ports/email.h"
#include "app/session_pool.h"
#include "core/ids.h"

namespace rapport::app {

struct IngestOutcome {
  enum class Kind {
    kNewTicket,      // opened a ticket
    kJoinedTicket,   // added to an existing ticket (reply, reply-all, forward of a known thread)
    kLinkedTicket,   // opened a ticket linked to another (a subject reference from an unrelated sender)
    kDuplicate,      // already stored: nothing changed
    kBounce,         // a delivery failure of a message Rapport sent: that message is marked failed
  };
  Kind kind = Kind::kNewTicket;
  TicketId ticket_id;    // the ticket the message is on (for kBounce: of the failed message, if known)
  MessageId message_id;  // the stored message (for kDuplicate: the earlier one)
};

std::string_view IngestOutcomeName(IngestOutcome::Kind k);  // "new_ticket", "joined_ticket", ...

// One message for intake: the parser's reading of it and the bytes as received (kept, so that the
// original can be shown and re-read later).
struct ReceivedEmail {
  InboundEmail email;
  std::string raw;
  std::string raw_sha256;  // of `raw`, hex, when already computed; "" = intake computes it
};

// Computes the SHA-256 digests intake needs ahead of time, so that an import does this CPU work on its
// parsing threads rather than inside the transaction: fills each attachment's sha256 and returns the
// digest of `raw` (for ReceivedEmail::raw_sha256).
std::string ComputeDigests(InboundEmail& email, std::string_view raw);

class EmailIntake {
 public:
  EmailIntake(SessionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  // Stores one message in its own transaction. Errors: kInvalidArgument when the message cannot be
  // stored at all (no sender address, ...) — reject it; kUnavailable when the database did not
  // answer — retry later. Nothing is stored on error.
  Result<IngestOutcome> Ingest(const ReceivedEmail& message);

  // Stores many messages of a history import in one transaction. The messages' events are recorded,
  // but their tickets' promise clocks are not recomputed: the importer calls
  // RecomputeOpenTicketClocks (app/ticket_clocks.h) once when every batch is stored. Each message is dated by its own
  // Date header (when it is not in the future), not by the clock. One result per message, in order;
  // a message with kInvalidArgument is skipped and the others are stored. A database error fails
  // the whole batch (nothing of it is stored) and is returned as the outer error.
  Result<std::vector<Result<IngestOutcome>>> IngestMany(std::span<const ReceivedEmail> messages);

 private:
  Result<std::vector<Result<IngestOutcome>>> IngestBatch(std::span<const ReceivedEmail> messages);

  SessionPool& pool_;
  const Clock& clock_;
};

}  // namespace rapport::app
