// Config resolution: defaults < file < environment < flags, and clear errors for bad values.

#include "cli/config.h"

#include <gtest/gtest.h>

#include "cli/exit_codes.h"

namespace rapport::cli {
namespace {

TEST(ConfigTest, DefaultsWhenNothingIsGiven) {
  auto config = ResolveConfig({});
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->db, "sqlite:var/rapport.db");
  EXPECT_EQ(config->listen, "127.0.0.1:8080");
  EXPECT_EQ(config->worker_threads, 64);
  EXPECT_FALSE(config->secure_cookies);
}

TEST(ConfigTest, FileOverridesDefaultsAndIgnoresCommentsAndBlankLines) {
  ConfigSources sources;
  sources.file_name = "rapport.conf";
  sources.file_text =
      "# Rapport settings\n"
      "\n"
      "db = sqlite:/srv/rapport/desk.db   # the main file\n"
      "  listen=0.0.0.0:9000\n"
      "worker_threads = 8\n"
      "secure_cookies = true\n"
      "max_body_bytes = 2048\n";
  auto config = ResolveConfig(sources);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->db, "sqlite:/srv/rapport/desk.db");
  EXPECT_EQ(config->listen, "0.0.0.0:9000");
  EXPECT_EQ(config->worker_threads, 8);
  EXPECT_TRUE(config->secure_cookies);
  EXPECT_EQ(config->max_body_bytes, 2048u);
}

TEST(ConfigTest, EnvironmentOverridesFileAndFlagsOverrideEnvironment) {
  ConfigSources sources;
  sources.file_name = "rapport.conf";
  sources.file_text = "db = sqlite:from-file.db\nlisten = 127.0.0.1:1111\nworker_threads = 2\n";
  sources.env = {{"RAPPORT_DB", "sqlite:from-env.db"},
                 {"RAPPORT_LISTEN", "127.0.0.1:2222"},
                 {"HOME", "/root"}};
  sources.flags = {{"listen", "127.0.0.1:3333"}};
  auto config = ResolveConfig(sources);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->db, "sqlite:from-env.db");       // env beats file
  EXPECT_EQ(config->listen, "127.0.0.1:3333");       // flag beats env
  EXPECT_EQ(config->worker_threads, 2);              // file beats default
}

TEST(ConfigTest, EmptyEnvironmentVariableIsIgnored) {
  ConfigSources sources;
  sources.env = {{"RAPPORT_DB", ""}};
  auto config = ResolveConfig(sources);
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->db, "sqlite:var/rapport.db");
}

TEST(ConfigTest, PostgresUrlIsAccepted) {
  ConfigSources sources;
  sources.flags = {{"db", "postgresql://rapport:secret@127.0.0.1:5432/rapport"}};
  auto config = ResolveConfig(sources);
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->db, "postgresql://rapport:secret@127.0.0.1:5432/rapport");
}

TEST(ConfigTest, UnknownKeyInFileNamesFileAndLine) {
  ConfigSources sources;
  sources.file_name = "rapport.conf";
  sources.file_text = "db = sqlite:x.db\ncolour = blue\n";
  auto config = ResolveConfig(sources);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(config.status().message().find("colour"), std::string::npos);
  EXPECT_NE(config.status().message().find("rapport.conf line 2"), std::string::npos);
}

TEST(ConfigTest, LineWithoutEqualsIsRejected) {
  ConfigSources sources;
  sources.file_name = "rapport.conf";
  sources.file_text = "listen 127.0.0.1:80\n";
  auto config = ResolveConfig(sources);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("line 1"), std::string::npos);
}

TEST(ConfigTest, BadValuesNameTheirSource) {
  ConfigSources env_source;
  env_source.env = {{"RAPPORT_WORKER_THREADS", "lots"}};
  auto from_env = ResolveConfig(env_source);
  ASSERT_FALSE(from_env.ok());
  EXPECT_NE(from_env.status().message().find("RAPPORT_WORKER_THREADS"), std::string::npos);

  ConfigSources flag_source;
  flag_source.flags = {{"listen", "localhost"}};
  auto from_flag = ResolveConfig(flag_source);
  ASSERT_FALSE(from_flag.ok());
  EXPECT_NE(from_flag.status().message().find("--listen"), std::string::npos);

  ConfigSources db_source;
  db_source.flags = {{"db", "mysql://x"}};
  EXPECT_FALSE(ResolveConfig(db_source).ok());

  ConfigSources cookie_source;
  cookie_source.file_text = "secure_cookies = maybe\n";
  EXPECT_FALSE(ResolveConfig(cookie_source).ok());

  ConfigSources threads_source;
  threads_source.flags = {{"worker_threads", "0"}};
  EXPECT_FALSE(ResolveConfig(threads_source).ok());
}

TEST(ConfigTest, ConfigFilePathPrefersFlagThenEnvironment) {
  std::map<std::string, std::string> env = {{"RAPPORT_CONFIG", "/etc/rapport.conf"}};
  EXPECT_EQ(ConfigFilePath(std::string("./local.conf"), env), "./local.conf");
  EXPECT_EQ(ConfigFilePath(std::nullopt, env), "/etc/rapport.conf");
  EXPECT_EQ(ConfigFilePath(std::nullopt, {}), std::nullopt);
}

TEST(ConfigTest, ParseListen) {
  auto ok = ParseListen("127.0.0.1:8080");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->host, "127.0.0.1");
  EXPECT_EQ(ok->port, 8080);
  EXPECT_TRUE(ParseListen("localhost:0").ok());
  EXPECT_FALSE(ParseListen("127.0.0.1").ok());
  EXPECT_FALSE(ParseListen(":80").ok());
  EXPECT_FALSE(ParseListen("127.0.0.1:65536").ok());
  EXPECT_FALSE(ParseListen("127.0.0.1:http").ok());
  EXPECT_FALSE(ParseListen("bad host:80").ok());
}

TEST(ExitCodeTest, StatusCodesMapToSysexits) {
  EXPECT_EQ(ExitCodeFor(StatusCode::kOk), 0);
  EXPECT_EQ(ExitCodeFor(StatusCode::kInvalidArgument), kExitData);
  EXPECT_EQ(ExitCodeFor(StatusCode::kConflict), kExitData);
  EXPECT_EQ(ExitCodeFor(StatusCode::kNotFound), kExitData);
  EXPECT_EQ(ExitCodeFor(StatusCode::kUnavailable), kExitUnavailable);
  EXPECT_EQ(ExitCodeFor(StatusCode::kPermissionDenied), kExitNoPermission);
  EXPECT_EQ(ExitCodeFor(StatusCode::kInternal), kExitSoftware);
}

}  // namespace
}  // namespace rapport::cli
