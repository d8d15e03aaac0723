#pragma once
// What every subcommand shares: the --config and --db flags, turning them plus the environment and
// the config file into a Config, and opening the store it names. Each subcommand lives in its own
// file and registers itself on the top-level CLI::App through an Add*Command function below.

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "app/ports/store.h"
#include "cli/config.h"
#include "core/status.h"

namespace CLI {
class App;
}

namespace rapport::cli {

// The exit code the chosen subcommand's callback leaves for main() to return.
struct Outcome {
  int exit_code = 0;
};

// Flags common to commands that touch the database. Values are empty unless given.
struct CommonFlags {
  std::optional<std::string> config_file;
  std::optional<std::string> db;
  std::map<std::string, std::string> extra;  // other setting flags (listen ...) filled by the command
};

void AddCommonFlags(CLI::App& command, CommonFlags& flags);

// Reads the config file (if any) and the process environment, and resolves them with the flags.
// kInvalidArgument for a config file that cannot be read or a bad setting.
Result<Config> LoadConfig(const CommonFlags& flags);

// Opens the store at config.db; for SQLite, creates the parent directory of the file first.
Result<std::unique_ptr<app::Store>> OpenConfiguredStore(const Config& config, const app::StoreOptions& options = {});

// OpenConfiguredStore, then Migrate: the store a one-shot command (user, token, demo) works on.
Result<std::unique_ptr<app::Store>> OpenMigratedStore(const Config& config, const app::StoreOptions& options = {});
// LoadConfig, then OpenMigratedStore: for a command whose settings are only the database's.
Result<std::unique_ptr<app::Store>> OpenMigratedStore(const CommonFlags& flags);

// The process environment as a map (only RAPPORT_* variables).
std::map<std::string, std::string> RapportEnvironment();

void AddServeCommand(CLI::App& app, Outcome& outcome);
void AddMigrateCommand(CLI::App& app, Outcome& outcome);
void AddUserCommand(CLI::App& app, Outcome& outcome);
void AddTokenCommand(CLI::App& app, Outcome& outcome);
void AddDemoCommand(CLI::App& app, Outcome& outcome);
void AddBackupCommand(CLI::App& app, Outcome& outcome);
void AddIngestCommand(CLI::App& app, Outcome& outcome);  // one message on stdin, for an MTA
void AddImportCommand(CLI::App& app, Outcome& outcome);  // `import mbox PATH`, `import maildir PATH`
void AddReportCommand(CLI::App& app, Outcome& outcome);  // `report promises --from D --to D [--csv]`

}  // namespace rapport::cli
