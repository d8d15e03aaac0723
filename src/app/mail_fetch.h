#pragma once
// Fetching a configured IMAP mailbox. Each new message (by UID, past the mailbox's checkpoint) is
// parsed and stored through EmailIntake, which commits; only then does the checkpoint move and the
// message get flagged \Seen (or moved to the processed folder). A crash anywhere in between fetches
// the message again on restart, and intake recognises it by its Message-ID: stored exactly once.
//
// UIDVALIDITY: when the server renumbers the folder, the checkpoint no longer means anything, so the
// whole folder is read again; what was stored before is recognised and skipped.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "app/email_intake.h"
#include "app/ports/clock.h"
#include "app/ports/email.h"
#include "app/session_pool.h"

namespace rapport::app {

struct FetchReport {
  int stored = 0;      // new tickets, joins, bounces
  int duplicates = 0;  // already stored (a re-fetch after a crash, a copy in two mailboxes)
  int refused = 0;     // could not be stored at all; left in the mailbox, unflagged, named in last_error
};

class MailFetcher {
 public:
  MailFetcher(SessionPool& pool, const Clock& clock, ImapConnector& connector, const EmailParser& parser)
      : pool_(pool), clock_(clock), connector_(connector), parser_(parser), intake_(pool, clock) {}

  // Connects, stores everything new, disconnects. The mailbox's health (last error, last check) is
  // saved either way. kUnavailable when the server or the database did not answer.
  Result<FetchReport> FetchOnce(MailboxId mailbox);

  // Keeps one mailbox fetched until `stop` is set or the mailbox is disabled or deleted: stores what
  // is new, then waits with IDLE (or polls every `poll`), reconnecting with back-off after errors.
  // Settings changed in the meantime take effect at the next reconnect (at most `poll` later).
  void Run(MailboxId mailbox, const std::atomic<bool>& stop, std::chrono::seconds poll);

 private:
  Result<FetchReport> Drain(const Mailbox& mailbox, ImapSession& session);
  void SaveHealth(MailboxId mailbox, const std::string& error);

  SessionPool& pool_;
  const Clock& clock_;
  ImapConnector& connector_;
  const EmailParser& parser_;
  EmailIntake intake_;
};

}  // namespace rapport::app
