// `rapport demo`: fills an empty database with the demo workspace (or the benchmark-sized one) and
// prints the accounts to sign in with.

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "app/accounts.h"
#include "app/workspace_generator.h"
#include "cli/command.h"
#include "cli/exit_codes.h"
#include "core/vocabulary.h"
#include "security/tokens.h"

namespace rapport::cli {
namespace {

struct DemoFlags {
  CommonFlags common;
  std::string size = "demo";
  std::uint64_t seed = 20261122;
  std::string now;
};

int RunDemo(const DemoFlags& flags) {
  app::GeneratorOptions options;
  options.seed = flags.seed;
  options.size = flags.size == "bench" ? app::BenchWorkspaceSize() : app::DemoWorkspaceSize();
  app::SystemClock clock;
  options.now = clock.Now();
  if (!flags.now.empty()) {
    auto parsed = ParseRfc3339(flags.now);
    if (!parsed) return Fail(Status::FieldError("now", "expected an RFC 3339 time such as 2026-11-22T15:04:05Z"));
    options.now = *parsed;
  }
  Status password_error;
  options.make_password = [&password_error]() -> std::string {
    auto token = security::RandomToken();
    if (!token.ok()) {
      password_error = token.status();
      return "unavailable-password";
    }
    return token->substr(0, 16);
  };
  auto start = std::chrono::steady_clock::now();
  if (flags.size == "bench") {
    options.on_progress = [start](const app::GeneratorProgress& p) {
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::fprintf(stderr, "rapport demo: %d/%d tickets, %lld messages, %.0f s\n", p.tickets_done, p.tickets_total,
                   static_cast<long long>(p.messages_done), seconds);
    };
  }

  auto config = LoadConfig(flags.common);
  if (!config.ok()) return Fail(config.status());
  auto store = OpenMigratedStore(*config);
  if (!store.ok()) return Fail(store.status());
  app::SessionPool pool(**store);
  app::Accounts accounts(pool, clock);
  auto generated = app::GenerateWorkspace(pool, accounts, options);
  if (!password_error.ok()) return Fail(password_error);
  if (!generated.ok()) return Fail(generated.status());
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::cout << "rapport: seeded \"" << generated->workspace_name << "\" into " << config->db << ": "
            << generated->clients << " clients, " << generated->contacts << " contacts, " << generated->tickets
            << " tickets, " << generated->messages << " messages in " << static_cast<long long>(seconds)
            << " s\n";
  std::cout << "Sign in with one of these accounts (passwords are shown only now):\n";
  for (const app::GeneratedAccount& a : generated->accounts) {
    std::printf("  %-14s %-32s %-18s (%s, %s)\n", std::string(Name(a.role)).c_str(), a.email.c_str(),
                a.password.c_str(), a.name.c_str(), a.time_zone.c_str());
  }
  std::fflush(stdout);
  return kExitOk;
}

}  // namespace

void AddDemoCommand(CLI::App& app, Outcome& outcome) {
  auto* command = app.add_subcommand(
      "demo", "Seed an EMPTY database with a demo IT-services workspace and print its accounts and passwords");
  // Shared with the callback, which CLI11 keeps after this function returns.
  auto flags = std::make_shared<DemoFlags>();
  AddCommonFlags(*command, flags->common);
  command->add_option("--size", flags->size, "demo (40 clients, 500 tickets) or bench (100,000 tickets, 1M messages)")
      ->check(CLI::IsMember({"demo", "bench"}))
      ->capture_default_str();
  command->add_option("--seed", flags->seed, "seed of the generator; the same seed gives the same data")
      ->capture_default_str();
  command->add_option("--now", flags->now, "the moment the year of tickets ends (RFC 3339; default: now)");
  command->callback([flags, &outcome] { outcome.exit_code = RunDemo(*flags); });
}

}  // namespace rapport::cli
