// Runs the built `rapport` binary as an operator would, on temporary SQLite databases.
// The binary is $RAPPORT_BINARY (set by scripts/run-tests) or ../../src/cli/rapport next to this test.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;

fs::path RapportBinary() {
  if (const char* env = std::getenv("RAPPORT_BINARY"); env != nullptr && *env != '\0') return env;
  return fs::canonical("/proc/self/exe").parent_path() / ".." / ".." / "src" / "cli" / "rapport";
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class RapportBinaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rapport-cli-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = "sqlite:" + (dir_ / "desk.db").string();
    ASSERT_TRUE(fs::exists(RapportBinary())) << "build the rapport target first: " << RapportBinary();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Starts the binary with stdin from `input` and stdout/stderr to files. Returns the pid.
  pid_t Spawn(const std::vector<std::string>& args, const std::string& input, const std::string& name) {
    fs::path in = dir_ / (name + ".in");
    std::ofstream(in) << input;
    std::string bin = RapportBinary().string();
    std::vector<char*> argv;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    // The RAPPORT_* settings of the environment the tests run in must not leak into these runs.
    std::vector<std::string> env_strings;
    for (char** e = environ; *e != nullptr; ++e) {
      std::string entry(*e);
      if (entry.rfind("RAPPORT_", 0) == 0) continue;
      env_strings.push_back(entry);
    }
    std::vector<char*> envp;
    for (std::string& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, in.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, (dir_ / (name + ".out")).c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_addopen(&actions, 2, (dir_ / (name + ".err")).c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    pid_t pid = -1;
    int rc = posix_spawn(&pid, bin.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    EXPECT_EQ(rc, 0) << "cannot start " << bin;
    return pid;
  }

  Outcome Wait(pid_t pid, const std::string& name) {
    Outcome r;
    int status = 0;
    if (waitpid(pid, &status, 0) == pid && WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
    r.out = ReadFile(dir_ / (name + ".out"));
    r.err = ReadFile(dir_ / (name + ".err"));
    return r;
  }

  Outcome Rapport(const std::vector<std::string>& args, const std::string& input = "") {
    std::string name = "run" + std::to_string(++runs_);
    return Wait(Spawn(args, input, name), name);
  }

  fs::path dir_;
  std::string db_;
  int runs_ = 0;
};

TEST_F(RapportBinaryTest, HelpWorksForEveryCommand) {
  const std::vector<std::vector<std::string>> commands = {
      {"--help"},          {"serve", "--help"},          {"migrate", "--help"},
      {"user", "--help"},  {"user", "add", "--help"},    {"token", "--help"},
      {"token", "create", "--help"}, {"demo", "--help"}, {"backup", "--help"},
      {"report", "promises", "--help"}};
  for (const auto& args : commands) {
    Outcome r = Rapport(args);
    EXPECT_EQ(r.exit_code, 0) << args[0] << ": " << r.err;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << args[0] << ": " << r.out;
  }
  EXPECT_NE(Rapport({"--help"}).out.find("backup"), std::string::npos);
}

TEST_F(RapportBinaryTest, UsageErrorsExitWith64AndOneLine) {
  Outcome none = Rapport({});
  EXPECT_EQ(none.exit_code, 64);
  Outcome unknown = Rapport({"frobnicate"});
  EXPECT_EQ(unknown.exit_code, 64);
  EXPECT_NE(unknown.err.find("rapport:"), std::string::npos);
  Outcome missing = Rapport({"user", "add", "--db", db_, "--email", "a@b.example"});
  EXPECT_EQ(missing.exit_code, 64);
  EXPECT_NE(missing.err.find("--name"), std::string::npos) << missing.err;
}

TEST_F(RapportBinaryTest, MigrateUserAddTokenCreate) {
  Outcome migrate = Rapport({"migrate", "--db", db_});
  ASSERT_EQ(migrate.exit_code, 0) << migrate.err;
  EXPECT_TRUE(fs::exists(dir_ / "desk.db"));
  EXPECT_EQ(Rapport({"migrate", "--db", db_}).exit_code, 0) << "migrate is safe to repeat";

  Outcome add = Rapport({"user", "add", "--db", db_, "--email", "Owner@Example.COM", "--name", "Olive Owner", "--role",
                     "owner"},
                    "correct horse battery staple\n");
  ASSERT_EQ(add.exit_code, 0) << add.err;
  EXPECT_NE(add.out.find("owner@example.com"), std::string::npos) << add.out;

  Outcome second = Rapport({"user", "add", "--db", db_, "--email", "agent@example.com", "--name", "Al Agent", "--role",
                        "agent"},
                       "another long password\n");
  EXPECT_EQ(second.exit_code, 0) << second.err;

  Outcome bad_role = Rapport({"user", "add", "--db", db_, "--email", "x@example.com", "--name", "X", "--role", "boss"},
                         "a long enough password\n");
  EXPECT_EQ(bad_role.exit_code, 65);
  EXPECT_NE(bad_role.err.find("boss"), std::string::npos) << bad_role.err;
  EXPECT_EQ(std::count(bad_role.err.begin(), bad_role.err.end(), '\n'), 1) << "one line: " << bad_role.err;

  Outcome duplicate = Rapport({"user", "add", "--db", db_, "--email", "owner@example.com", "--name", "Again", "--role",
                           "agent"},
                          "a long enough password\n");
  EXPECT_EQ(duplicate.exit_code, 65) << duplicate.err;

  Outcome no_password = Rapport({"user", "add", "--db", db_, "--email", "y@example.com", "--name", "Y", "--role", "agent"});
  EXPECT_NE(no_password.exit_code, 0);
  EXPECT_NE(no_password.err.find("stdin"), std::string::npos) << no_password.err;

  Outcome token = Rapport({"token", "create", "--db", db_, "--user", "owner@example.com", "--label", "ci"});
  ASSERT_EQ(token.exit_code, 0) << token.err;
  EXPECT_TRUE(std::regex_match(token.out, std::regex("[A-Za-z0-9_-]{20,}\n"))) << "only the token: " << token.out;

  Outcome unknown_user = Rapport({"token", "create", "--db", db_, "--user", "nobody@example.com"});
  EXPECT_NE(unknown_user.exit_code, 0);
  EXPECT_NE(unknown_user.err.find("rapport:"), std::string::npos);
}

TEST_F(RapportBinaryTest, ConfigFileAndEnvironmentChooseTheDatabase) {
  fs::path conf = dir_ / "rapport.conf";
  std::ofstream(conf) << "# test\ndb = sqlite:" << (dir_ / "from-config.db").string() << "\n";
  Outcome r = Rapport({"migrate", "--config", conf.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir_ / "from-config.db"));

  std::ofstream(conf) << "colour = blue\n";
  Outcome bad = Rapport({"migrate", "--config", conf.string()});
  EXPECT_EQ(bad.exit_code, 65);
  EXPECT_NE(bad.err.find("colour"), std::string::npos) << bad.err;
}

TEST_F(RapportBinaryTest, DemoSeedsAnEmptyDatabaseAndRefusesANonEmptyOne) {
  Outcome demo = Rapport({"demo", "--db", db_, "--now", "2026-11-22T12:00:00Z"});
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  EXPECT_NE(demo.out.find("40 clients"), std::string::npos) << demo.out;
  EXPECT_NE(demo.out.find("500 tickets"), std::string::npos) << demo.out;
  EXPECT_NE(demo.out.find("dana@brightpath-it.example"), std::string::npos) << demo.out;

  Outcome again = Rapport({"demo", "--db", db_});
  EXPECT_EQ(again.exit_code, 65);
  EXPECT_NE(again.err.find("empty"), std::string::npos) << again.err;

  std::string other = "sqlite:" + (dir_ / "other.db").string();
  ASSERT_EQ(Rapport({"user", "add", "--db", other, "--email", "me@example.com", "--name", "Me", "--role", "owner"},
                    "a long enough password\n")
                .exit_code,
            0);
  EXPECT_EQ(Rapport({"demo", "--db", other}).exit_code, 65) << "one user is enough to refuse";
}

// The fields of one CSV line without quoted fields (the overall and policy lines: no commas in them).
std::vector<std::string> PlainCsvFields(const std::string& line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t comma; (comma = line.find(',', start)) != std::string::npos; start = comma + 1) {
    out.push_back(line.substr(start, comma - start));
  }
  out.push_back(line.substr(start));
  return out;
}

TEST_F(RapportBinaryTest, ReportPromisesPrintsTheTableOrCsvOfThePeriod) {
  ASSERT_EQ(Rapport({"demo", "--db", db_, "--now", "2026-11-22T12:00:00Z"}).exit_code, 0);
  Outcome csv = Rapport({"report", "promises", "--db", db_, "--from", "2026-01-01", "--to", "2026-11-23", "--csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  std::istringstream lines(csv.out);
  std::string line;
  ASSERT_TRUE(std::getline(lines, line));
  EXPECT_EQ(line.rfind("grouping,id,name,tickets,", 0), 0u) << line;
  EXPECT_EQ(line.back(), '\r') << "RFC 4180 line ends";
  long overall = 0, policies = 0;
  int overall_lines = 0;
  int clients = 0;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("overall,", 0) == 0 || line.rfind("policy,", 0) == 0) {
      ASSERT_EQ(line.find('"'), std::string::npos) << line;
      const std::vector<std::string> f = PlainCsvFields(line);
      ASSERT_EQ(f.size(), 19u) << line;
      if (f[0] == "overall") {
        overall = std::stol(f[3]);
        ++overall_lines;
      } else {
        policies += std::stol(f[3]);
      }
    }
    clients += line.rfind("client,", 0) == 0 ? 1 : 0;
  }
  EXPECT_EQ(overall_lines, 1);
  EXPECT_GT(overall, 0) << "the demo's tickets of 2026 are counted";
  EXPECT_EQ(policies, overall) << "each ticket counts under exactly one policy (demo: Standard and Premium)";
  EXPECT_GT(clients, 1);

  Outcome table = Rapport({"report", "promises", "--db", db_, "--from", "2026-01-01", "--to", "2026-11-23"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("tickets created from 2026-01-01 up to, not including, 2026-11-23"), std::string::npos)
      << table.out;
  EXPECT_NE(table.out.find("\noverall "), std::string::npos) << table.out;
  EXPECT_NE(table.out.find(" " + std::to_string(overall) + " "), std::string::npos) << "the same count";

  Outcome bad = Rapport({"report", "promises", "--db", db_, "--from", "2026-13-01"});
  EXPECT_EQ(bad.exit_code, 64);
  EXPECT_NE(bad.err.find("rapport:"), std::string::npos) << bad.err;
  EXPECT_TRUE(bad.out.empty()) << bad.out;
}

TEST_F(RapportBinaryTest, BackupWritesADatabaseThatOpens) {
  ASSERT_EQ(Rapport({"user", "add", "--db", db_, "--email", "me@example.com", "--name", "Me", "--role", "owner"},
                    "a long enough password\n")
                .exit_code,
            0);
  fs::path copy = dir_ / "copy.db";
  Outcome backup = Rapport({"backup", "--db", db_, "--to", copy.string()});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  ASSERT_TRUE(fs::exists(copy));
  // The copy is a database of its own: a token for the user made before the backup can be created there.
  Outcome token = Rapport({"token", "create", "--db", "sqlite:" + copy.string(), "--user", "me@example.com"});
  EXPECT_EQ(token.exit_code, 0) << token.err;

  Outcome again = Rapport({"backup", "--db", db_, "--to", copy.string()});
  EXPECT_EQ(again.exit_code, 65) << "no silent overwrite";
  EXPECT_EQ(Rapport({"backup", "--db", db_, "--to", copy.string(), "--force"}).exit_code, 0);

  Outcome pg = Rapport({"backup", "--db", "postgresql://u:p@127.0.0.1:1/x", "--to", (dir_ / "pg.dump").string()});
  EXPECT_NE(pg.exit_code, 0);
  EXPECT_NE(pg.err.find("pg_dump"), std::string::npos) << pg.err;
}

TEST_F(RapportBinaryTest, ServeAnswersHealthzAndStopsOnSigterm) {
  pid_t pid = Spawn({"serve", "--db", db_, "--listen", "127.0.0.1:0"}, "", "serve");
  ASSERT_GT(pid, 0);
  // The server prints the URL it listens on once it is bound.
  std::smatch match;
  std::string out;
  std::regex url("http://127\\.0\\.0\\.1:([0-9]+)/");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    out = ReadFile(dir_ / "serve.out");
    if (std::regex_search(out, match, url)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (match.empty()) {
    kill(pid, SIGKILL);
    Outcome r = Wait(pid, "serve");
    FAIL() << "no URL printed; stdout: " << r.out << " stderr: " << r.err;
  }
  int port = std::stoi(match[1].str());
  httplib::Client client("127.0.0.1", port);
  auto res = client.Get("/healthz");
  ASSERT_TRUE(res) << "no answer on port " << port;
  EXPECT_EQ(res->status, 200);

  ASSERT_EQ(kill(pid, SIGTERM), 0);
  Outcome r = Wait(pid, "serve");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("stopped"), std::string::npos) << r.out;
}

TEST_F(RapportBinaryTest, ServeRefusesABadListenAddress) {
  Outcome r = Rapport({"serve", "--db", db_, "--listen", "nowhere"});
  EXPECT_EQ(r.exit_code, 65);
  EXPECT_NE(r.err.find("HOST:PORT"), std::string::npos) << r.err;
}

}  // namespace
