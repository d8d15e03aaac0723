// `rapport serve`: migrates the database, then serves the web UI and the API until SIGINT or SIGTERM.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <memory>
#include <pthread.h>
#include <string>
#include <thread>

#include "app/accounts.h"
#include "app/auto_followups.h"
#include "app/desk.h"
#include "app/mail_workers.h"
#include "app/promise_alerts.h"
#include "app/reminders.h"
#include "app/review_packs.h"
#include "app/session_pool.h"
#include "cli/command.h"
#include "cli/exit_codes.h"
#include "http/server.h"
#include "mail/curl_imap.h"
#include "mail/curl_smtp_sender.h"
#include "mail/gmime_composer.h"
#include "mail/gmime_parser.h"

namespace rapport::cli {
namespace {

struct ServeFlags {
  CommonFlags common;
  std::string listen;
  int worker_threads = 0;
  bool no_mail = false;
  int mail_poll_seconds = 60;
  int follow_up_poll_seconds = 0;  // 0: each follow-up worker's own period (30 or 60 s)
};

// Blocks SIGINT and SIGTERM in this thread and every thread it starts later, so that only the
// watcher thread receives them (through sigwait) and no request thread is interrupted.
sigset_t BlockStopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

int RunServe(ServeFlags flags) {
  if (!flags.listen.empty()) flags.common.extra["listen"] = flags.listen;
  if (flags.worker_threads > 0) flags.common.extra["worker_threads"] = std::to_string(flags.worker_threads);
  auto config = LoadConfig(flags.common);
  if (!config.ok()) return Fail(config.status());
  auto listen = ParseListen(config->listen);
  if (!listen.ok()) return Fail(listen.status());

  sigset_t stop_signals = BlockStopSignals();

  auto store = OpenConfiguredStore(*config);
  if (!store.ok()) return Fail(store.status());
  if (Status s = (*store)->Migrate(); !s.ok()) return Fail(s);
  app::SessionPool pool(**store);
  app::SystemClock clock;
  app::Desk desk(pool, clock);
  app::Accounts accounts(pool, clock);
  http::HttpOptions options;
  options.host = listen->host;
  options.port = listen->port;
  options.worker_threads = config->worker_threads;
  options.secure_cookies = config->secure_cookies;
  options.max_body_bytes = config->max_body_bytes;
  // Also used by the mail settings' connection test, so made before the server.
  mail::CurlImapConnector imap;
  http::HttpServer server(http::HttpDeps{desk, accounts, pool, clock, &imap}, options);
  auto port = server.Bind();
  if (!port.ok()) return Fail(port.status());

  // Email in the background: fetching of every mailbox with fetching enabled, and the outbox.
  mail::CurlSmtpSender smtp;
  mail::GmimeEmailParser parser;
  mail::GmimeEmailComposer composer;
  app::MailWorkers::Options mail_options;
  mail_options.poll = std::chrono::seconds(std::max(1, flags.mail_poll_seconds));
  app::MailWorkers mail_workers(pool, clock, imap, parser, composer, smtp, mail_options);
  // The follow-up workers' period: their own, unless --follow-up-poll sets one for all (the browser
  // tests use a short one so that they need not wait out a minute).
  const auto every = [&flags](int seconds) {
    return std::chrono::seconds(flags.follow_up_poll_seconds > 0 ? flags.follow_up_poll_seconds : seconds);
  };
  if (!flags.no_mail) mail_workers.Start();
  // Reminders that come due become notices (app/reminders.h); idempotent, so every node may run it.
  app::PeriodicWorker reminder_worker = app::MakeReminderWorker(pool, clock, every(30));
  reminder_worker.Start();
  // Promises at risk or broken become notices to the assignee and the owners, once each.
  app::PeriodicWorker promise_alerts = app::MakePromiseAlertWorker(pool, clock, every(30));
  promise_alerts.Start();
  // Clients who owe an answer are nudged, then their tickets closed (app/auto_followups.h); once each.
  app::PeriodicWorker nudges = app::MakeNudgeWorker(pool, clock, every(60));
  nudges.Start();
  // Annual reviews coming within the workspace's review_pack_days get their pack and notices, once each.
  app::PeriodicWorker review_packs = app::MakeReviewPackWorker(pool, clock, every(60));
  review_packs.Start();

  std::atomic<bool> serving{true};
  std::thread watcher([&server, &serving, stop_signals] {
    // Polls so that it also ends when Run() returns for another reason.
    const timespec tick{0, 200'000'000};
    while (serving.load()) {
      if (sigtimedwait(&stop_signals, nullptr, &tick) > 0) {
        server.Stop();
        return;
      }
    }
  });
  std::cout << "rapport: serving http://" << listen->host << ":" << *port << "/ (" << (*store)->Kind()
            << " database " << config->db << "); stop with Ctrl-C" << std::endl;
  server.Run();
  serving.store(false);
  watcher.join();
  mail_workers.Stop();
  reminder_worker.Stop();
  promise_alerts.Stop();
  nudges.Stop();
  review_packs.Stop();
  std::cout << "rapport: stopped" << std::endl;
  return kExitOk;
}

}  // namespace

void AddServeCommand(CLI::App& app, Outcome& outcome) {
  auto* command = app.add_subcommand("serve", "Migrate the database, then serve the web UI and the API");
  // Shared with the callback, which CLI11 keeps after this function returns.
  auto flags = std::make_shared<ServeFlags>();
  AddCommonFlags(*command, flags->common);
  command->add_option("--listen", flags->listen, "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 = any free)");
  command->add_option("--worker-threads", flags->worker_threads, "request threads (default 64)");
  command->add_flag("--no-mail", flags->no_mail, "do not fetch mailboxes or send queued mail (another node does)");
  command->add_option("--mail-poll", flags->mail_poll_seconds,
                      "seconds between reconnects to a mailbox (IDLE reports new mail at once; default 60)");
  command->add_option("--follow-up-poll", flags->follow_up_poll_seconds,
                      "seconds between runs of the reminder, promise-alert, nudge and review-pack workers "
                      "(default: 30 for reminders and alerts, 60 for nudges and review packs)")
      ->check(CLI::Range(1, 3600));
  command->callback([flags, &outcome] { outcome.exit_code = RunServe(*flags); });
}

}  // namespace rapport::cli
