// The IMAP client: the response reader and mailbox quoting on their own (always run), then
// CurlImapSession against the Dovecot that scripts/run-tests starts (skipped when RAPPORT_TEST_IMAP_*
// are not set). Every server test works in folders of its own, since tests run in parallel.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "support/loopback.h"
#include "mail/curl_imap.h"
#include "mail/imap_response.h"

namespace rapport::mail {
namespace {

using rapport::testing::SilentServer;
using rapport::testing::UnusedPort;

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

// ---- The response reader, byte by byte ------------------------------------------------------------

std::vector<ImapResponse> ReadAll(std::string_view stream, size_t chunk) {
  ImapResponseReader reader;
  std::vector<ImapResponse> out;
  for (size_t i = 0; i < stream.size(); i += chunk) {
    reader.Feed(stream.substr(i, chunk));
    while (true) {
      auto next = reader.Next();
      EXPECT_TRUE(next.ok()) << next.status().ToString();
      if (!next.ok() || !next->has_value()) break;
      out.push_back(std::move(**next));
    }
  }
  return out;
}

TEST(ImapResponseReaderTest, LiteralsAreTakenByCountWhateverTheyContain) {
  const std::string body =
      "Subject: tricky\r\n\r\nA001 OK looks like a tagged reply\r\n{12}\r\n* 3 EXPUNGE\r\n)\r\n\xE9\xFF\r\n";
  const std::string stream = "* 1 EXISTS\r\n* 1 FETCH (UID 7 BODY[] {" + std::to_string(body.size()) + "}\r\n" + body +
                             " FLAGS (\\Seen))\r\nA001 OK done\r\n";
  for (const size_t chunk : {size_t{1}, size_t{3}, size_t{1000}}) {
    SCOPED_TRACE(chunk);
    const std::vector<ImapResponse> responses = ReadAll(stream, chunk);
    ASSERT_EQ(responses.size(), 3u);
    EXPECT_EQ(responses[0].text, "* 1 EXISTS");
    EXPECT_EQ(responses[1].text, "* 1 FETCH (UID 7 BODY[] {" + std::to_string(body.size()) + "} FLAGS (\\Seen))");
    ASSERT_EQ(responses[1].literals.size(), 1u);
    EXPECT_EQ(responses[1].literals[0], body);
    EXPECT_EQ(responses[2].text, "A001 OK done");
  }
}

TEST(ImapResponseReaderTest, SeveralLiteralsAndAnEmptyOne) {
  const std::vector<ImapResponse> responses = ReadAll("* LIST () \"/\" {3}\r\na b {0}\r\n {2+}\r\n\r\n\r\n", 2);
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_THAT(responses[0].literals, ElementsAre("a b", "", "\r\n"));
}

TEST(ImapResponseReaderTest, RefusesAnAbsurdLiteral) {
  ImapResponseReader reader;
  reader.Feed("* 1 FETCH (BODY[] {999999999999}\r\n");
  const auto next = reader.Next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.status().code(), StatusCode::kResourceExhausted);
}

// Whatever a server sends, reading and tokenizing it stays within bounds (the sanitizers check).
TEST(ImapResponseReaderTest, SurvivesArbitraryBytes) {
  std::uint32_t seed = 12345;
  static constexpr char kAlphabet[] = "* ()[]{}\"\\\r\nA0123+NIL";
  auto next_byte = [&seed] {
    seed = seed * 1103515245u + 12345u;
    return kAlphabet[(seed >> 16) % (sizeof kAlphabet - 1)];
  };
  for (int round = 0; round < 200; ++round) {
    std::string noise;
    for (int i = 0; i < 300; ++i) noise.push_back(next_byte());
    ImapResponseReader reader;
    reader.Feed(noise);
    for (int i = 0; i < 100; ++i) {
      auto next = reader.Next();
      if (!next.ok() || !next->has_value()) break;
      ImapTokenizer tokens(**next);
      for (int t = 0; t < 400; ++t) {
        const ImapToken token = tokens.Next();
        static_cast<void>(TokenString(**next, token));
        if (token.kind == ImapToken::Kind::kEnd || token.kind == ImapToken::Kind::kError) break;
      }
      ImapTokenizer skipper(**next);
      while (skipper.SkipValue()) {
      }
      static_cast<void>(ParseRespText(skipper.Rest()));
    }
  }
}

TEST(ImapTokenizerTest, FetchItemsWithSectionsStringsAndLiterals) {
  ImapResponse response{
      "* 2 FETCH (UID 9 BODY[HEADER.FIELDS (FROM TO)]<0> \"q\\\"uo\\\\te\" BODY[] {4} FLAGS (\\Seen $Label) X NIL)",
      {"data"}};
  ImapTokenizer tokens(response);
  EXPECT_EQ(tokens.Next().value, "*");
  EXPECT_EQ(TokenNumber(tokens.Next()), 2u);
  EXPECT_EQ(tokens.Next().value, "FETCH");
  EXPECT_EQ(tokens.Next().kind, ImapToken::Kind::kOpen);
  EXPECT_EQ(tokens.Next().value, "UID");
  EXPECT_EQ(TokenNumber(tokens.Next()), 9u);
  EXPECT_EQ(tokens.Next().value, "BODY[HEADER.FIELDS (FROM TO)]<0>");
  const ImapToken quoted = tokens.Next();
  EXPECT_EQ(quoted.kind, ImapToken::Kind::kString);
  EXPECT_EQ(quoted.value, "q\"uo\\te");
  EXPECT_EQ(tokens.Next().value, "BODY[]");
  const ImapToken literal = tokens.Next();
  EXPECT_EQ(TokenString(response, literal), "data");
  EXPECT_EQ(tokens.Next().value, "FLAGS");
  EXPECT_TRUE(tokens.SkipValue());
  EXPECT_EQ(tokens.Next().value, "X");
  EXPECT_EQ(tokens.Next().kind, ImapToken::Kind::kNil);
  EXPECT_EQ(tokens.Next().kind, ImapToken::Kind::kClose);
  EXPECT_EQ(tokens.Next().kind, ImapToken::Kind::kEnd);
}

TEST(ImapTokenizerTest, RespTextCodes) {
  const ImapRespText with_code = ParseRespText("[UIDNEXT 42] Predicted next UID");
  EXPECT_EQ(with_code.code, "UIDNEXT");
  EXPECT_EQ(with_code.code_args, "42");
  EXPECT_EQ(with_code.text, "Predicted next UID");
  const ImapRespText plain = ParseRespText("Logged in");
  EXPECT_EQ(plain.code, "");
  EXPECT_EQ(plain.text, "Logged in");
  EXPECT_EQ(ParseRespText("[nonexistent] Mailbox doesn't exist").code, "NONEXISTENT");
}

TEST(QuoteMailboxTest, QuotesEscapesAndEncodesModifiedUtf7) {
  EXPECT_EQ(QuoteMailbox("INBOX").value(), "\"INBOX\"");
  EXPECT_EQ(QuoteMailbox("a \"b\" \\c").value(), "\"a \\\"b\\\" \\\\c\"");
  EXPECT_EQ(QuoteMailbox("a&b").value(), "\"a&-b\"");
  EXPECT_EQ(QuoteMailbox("R\xC3\xA9pertoire").value(), "\"R&AOk-pertoire\"");
  EXPECT_EQ(QuoteMailbox("Bo\xC3\xAEte/Trait\xC3\xA9").value(), "\"Bo&AO4-te/Trait&AOk-\"");
  EXPECT_EQ(QuoteMailbox("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E").value(), "\"&ZeVnLIqe-\"");
  EXPECT_EQ(QuoteMailbox("\xF0\x9F\x93\xA7 Support").value(), "\"&2D3c5w- Support\"");  // a surrogate pair
}

TEST(QuoteMailboxTest, RefusesWhatIMAPCannotCarry) {
  EXPECT_EQ(QuoteMailbox("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(QuoteMailbox("a\r\nb").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(QuoteMailbox("bad \xC3").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(QuoteMailbox("overlong \xC0\xAF").status().code(), StatusCode::kInvalidArgument);
}

// ---- Against Dovecot -----------------------------------------------------------------------------

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

std::string Message(const std::string& subject, const std::string& body = "Hello.\r\n") {
  return "From: Ann <ann@example.test>\r\nTo: support@rapport.test\r\nSubject: " + subject + "\r\nMessage-ID: <" +
         subject + "@example.test>\r\n\r\n" + body;
}

class ImapClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (Env("RAPPORT_TEST_IMAP_PORT").empty())
      GTEST_SKIP() << "RAPPORT_TEST_IMAP_* not set; run through scripts/run-tests";
    settings_.host = Env("RAPPORT_TEST_IMAP_HOST");
    settings_.port = std::stoi(Env("RAPPORT_TEST_IMAP_PORT"));
    settings_.security = app::TransportSecurity::kStartTls;
    settings_.user = Env("RAPPORT_TEST_IMAP_USER");
    settings_.password = Env("RAPPORT_TEST_IMAP_PASSWORD");
    settings_.ca_file = Env("RAPPORT_TEST_IMAP_CA");
    settings_.timeout = std::chrono::seconds(10);
  }

  // A new folder no other test uses.
  std::string NewFolder(const std::string& what) {
    static std::atomic<int> counter{0};
    const std::string folder = "t-" + what + "-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
    std::unique_ptr<CurlImapSession> inbox = OpenAt("INBOX");
    EXPECT_TRUE(inbox->CreateFolder(folder).ok());
    return folder;
  }

  std::unique_ptr<CurlImapSession> OpenAt(const std::string& folder) {
    app::ImapSettings settings = settings_;
    settings.folder = folder;
    auto session = CurlImapSession::Open(settings);
    EXPECT_TRUE(session.ok()) << session.status().ToString();
    return session.ok() ? std::move(session).value() : nullptr;
  }

  // A new folder holding `messages`, in order (UIDs 1, 2, ...).
  std::string FolderWith(const std::string& what, const std::vector<std::string>& messages) {
    const std::string folder = NewFolder(what);
    std::unique_ptr<CurlImapSession> session = OpenAt("INBOX");
    for (const std::string& raw : messages) EXPECT_TRUE(session->Append(folder, raw).ok());
    return folder;
  }

  app::ImapSettings settings_;
};

TEST_F(ImapClientTest, ConnectsWithStartTlsAndSelectsTheFolder) {
  CurlImapConnector connector;
  auto session = connector.Connect(settings_);
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  EXPECT_NE((*session)->folder_state().uid_validity, 0u);
  EXPECT_GE((*session)->folder_state().uid_next, 1u);
  EXPECT_TRUE((*session)->supports_idle());
}

TEST_F(ImapClientTest, ConnectsWithImplicitTls) {
  settings_.port = std::stoi(Env("RAPPORT_TEST_IMAPS_PORT"));
  settings_.security = app::TransportSecurity::kTls;
  std::unique_ptr<CurlImapSession> session = OpenAt("INBOX");
  ASSERT_NE(session, nullptr);
  EXPECT_TRUE(session->HasCapability("IMAP4rev1"));
  EXPECT_TRUE(session->HasCapability("MOVE"));  // post-login capabilities, read after libcurl's login
}

TEST_F(ImapClientTest, ConnectsWithoutTlsWhenConfiguredSo) {
  settings_.security = app::TransportSecurity::kNone;
  EXPECT_NE(OpenAt("INBOX"), nullptr);
}

TEST_F(ImapClientTest, UntrustedCertificateIsUnavailable) {
  settings_.ca_file.clear();  // the system's trust store does not know the test certificate
  const auto session = CurlImapSession::Open(settings_);
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(session.status().message(), ::testing::HasSubstr("certificate"));
}

TEST_F(ImapClientTest, WrongPasswordIsPermissionDenied) {
  settings_.password = "not-the-password";
  CurlImapConnector connector;
  const auto session = connector.Connect(settings_);
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.status().code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(session.status().message(), ::testing::HasSubstr("AUTHENTICATIONFAILED"));  // the server's words
}

TEST_F(ImapClientTest, RefusedConnectionIsUnavailable) {
  settings_.port = UnusedPort();
  const auto session = CurlImapSession::Open(settings_);
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.status().code(), StatusCode::kUnavailable);
}

TEST_F(ImapClientTest, SilentServerTimesOutAsUnavailable) {
  SilentServer silent;
  settings_.port = silent.port();
  settings_.timeout = std::chrono::seconds(1);
  const auto start = std::chrono::steady_clock::now();
  const auto session = CurlImapSession::Open(settings_);
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.status().code(), StatusCode::kUnavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST_F(ImapClientTest, MissingFolderIsNotFound) {
  settings_.folder = "no-such-folder-" + std::to_string(getpid());
  CurlImapConnector connector;
  const auto session = connector.Connect(settings_);
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.status().code(), StatusCode::kNotFound);
}

TEST_F(ImapClientTest, SelectReportsUidValidityUidNextAndExists) {
  const std::string folder = FolderWith("state", {Message("s1"), Message("s2")});
  std::unique_ptr<CurlImapSession> session = OpenAt(folder);
  ASSERT_NE(session, nullptr);
  EXPECT_EQ(session->folder_state().exists, 2u);
  EXPECT_EQ(session->folder_state().uid_next, 3u);
  EXPECT_NE(session->folder_state().uid_validity, 0u);
}

TEST_F(ImapClientTest, UidsFromFiltersTheEmptyRangeQuirk) {
  const std::string folder = FolderWith("uids", {Message("u1"), Message("u2"), Message("u3")});
  std::unique_ptr<CurlImapSession> session = OpenAt(folder);
  ASSERT_NE(session, nullptr);
  EXPECT_THAT(session->UidsFrom(0).value(), ElementsAre(1u, 2u, 3u));
  EXPECT_THAT(session->UidsFrom(1).value(), ElementsAre(1u, 2u, 3u));
  EXPECT_THAT(session->UidsFrom(2).value(), ElementsAre(2u, 3u));
  // "UID SEARCH UID 4:*" matches UID 3: nothing is new.
  EXPECT_THAT(session->UidsFrom(4).value(), IsEmpty());
  EXPECT_THAT(session->UidsFrom(1000).value(), IsEmpty());
}

TEST_F(ImapClientTest, UidsFromAnEmptyFolder) {
  std::unique_ptr<CurlImapSession> session = OpenAt(NewFolder("empty"));
  ASSERT_NE(session, nullptr);
  EXPECT_EQ(session->folder_state().exists, 0u);
  EXPECT_THAT(session->UidsFrom(1).value(), IsEmpty());
}

TEST_F(ImapClientTest, FetchReturnsTheExactBytes) {
  // Lines that a careless reader would take for protocol: a tagged reply, a literal announcement, an
  // untagged response, a closing parenthesis; 8-bit text; an attachment of every byte but NUL, CR, LF.
  std::string binary;
  for (int b = 1; b < 256; ++b) {
    if (b == '\r' || b == '\n') continue;
    binary.push_back(static_cast<char>(b));
    if (binary.size() % 60 == 59) binary += "\r\n";
  }
  const std::string body =
      "--b\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
      "A001 OK\r\n"
      "R1 OK FETCH completed\r\n"
      "{12}\r\n"
      "* 1 EXPUNGE\r\n"
      ")\r\n"
      "caf\xE9 \xFF\xFE\r\n"
      "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
      binary + "\r\n--b--\r\n";
  const std::string raw =
      "From: Ann <ann@example.test>\r\nSubject: tricky\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n" +
      body;
  const std::string folder = FolderWith("fetch", {raw});
  std::unique_ptr<CurlImapSession> session = OpenAt(folder);
  ASSERT_NE(session, nullptr);
  const auto fetched = session->Fetch(1);
  ASSERT_TRUE(fetched.ok()) << fetched.status().ToString();
  EXPECT_EQ(fetched->size(), raw.size());
  EXPECT_EQ(*fetched, raw);
  // The session still speaks IMAP after such a body.
  EXPECT_THAT(session->UidsFrom(1).value(), ElementsAre(1u));
}

TEST_F(ImapClientTest, FetchOfAMissingUidIsNotFound) {
  std::unique_ptr<CurlImapSession> session = OpenAt(FolderWith("gone", {Message("g1")}));
  ASSERT_NE(session, nullptr);
  const auto fetched = session->Fetch(99);
  ASSERT_FALSE(fetched.ok());
  EXPECT_EQ(fetched.status().code(), StatusCode::kNotFound);
}

TEST_F(ImapClientTest, FetchLeavesUnseenAndMarkSeenSetsSeen) {
  std::unique_ptr<CurlImapSession> session = OpenAt(FolderWith("seen", {Message("m1")}));
  ASSERT_NE(session, nullptr);
  ASSERT_TRUE(session->Fetch(1).ok());
  EXPECT_THAT(session->FetchFlags(1).value(), Not(Contains("\\Seen")));
  ASSERT_TRUE(session->MarkSeen(1).ok());
  EXPECT_THAT(session->FetchFlags(1).value(), Contains("\\Seen"));
}

TEST_F(ImapClientTest, MoveTakesTheMessageToAnotherFolder) {
  const std::string raw = Message("move-me");
  const std::string source = FolderWith("move-from", {Message("stays"), raw});
  const std::string target = NewFolder("move-to");
  {
    std::unique_ptr<CurlImapSession> session = OpenAt(source);
    ASSERT_NE(session, nullptr);
    ASSERT_TRUE(session->Move(2, target).ok());
    EXPECT_THAT(session->UidsFrom(1).value(), ElementsAre(1u));
  }
  std::unique_ptr<CurlImapSession> moved = OpenAt(target);
  ASSERT_NE(moved, nullptr);
  EXPECT_EQ(moved->folder_state().exists, 1u);
  EXPECT_EQ(moved->Fetch(moved->UidsFrom(1).value().at(0)).value(), raw);
}

TEST_F(ImapClientTest, MoveToAMissingFolderIsNotFound) {
  std::unique_ptr<CurlImapSession> session = OpenAt(FolderWith("move-nowhere", {Message("x")}));
  ASSERT_NE(session, nullptr);
  const Status moved = session->Move(1, "no-such-target-" + std::to_string(getpid()));
  EXPECT_EQ(moved.code(), StatusCode::kNotFound) << moved.ToString();
}

TEST_F(ImapClientTest, FolderNamesBeyondAscii) {
  const std::string folder = FolderWith("Bo\xC3\xAEte \"&\" \xE6\x97\xA5", {Message("intl")});
  std::unique_ptr<CurlImapSession> session = OpenAt(folder);
  ASSERT_NE(session, nullptr);
  EXPECT_EQ(session->folder_state().exists, 1u);
}

TEST_F(ImapClientTest, WaitForChangeWakesWhenAnotherConnectionAppends) {
  const std::string folder = NewFolder("idle");
  std::unique_ptr<CurlImapSession> session = OpenAt(folder);
  ASSERT_NE(session, nullptr);
  ASSERT_EQ(session->folder_state().uid_next, 1u);
  std::thread appender([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    std::unique_ptr<CurlImapSession> other = OpenAt("INBOX");
    ASSERT_NE(other, nullptr);
    EXPECT_TRUE(other->Append(folder, Message("wake-up")).ok());
  });
  const auto start = std::chrono::steady_clock::now();
  const auto changed = session->WaitForChange(std::chrono::seconds(20));
  const auto waited = std::chrono::steady_clock::now() - start;
  appender.join();
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_TRUE(*changed);
  EXPECT_LT(waited, std::chrono::seconds(3));
  EXPECT_EQ(session->folder_state().exists, 1u);
  EXPECT_EQ(session->folder_state().uid_next, 2u);  // refreshed after IDLE
  EXPECT_THAT(session->UidsFrom(1).value(), ElementsAre(1u));
}

TEST_F(ImapClientTest, WaitForChangeTimesOutWhenNothingHappens) {
  std::unique_ptr<CurlImapSession> session = OpenAt(NewFolder("quiet"));
  ASSERT_NE(session, nullptr);
  const auto start = std::chrono::steady_clock::now();
  const auto changed = session->WaitForChange(std::chrono::seconds(1));
  const auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_FALSE(*changed);
  EXPECT_GE(waited, std::chrono::milliseconds(900));
  EXPECT_LT(waited, std::chrono::seconds(4));
  // The session is usable after IDLE ended.
  EXPECT_THAT(session->UidsFrom(1).value(), IsEmpty());
}

}  // namespace
}  // namespace rapport::mail
