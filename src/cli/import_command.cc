// `rapport import mbox PATH` and `rapport import maildir PATH`: old mail into tickets.
//
// One thread reads the archive in order and hands each batch to parser threads (parsing is the
// CPU-bound part, and the parser is thread-safe); the main thread stores the parsed batches in archive
// order, a batch per transaction (EmailIntake::IngestMany), while the next batch is being parsed. At
// most two parsed batches wait, so memory stays bounded however large the archive. The batches record
// the tickets' events; the promise clocks of every open ticket are recomputed once at the end (also
// after a failure, for what was stored).
//
// Import is idempotent (a message already stored is a duplicate), so after any failure the same command
// can simply be run again. Messages that cannot be stored are saved aside with the reason (see
// import_rejects.h), never dropped. Exit codes: 0 when the archive was read to its end (even with
// rejects: the count says so); 66 when PATH does not exist or cannot be read; 65 when it is not an
// mbox / a maildir; 75 when the database did not answer (what was stored stays stored); 74 when the
// archive could not be read to its end; 73 when a rejected message could not be saved aside.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/email_intake.h"
#include "app/ticket_clocks.h"
#include "app/ports/clock.h"
#include "app/session_pool.h"
#include "cli/command.h"
#include "cli/exit_codes.h"
#include "cli/import_progress.h"
#include "cli/import_rejects.h"
#include "mail/gmime_parser.h"
#include "mail/mail_archive.h"

namespace rapport::cli {
namespace {

// A batch also closes at this many bytes, so that a run of large messages does not pile up in memory.
constexpr std::int64_t kMaxBatchBytes = 64LL << 20;
constexpr std::size_t kBatchesInFlight = 2;

enum class ArchiveKind { kMbox, kMaildir };

struct ImportFlags {
  CommonFlags common;
  std::string path;
  std::string rejected_dir;  // empty: DefaultRejectedDir(path)
  int batch_size = 500;
  int threads = 0;  // 0: one per CPU but one (see RunImport)
};

struct Item {
  std::int64_t number = 0;  // 1 = the archive's first message
  mail::ArchivedMessage archived;
  Result<app::InboundEmail> parsed = Status::Internal("not parsed");
  std::string raw_sha256;  // computed with the parsing, off the storing thread
};

struct Batch {
  std::vector<Item> items;
  mail::ArchiveProgress progress;  // the reader's, after the batch's last message
};

// Hands parsed batches from the reading thread to the storing thread; bounded, and closable from both
// ends: the reader says when the archive ended (or failed), the storer when it gives up.
class BatchQueue {
 public:
  // Waits while the queue is full. False when the consumer gave up: the producer should stop.
  bool Push(Batch batch) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return cancelled_ || queue_.size() < kBatchesInFlight; });
    if (cancelled_) return false;
    queue_.push_back(std::move(batch));
    cv_.notify_all();
    return true;
  }
  // The next batch; nullopt once the producer has finished and everything was taken.
  std::optional<Batch> Pop() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return finished_ || !queue_.empty(); });
    if (queue_.empty()) return std::nullopt;
    Batch b = std::move(queue_.front());
    queue_.pop_front();
    cv_.notify_all();
    return b;
  }
  void Finish(Status status) {
    std::lock_guard lock(mu_);
    finished_ = true;
    read_status_ = std::move(status);
    cv_.notify_all();
  }
  void Cancel() {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    queue_.clear();
    cv_.notify_all();
  }
  Status read_status() {
    std::lock_guard lock(mu_);
    return read_status_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Batch> queue_;  // GUARDED_BY(mu_)
  bool finished_ = false;    // GUARDED_BY(mu_)
  bool cancelled_ = false;   // GUARDED_BY(mu_)
  Status read_status_;       // GUARDED_BY(mu_)
};

// Parses the batch's messages on `threads` threads (this one included).
void ParseAll(std::vector<Item>& items, const app::EmailParser& parser, int threads) {
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next.fetch_add(1); i < items.size(); i = next.fetch_add(1)) {
      Item& item = items[i];
      if (!item.archived.unreadable.empty()) continue;
      item.parsed = parser.Parse(item.archived.raw);
      if (item.parsed.ok()) item.raw_sha256 = app::ComputeDigests(*item.parsed, item.archived.raw);
    }
  };
  const int helpers = std::min(threads, static_cast<int>(items.size())) - 1;
  std::vector<std::jthread> workers;
  for (int i = 0; i < helpers; ++i) workers.emplace_back(work);
  work();
}  // the jthreads join here

// The reading thread: the archive in order, in batches, parsed.
void Produce(mail::MailArchiveReader& reader, const app::EmailParser& parser, const ImportFlags& flags,
             BatchQueue& queue) {
  std::int64_t number = 0;
  while (true) {
    Batch batch;
    std::int64_t bytes = 0;
    Status status;
    bool end = false;
    while (batch.items.size() < static_cast<std::size_t>(flags.batch_size) && bytes < kMaxBatchBytes) {
      auto next = reader.Next();
      if (!next.ok()) {
        status = next.status();
        break;
      }
      if (!next->has_value()) {
        end = true;
        break;
      }
      bytes += static_cast<std::int64_t>((*next)->raw.size());
      batch.items.push_back(Item{++number, std::move(**next), Status::Internal("not parsed"), {}});
    }
    ParseAll(batch.items, parser, flags.threads);
    batch.progress = reader.progress();
    if (!batch.items.empty() && !queue.Push(std::move(batch))) return;
    if (end || !status.ok()) {
      queue.Finish(status);
      return;
    }
  }
}

struct Counts {
  std::int64_t read = 0;  // messages of the archive dealt with
  std::int64_t imported = 0;
  std::int64_t duplicates = 0;
  std::int64_t rejected = 0;
  std::int64_t new_tickets = 0;
  std::int64_t joined = 0;
  std::int64_t linked = 0;
  std::int64_t bounces = 0;
};

std::string Summary(const Counts& c) {
  return "imported " + std::to_string(c.imported) + ", duplicates " + std::to_string(c.duplicates) + ", rejected " +
         std::to_string(c.rejected) + " (new tickets " + std::to_string(c.new_tickets) + ", joined tickets " +
         std::to_string(c.joined) + ", linked tickets " + std::to_string(c.linked) + ", bounces " +
         std::to_string(c.bounces) + ")";
}

void Count(Counts& c, app::IngestOutcome::Kind kind) {
  using Kind = app::IngestOutcome::Kind;
  switch (kind) {
    case Kind::kNewTicket:
      ++c.new_tickets;
      break;
    case Kind::kJoinedTicket:
      ++c.joined;
      break;
    case Kind::kLinkedTicket:
      ++c.linked;
      break;
    case Kind::kBounce:
      ++c.bounces;
      break;
    case Kind::kDuplicate:
      ++c.duplicates;
      return;
  }
  ++c.imported;
}

int FailImport(int code, std::string message) { return Report(code, "rapport import", std::move(message)); }

// Stores one parsed batch and sets its refused messages aside. A database error is returned (nothing of
// the batch is stored then); a refused message is not an error.
Status StoreBatch(Batch& batch, app::EmailIntake& intake, RejectedMessages& rejects, Counts& counts, int& exit_code) {
  auto reject = [&](const Item& item, const std::string& reason, std::string_view raw) -> Status {
    ++counts.rejected;
    Status saved = rejects.Save(item.number, item.archived.origin, reason, raw);
    if (!saved.ok()) exit_code = kExitCantCreate;
    return saved;
  };
  std::vector<app::ReceivedEmail> to_store;
  std::vector<const Item*> stored_items;
  to_store.reserve(batch.items.size());
  for (Item& item : batch.items) {
    if (!item.archived.unreadable.empty()) {
      RAPPORT_RETURN_IF_ERROR(reject(item, item.archived.unreadable, {}));
    } else if (!item.parsed.ok()) {
      RAPPORT_RETURN_IF_ERROR(reject(item, item.parsed.status().message(), item.archived.raw));
    } else {
      to_store.push_back(app::ReceivedEmail{std::move(*item.parsed), std::move(item.archived.raw), item.raw_sha256});
      stored_items.push_back(&item);
    }
  }
  if (!to_store.empty()) {
    auto results = intake.IngestMany(to_store);
    if (!results.ok()) {
      exit_code =
          results.status().code() == StatusCode::kUnavailable ? kExitTempFail : ExitCodeFor(results.status().code());
      return results.status();
    }
    for (std::size_t i = 0; i < results->size(); ++i) {
      const Result<app::IngestOutcome>& one = (*results)[i];
      if (one.ok()) {
        Count(counts, one->kind);
      } else {
        RAPPORT_RETURN_IF_ERROR(reject(*stored_items[i], one.status().message(), to_store[i].raw));
      }
    }
  }
  counts.read += static_cast<std::int64_t>(batch.items.size());
  return Status::Ok();
}

int RunImport(ArchiveKind kind, const ImportFlags& flags) {
  const app::EmailLimits limits;
  mail::ArchiveOptions options;
  options.max_message_bytes = limits.max_message_bytes;
  auto reader = kind == ArchiveKind::kMbox ? mail::MailArchiveReader::OpenMbox(flags.path, options)
                                           : mail::MailArchiveReader::OpenMaildir(flags.path, options);
  if (!reader.ok()) {
    const StatusCode code = reader.status().code();
    const int exit_code = code == StatusCode::kNotFound || code == StatusCode::kPermissionDenied ? kExitNoInput
                          : code == StatusCode::kInvalidArgument                                 ? kExitData
                                                                                                 : kExitIoError;
    return FailImport(exit_code, reader.status().message());
  }

  auto config = LoadConfig(flags.common);
  if (!config.ok()) return Fail(config.status());
  auto store = OpenMigratedStore(*config, app::StoreOptions{.bulk_load = true});
  if (!store.ok()) {
    if (store.status().code() == StatusCode::kUnavailable) return FailImport(kExitTempFail, store.status().message());
    return Fail(store.status());
  }
  app::SessionPool pool(**store);
  const app::SystemClock clock;
  app::EmailIntake intake(pool, clock);
  const mail::GmimeEmailParser parser(limits);
  RejectedMessages rejects(flags.rejected_dir.empty() ? DefaultRejectedDir(flags.path)
                                                      : std::filesystem::path(flags.rejected_dir));
  ImportFlags run = flags;
  // The storing thread is the slower end of the pipeline, so it keeps a CPU of its own: with as many
  // parsers as CPUs, three threads shared two cores and the import took longer (100,000 messages on
  // two cores, paired runs: 37.8 s with one parser against 42.0 s with two, and 46.7 s against 49.2 s).
  if (run.threads <= 0) {
    run.threads = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()) - 1);
  }

  BatchQueue queue;
  std::jthread producer([&] { Produce(**reader, parser, run, queue); });
  ImportProgress progress(std::cerr, ::isatty(STDERR_FILENO) == 1);
  Counts counts;
  mail::ArchiveProgress last = (*reader)->progress();
  int exit_code = kExitOk;
  Status failure;
  while (auto batch = queue.Pop()) {
    failure = StoreBatch(*batch, intake, rejects, counts, exit_code);
    if (!failure.ok()) {
      queue.Cancel();
      break;
    }
    last = batch->progress;
    progress.Update(last, counts.read);
  }
  producer.join();
  progress.Finish(last, counts.read);
  // Also when every message was a duplicate: that may be the run again after a failed recompute.
  if (counts.read > 0) {
    if (auto clocks = app::RecomputeOpenTicketClocks(**store, clock.Now()); !clocks.ok() && failure.ok()) {
      failure = clocks.status();
      const StatusCode code = clocks.status().code();
      exit_code = code == StatusCode::kUnavailable ? kExitTempFail : ExitCodeFor(code);
    }
  }
  std::cout << Summary(counts) << '\n';
  if (counts.rejected > 0) std::cout << "rejected messages and their reasons are in " << rejects.dir().string() << '\n';

  if (!failure.ok()) {
    return FailImport(exit_code, "stopped after " + std::to_string(counts.read) +
                                     " messages of the archive: " + failure.message() +
                                     ". What was stored stays stored; run the same command again to go on "
                                     "(messages already stored count as duplicates).");
  }
  if (Status read = queue.read_status(); !read.ok()) {
    return FailImport(kExitIoError, "the archive could not be read past message " + std::to_string(counts.read) + ": " +
                                        read.message() + ". The messages before it were imported.");
  }
  return kExitOk;
}

void AddArchiveCommand(CLI::App& import, ArchiveKind kind, Outcome& outcome) {
  const bool mbox = kind == ArchiveKind::kMbox;
  auto* command =
      import.add_subcommand(mbox ? "mbox" : "maildir", mbox ? "Import the messages of an mbox file (mboxrd or mboxo)"
                                                            : "Import the messages of a maildir (its cur/ and new/)");
  auto flags = std::make_shared<ImportFlags>();
  AddCommonFlags(*command, flags->common);
  command->add_option("path", flags->path, mbox ? "the mbox file" : "the maildir (the folder holding cur/ and new/)")
      ->required();
  command->add_option("--rejected-dir", flags->rejected_dir,
                      "where to save messages that cannot be stored (default: PATH.rejected)");
  command->add_option("--batch-size", flags->batch_size, "messages stored per transaction (default 500)")
      ->check(CLI::Range(1, 100000));
  command->add_option("--threads", flags->threads, "parser threads (default: one per CPU but one, kept by the storing thread)")->check(CLI::Range(0, 1024));
  command->callback([flags, kind, &outcome] { outcome.exit_code = RunImport(kind, *flags); });
}

}  // namespace

void AddImportCommand(CLI::App& app, Outcome& outcome) {
  auto* import = app.add_subcommand(
      "import", "Import old mail (mbox or maildir) into tickets; safe to repeat: stored messages are skipped");
  import->require_subcommand(1);
  AddArchiveCommand(*import, ArchiveKind::kMbox, outcome);
  AddArchiveCommand(*import, ArchiveKind::kMaildir, outcome);
}

}  // namespace rapport::cli
