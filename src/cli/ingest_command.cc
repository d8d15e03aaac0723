// `rapport ingest`: one message on standard input becomes a ticket or joins one. Made to be an MTA's
// delivery command (Postfix `mailbox_command`, or an alias `support: "|/usr/bin/rapport ingest
// --config /etc/rapport.conf"`), so its exit code follows what MTAs expect:
//   0   stored, or already stored (a redelivery): the MTA may forget the message;
//   75  (EX_TEMPFAIL) not stored for a reason that is not the message's fault — the database is down,
//       locked, not created or not migrated, the configuration cannot be read: the MTA keeps the message
//       queued and retries, so nothing is lost while the operator fixes it;
//   65  (EX_DATAERR) the message itself cannot be stored (not mail, no sender, too large): the MTA
//       bounces it, with the line printed on stderr as the reason.
// One line on stderr says what happened, for the MTA's log.
//
// ingest never creates or migrates the database. It runs once per delivered message, possibly many at
// once and as the MTA's user: creating a database there would hide a wrong path (mail stored where
// nobody looks), and migrating from a mail delivery would race `rapport serve` and `rapport migrate`.
// A database that is missing or not migrated is a temporary failure that the operator fixes with
// `rapport migrate`; until then the mail waits in the MTA's queue.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "app/email_intake.h"
#include "app/ports/clock.h"
#include "app/session_pool.h"
#include "cli/command.h"
#include "cli/exit_codes.h"
#include "mail/gmime_parser.h"

namespace rapport::cli {
namespace {

struct IngestFlags {
  CommonFlags common;
};

// One line on stderr (an MTA puts it in its log or in the bounce), then the exit code.
int Report(int code, std::string what) { return cli::Report(code, "rapport ingest", std::move(what)); }

enum class ReadResult { kOk, kTooLarge, kError };

// Reads standard input up to `limit` bytes. Beyond that the rest is read and thrown away, so that the
// MTA's write does not fail with a broken pipe before it sees our exit code.
ReadResult ReadStdin(std::int64_t limit, std::string& raw, std::string& error) {
  char buffer[1 << 16];
  bool too_large = false;
  while (true) {
    ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = std::strerror(errno);
      return ReadResult::kError;
    }
    if (n == 0) break;
    if (too_large) continue;
    if (static_cast<std::int64_t>(raw.size()) + n > limit) {
      too_large = true;
      raw.clear();
      raw.shrink_to_fit();
      continue;
    }
    raw.append(buffer, static_cast<std::size_t>(n));
  }
  return too_large ? ReadResult::kTooLarge : ReadResult::kOk;
}

std::string TicketReference(app::SessionPool& pool, TicketId id) {
  // Only for the message: the mail is already stored, so a failure here changes nothing.
  auto session = pool.Acquire();
  if (session.ok()) {
    auto ticket = (*session)->GetTicket(id);
    if (ticket.ok()) return "ticket #" + std::to_string(ticket->number);
  }
  return "ticket id " + std::to_string(id.value);
}

int RunIngest(const IngestFlags& flags) {
  const app::EmailLimits limits;
  std::string raw;
  std::string read_error;
  switch (ReadStdin(limits.max_message_bytes, raw, read_error)) {
    case ReadResult::kError:
      return Report(kExitTempFail, "not stored: cannot read standard input: " + read_error);
    case ReadResult::kTooLarge:
      return Report(kExitData, "rejected: the message is larger than the limit of " +
                                   std::to_string(limits.max_message_bytes >> 20) + " MB");
    case ReadResult::kOk:
      break;
  }

  // The message is judged before the database is touched: a message that can never be stored is
  // bounced whatever the state of the database.
  const mail::GmimeEmailParser parser(limits);
  auto parsed = parser.Parse(raw);
  if (!parsed.ok()) return Report(kExitData, "rejected: " + parsed.status().message());

  auto config = LoadConfig(flags.common);
  if (!config.ok()) return Report(kExitTempFail, "not stored, will be retried: " + config.status().message());
  if (config->db.rfind("sqlite:", 0) == 0) {
    std::error_code ec;
    const std::string file = config->db.substr(7);
    if (!std::filesystem::exists(file, ec)) {
      return Report(kExitTempFail, "not stored, will be retried: there is no database at " + file +
                                       "; create it with: rapport migrate --db " + config->db);
    }
  }
  auto store = OpenConfiguredStore(*config);
  if (!store.ok()) return Report(kExitTempFail, "not stored, will be retried: " + store.status().message());

  app::SessionPool pool(**store);
  const app::SystemClock clock;
  app::EmailIntake intake(pool, clock);
  app::ReceivedEmail message{std::move(*parsed), std::move(raw), {}};
  auto outcome = intake.Ingest(message);
  if (!outcome.ok()) {
    const Status& s = outcome.status();
    if (s.code() == StatusCode::kInvalidArgument) return Report(kExitData, "rejected: " + s.message());
    std::string hint;
    if (s.code() != StatusCode::kUnavailable) hint = " (if the database is new or was upgraded: rapport migrate)";
    return Report(kExitTempFail, "not stored, will be retried: " + s.message() + hint);
  }

  using Kind = app::IngestOutcome::Kind;
  const std::string message_ref = "message " + std::to_string(outcome->message_id.value);
  switch (outcome->kind) {
    case Kind::kNewTicket:
      return Report(kExitOk, "stored: new " + TicketReference(pool, outcome->ticket_id) + " (" + message_ref + ")");
    case Kind::kJoinedTicket:
      return Report(kExitOk, "stored: joined " + TicketReference(pool, outcome->ticket_id) + " (" + message_ref + ")");
    case Kind::kLinkedTicket:
      return Report(kExitOk, "stored: new " + TicketReference(pool, outcome->ticket_id) +
                                 ", linked to the ticket its subject names (" + message_ref + ")");
    case Kind::kDuplicate:
      return Report(kExitOk, "duplicate of " + message_ref + " on " + TicketReference(pool, outcome->ticket_id) +
                                 ": already stored, nothing changed");
    case Kind::kBounce:
      if (!outcome->ticket_id.valid())
        return Report(kExitOk, "stored: a delivery failure report (" + message_ref + ")");
      return Report(kExitOk, "stored: a delivery failure report, recorded on " +
                                 TicketReference(pool, outcome->ticket_id) + " (" + message_ref + ")");
  }
  return Report(kExitOk, "stored (" + message_ref + ")");
}

}  // namespace

void AddIngestCommand(CLI::App& app, Outcome& outcome) {
  auto* command = app.add_subcommand(
      "ingest", "Store one message read on standard input (for an MTA: exit 0 stored, 75 retry later, 65 rejected)");
  auto flags = std::make_shared<IngestFlags>();
  AddCommonFlags(*command, flags->common);
  command->callback([flags, &outcome] { outcome.exit_code = RunIngest(*flags); });
}

}  // namespace rapport::cli
