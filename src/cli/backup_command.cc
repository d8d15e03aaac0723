// `rapport backup --to FILE`: an online, consistent copy of a SQLite database.

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "cli/command.h"
#include "cli/exit_codes.h"

namespace rapport::cli {
namespace {

struct BackupFlags {
  CommonFlags common;
  std::string to;
  bool force = false;
};

int RunBackup(const BackupFlags& flags) {
  auto config = LoadConfig(flags.common);
  if (!config.ok()) return Fail(config.status());
  if (config->db.rfind("sqlite:", 0) != 0) {
    return Fail(Status::InvalidArgument(
        "rapport backup copies SQLite databases only; for PostgreSQL run: pg_dump --format=custom --file=" +
        flags.to + " '" + config->db + "' (and pg_restore to restore)"));
  }
  std::error_code ec;
  if (std::filesystem::exists(flags.to, ec) && !flags.force) {
    return Fail(Status::AlreadyExists(flags.to + " already exists; choose another file or pass --force to replace it"));
  }
  auto store = OpenConfiguredStore(*config);
  if (!store.ok()) return Fail(store.status());
  if (Status s = (*store)->Backup(flags.to); !s.ok()) return Fail(s);
  std::cout << "rapport: backed up " << config->db << " to " << flags.to << '\n';
  return kExitOk;
}

}  // namespace

void AddBackupCommand(CLI::App& app, Outcome& outcome) {
  auto* command = app.add_subcommand("backup", "Copy a SQLite database while it is in use (PostgreSQL: use pg_dump)");
  // Shared with the callback, which CLI11 keeps after this function returns.
  auto flags = std::make_shared<BackupFlags>();
  AddCommonFlags(*command, flags->common);
  command->add_option("--to", flags->to, "the file to write the copy to")->required();
  command->add_flag("--force", flags->force, "replace the file if it exists");
  command->callback([flags, &outcome] { outcome.exit_code = RunBackup(*flags); });
}

}  // namespace rapport::cli
