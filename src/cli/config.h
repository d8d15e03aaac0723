#pragma once
// The settings of a `rapport` run and how they are resolved. Precedence, lowest first:
// built-in defaults < the config file (--config FILE or RAPPORT_CONFIG) < environment variables
// (RAPPORT_DB, RAPPORT_LISTEN, ...) < command-line flags.
//
// Resolution is a pure function of its inputs (file text, environment, flags) so that it can be
// tested without touching the file system or the process environment; reading those is the caller's job.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace rapport::cli {

struct Config {
  std::string db = "sqlite:var/rapport.db";
  std::string listen = "127.0.0.1:8080";
  int worker_threads = 64;
  bool secure_cookies = false;
  std::size_t max_body_bytes = 1 << 20;
};

// The keys a config file may set; each has the environment variable RAPPORT_<KEY in upper case>.
const std::vector<std::string>& ConfigKeys();

struct ConfigSources {
  std::string file_name;                      // for messages; empty when there is no file
  std::string file_text;                      // `key = value` lines, `#` starts a comment
  std::map<std::string, std::string> env;     // the process environment (only RAPPORT_* is read)
  std::map<std::string, std::string> flags;   // key -> value given on the command line
};

// kInvalidArgument naming the file and line, the variable or the flag at fault: an unknown key, a
// line without `=`, a value of the wrong shape (listen is HOST:PORT, worker_threads 1..1024,
// secure_cookies true/false, max_body_bytes a positive integer, db sqlite:PATH or postgresql://...).
Result<Config> ResolveConfig(const ConfigSources& sources);

// The config file to read: the --config flag if given, else RAPPORT_CONFIG, else none.
std::optional<std::string> ConfigFilePath(const std::optional<std::string>& flag,
                                          const std::map<std::string, std::string>& env);

struct ListenAddress {
  std::string host;
  int port = 0;
};
// "HOST:PORT" (IPv4 or a name; port 0..65535). kInvalidArgument otherwise.
Result<ListenAddress> ParseListen(const std::string& text);

}  // namespace rapport::cli
