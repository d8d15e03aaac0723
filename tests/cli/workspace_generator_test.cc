// The workspace generator on a real SQLite file: sizes, determinism, and refusing a non-empty database.

#include "app/workspace_generator.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "app/ports/store.h"

namespace rapport::app {
namespace {

namespace fs = std::filesystem;

const Instant kNow = InstantFromUnix(1795176000);  // 2026-11-22T12:00:00Z

class WorkspaceGeneratorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rapport-generator-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Store> OpenFresh(const std::string& name) {
    auto store = OpenStore("sqlite:" + (dir_ / name).string());
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    EXPECT_TRUE((*store)->Migrate().ok());
    return std::move(store).value();
  }

  static GeneratorOptions SmallOptions() {
    GeneratorOptions options;
    options.size = WorkspaceSize{5, 12, 60, 240};
    options.now = kNow;
    options.seed = 7;
    options.tickets_per_transaction = 25;  // several batches
    return options;
  }

  // Cheap Argon2id: these tests are about the data, not the password hashing.
  static AccountsOptions CheapPasswords() {
    AccountsOptions options;
    options.argon_ops = 1;
    options.argon_mem_bytes = 8u << 10;
    return options;
  }

  fs::path dir_;
  ManualClock clock_{kNow};
};

std::vector<std::string> Summary(Store& store) {
  SessionPool pool(store);
  auto session = pool.Acquire();
  EXPECT_TRUE(session.ok());
  std::vector<std::string> lines;
  TicketQuery q;
  q.sort = TicketSort::kOldest;
  q.limit = kMaxPageSize;
  auto page = (*session)->ListTickets(q);
  EXPECT_TRUE(page.ok()) << page.status().ToString();
  for (const TicketRow& row : page->items) {
    auto messages = (*session)->ListMessages(row.ticket.id);
    EXPECT_TRUE(messages.ok());
    std::string line = std::to_string(row.ticket.number) + "|" + row.ticket.subject + "|" +
                       std::string(Name(row.ticket.status)) + "|" + FormatRfc3339(row.ticket.created_at) + "|" +
                       row.contact_name + "|" + std::to_string(messages->size());
    if (!messages->empty()) line += "|" + messages->back().body_text;
    lines.push_back(line);
  }
  return lines;
}

TEST_F(WorkspaceGeneratorTest, FillsAnEmptyDatabaseWithTheSizeAskedFor) {
  auto store = OpenFresh("a.db");
  SessionPool pool(*store);
  Accounts accounts(pool, clock_, CheapPasswords());
  int batches = 0;
  GeneratorOptions options = SmallOptions();
  options.on_progress = [&batches](const GeneratorProgress&) { ++batches; };
  auto generated = GenerateWorkspace(pool, accounts, options);
  ASSERT_TRUE(generated.ok()) << generated.status().ToString();
  EXPECT_EQ(batches, 3);
  EXPECT_EQ(generated->tickets, 60);
  EXPECT_GE(generated->messages, 60);
  EXPECT_LE(generated->messages, 240 + 20);
  ASSERT_EQ(generated->accounts.size(), 6u);
  EXPECT_EQ(generated->accounts[0].role, Role::kOwner);

  auto session = pool.Acquire();
  ASSERT_TRUE(session.ok());
  auto users = (*session)->ListUsers();
  ASSERT_TRUE(users.ok());
  EXPECT_EQ(users->size(), 6u);
  int subcontractors = 0;
  for (const User& u : *users) {
    EXPECT_FALSE(u.working_hours.empty()) << u.email;
    EXPECT_EQ(u.password_hash.rfind("$argon2id$", 0), 0u) << u.email;
    if (u.role == Role::kSubcontractor) {
      ++subcontractors;
      EXPECT_NE(u.time_zone, "America/Chicago");
    }
  }
  EXPECT_EQ(subcontractors, 2);
  auto count = (*session)->CountTickets(TicketQuery{});
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 60);
  ClientQuery clients;
  clients.limit = kMaxPageSize;
  auto client_page = (*session)->ListClients(clients);
  ASSERT_TRUE(client_page.ok());
  EXPECT_EQ(client_page->items.size(), 5u);
  for (const Client& c : client_page->items) EXPECT_EQ(c.email_domains.size(), 1u);

  // Tickets lie in the year before `now`, and each has 1 to 8 messages.
  for (const std::string& line : Summary(*store)) EXPECT_FALSE(line.empty());
  TicketQuery all;
  all.limit = kMaxPageSize;
  auto tickets = (*session)->ListTickets(all);
  ASSERT_TRUE(tickets.ok());
  for (const TicketRow& row : tickets->items) {
    EXPECT_LE(row.ticket.created_at, kNow);
    EXPECT_GE(row.ticket.created_at, kNow - std::chrono::days(366));
    auto messages = (*session)->ListMessages(row.ticket.id);
    ASSERT_TRUE(messages.ok());
    EXPECT_GE(messages->size(), 1u);
    EXPECT_LE(messages->size(), 8u);
    EXPECT_EQ(messages->front().kind, MessageKind::kInbound);
  }
}

TEST_F(WorkspaceGeneratorTest, SetsUpBusinessHoursHolidaysAndPolicies) {
  auto store = OpenFresh("promises.db");
  SessionPool pool(*store);
  Accounts accounts(pool, clock_, CheapPasswords());
  auto generated = GenerateWorkspace(pool, accounts, SmallOptions());
  ASSERT_TRUE(generated.ok()) << generated.status().ToString();
  auto session = pool.Acquire();
  ASSERT_TRUE(session.ok());
  auto workspace = (*session)->GetWorkspace();
  ASSERT_TRUE(workspace.ok());
  ASSERT_EQ(workspace->business_hours.size(), 10u);
  EXPECT_EQ(workspace->business_hours[0], (WorkingInterval{1, 540, 750}));
  EXPECT_EQ(workspace->business_hours[1], (WorkingInterval{1, 810, 1050}));
  auto holidays = (*session)->ListHolidays();
  ASSERT_TRUE(holidays.ok());
  ASSERT_EQ(holidays->size(), 3u);
  EXPECT_EQ(holidays->front().holiday.year, 0) << "yearly holidays first";
  EXPECT_NE(holidays->back().holiday.year, 0) << "and a one-off";
  auto policies = (*session)->ListSlaPolicies();
  ASSERT_TRUE(policies.ok());
  ASSERT_EQ(policies->size(), 2u);
  const SlaPolicy* standard = ChoosePolicy(*policies, "");
  const SlaPolicy* premium = ChoosePolicy(*policies, "premium");
  ASSERT_NE(standard, nullptr);
  ASSERT_NE(premium, nullptr);
  EXPECT_EQ(standard->For(Priority::kNormal).first_response, std::chrono::minutes(240));
  EXPECT_LT(*premium->For(Priority::kUrgent).first_response, *standard->For(Priority::kUrgent).first_response);
  ClientQuery all;
  all.limit = kMaxPageSize;
  auto clients = (*session)->ListClients(all);
  ASSERT_TRUE(clients.ok());
  int on_premium = 0;
  for (const Client& c : clients->items) on_premium += c.plan == "premium" ? 1 : 0;
  EXPECT_GE(on_premium, 1);
  EXPECT_LT(on_premium, static_cast<int>(clients->items.size()));
}

TEST_F(WorkspaceGeneratorTest, SameSeedGivesTheSameWorkspace) {
  auto first = OpenFresh("first.db");
  auto second = OpenFresh("second.db");
  for (Store* store : {first.get(), second.get()}) {
    SessionPool pool(*store);
    Accounts accounts(pool, clock_, CheapPasswords());
    ASSERT_TRUE(GenerateWorkspace(pool, accounts, SmallOptions()).ok());
  }
  auto a = Summary(*first);
  EXPECT_EQ(a.size(), 60u);
  EXPECT_EQ(a, Summary(*second));

  auto third = OpenFresh("third.db");
  SessionPool pool(*third);
  Accounts accounts(pool, clock_, CheapPasswords());
  GeneratorOptions other = SmallOptions();
  other.seed = 8;
  ASSERT_TRUE(GenerateWorkspace(pool, accounts, other).ok());
  EXPECT_NE(a, Summary(*third));
}

TEST_F(WorkspaceGeneratorTest, RefusesANonEmptyDatabaseAndABadSize) {
  auto store = OpenFresh("b.db");
  SessionPool pool(*store);
  Accounts accounts(pool, clock_, CheapPasswords());
  GeneratorOptions bad = SmallOptions();
  bad.size.messages = 10;  // fewer than tickets
  auto refused_size = GenerateWorkspace(pool, accounts, bad);
  ASSERT_FALSE(refused_size.ok());
  EXPECT_EQ(refused_size.status().code(), StatusCode::kInvalidArgument);

  ASSERT_TRUE(GenerateWorkspace(pool, accounts, SmallOptions()).ok());
  auto again = GenerateWorkspace(pool, accounts, SmallOptions());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kConflict);
}

}  // namespace
}  // namespace rapport::app
