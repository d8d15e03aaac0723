// CurlSmtpSender against the SMTP sink that scripts/run-tests starts (scripts/smtp_sink.py): what the
// sink stores must be the message byte for byte, and every kind of refusal must map to the right
// outcome. Skipped when RAPPORT_TEST_SMTP_* are not set (run outside scripts/run-tests).

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>

#include "support/loopback.h"
#include "mail/curl_smtp_sender.h"

namespace rapport::mail {
namespace {

using rapport::testing::SilentServer;
using rapport::testing::UnusedPort;

using app::SmtpOutcome;
using ::testing::HasSubstr;

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A marker no other test (or test process) uses, for finding this test's message in the sink.
std::string UniqueMarker(const std::string& test) {
  static std::atomic<int> counter{0};
  return test + "-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
}

struct SinkEntry {
  std::string raw;
  nlohmann::json envelope;
};

class SmtpSenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (Env("RAPPORT_TEST_SMTP_PORT").empty())
      GTEST_SKIP() << "RAPPORT_TEST_SMTP_* not set; run through scripts/run-tests";
    settings_.host = Env("RAPPORT_TEST_SMTP_HOST");
    settings_.port = std::stoi(Env("RAPPORT_TEST_SMTP_PORT"));
    settings_.security = app::TransportSecurity::kStartTls;
    settings_.user = Env("RAPPORT_TEST_SMTP_USER");
    settings_.password = Env("RAPPORT_TEST_SMTP_PASSWORD");
    settings_.ca_file = Env("RAPPORT_TEST_SMTP_CA");
    settings_.timeout = std::chrono::seconds(10);
    sink_dir_ = Env("RAPPORT_TEST_SMTP_SINK_DIR");
  }

  // The stored message whose bytes contain `marker`; the sink writes it before answering 250.
  std::optional<SinkEntry> FindInSink(const std::string& marker) const {
    for (const auto& entry : std::filesystem::directory_iterator(sink_dir_)) {
      if (entry.path().extension() != ".eml") continue;
      std::string raw = ReadFile(entry.path());
      if (raw.find(marker) == std::string::npos) continue;
      std::filesystem::path meta = entry.path();
      meta.replace_extension(".json");
      return SinkEntry{std::move(raw), nlohmann::json::parse(ReadFile(meta))};
    }
    return std::nullopt;
  }

  static std::string Message(const std::string& marker, const std::string& body) {
    return "From: Support <support@rapport.test>\r\n"
           "To: Ann <ann@example.test>\r\n"
           "Subject: test " +
           marker +
           "\r\n"
           "Message-ID: <" +
           marker +
           "@rapport.test>\r\n"
           "MIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n"
           "Content-Transfer-Encoding: 8bit\r\n"
           "\r\n" +
           body;
  }

  app::SmtpSettings settings_;
  std::string sink_dir_;
  CurlSmtpSender sender_;
};

TEST_F(SmtpSenderTest, SendsOverStartTlsWithAuthAndTheSinkKeepsEveryByte) {
  const std::string marker = UniqueMarker("starttls");
  // Lines starting with dots (SMTP dot-stuffing must be applied and reversed), a lone dot that would
  // end DATA if not stuffed, a line that looks like an IMAP tag, and 8-bit UTF-8 text.
  const std::string raw = Message(marker,
                                  "Hello,\r\n"
                                  ".leading dot\r\n"
                                  "..two dots\r\n"
                                  ".\r\n"
                                  "A001 OK\r\n"
                                  "Gr\xC3\xBC\xC3\x9F"
                                  "e, caf\xC3\xA9\r\n");
  const SmtpOutcome outcome =
      sender_.Send(settings_, "bounces@rapport.test", {"ann@example.test", "bob@example.test"}, raw);
  ASSERT_EQ(outcome.kind, SmtpOutcome::Kind::kSent) << outcome.server_reply;
  EXPECT_EQ(outcome.code, 250);
  EXPECT_THAT(outcome.server_reply, HasSubstr("queued as sink-"));

  const std::optional<SinkEntry> stored = FindInSink(marker);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->raw, raw);
  EXPECT_EQ(stored->envelope["mail_from"], "bounces@rapport.test");
  EXPECT_EQ(stored->envelope["rcpt_tos"], nlohmann::json::array({"ann@example.test", "bob@example.test"}));
  EXPECT_EQ(stored->envelope["auth_user"], settings_.user);
  EXPECT_EQ(stored->envelope["tls"], true);
}

TEST_F(SmtpSenderTest, MessageWithoutFinalLineBreakArrivesUnchanged) {
  const std::string marker = UniqueMarker("nofinalcrlf");
  const std::string raw = Message(marker, "no line break at the end");
  const SmtpOutcome outcome = sender_.Send(settings_, "bounces@rapport.test", {"ann@example.test"}, raw);
  ASSERT_EQ(outcome.kind, SmtpOutcome::Kind::kSent) << outcome.server_reply;
  const std::optional<SinkEntry> stored = FindInSink(marker);
  ASSERT_TRUE(stored.has_value());
  // SMTP cannot carry a message without a final CRLF; libcurl adds one before the final dot.
  EXPECT_EQ(stored->raw, raw + "\r\n");
}

TEST_F(SmtpSenderTest, PlainConnectionWithoutAuthWhenNoneIsConfigured) {
  settings_.security = app::TransportSecurity::kNone;
  settings_.user.clear();
  settings_.password.clear();
  const std::string marker = UniqueMarker("plain");
  const std::string raw = Message(marker, "plain\r\n");
  const SmtpOutcome outcome = sender_.Send(settings_, "", {"ann@example.test"}, raw);
  ASSERT_EQ(outcome.kind, SmtpOutcome::Kind::kSent) << outcome.server_reply;
  const std::optional<SinkEntry> stored = FindInSink(marker);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->raw, raw);
  EXPECT_EQ(stored->envelope["mail_from"], "<>");  // the null sender, as for bounces
  EXPECT_TRUE(stored->envelope["auth_user"].is_null());
  EXPECT_EQ(stored->envelope["tls"], false);
}

TEST_F(SmtpSenderTest, RejectedRecipientIsPermanentWithTheServersWords) {
  const std::string marker = UniqueMarker("reject");
  const SmtpOutcome outcome = sender_.Send(settings_, "bounces@rapport.test",
                                           {"ann@example.test", "reject-5xx@example.test"}, Message(marker, "x\r\n"));
  EXPECT_EQ(outcome.kind, SmtpOutcome::Kind::kPermanentFailure);
  EXPECT_EQ(outcome.code, 550);
  EXPECT_THAT(outcome.server_reply, HasSubstr("550 5.1.1 <reject-5xx@example.test>: Recipient address rejected"));
  EXPECT_FALSE(FindInSink(marker).has_value());  // a rejected recipient fails the whole message
}

TEST_F(SmtpSenderTest, DeferredRecipientIsTemporary) {
  const SmtpOutcome outcome = sender_.Send(settings_, "bounces@rapport.test", {"defer-4xx@example.test"},
                                           Message(UniqueMarker("defer"), "x\r\n"));
  EXPECT_EQ(outcome.kind, SmtpOutcome::Kind::kTemporaryFailure);
  EXPECT_EQ(outcome.code, 451);
  EXPECT_THAT(outcome.server_reply, HasSubstr("451 4.3.0"));
}

TEST_F(SmtpSenderTest, RefusedConnectionIsTemporary) {
  settings_.port = UnusedPort();
  const SmtpOutcome outcome =
      sender_.Send(settings_, "bounces@rapport.test", {"ann@example.test"}, Message("refused", "x\r\n"));
  EXPECT_EQ(outcome.kind, SmtpOutcome::Kind::kTemporaryFailure);
  EXPECT_EQ(outcome.code, 0);
  EXPECT_THAT(outcome.server_reply, HasSubstr("onnect"));  // "Couldn't connect to server"/"Failed to connect"
}

TEST_F(SmtpSenderTest, SilentServerTimesOutAsTemporary) {
  SilentServer silent;
  settings_.port = silent.port();
  settings_.timeout = std::chrono::seconds(1);
  const auto start = std::chrono::steady_clock::now();
  const SmtpOutcome outcome =
      sender_.Send(settings_, "bounces@rapport.test", {"ann@example.test"}, Message("silent", "x\r\n"));
  EXPECT_EQ(outcome.kind, SmtpOutcome::Kind::kTemporaryFailure);
  EXPECT_EQ(outcome.code, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

// Documented choice: refused credentials are a configuration problem that retrying cannot fix.
TEST_F(SmtpSenderTest, WrongPasswordIsPermanent) {
  settings_.password = "not-the-password";
  const SmtpOutcome outcome =
      sender_.Send(settings_, "bounces@rapport.test", {"ann@example.test"}, Message("badauth", "x\r\n"));
  EXPECT_EQ(outcome.kind, SmtpOutcome::Kind::kPermanentFailure);
  EXPECT_EQ(outcome.code, 535);
  EXPECT_THAT(outcome.server_reply, HasSubstr("535"));
}

TEST_F(SmtpSenderTest, UntrustedCertificateIsTemporary) {
  settings_.ca_file.clear();  // the system's trust store does not know the sink's self-signed certificate
  const SmtpOutcome outcome =
      sender_.Send(settings_, "bounces@rapport.test", {"ann@example.test"}, Message("untrusted", "x\r\n"));
  EXPECT_EQ(outcome.kind, SmtpOutcome::Kind::kTemporaryFailure);
  EXPECT_THAT(outcome.server_reply, HasSubstr("certificate"));
}

TEST_F(SmtpSenderTest, AddressesThatCouldInjectCommandsAreRefusedBeforeConnecting) {
  settings_.port = UnusedPort();  // would be a temporary failure if it connected
  const std::string raw = Message("inject", "x\r\n");
  EXPECT_EQ(
      sender_.Send(settings_, "bounces@rapport.test", {"ann@example.test>\r\nRCPT TO:<eve@example.test"}, raw).kind,
      SmtpOutcome::Kind::kPermanentFailure);
  EXPECT_EQ(sender_.Send(settings_, "a b@rapport.test", {"ann@example.test"}, raw).kind,
            SmtpOutcome::Kind::kPermanentFailure);
  EXPECT_EQ(sender_.Send(settings_, "bounces@rapport.test", {}, raw).kind, SmtpOutcome::Kind::kPermanentFailure);
  EXPECT_EQ(sender_.Send(settings_, "bounces@rapport.test", {""}, raw).kind, SmtpOutcome::Kind::kPermanentFailure);
}

}  // namespace
}  // namespace rapport::mail
