#pragma once
// The background side of email inside `rapport serve`: one fetching thread per mailbox that has
// fetching enabled (started and stopped as the settings change), and one outbox thread.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "app/email_outbox.h"
#include "app/mail_fetch.h"

namespace rapport::app {

class MailWorkers {
 public:
  struct Options {
    std::chrono::seconds poll{60};                    // reconnect / poll interval of a mailbox
    std::chrono::milliseconds outbox_interval{1000};  // how often the outbox looks for due mail
    std::chrono::seconds rescan{5};                   // how soon a mailbox enabled in settings starts
  };
  MailWorkers(SessionPool& pool, const Clock& clock, ImapConnector& connector, const EmailParser& parser,
              const EmailComposer& composer, EmailSender& sender, Options options);
  ~MailWorkers();
  MailWorkers(const MailWorkers&) = delete;
  MailWorkers& operator=(const MailWorkers&) = delete;

  void Start();
  // Stops every thread and waits for them (a fetch in progress finishes its current message).
  void Stop();

 private:
  struct Fetching {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> finished;
  };
  void Supervise();
  void RunOutbox();
  void WaitFor(std::chrono::milliseconds d);

  SessionPool& pool_;
  MailFetcher fetcher_;
  OutboxWorker outbox_;
  Options options_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread supervisor_;
  std::thread outbox_thread_;
  std::map<MailboxId, Fetching> fetching_;  // used by the supervisor thread only
};

}  // namespace rapport::app
