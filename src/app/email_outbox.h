#pragma once
// Outgoing email. A reply (or an automatic message) is queued in the outbox in the same transaction
// as the change that causes it; OutboxWorker sends it later over SMTP. An entry is claimed with a
// lease before it is sent, so two workers (or nodes) never send the same one.
//
// Never twice: SMTP cannot tell whether a message whose sending was cut short (the process died
// after DATA, before the server's answer was recorded) was delivered. Such an entry is not sent
// again on its own: it is marked failed with that explanation, and a person decides (Retry in the
// ticket view). Every other failure is retried with back-off while it is temporary.

#include <chrono>
#include <optional>
#include <string>

#include "app/ports/clock.h"
#include "app/ports/email.h"
#include "app/ports/email_records.h"
#include "app/session_pool.h"
#include "core/permissions.h"

namespace rapport::app {

// The email a reply on `ticket` becomes, or nullopt when the ticket cannot be answered by email (its
// channel is phone, SMS or social; or its contact has no address). Threading headers continue the
// ticket's email conversation; the subject carries the ticket reference. `message_id` of the entry
// is left unset: the caller stores the message first.
Result<std::optional<OutboxEntry>> PrepareReplyEmail(StoreSession& s, const Ticket& ticket, const User& author,
                                                     const std::string& markdown, Instant now);

// Stores the entry (queued, due now) and the email record of `message` that threads later replies.
Status QueueEmail(StoreSession& s, OutboxEntry entry, MessageId message);

// Loop protection for automatic mail (acknowledgements, nudges, notices): never in answer to an
// auto-reply, bulk mail or a bounce, and at most `per_hour` automatic messages to one address in the
// hour before `now`. Replies people write are never limited.
inline constexpr int kMaxAutomaticMailPerHour = 3;
Result<bool> MaySendAutomaticMail(StoreSession& s, AutoReplyKind answering, const std::string& normalized_recipient,
                                  Instant now, int per_hour = kMaxAutomaticMailPerHour);

// How long the worker waits before the n-th retry (n >= 1) of a temporary failure; nullopt when it
// should give up (the entry is marked failed).
std::optional<std::chrono::seconds> RetryDelay(int attempts);

class OutboxWorker {
 public:
  struct Options {
    int batch = 20;                                 // entries claimed per round
    std::chrono::seconds lease{std::chrono::minutes(10)};  // longer than any SMTP session's timeouts
  };
  OutboxWorker(SessionPool& pool, const Clock& clock, const EmailComposer& composer, EmailSender& sender,
               Options options)
      : pool_(pool), clock_(clock), composer_(composer), sender_(sender), options_(options) {}
  OutboxWorker(SessionPool& pool, const Clock& clock, const EmailComposer& composer, EmailSender& sender)
      : OutboxWorker(pool, clock, composer, sender, Options{}) {}

  struct RoundReport {
    int sent = 0;
    int retried = 0;
    int failed = 0;
    int interrupted = 0;  // sends cut short earlier, now marked failed
  };
  // One round: settles interrupted sends, then claims and sends what is due. kUnavailable when the
  // database did not answer (nothing is lost: claims expire and are settled next round).
  Result<RoundReport> RunOnce();

 private:
  Status Deliver(OutboxEntry entry, RoundReport& report);

  SessionPool& pool_;
  const Clock& clock_;
  const EmailComposer& composer_;
  EmailSender& sender_;
  Options options_;
};

// The people's side of the outbox: what the ticket view shows, and sending a failed message again.
class EmailOutbox {
 public:
  EmailOutbox(SessionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}
  // The outgoing mail of a ticket the actor may see, oldest first.
  Result<std::vector<OutboxEntry>> ListForTicket(const Actor& actor, TicketId ticket);
  // Queues a failed entry again, due now. kConflict unless it failed.
  Result<OutboxEntry> Retry(const Actor& actor, OutboxId id);

 private:
  SessionPool& pool_;
  const Clock& clock_;
};

}  // namespace rapport::app
