#pragma once
// One deterministic generator of a realistic help-desk workspace: a small IT-services business,
// its clients (organizations with email domains), their contacts, the team (owner, agents,
// subcontractors in other time zones with working hours) and a year of tickets with their
// conversations; also its promises: business hours with a lunch break, holidays, a default response
// policy and a tighter one for the clients on the "premium" plan (every fifth client). Used by `rapport demo` (the demo size) and by the benchmarks (the bench size), so
// that what people click through and what is measured are the same shape of data.
//
// The same seed and `now` give the same workspace (names, subjects, bodies, dates, statuses), apart
// from ids assigned by the store and the password hashes' salts. Everything is written through
// StoreSession in batched transactions; users go through Accounts::CreateUser so that their
// passwords are Argon2id hashes like any other user's.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "app/accounts.h"
#include "app/session_pool.h"
#include "core/status.h"
#include "core/time.h"

namespace rapport::app {

struct WorkspaceSize {
  int clients = 0;
  int contacts = 0;
  int tickets = 0;
  std::int64_t messages = 0;  // in all; each ticket gets at least one
};

// About 40 clients, 120 contacts, 500 tickets with 1 to 8 messages each.
WorkspaceSize DemoWorkspaceSize();
// 1,000 clients, 5,000 contacts, 100,000 tickets, 1,000,000 messages.
WorkspaceSize BenchWorkspaceSize();

struct GeneratorProgress {
  int tickets_done = 0;
  int tickets_total = 0;
  std::int64_t messages_done = 0;
};

struct GeneratorOptions {
  WorkspaceSize size = DemoWorkspaceSize();
  Instant now{};  // tickets are spread over the year before it
  std::uint64_t seed = 20261122;
  int tickets_per_transaction = 1000;
  // Makes the password of each person (10+ characters). Unset: derived from the seed, which is
  // only fit for throwaway data such as benchmarks.
  std::function<std::string()> make_password;
  // Called after each committed batch of tickets.
  std::function<void(const GeneratorProgress&)> on_progress;
};

struct GeneratedAccount {
  std::string email;
  std::string name;
  Role role = Role::kAgent;
  std::string time_zone;
  std::string password;
};

struct GeneratedWorkspace {
  std::string workspace_name;
  std::vector<GeneratedAccount> accounts;  // the owner first
  int clients = 0;
  int contacts = 0;
  int tickets = 0;
  std::int64_t messages = 0;
};

// True when the database holds no users, clients or tickets.
Result<bool> WorkspaceIsEmpty(StoreSession& session);

// Fills an empty workspace. kConflict when the database already holds users, clients or tickets
// (the generator never mixes invented data with real data); kInvalidArgument for a size with no
// clients, contacts or tickets, or fewer messages than tickets; the store's and Accounts' codes
// otherwise. A failure part-way leaves the batches committed so far.
Result<GeneratedWorkspace> GenerateWorkspace(SessionPool& pool, Accounts& accounts, const GeneratorOptions& options);

}  // namespace rapport::app
