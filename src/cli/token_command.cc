// `rapport token create`: makes an API bearer token for a user and prints it (only once).

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <string>

#include "app/accounts.h"
#include "cli/command.h"
#include "cli/exit_codes.h"

namespace rapport::cli {
namespace {

struct TokenFlags {
  CommonFlags common;
  std::string user;
  std::string label = "cli";
};

int RunTokenCreate(const TokenFlags& flags) {
  auto store = OpenMigratedStore(flags.common);
  if (!store.ok()) return Fail(store.status());
  app::SessionPool pool(**store);
  app::SystemClock clock;
  app::Accounts accounts(pool, clock);
  auto token = accounts.CreateApiToken(flags.user, flags.label);
  if (!token.ok()) return Fail(token.status());
  // The token alone on stdout, so that scripts can capture it: TOKEN=$(rapport token create ...).
  std::cout << *token << '\n';
  return kExitOk;
}

}  // namespace

void AddTokenCommand(CLI::App& app, Outcome& outcome) {
  auto* token = app.add_subcommand("token", "Manage API bearer tokens");
  token->require_subcommand(1);
  auto* create = token->add_subcommand("create", "Create an API token for a user and print it (shown once)");
  // Shared with the callback, which CLI11 keeps after this function returns.
  auto flags = std::make_shared<TokenFlags>();
  AddCommonFlags(*create, flags->common);
  create->add_option("--user", flags->user, "email of the user the token acts for")->required();
  create->add_option("--label", flags->label, "a note to recognise the token by")->capture_default_str();
  create->callback([flags, &outcome] { outcome.exit_code = RunTokenCreate(*flags); });
}

}  // namespace rapport::cli
