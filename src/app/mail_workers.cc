#include "app/mail_workers.h"

#include "app/unit_of_work.h"

namespace rapport::app {

MailWorkers::MailWorkers(SessionPool& pool, const Clock& clock, ImapConnector& connector, const EmailParser& parser,
                         const EmailComposer& composer, EmailSender& sender, Options options)
    : pool_(pool),
      fetcher_(pool, clock, connector, parser),
      outbox_(pool, clock, composer, sender),
      options_(options) {}

MailWorkers::~MailWorkers() { Stop(); }

void MailWorkers::Start() {
  stop_ = false;
  supervisor_ = std::thread([this] { Supervise(); });
  outbox_thread_ = std::thread([this] { RunOutbox(); });
}

void MailWorkers::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (supervisor_.joinable()) supervisor_.join();
  if (outbox_thread_.joinable()) outbox_thread_.join();
}

void MailWorkers::WaitFor(std::chrono::milliseconds d) {
  std::unique_lock<std::mutex> lock(mutex_);
  wake_.wait_for(lock, d, [this] { return stop_.load(); });
}

void MailWorkers::Supervise() {
  while (!stop_.load()) {
    // Threads whose mailbox was disabled or deleted have returned: join them.
    for (auto it = fetching_.begin(); it != fetching_.end();) {
      if (it->second.finished->load()) {
        it->second.thread.join();
        it = fetching_.erase(it);
      } else {
        ++it;
      }
    }
    auto mailboxes = InReadOnlyTransaction(pool_, [](StoreSession& s) { return s.ListMailboxes(); });
    if (mailboxes.ok()) {
      for (const Mailbox& m : *mailboxes) {
        if (!m.fetch_enabled || fetching_.contains(m.id)) continue;
        auto finished = std::make_shared<std::atomic<bool>>(false);
        std::thread t([this, id = m.id, finished] {
          fetcher_.Run(id, stop_, options_.poll);
          finished->store(true);
        });
        fetching_.emplace(m.id, Fetching{std::move(t), finished});
      }
    }
    WaitFor(options_.rescan);
  }
  for (auto& [id, f] : fetching_) f.thread.join();
  fetching_.clear();
}

void MailWorkers::RunOutbox() {
  while (!stop_.load()) {
    // Errors (the database away) are retried next round; claims not settled expire into "interrupted".
    (void)outbox_.RunOnce();
    WaitFor(options_.outbox_interval);
  }
}

}  // namespace rapport::app
