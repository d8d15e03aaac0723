#include "cli/command.h"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

extern char** environ;  // POSIX: the process environment

namespace rapport::cli {

void AddCommonFlags(CLI::App& command, CommonFlags& flags) {
  command.add_option("--config", flags.config_file, "config file of `key = value` lines (default: $RAPPORT_CONFIG)");
  command.add_option("--db", flags.db, "database URL: sqlite:PATH or postgresql://user:pass@host:port/db");
}

std::map<std::string, std::string> RapportEnvironment() {
  std::map<std::string, std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    if (text.rfind("RAPPORT_", 0) != 0) continue;
    auto eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
  }
  return env;
}

Result<Config> LoadConfig(const CommonFlags& flags) {
  ConfigSources sources;
  sources.env = RapportEnvironment();
  if (auto path = ConfigFilePath(flags.config_file, sources.env)) {
    std::ifstream in(*path);
    if (!in) return Status::InvalidArgument("cannot read config file " + *path + ": check the path and permissions");
    std::ostringstream text;
    text << in.rdbuf();
    sources.file_name = *path;
    sources.file_text = text.str();
  }
  sources.flags = flags.extra;
  if (flags.db) sources.flags["db"] = *flags.db;
  return ResolveConfig(sources);
}

Result<std::unique_ptr<app::Store>> OpenConfiguredStore(const Config& config, const app::StoreOptions& options) {
  return app::OpenStore(config.db, options);  // which creates a SQLite file's directory
}

Result<std::unique_ptr<app::Store>> OpenMigratedStore(const Config& config, const app::StoreOptions& options) {
  RAPPORT_ASSIGN_OR_RETURN(std::unique_ptr<app::Store> store, OpenConfiguredStore(config, options));
  RAPPORT_RETURN_IF_ERROR(store->Migrate());
  return store;
}

Result<std::unique_ptr<app::Store>> OpenMigratedStore(const CommonFlags& flags) {
  RAPPORT_ASSIGN_OR_RETURN(Config config, LoadConfig(flags));
  return OpenMigratedStore(config);
}

}  // namespace rapport::cli
