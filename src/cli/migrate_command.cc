// `rapport migrate`: applies the missing schema migrations.

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/exit_codes.h"

namespace rapport::cli {
namespace {

int RunMigrate(const CommonFlags& flags) {
  auto config = LoadConfig(flags);
  if (!config.ok()) return Fail(config.status());
  auto store = OpenConfiguredStore(*config);
  if (!store.ok()) return Fail(store.status());
  if (Status s = (*store)->Migrate(); !s.ok()) return Fail(s);
  std::cout << "rapport: the " << (*store)->Kind() << " database is up to date\n";
  return kExitOk;
}

}  // namespace

void AddMigrateCommand(CLI::App& app, Outcome& outcome) {
  auto* command = app.add_subcommand("migrate", "Apply the missing database migrations (safe to repeat)");
  // Shared with the callback, which CLI11 keeps after this function returns.
  auto flags = std::make_shared<CommonFlags>();
  AddCommonFlags(*command, *flags);
  command->callback([flags, &outcome] { outcome.exit_code = RunMigrate(*flags); });
}

}  // namespace rapport::cli
