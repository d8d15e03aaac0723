// `rapport`: the one program of Rapport. Each subcommand is in its own *_command.cc file.

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "cli/command.h"
#include "cli/exit_codes.h"

int main(int argc, char** argv) {
  using namespace rapport::cli;
  CLI::App app{"Rapport: a help desk for small service businesses.", "rapport"};
  app.require_subcommand(1);
  Outcome outcome;
  AddServeCommand(app, outcome);
  AddMigrateCommand(app, outcome);
  AddUserCommand(app, outcome);
  AddTokenCommand(app, outcome);
  AddDemoCommand(app, outcome);
  AddBackupCommand(app, outcome);
  AddIngestCommand(app, outcome);
  AddImportCommand(app, outcome);
  AddReportCommand(app, outcome);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "rapport: " << e.what() << " (see rapport --help)\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    // A library threw past its adapter: a bug, but still one clear line rather than an abort.
    std::cerr << "rapport: internal error: " << e.what() << '\n';
    return kExitSoftware;
  }
  return outcome.exit_code;
}
