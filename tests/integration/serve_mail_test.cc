// The real `rapport serve` binary with its email worker threads, against the test servers
// (skipped without RAPPORT_TEST_IMAP_* / RAPPORT_TEST_SMTP_*; the binary is $RAPPORT_BINARY, set by
// scripts/run-tests, or ../../src/cli/rapport next to this test):
//  - a mailbox set up in the database before serve starts is fetched (a mail appended while it runs
//    becomes a ticket within seconds) and a reply queued meanwhile leaves over SMTP;
//  - the crash test: 1,000 messages in a fresh folder, serve killed with SIGKILL at random moments
//    while it fetches them and restarted each time, then left to finish: every message is stored
//    exactly once. The seed is printed; RAPPORT_CRASH_SEED=<seed> repeats a run's kill schedule.

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "app/accounts.h"
#include "app/desk.h"
#include "app/session_pool.h"
#include "app/unit_of_work.h"
#include "support/mail_servers.h"
#include "support/test_database.h"

extern char** environ;

namespace rapport::app {
namespace {

namespace fs = std::filesystem;
using ::testing::Contains;
using ::testing::HasSubstr;
using testing::MailServers;
using testing::TestMail;
using Clock = std::chrono::steady_clock;

template <typename T>
T Must(Result<T> r, const std::string& what) {
  if (!r.ok()) throw std::runtime_error(what + ": " + r.status().ToString());
  return std::move(r).value();
}

fs::path RapportBinary() {
  if (const char* env = std::getenv("RAPPORT_BINARY"); env != nullptr && *env != '\0') return env;
  return fs::canonical("/proc/self/exe").parent_path() / ".." / ".." / "src" / "cli" / "rapport";
}

// One run of `rapport serve` on a test database; killed (SIGKILL) when still running at the end.
class ServeProcess {
 public:
  ServeProcess(const std::string& db_url, const fs::path& dir, const std::string& name, int mail_poll_seconds)
      : out_(dir / (name + ".out")), err_(dir / (name + ".err")) {
    const std::string bin = RapportBinary().string();
    std::vector<std::string> args = {bin,        "serve",       "--db", db_url, "--listen", "127.0.0.1:0",
                                     "--mail-poll", std::to_string(mail_poll_seconds)};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    // The RAPPORT_* settings of the test's environment (RAPPORT_DB ...) must not reach the server.
    std::vector<std::string> env_strings;
    for (char** e = environ; *e != nullptr; ++e) {
      if (std::string(*e).rfind("RAPPORT_", 0) != 0) env_strings.emplace_back(*e);
    }
    std::vector<char*> envp;
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int rc = posix_spawn(&pid_, bin.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + bin);
  }
  ~ServeProcess() {
    if (pid_ > 0) Kill();
  }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  // Waits until it prints the URL it serves on; false when it exits or `limit` passes first.
  bool WaitUntilServing(std::chrono::milliseconds limit) {
    const auto deadline = Clock::now() + limit;
    while (Clock::now() < deadline) {
      if (MailServers::ReadFile(out_).find("serving http://127.0.0.1:") != std::string::npos) return true;
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  void Kill() {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  // SIGTERM, then the exit code (-1 when it did not exit normally within 30 s).
  int Stop() {
    kill(pid_, SIGTERM);
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (Clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    Kill();
    return -1;
  }

  std::string Output() const { return MailServers::ReadFile(out_) + MailServers::ReadFile(err_); }

 private:
  fs::path out_, err_;
  pid_t pid_ = -1;
};

class ServeMailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto servers = MailServers::FromEnvironment();
    if (!servers) GTEST_SKIP() << MailServers::kSkipReason;
    servers_ = *servers;
    ASSERT_TRUE(fs::exists(RapportBinary())) << "build the rapport target first: " << RapportBinary();
    // A fresh, migrated SQLite file; the server opens the same file.
    auto db = testing::TestDatabase::Sqlite();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    pool_ = std::make_unique<SessionPool>(db_->store());
  }
  void TearDown() override {
    pool_.reset();
    db_.reset();
  }

  MailboxId AddMailbox(const std::string& folder) {
    Mailbox m;
    m.name = "Support";
    m.address = "support@rapport.test";
    m.display_name = "Acme Support";
    m.is_default = true;
    m.fetch_enabled = true;
    m.imap = servers_.Imap(folder);
    m.smtp = servers_.Smtp();
    return Must(InTransaction(*pool_, [&](StoreSession& s) { return s.InsertMailbox(m); }), "mailbox");
  }

  std::unique_ptr<StoreSession> Session() { return Must(db_->store().OpenSession(), "session"); }

  // Polls `done` every 50 ms until it holds or `limit` passes; how long it took, or nullopt.
  template <typename Predicate>
  std::optional<std::chrono::milliseconds> WaitFor(Predicate done, std::chrono::milliseconds limit) {
    const auto start = Clock::now();
    while (Clock::now() - start < limit) {
      if (done()) return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return std::nullopt;
  }

  bool IsStored(const std::string& message_id) {
    auto s = db_->store().OpenSession();
    if (!s.ok()) return false;
    auto m = (*s)->FindMessageByExternalId(message_id);
    return m.ok() && m->has_value();
  }

  MailServers servers_;
  std::unique_ptr<testing::TestDatabase> db_;
  std::unique_ptr<SessionPool> pool_;
};

TEST_F(ServeMailTest, ServeFetchesNewMailWithinSecondsAndSendsQueuedReplies) {
  const std::string folder = Must(servers_.NewFolder("serve"), "folder");
  const MailboxId mailbox = AddMailbox(folder);
  ManualClock clock(InstantFromUnix(static_cast<std::int64_t>(std::time(nullptr))));
  AccountsOptions cheap;
  cheap.argon_ops = 1;
  cheap.argon_mem_bytes = 8192;
  Accounts accounts(*pool_, clock, cheap);
  const User agent =
      Must(accounts.CreateUser(nullptr, {"agent@desk.test", "Ada Agent", Role::kOwner, "UTC", "agent password 1"}),
           "agent");

  ServeProcess serve(db_->url(), db_->temp_dir(), "serve", 2);
  ASSERT_TRUE(serve.WaitUntilServing(std::chrono::seconds(60))) << serve.Output();

  TestMail first;
  first.from = "Carol Client <carol@acme.test>";
  first.to = "support@rapport.test";
  first.subject = "Hello from the outside";
  first.message_id = "serve.first@acme.test";
  ASSERT_TRUE(servers_.Append(folder, {first.Raw()}).ok());
  auto took = WaitFor([&] { return IsStored("serve.first@acme.test"); }, std::chrono::seconds(30));
  ASSERT_TRUE(took.has_value()) << "not fetched within 30 s; server output:\n" << serve.Output();
  std::cout << "[ serve    ] first mail stored " << took->count() << " ms after APPEND\n";

  // The worker is waiting now (IDLE): the next mail arrives as quickly.
  TestMail second = first;
  second.subject = "And another thing";
  second.message_id = "serve.second@acme.test";
  ASSERT_TRUE(servers_.Append(folder, {second.Raw()}).ok());
  took = WaitFor([&] { return IsStored("serve.second@acme.test"); }, std::chrono::seconds(30));
  ASSERT_TRUE(took.has_value()) << serve.Output();
  std::cout << "[ serve    ] second mail stored " << took->count() << " ms after APPEND\n";
  EXPECT_LT(took->count(), 10'000);
  EXPECT_EQ(Must(Session()->CountTickets(TicketQuery{}), "count"), 2);
  EXPECT_EQ(Must(Session()->GetMailbox(mailbox), "mailbox").last_error, "");

  // A reply queued by this process (as the API would) is sent by the server's outbox thread.
  Desk desk(*pool_, clock);
  const Message stored = *Must(Session()->FindMessageByExternalId("serve.first@acme.test"), "first");
  NewMessage reply;
  reply.kind = MessageKind::kReply;
  reply.body_text = "We are looking into it.";
  const Message queued = Must(desk.AddMessage(Actor{agent.id, agent.role}, stored.ticket_id, reply), "reply");
  ASSERT_TRUE(queued.external_id.has_value());
  took = WaitFor([&] { return !servers_.SentWithMessageId(*queued.external_id).empty(); }, std::chrono::seconds(30));
  ASSERT_TRUE(took.has_value()) << "the reply was not sent; server output:\n" << serve.Output();
  const auto sent = servers_.SentWithMessageId(*queued.external_id);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_THAT(sent[0].parsed.in_reply_to, Contains("serve.first@acme.test"));
  EXPECT_TRUE(WaitFor(
                  [&] {
                    // The ticket's outbox also holds the acknowledgement of the client's first mail.
                    auto entry = Session()->FindOutboxByRfcMessageId(*queued.external_id);
                    return entry.ok() && entry->has_value() && (*entry)->state == OutboxState::kSent;
                  },
                  std::chrono::seconds(10))
                  .has_value());

  EXPECT_EQ(serve.Stop(), 0) << serve.Output();
  EXPECT_THAT(serve.Output(), HasSubstr("rapport: stopped"));
  EXPECT_EQ(servers_.SentWithMessageId(*queued.external_id).size(), 1u);
}

// The messages of the crash test: unique Message-IDs from 40 senders at 4 client domains; about a
// fifth are replies (In-Reply-To and References) to an earlier message of the same sender.
struct Generated {
  std::vector<std::string> raw;
  std::vector<std::string> ids;
  std::map<std::string, std::string> parent;  // reply id -> the id it answers
};

Generated GenerateMessages(int count, const std::string& tag, std::mt19937& rng) {
  Generated g;
  std::map<int, std::vector<std::string>> by_sender;
  for (int i = 0; i < count; ++i) {
    const int sender = static_cast<int>(rng() % 40);
    TestMail m;
    m.from = "Person " + std::to_string(sender) + " <person" + std::to_string(sender) + "@client" +
             std::to_string(sender % 4) + ".test>";
    m.to = "Support <support@rapport.test>";
    m.message_id = "crash-" + std::to_string(i) + "." + tag + "@client" + std::to_string(sender % 4) + ".test";
    m.subject = "Question number " + std::to_string(i);
    auto& earlier = by_sender[sender];
    if (!earlier.empty() && rng() % 5 == 0) {
      const std::string& parent = earlier[rng() % earlier.size()];
      m.in_reply_to = parent;
      m.references = {parent};
      m.subject = "Re: an earlier question";
      g.parent[m.message_id] = parent;
    }
    m.body = "Message " + std::to_string(i) + " of the crash test.\n" + std::string(rng() % 2000, 'x') + "\n";
    earlier.push_back(m.message_id);
    g.ids.push_back(m.message_id);
    g.raw.push_back(m.Raw());
  }
  return g;
}

TEST_F(ServeMailTest, KilledAtRandomMomentsWhileFetchingStoresEveryMessageExactlyOnce) {
  constexpr int kMessages = 1000;
  std::uint32_t seed = static_cast<std::uint32_t>(std::time(nullptr));
  if (const char* s = std::getenv("RAPPORT_CRASH_SEED"); s != nullptr && *s != '\0') {
    seed = static_cast<std::uint32_t>(std::stoul(s));
  }
  RecordProperty("seed", std::to_string(seed));
  std::cout << "[ crash    ] seed " << seed << " (repeat with RAPPORT_CRASH_SEED=" << seed << ")\n";
  std::mt19937 rng(seed);

  const auto started = Clock::now();
  const std::string folder = Must(servers_.NewFolder("crash"), "folder");
  const Generated g = GenerateMessages(kMessages, std::to_string(::getpid()), rng);
  ASSERT_TRUE(servers_.Append(folder, g.raw).ok());
  const MailboxId mailbox = AddMailbox(folder);
  std::cout << "[ crash    ] " << kMessages << " messages appended in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count() << " ms\n";

  auto checkpoint = [&] {
    auto m = Session()->GetMailbox(mailbox);
    return m.ok() ? m->last_uid : 0u;
  };

  // Replies queued before the first start: the outbox thread sends them while the kills happen.
  // However a kill cuts a send short, no reply may reach the sink twice.
  constexpr int kReplies = 30;
  std::vector<Message> replies;
  {
    ManualClock clock(InstantFromUnix(static_cast<std::int64_t>(std::time(nullptr))));
    AccountsOptions cheap;
    cheap.argon_ops = 1;
    cheap.argon_mem_bytes = 8192;
    Accounts accounts(*pool_, clock, cheap);
    const User agent = Must(
        accounts.CreateUser(nullptr, {"agent@desk.test", "Ada Agent", Role::kOwner, "UTC", "agent password 1"}),
        "agent");
    const Actor actor{agent.id, agent.role};
    Desk desk(*pool_, clock);
    for (int i = 0; i < kReplies; ++i) {
      NewTicket t;
      t.subject = "Phoned-in problem " + std::to_string(i);
      t.body_text = "Written down from a call.";
      t.channel = Channel::kApi;
      t.contact.email = "caller" + std::to_string(i) + "@client0.test";
      const Ticket ticket = Must(desk.CreateTicket(actor, t), "ticket");
      NewMessage reply;
      reply.kind = MessageKind::kReply;
      reply.body_text = "Answer " + std::to_string(i);
      replies.push_back(Must(desk.AddMessage(actor, ticket.id, reply), "reply"));
      ASSERT_TRUE(replies.back().external_id.has_value());
    }
  }

  const int kills = 6 + static_cast<int>(rng() % 5);
  int mid_fetch = 0;  // kills that interrupted the fetching (not before it began or after it ended)
  for (int k = 0; k < kills; ++k) {
    const int delay_ms = 100 + static_cast<int>(rng() % 1401);
    ServeProcess serve(db_->url(), db_->temp_dir(), "run" + std::to_string(k), 2);
    ASSERT_TRUE(serve.WaitUntilServing(std::chrono::seconds(60))) << serve.Output();
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    const std::uint32_t before = checkpoint();
    serve.Kill();
    const std::uint32_t at = checkpoint();
    if (before > 0 && at < static_cast<std::uint32_t>(kMessages)) ++mid_fetch;
    std::cout << "[ crash    ] kill " << k + 1 << "/" << kills << " after " << delay_ms << " ms: checkpoint UID "
              << at << "\n";
  }
  RecordProperty("kills_mid_fetch", mid_fetch);
  EXPECT_GE(mid_fetch, 1) << "no kill landed while messages were being fetched: the test proved nothing";

  // The last run is left to finish.
  {
    ServeProcess serve(db_->url(), db_->temp_dir(), "final", 2);
    ASSERT_TRUE(serve.WaitUntilServing(std::chrono::seconds(60))) << serve.Output();
    auto queued = [&] {
      int n = 0;
      auto session = Session();
      for (const Message& r : replies) {
        auto entries = session->ListOutboxForTicket(r.ticket_id);
        if (!entries.ok() || entries->empty() || entries->front().state == OutboxState::kQueued) ++n;
      }
      return n;
    };
    auto took = WaitFor([&] { return checkpoint() >= static_cast<std::uint32_t>(kMessages) && queued() == 0; },
                        std::chrono::seconds(240));
    ASSERT_TRUE(took.has_value()) << "stopped at UID " << checkpoint() << "; server output:\n" << serve.Output();
    std::cout << "[ crash    ] the last run finished in " << took->count() << " ms; all done "
              << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count()
              << " ms after the start\n";
    EXPECT_EQ(serve.Stop(), 0) << serve.Output();
  }

  auto s = Session();
  EXPECT_EQ(Must(s->GetMailbox(mailbox), "mailbox").last_error, "");
  // Every Message-ID is stored, and replies are on their parent's ticket.
  std::map<std::string, TicketId> ticket_of;
  for (const std::string& id : g.ids) {
    auto m = Must(s->FindMessageByExternalId(id), "find");
    ASSERT_TRUE(m.has_value()) << "never stored: " << id;
    ticket_of[id] = m->ticket_id;
  }
  for (const auto& [reply, parent] : g.parent) {
    EXPECT_EQ(ticket_of.at(reply), ticket_of.at(parent)) << reply << " should have joined " << parent;
  }
  // ... exactly once: the tickets hold 1,000 messages in all, each id once.
  std::multiset<std::string> stored_ids;
  std::int64_t tickets = 0;
  TicketQuery q;
  q.limit = kMaxPageSize;
  while (true) {
    auto page = Must(s->ListTickets(q), "tickets");
    for (const TicketRow& row : page.items) {
      ++tickets;
      std::set<std::string> in_ticket;
      for (const Message& m : Must(s->ListMessages(row.ticket.id), "messages")) {
        if (m.kind != MessageKind::kInbound || row.ticket.channel != Channel::kEmail) continue;  // the replies' tickets
        ASSERT_TRUE(m.external_id.has_value());
        EXPECT_TRUE(in_ticket.insert(*m.external_id).second) << "ticket #" << row.ticket.number << " holds "
                                                             << *m.external_id << " twice";
        stored_ids.insert(*m.external_id);
      }
    }
    if (!page.next_cursor) break;
    q.cursor = *page.next_cursor;
  }
  EXPECT_EQ(stored_ids.size(), static_cast<std::size_t>(kMessages));
  for (const std::string& id : g.ids) EXPECT_EQ(stored_ids.count(id), 1u) << id;
  EXPECT_EQ(tickets, static_cast<std::int64_t>(kMessages - g.parent.size() + kReplies))
      << "one ticket per message that is not a reply, and the replies' tickets";

  // The outbox: each reply reached the sink at most once; a sent one exactly once; one whose send
  // was cut short is not sent again on its own (failed once its lease expired, or still "sending"
  // until then).
  std::map<std::string, int> states;
  for (const Message& r : replies) {
    const auto copies = servers_.SentWithMessageId(*r.external_id).size();
    EXPECT_LE(copies, 1u) << *r.external_id << " was sent " << copies << " times";
    const auto entries = Must(s->ListOutboxForTicket(r.ticket_id), "outbox");
    ASSERT_EQ(entries.size(), 1u);
    const OutboxEntry& e = entries.front();
    ++states[std::string(OutboxStateName(e.state))];
    if (e.state == OutboxState::kSent) {
      EXPECT_EQ(copies, 1u) << *r.external_id;
    }
    EXPECT_NE(e.state, OutboxState::kQueued) << "the last run should have sent " << *r.external_id;
    if (e.state == OutboxState::kFailed) {
      EXPECT_THAT(e.last_reply, HasSubstr("interrupted"));
    }
  }
  for (const auto& [state, n] : states) std::cout << "[ crash    ] outbox: " << n << " " << state << "\n";
}

}  // namespace
}  // namespace rapport::app
