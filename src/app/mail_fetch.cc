#include "app/mail_fetch.h"

#include <algorithm>
#include <thread>

#include "app/unit_of_work.h"

namespace rapport::app {
namespace {

using Done = std::monostate;

Result<Mailbox> LoadMailbox(SessionPool& pool, MailboxId id) {
  return InReadOnlyTransaction(pool, [&](StoreSession& s) { return s.GetMailbox(id); });
}

Status SaveCheckpoint(SessionPool& pool, MailboxId id, std::uint32_t validity, std::uint32_t uid) {
  return InTransaction(pool, [&](StoreSession& s) -> Result<Done> {
           RAPPORT_RETURN_IF_ERROR(s.SaveMailboxCheckpoint(id, validity, uid));
           return Done{};
         })
      .status();
}

// Sleeps up to `d`, waking early when `stop` is set.
void SleepUnlessStopped(std::chrono::seconds d, const std::atomic<bool>& stop) {
  const auto until = std::chrono::steady_clock::now() + d;
  while (!stop.load() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace

void MailFetcher::SaveHealth(MailboxId mailbox, const std::string& error) {
  // Best effort: health is for people to read; failing to record it must not stop the fetching.
  (void)InTransaction(pool_, [&](StoreSession& s) -> Result<Done> {
    RAPPORT_RETURN_IF_ERROR(s.SaveMailboxHealth(mailbox, error, clock_.Now()));
    return Done{};
  });
}

Result<FetchReport> MailFetcher::Drain(const Mailbox& mailbox, ImapSession& session) {
  FetchReport report;
  const std::uint32_t validity = session.folder_state().uid_validity;
  std::uint32_t last_uid = mailbox.last_uid;
  if (mailbox.uid_validity != validity) {
    last_uid = 0;
    RAPPORT_RETURN_IF_ERROR(SaveCheckpoint(pool_, mailbox.id, validity, 0));
  }
  RAPPORT_ASSIGN_OR_RETURN(auto uids, session.UidsFrom(last_uid + 1));
  std::string refusals;
  for (std::uint32_t uid : uids) {
    auto raw = session.Fetch(uid);
    if (!raw.ok() && raw.status().code() == StatusCode::kNotFound) continue;  // expunged meanwhile
    if (!raw.ok()) return raw.status();
    Result<IngestOutcome> outcome = Status::Internal("not stored");
    auto parsed = parser_.Parse(*raw);
    if (parsed.ok()) {
      outcome = intake_.Ingest(ReceivedEmail{std::move(*parsed), std::move(*raw), {}});
    } else {
      outcome = parsed.status();
    }
    if (!outcome.ok()) {
      // A message that can never be stored stays in the mailbox, unflagged, for a person to look at;
      // anything else (the database is away) stops the round and is retried from this UID.
      if (outcome.status().code() != StatusCode::kInvalidArgument) return outcome.status();
      ++report.refused;
      refusals += (refusals.empty() ? "" : "; ") + std::string("message UID ") + std::to_string(uid) +
                  " was left in the mailbox: " + outcome.status().message();
    } else if (outcome->kind == IngestOutcome::Kind::kDuplicate) {
      ++report.duplicates;
    } else {
      ++report.stored;
    }
    RAPPORT_RETURN_IF_ERROR(SaveCheckpoint(pool_, mailbox.id, validity, uid));
    if (outcome.ok()) {
      // Stored and checkpointed: now the server may be told. A failure here loses nothing.
      const Status told = mailbox.imap.processed_folder.empty() ? session.MarkSeen(uid)
                                                                : session.Move(uid, mailbox.imap.processed_folder);
      if (!told.ok()) {
        refusals += (refusals.empty() ? "" : "; ") + std::string("message UID ") + std::to_string(uid) +
                    " is stored but could not be flagged: " + told.message();
      }
    }
  }
  SaveHealth(mailbox.id, refusals);
  return report;
}

Result<FetchReport> MailFetcher::FetchOnce(MailboxId id) {
  RAPPORT_ASSIGN_OR_RETURN(Mailbox mailbox, LoadMailbox(pool_, id));
  auto session = connector_.Connect(mailbox.imap);
  if (!session.ok()) {
    SaveHealth(id, session.status().message());
    return session.status();
  }
  auto report = Drain(mailbox, **session);
  if (!report.ok()) SaveHealth(id, report.status().message());
  return report;
}

void MailFetcher::Run(MailboxId id, const std::atomic<bool>& stop, std::chrono::seconds poll) {
  std::chrono::seconds backoff(1);
  constexpr std::chrono::seconds kMaxBackoff(300);
  constexpr std::chrono::seconds kMaxIdleSlice(10);  // how late a stop may be noticed while idling
  while (!stop.load()) {
    auto mailbox = LoadMailbox(pool_, id);
    if (!mailbox.ok() && mailbox.status().code() == StatusCode::kNotFound) return;
    if (mailbox.ok() && !mailbox->fetch_enabled) return;
    Status failed = mailbox.status();
    if (mailbox.ok()) {
      auto session = connector_.Connect(mailbox->imap);
      failed = session.status();
      if (session.ok()) {
        const auto connected_at = std::chrono::steady_clock::now();
        // Stay connected until an error, a stop, or `poll` has passed (then reconnect, which also
        // picks up changed settings and the latest checkpoint).
        while (!stop.load()) {
          auto fresh = LoadMailbox(pool_, id);
          if (!fresh.ok()) {
            failed = fresh.status();
            break;
          }
          auto drained = Drain(*fresh, **session);
          if (!drained.ok()) {
            failed = drained.status();
            break;
          }
          backoff = std::chrono::seconds(1);
          if (std::chrono::steady_clock::now() - connected_at > poll) break;
          auto changed = (*session)->WaitForChange(std::min(poll, kMaxIdleSlice));
          if (!changed.ok()) {
            failed = changed.status();
            break;
          }
        }
      }
    }
    if (stop.load()) return;
    if (!failed.ok()) {
      SaveHealth(id, failed.message());
      SleepUnlessStopped(backoff, stop);
      backoff = std::min(backoff * 2, kMaxBackoff);
    }
  }
}

}  // namespace rapport::app
