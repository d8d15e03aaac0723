// `rapport ingest` and `rapport import` run as an MTA and an operator would run them: the built binary
// ($RAPPORT_BINARY, or ../../src/cli/rapport next to this test) on temporary SQLite databases, with the
// result checked in the database through the store; and the progress display of `rapport import`.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "app/ports/store.h"
#include "cli/import_progress.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using rapport::app::TicketQuery;

fs::path RapportBinary() {
  if (const char* env = std::getenv("RAPPORT_BINARY"); env != nullptr && *env != '\0') return env;
  return fs::canonical("/proc/self/exe").parent_path() / ".." / ".." / "src" / "cli" / "rapport";
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Two related messages from a client, in mbox-ready form (LF line ends).
const char kFirst[] =
    "From: Carol Client <carol@client.example>\n"
    "To: support@desk.example\n"
    "Subject: Printer on fire\n"
    "Date: Mon, 06 Jan 2025 09:00:00 +0000\n"
    "Message-ID: <first-1@client.example>\n"
    "\n"
    "Our printer is on fire. Please help.\n";
const char kReply[] =
    "From: Carol Client <carol@client.example>\n"
    "To: support@desk.example\n"
    "Subject: Re: Printer on fire\n"
    "Date: Mon, 06 Jan 2025 10:00:00 +0000\n"
    "Message-ID: <reply-2@client.example>\n"
    "In-Reply-To: <first-1@client.example>\n"
    "References: <first-1@client.example>\n"
    "\n"
    "It is out now. From now on we will be careful.\n";
const char kOther[] =
    "From: Dan <dan@other.example>\n"
    "To: support@desk.example\n"
    "Subject: Invoice question\n"
    "Date: Tue, 07 Jan 2025 08:00:00 +0000\n"
    "Message-ID: <other-3@other.example>\n"
    "\n"
    "Which invoice is this?\n";
const char kNoSender[] =
    "To: support@desk.example\n"
    "Subject: Who sent this?\n"
    "Message-ID: <nosender-4@nowhere.example>\n"
    "\n"
    "No From header at all.\n";
const char kNotMail[] = "this is not a message, just a line of text without any header\n";

class EmailCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rapport-email-cli-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_file_ = dir_ / "desk.db";
    db_ = "sqlite:" + db_file_.string();
    ASSERT_TRUE(fs::exists(RapportBinary())) << "build the rapport target first: " << RapportBinary();
  }
  void TearDown() override { fs::remove_all(dir_); }

  RunResult Rapport(const std::vector<std::string>& args, const std::string& input = "") {
    const std::string name = "run" + std::to_string(++runs_);
    const fs::path in = dir_ / (name + ".in");
    std::ofstream(in, std::ios::binary) << input;
    std::string bin = RapportBinary().string();
    std::vector<std::string> copy = args;
    std::vector<char*> argv{bin.data()};
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    // The RAPPORT_* settings of the environment the tests run in must not leak into these runs.
    std::vector<std::string> env_strings;
    for (char** e = environ; *e != nullptr; ++e) {
      if (std::string(*e).rfind("RAPPORT_", 0) != 0) env_strings.emplace_back(*e);
    }
    std::vector<char*> envp;
    for (std::string& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, in.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, (dir_ / (name + ".out")).c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, (dir_ / (name + ".err")).c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, bin.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    RunResult r;
    EXPECT_EQ(rc, 0) << "cannot start " << bin;
    if (rc != 0) return r;
    int status = 0;
    if (waitpid(pid, &status, 0) == pid && WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
    r.out = ReadFile(dir_ / (name + ".out"));
    r.err = ReadFile(dir_ / (name + ".err"));
    return r;
  }

  void Migrate() {
    RunResult r = Rapport({"migrate", "--db", db_});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  // The tickets in the database, straight from the store.
  std::int64_t CountTickets() {
    auto store = rapport::app::OpenStore(db_);
    EXPECT_TRUE(store.ok()) << store.status().message();
    if (!store.ok()) return -1;
    auto session = (*store)->OpenSession();
    EXPECT_TRUE(session.ok()) << session.status().message();
    if (!session.ok()) return -1;
    auto n = (*session)->CountTickets(TicketQuery{});
    EXPECT_TRUE(n.ok()) << n.status().message();
    return n.ok() ? *n : -1;
  }

  // The subjects of the tickets, or of those that the search `text` finds.
  std::vector<std::string> TicketSubjects(const std::string& text = "") {
    std::vector<std::string> subjects;
    auto store = rapport::app::OpenStore(db_);
    if (!store.ok()) return subjects;
    auto session = (*store)->OpenSession();
    if (!session.ok()) return subjects;
    TicketQuery q;
    q.text = text;
    q.limit = 100;
    auto page = (*session)->ListTickets(q);
    EXPECT_TRUE(page.ok()) << page.status().message();
    if (!page.ok()) return subjects;
    for (const auto& row : page->items) subjects.push_back(row.ticket.subject);
    std::sort(subjects.begin(), subjects.end());
    return subjects;
  }

  static std::string Mbox(const std::vector<std::string>& messages) {
    std::string box;
    for (const std::string& m : messages) box += "From MAILER-DAEMON Mon Jan  6 09:00:00 2025\n" + m + "\n";
    return box;
  }

  fs::path dir_;
  fs::path db_file_;
  std::string db_;
  int runs_ = 0;
};

TEST_F(EmailCommandsTest, HelpIsThere) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"ingest", "--help"}, {"import", "--help"}, {"import", "mbox", "--help"}, {"import", "maildir", "--help"}}) {
    RunResult r = Rapport(args);
    EXPECT_EQ(r.exit_code, 0) << args[0] << ": " << r.err;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << r.out;
  }
  EXPECT_EQ(Rapport({"import"}).exit_code, 64) << "import needs mbox or maildir";
}

TEST_F(EmailCommandsTest, IngestStoresAMessageOnceAndARedeliveryIsADuplicate) {
  Migrate();
  RunResult first = Rapport({"ingest", "--db", db_}, kFirst);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(std::regex_search(first.err, std::regex("stored: new ticket #[0-9]+"))) << first.err;
  EXPECT_EQ(std::count(first.err.begin(), first.err.end(), '\n'), 1) << "one line: " << first.err;
  EXPECT_EQ(CountTickets(), 1);
  EXPECT_EQ(TicketSubjects(), std::vector<std::string>{"Printer on fire"});

  RunResult again = Rapport({"ingest", "--db", db_}, kFirst);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("duplicate"), std::string::npos) << again.err;
  EXPECT_EQ(CountTickets(), 1);

  RunResult reply = Rapport({"ingest", "--db", db_}, kReply);
  ASSERT_EQ(reply.exit_code, 0) << reply.err;
  EXPECT_NE(reply.err.find("joined ticket #"), std::string::npos) << reply.err;
  EXPECT_EQ(CountTickets(), 1);
}

TEST_F(EmailCommandsTest, IngestRejectsWhatCanNeverBeStoredWith65) {
  Migrate();
  RunResult garbage = Rapport({"ingest", "--db", db_}, kNotMail);
  EXPECT_EQ(garbage.exit_code, 65) << garbage.err;
  EXPECT_NE(garbage.err.find("rejected"), std::string::npos) << garbage.err;

  RunResult binary = Rapport({"ingest", "--db", db_}, std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  EXPECT_EQ(binary.exit_code, 65) << binary.err;

  RunResult empty = Rapport({"ingest", "--db", db_}, "");
  EXPECT_EQ(empty.exit_code, 65) << empty.err;

  RunResult no_sender = Rapport({"ingest", "--db", db_}, kNoSender);
  EXPECT_EQ(no_sender.exit_code, 65) << no_sender.err;
  EXPECT_NE(no_sender.err.find("sender"), std::string::npos) << no_sender.err;
  EXPECT_EQ(CountTickets(), 0);
}

TEST_F(EmailCommandsTest, IngestAsksTheMtaToRetryWhenTheDatabaseIsNotThere) {
  // PostgreSQL that does not answer (nothing listens on port 1).
  RunResult down = Rapport({"ingest", "--db", "postgresql://rapport:secret@127.0.0.1:1/rapport"}, kFirst);
  EXPECT_EQ(down.exit_code, 75) << down.err;
  EXPECT_NE(down.err.find("retried"), std::string::npos) << down.err;

  // A SQLite database that was never created: not created by ingest either.
  RunResult missing = Rapport({"ingest", "--db", db_}, kFirst);
  EXPECT_EQ(missing.exit_code, 75) << missing.err;
  EXPECT_NE(missing.err.find("rapport migrate"), std::string::npos) << missing.err;
  EXPECT_FALSE(fs::exists(db_file_));

  // A database file that exists but was never migrated.
  std::ofstream(db_file_).close();
  RunResult unmigrated = Rapport({"ingest", "--db", db_}, kFirst);
  EXPECT_EQ(unmigrated.exit_code, 75) << unmigrated.err;

  // An unreadable configuration is the operator's to fix, not a reason to bounce mail.
  RunResult bad_config = Rapport({"ingest", "--config", (dir_ / "missing.conf").string()}, kFirst);
  EXPECT_EQ(bad_config.exit_code, 75) << bad_config.err;
}

TEST_F(EmailCommandsTest, ImportMboxCountsStoresAndSetsRejectsAside) {
  // Message 3 has no sender (refused by intake), message 5 is not mail (refused by the parser).
  const fs::path box = dir_ / "old.mbox";
  std::ofstream(box, std::ios::binary) << Mbox({kFirst, kOther, kNoSender, kReply, kNotMail});
  RunResult r = Rapport({"import", "mbox", box.string(), "--db", db_, "--batch-size", "2", "--threads", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Read before anything else opens the file (an ordinary open asks for WAL itself): the import wrote
  // through a rollback journal and put the file back in WAL (header bytes 18 and 19: 2 is WAL).
  const std::string header = ReadFile(db_file_).substr(0, 20);
  ASSERT_EQ(header.size(), 20u);
  EXPECT_EQ(header[18], 2);
  EXPECT_EQ(header[19], 2);
  EXPECT_NE(r.out.find("imported 3, duplicates 0, rejected 2 (new tickets 2, joined tickets 1"), std::string::npos)
      << r.out;
  EXPECT_EQ(CountTickets(), 2) << "the reply, stored in a later batch, joined the first ticket";
  EXPECT_EQ(TicketSubjects(), (std::vector<std::string>{"Invoice question", "Printer on fire"}));
  // The batches' search rows were written at their commits: the bodies of both batches are found.
  EXPECT_EQ(TicketSubjects("careful"), (std::vector<std::string>{"Printer on fire"}));
  EXPECT_EQ(TicketSubjects("invoice"), (std::vector<std::string>{"Invoice question"}));

  const fs::path rejected = dir_ / "old.mbox.rejected";
  EXPECT_NE(r.out.find(rejected.string()), std::string::npos) << r.out;
  EXPECT_EQ(ReadFile(rejected / "000003.eml"), kNoSender);
  EXPECT_EQ(ReadFile(rejected / "000005.eml"), kNotMail);
  const std::string reason3 = ReadFile(rejected / "000003.reason.txt");
  EXPECT_NE(reason3.find("(message 3)"), std::string::npos) << reason3;
  EXPECT_NE(reason3.find("sender"), std::string::npos) << reason3;
  EXPECT_NE(ReadFile(rejected / "000005.reason.txt").find("reason: "), std::string::npos);
  EXPECT_FALSE(fs::exists(rejected / "000001.eml"));

  RunResult again = Rapport({"import", "mbox", box.string(), "--db", db_});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("imported 0, duplicates 3, rejected 2"), std::string::npos) << again.out;
  EXPECT_EQ(CountTickets(), 2);
}

TEST_F(EmailCommandsTest, ImportMaildirWithARejectedDirOfItsOwn) {
  const fs::path md = dir_ / "Maildir";
  fs::create_directories(md / "cur");
  fs::create_directories(md / "new");
  fs::create_directories(md / "tmp");
  std::ofstream(md / "cur" / "1736154000.M1P1.host:2,S", std::ios::binary) << kFirst;
  std::ofstream(md / "new" / "1736157600.M2P1.host", std::ios::binary) << kReply;
  std::ofstream(md / "cur" / "1736236800.M3P1.host:2,S", std::ios::binary) << kNotMail;
  std::ofstream(md / "tmp" / "1736236801.M4P1.host", std::ios::binary) << kOther;  // still being delivered
  const fs::path rejected = dir_ / "refused";
  RunResult r = Rapport({"import", "maildir", md.string() + "/", "--db", db_, "--rejected-dir", rejected.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("imported 2, duplicates 0, rejected 1 (new tickets 1, joined tickets 1"), std::string::npos)
      << r.out;
  EXPECT_EQ(CountTickets(), 1);
  EXPECT_EQ(ReadFile(rejected / "000003.eml"), kNotMail);
  EXPECT_NE(ReadFile(rejected / "000003.reason.txt").find("1736236800.M3P1.host"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "Maildir.rejected"));
}

TEST_F(EmailCommandsTest, ImportRefusesMissingAndWrongInput) {
  RunResult missing = Rapport({"import", "mbox", (dir_ / "nope.mbox").string(), "--db", db_});
  EXPECT_EQ(missing.exit_code, 66) << missing.err;
  EXPECT_NE(missing.err.find("nope.mbox"), std::string::npos) << missing.err;
  RunResult missing_dir = Rapport({"import", "maildir", (dir_ / "nope").string(), "--db", db_});
  EXPECT_EQ(missing_dir.exit_code, 66) << missing_dir.err;

  const fs::path text = dir_ / "notes.txt";
  std::ofstream(text) << "Dear diary,\n";
  RunResult not_mbox = Rapport({"import", "mbox", text.string(), "--db", db_});
  EXPECT_EQ(not_mbox.exit_code, 65) << not_mbox.err;
  RunResult not_maildir = Rapport({"import", "maildir", text.string(), "--db", db_});
  EXPECT_EQ(not_maildir.exit_code, 65) << not_maildir.err;
  RunResult dir_as_mbox = Rapport({"import", "mbox", dir_.string(), "--db", db_});
  EXPECT_EQ(dir_as_mbox.exit_code, 65) << dir_as_mbox.err;
  EXPECT_FALSE(fs::exists(db_file_)) << "the archive is checked before the database is touched";
}

TEST_F(EmailCommandsTest, ImportStopsWith75WhenTheDatabaseDoesNotAnswer) {
  const fs::path box = dir_ / "old.mbox";
  std::ofstream(box, std::ios::binary) << Mbox({kFirst});
  RunResult r = Rapport({"import", "mbox", box.string(), "--db", "postgresql://rapport:secret@127.0.0.1:1/rapport"});
  EXPECT_EQ(r.exit_code, 75) << r.err;
}

}  // namespace

namespace rapport::cli {
namespace {

using Clock = ImportProgress::Clock;

TEST(ImportProgressTest, LineShowsBarShareCountAndRate) {
  mail::ArchiveProgress bytes{mail::ArchiveProgress::Unit::kBytes, 5LL << 20, 10LL << 20};
  const std::string line = ImportProgress::Line(bytes, 200, 2.0, true);
  EXPECT_EQ(line, "[###############               ]  50% 5.0 MB/10.0 MB, 200 messages, 100 msg/s");
  mail::ArchiveProgress files{mail::ArchiveProgress::Unit::kFiles, 3, 4};
  EXPECT_EQ(ImportProgress::Line(files, 3, 0.5, false), " 75% 3/4 files, 6 msg/s");
  mail::ArchiveProgress empty{mail::ArchiveProgress::Unit::kBytes, 0, 0};
  EXPECT_NE(ImportProgress::Line(empty, 0, 0.0, false).find("100%"), std::string::npos);
}

TEST(ImportProgressTest, TerminalRedrawsInPlaceAtMostFiveTimesASecond) {
  std::ostringstream out;
  const Clock::time_point t0{};
  ImportProgress progress(out, /*terminal=*/true, t0);
  mail::ArchiveProgress p{mail::ArchiveProgress::Unit::kFiles, 1, 10};
  progress.Update(p, 1, t0 + std::chrono::milliseconds(100));
  EXPECT_EQ(out.str(), "") << "too soon after the start";
  progress.Update(p, 1, t0 + std::chrono::milliseconds(250));
  EXPECT_EQ(out.str().rfind('\r', 0), 0u) << out.str();
  const std::size_t after_first = out.str().size();
  progress.Update(p, 2, t0 + std::chrono::milliseconds(300));
  EXPECT_EQ(out.str().size(), after_first) << "too soon after the last drawing";
  progress.Update(p, 3, t0 + std::chrono::milliseconds(500));
  EXPECT_GT(out.str().size(), after_first);
  EXPECT_EQ(out.str().find('\n'), std::string::npos);
  progress.Finish(mail::ArchiveProgress{mail::ArchiveProgress::Unit::kFiles, 10, 10}, 10,
                  t0 + std::chrono::milliseconds(600));
  EXPECT_TRUE(out.str().ends_with("100% 10/10 files, 17 msg/s\n")) << out.str();
}

TEST(ImportProgressTest, ElsewherePrintsAPlainLineEveryTenSecondsAndNoFinalBar) {
  std::ostringstream out;
  const Clock::time_point t0{};
  ImportProgress progress(out, /*terminal=*/false, t0);
  mail::ArchiveProgress p{mail::ArchiveProgress::Unit::kBytes, 1 << 20, 4 << 20};
  progress.Update(p, 100, t0 + std::chrono::seconds(5));
  EXPECT_EQ(out.str(), "");
  progress.Update(p, 100, t0 + std::chrono::seconds(10));
  EXPECT_EQ(out.str(), "rapport import:  25% 1.0 MB/4.0 MB, 100 messages, 10 msg/s\n");
  progress.Finish(p, 100, t0 + std::chrono::seconds(11));
  EXPECT_EQ(out.str(), "rapport import:  25% 1.0 MB/4.0 MB, 100 messages, 10 msg/s\n");
}

}  // namespace
}  // namespace rapport::cli
