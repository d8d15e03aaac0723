#include "cli/config.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <sstream>

#include "core/identity.h"

namespace rapport::cli {
namespace {

std::string EnvName(const std::string& key) {
  std::string name = "RAPPORT_";
  for (char c : key) name.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return name;
}

std::optional<long long> ParseInteger(const std::string& text) {
  long long value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

// Applies one key = value to the config; `where` names the source for the message.
Status Apply(Config& config, const std::string& key, const std::string& value, const std::string& where) {
  auto bad = [&](const std::string& why) { return Status::FieldError(key, why + " (" + where + ")"); };
  if (key == "db") {
    if (value.rfind("sqlite:", 0) != 0 && value.rfind("postgresql://", 0) != 0 &&
        value.rfind("postgres://", 0) != 0) {
      return bad("expected sqlite:PATH or postgresql://user:pass@host:port/db, got \"" + value + "\"");
    }
    if (value == "sqlite:") return bad("sqlite: needs a file path, e.g. sqlite:var/rapport.db");
    config.db = value;
  } else if (key == "listen") {
    auto parsed = ParseListen(value);
    if (!parsed.ok()) return bad(parsed.status().message());
    config.listen = value;
  } else if (key == "worker_threads") {
    auto n = ParseInteger(value);
    if (!n || *n < 1 || *n > 1024) return bad("expected a whole number from 1 to 1024, got \"" + value + "\"");
    config.worker_threads = static_cast<int>(*n);
  } else if (key == "secure_cookies") {
    if (value == "true" || value == "1" || value == "yes") {
      config.secure_cookies = true;
    } else if (value == "false" || value == "0" || value == "no") {
      config.secure_cookies = false;
    } else {
      return bad("expected true or false, got \"" + value + "\"");
    }
  } else if (key == "max_body_bytes") {
    auto n = ParseInteger(value);
    if (!n || *n < 1) return bad("expected a positive number of bytes, got \"" + value + "\"");
    config.max_body_bytes = static_cast<std::size_t>(*n);
  } else {
    return Status::InvalidArgument("unknown setting \"" + key + "\" (" + where + "); known settings: db, listen, " +
                                   "worker_threads, secure_cookies, max_body_bytes");
  }
  return Status::Ok();
}

Status ApplyFile(Config& config, const std::string& file_name, const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    std::string where = "config file " + file_name + " line " + std::to_string(number);
    auto hash = line.find('#');
    if (hash != std::string::npos) line.erase(hash);
    std::string_view trimmed = Trim(line);
    if (trimmed.empty()) continue;
    auto eq = trimmed.find('=');
    if (eq == std::string_view::npos) {
      return Status::InvalidArgument(where + ": expected `key = value`, got \"" + std::string(trimmed) + "\"");
    }
    std::string key(Trim(trimmed.substr(0, eq)));
    std::string value(Trim(trimmed.substr(eq + 1)));
    RAPPORT_RETURN_IF_ERROR(Apply(config, key, value, where));
  }
  return Status::Ok();
}

}  // namespace

const std::vector<std::string>& ConfigKeys() {
  static const std::vector<std::string> keys = {"db", "listen", "worker_threads", "secure_cookies",
                                                "max_body_bytes"};
  return keys;
}

Result<Config> ResolveConfig(const ConfigSources& sources) {
  Config config;
  if (!sources.file_name.empty() || !sources.file_text.empty()) {
    RAPPORT_RETURN_IF_ERROR(ApplyFile(config, sources.file_name, sources.file_text));
  }
  for (const std::string& key : ConfigKeys()) {
    std::string name = EnvName(key);
    auto it = sources.env.find(name);
    if (it != sources.env.end() && !it->second.empty()) {
      RAPPORT_RETURN_IF_ERROR(Apply(config, key, it->second, "environment variable " + name));
    }
  }
  for (const auto& [key, value] : sources.flags) {
    RAPPORT_RETURN_IF_ERROR(Apply(config, key, value, "flag --" + key));
  }
  return config;
}

std::optional<std::string> ConfigFilePath(const std::optional<std::string>& flag,
                                          const std::map<std::string, std::string>& env) {
  if (flag && !flag->empty()) return flag;
  auto it = env.find("RAPPORT_CONFIG");
  if (it != env.end() && !it->second.empty()) return it->second;
  return std::nullopt;
}

Result<ListenAddress> ParseListen(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Status::InvalidArgument("listen address must be HOST:PORT, e.g. 127.0.0.1:8080, got \"" + text + "\"");
  }
  ListenAddress address;
  address.host = text.substr(0, colon);
  auto port = ParseInteger(text.substr(colon + 1));
  if (!port || *port < 0 || *port > 65535) {
    return Status::InvalidArgument("port must be a number from 0 to 65535 in \"" + text + "\"");
  }
  bool host_ok = std::all_of(address.host.begin(), address.host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
  });
  if (!host_ok) return Status::InvalidArgument("host must be an IPv4 address or a name in \"" + text + "\"");
  address.port = static_cast<int>(*port);
  return address;
}

}  // namespace rapport::cli
