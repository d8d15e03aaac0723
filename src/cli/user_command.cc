// `rapport user add`: creates a member of the team; the password is read from stdin.

#include <CLI/CLI.hpp>
#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <memory>
#include <string>

#include "app/accounts.h"
#include "cli/command.h"
#include "cli/exit_codes.h"
#include "core/vocabulary.h"

namespace rapport::cli {
namespace {

// Reads one line from stdin; at a terminal, prompts on stderr and does not echo what is typed.
bool ReadPasswordLine(std::string& password) {
  if (!isatty(STDIN_FILENO)) return static_cast<bool>(std::getline(std::cin, password));
  std::cerr << "Password (10 or more characters): " << std::flush;
  termios saved{};
  bool restore = tcgetattr(STDIN_FILENO, &saved) == 0;
  if (restore) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  bool ok = static_cast<bool>(std::getline(std::cin, password));
  if (restore) tcsetattr(STDIN_FILENO, TCSANOW, &saved);
  std::cerr << '\n';
  return ok;
}

struct UserAddFlags {
  CommonFlags common;
  std::string email;
  std::string name;
  std::string role;
  std::string time_zone = "UTC";
  bool no_password = false;
};

int RunUserAdd(const UserAddFlags& flags) {
  auto role = ParseRole(flags.role);
  if (!role) {
    return Fail(Status::FieldError("role", "unknown role \"" + flags.role +
                                               "\"; use one of owner, admin, agent, subcontractor"));
  }
  std::string password;
  if (!flags.no_password) {
    if (!ReadPasswordLine(password) || password.empty()) {
      return Fail(Status::InvalidArgument(
          "no password on stdin: pipe one line, e.g. `echo 'a long passphrase' | rapport user add ...`, "
          "or pass --no-password for a token-only user"));
    }
    if (!password.empty() && password.back() == '\r') password.pop_back();
  }
  auto store = OpenMigratedStore(flags.common);
  if (!store.ok()) return Fail(store.status());
  app::SessionPool pool(**store);
  app::SystemClock clock;
  app::Accounts accounts(pool, clock);
  // Whoever can run this command can read and write the database file: they act as an owner.
  Actor console{UserId(), Role::kOwner};
  auto existing = pool.Acquire();
  if (!existing.ok()) return Fail(existing.status());
  auto users = (*existing)->ListUsers();
  if (!users.ok()) return Fail(users.status());
  const Actor* actor = users->empty() ? nullptr : &console;
  app::NewUser user{flags.email, flags.name, *role, flags.time_zone, password};
  auto created = accounts.CreateUser(actor, user);
  if (!created.ok()) return Fail(created.status());
  std::cout << "rapport: created " << Name(created->role) << " " << created->email << " (id " << created->id.value
            << ")\n";
  return kExitOk;
}

}  // namespace

void AddUserCommand(CLI::App& app, Outcome& outcome) {
  auto* user = app.add_subcommand("user", "Manage the members of the team");
  user->require_subcommand(1);
  auto* add = user->add_subcommand("add", "Add a member; reads the password (10+ characters) as one line from stdin");
  // Shared with the callback, which CLI11 keeps after this function returns.
  auto flags = std::make_shared<UserAddFlags>();
  AddCommonFlags(*add, flags->common);
  add->add_option("--email", flags->email, "email address, used to sign in")->required();
  add->add_option("--name", flags->name, "full name")->required();
  add->add_option("--role", flags->role, "owner, admin, agent or subcontractor")->required();
  add->add_option("--time-zone", flags->time_zone, "IANA time zone, e.g. Europe/Paris")->capture_default_str();
  add->add_flag("--no-password", flags->no_password, "create a user who signs in with API tokens only");
  add->callback([flags, &outcome] { outcome.exit_code = RunUserAdd(*flags); });
}

}  // namespace rapport::cli
