#pragma once
// The test mail servers that scripts/run-tests starts (scripts/test-dovecot, scripts/test-smtp-sink),
// as the tests of the email channel see them: settings read from RAPPORT_TEST_IMAP_* and
// RAPPORT_TEST_SMTP_*, a fresh IMAP folder per test, APPEND, and the messages the SMTP sink kept.
//
// Header-only, so that it needs no change to tests/support/CMakeLists.txt; a test using it links
// rapport_mail.
//
//   auto servers = rapport::testing::MailServers::FromEnvironment();
//   if (!servers) GTEST_SKIP() << rapport::testing::MailServers::kSkipReason;
//
// The servers are shared by every test that runs at the same time: each test works in folders of
// its own and finds its sent mail by Message-ID, never by counting the sink as a whole.

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "app/ports/email.h"
#include "core/status.h"
#include "mail/curl_imap.h"
#include "mail/gmime_parser.h"

namespace rapport::testing {

// One message the SMTP sink accepted: the DATA bytes, the envelope (JSON, as the sink wrote it) and
// the parser's reading of the bytes.
struct SinkMessage {
  std::filesystem::path file;
  std::string raw;
  std::string envelope_json;
  app::InboundEmail parsed;
};

class MailServers {
 public:
  static constexpr const char* kSkipReason =
      "RAPPORT_TEST_IMAP_* / RAPPORT_TEST_SMTP_* not set; run through scripts/run-tests";

  // nullopt when the environment does not name both servers.
  static std::optional<MailServers> FromEnvironment() {
    if (Env("RAPPORT_TEST_IMAP_PORT").empty() || Env("RAPPORT_TEST_SMTP_PORT").empty()) return std::nullopt;
    MailServers s;
    s.imap_.host = Env("RAPPORT_TEST_IMAP_HOST");
    s.imap_.port = std::stoi(Env("RAPPORT_TEST_IMAP_PORT"));
    s.imap_.security = app::TransportSecurity::kStartTls;
    s.imap_.user = Env("RAPPORT_TEST_IMAP_USER");
    s.imap_.password = Env("RAPPORT_TEST_IMAP_PASSWORD");
    s.imap_.ca_file = Env("RAPPORT_TEST_IMAP_CA");
    s.imap_.timeout = std::chrono::seconds(20);
    s.smtp_.host = Env("RAPPORT_TEST_SMTP_HOST");
    s.smtp_.port = std::stoi(Env("RAPPORT_TEST_SMTP_PORT"));
    s.smtp_.security = app::TransportSecurity::kStartTls;
    s.smtp_.user = Env("RAPPORT_TEST_SMTP_USER");
    s.smtp_.password = Env("RAPPORT_TEST_SMTP_PASSWORD");
    s.smtp_.ca_file = Env("RAPPORT_TEST_SMTP_CA");
    s.smtp_.timeout = std::chrono::seconds(20);
    s.sink_dir_ = Env("RAPPORT_TEST_SMTP_SINK_DIR");
    return s;
  }

  // IMAP settings for `folder` (STARTTLS, verified against the test CA).
  app::ImapSettings Imap(const std::string& folder) const {
    app::ImapSettings settings = imap_;
    settings.folder = folder;
    return settings;
  }
  const app::SmtpSettings& Smtp() const { return smtp_; }

  // A logged-in session with `folder` selected.
  Result<std::unique_ptr<mail::CurlImapSession>> Open(const std::string& folder) const {
    return mail::CurlImapSession::Open(Imap(folder));
  }

  // Creates a folder no other test (or process) uses: "e2e-<what>-<pid>-<n>".
  Result<std::string> NewFolder(const std::string& what) const {
    static std::atomic<int> counter{0};
    const std::string folder = "e2e-" + what + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    RAPPORT_ASSIGN_OR_RETURN(auto inbox, Open("INBOX"));
    RAPPORT_RETURN_IF_ERROR(inbox->CreateFolder(folder));
    return folder;
  }

  // APPENDs each message to `folder`, in order (they get ascending UIDs).
  Status Append(const std::string& folder, const std::vector<std::string>& messages) const {
    RAPPORT_ASSIGN_OR_RETURN(auto session, Open("INBOX"));
    for (const std::string& raw : messages) RAPPORT_RETURN_IF_ERROR(session->Append(folder, raw));
    return Status::Ok();
  }

  // Every message in the sink whose own Message-ID is `message_id` (without <>). More than one
  // means it was sent more than once. The sink renames a file into place only once it is complete.
  std::vector<SinkMessage> SentWithMessageId(const std::string& message_id) const {
    std::vector<SinkMessage> found;
    static const mail::GmimeEmailParser parser;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(sink_dir_, ec)) {
      if (entry.path().extension() != ".eml") continue;
      std::string raw = ReadFile(entry.path());
      // A cheap filter first; the id also appears in later replies' References, hence the parse.
      if (raw.find(message_id) == std::string::npos) continue;
      auto parsed = parser.Parse(raw);
      if (!parsed.ok() || parsed->message_id != message_id) continue;
      std::filesystem::path meta = entry.path();
      meta.replace_extension(".json");
      found.push_back(SinkMessage{entry.path(), std::move(raw), ReadFile(meta), std::move(*parsed)});
    }
    return found;
  }

  static std::string ReadFile(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  static std::string Env(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr ? value : "";
  }

  app::ImapSettings imap_;
  app::SmtpSettings smtp_;
  std::string sink_dir_;
};

// A received message, written the way mail programs write them (CRLF line endings). Headers that
// are empty are left out; `extra_headers` are complete lines without the line end.
struct TestMail {
  std::string from;  // "Carol Client <carol@acme.test>"
  std::string to;
  std::string cc;
  std::string subject;
  std::string message_id;  // without <>
  std::string in_reply_to;  // without <>
  std::vector<std::string> references;  // without <>
  std::string date = "Mon, 23 Nov 2026 10:00:00 +0000";
  std::vector<std::string> extra_headers;
  // The body with its Content-Type: plain text unless `content_type` says otherwise. LF line ends
  // in `body` become CRLF.
  std::string content_type = "text/plain; charset=utf-8";
  std::string body = "Hello.\n";

  std::string Raw() const {
    std::string out;
    auto header = [&out](const std::string& name, const std::string& value) {
      if (!value.empty()) out += name + ": " + value + "\r\n";
    };
    header("From", from);
    header("To", to);
    header("Cc", cc);
    header("Subject", subject);
    header("Date", date);
    header("Message-ID", message_id.empty() ? "" : "<" + message_id + ">");
    header("In-Reply-To", in_reply_to.empty() ? "" : "<" + in_reply_to + ">");
    std::string refs;
    for (const auto& r : references) refs += (refs.empty() ? "<" : " <") + r + ">";
    header("References", refs);
    for (const auto& h : extra_headers) out += h + "\r\n";
    out += "MIME-Version: 1.0\r\nContent-Type: " + content_type + "\r\n\r\n";
    for (char c : body) {
      if (c == '\n' && (out.empty() || out.back() != '\r')) out += '\r';
      out += c;
    }
    return out;
  }
};

}  // namespace rapport::testing
