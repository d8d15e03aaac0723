// The mbox and maildir readers: splitting rules, quoting, line ends, order, limits and progress, on
// hand-made archives in a temporary directory and on upstream fixtures (tests/data/mail/archive/).

#include "mail/mail_archive.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace rapport::mail {
namespace {

namespace fs = std::filesystem;

fs::path DataDir() {
  if (const char* src = std::getenv("RAPPORT_SOURCE_DIR"); src != nullptr && *src != '\0') {
    return fs::path(src) / "tests" / "data" / "mail" / "archive";
  }
  return fs::path(__FILE__).parent_path() / ".." / "data" / "mail" / "archive";
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<ArchivedMessage> ReadAll(MailArchiveReader& reader) {
  std::vector<ArchivedMessage> all;
  while (true) {
    auto next = reader.Next();
    EXPECT_TRUE(next.ok()) << next.status().message();
    if (!next.ok() || !next->has_value()) break;
    all.push_back(std::move(**next));
  }
  return all;
}

class MailArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rapport-archive-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& bytes) {
    fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }

  std::vector<ArchivedMessage> SplitMbox(const std::string& bytes, ArchiveOptions options = {}) {
    auto reader = MailArchiveReader::OpenMbox(Write("box.mbox", bytes), options);
    EXPECT_TRUE(reader.ok()) << reader.status().message();
    if (!reader.ok()) return {};
    return ReadAll(**reader);
  }

  fs::path dir_;
};

TEST_F(MailArchiveTest, SplitsAtFromLinesAfterAnEmptyLineAndDropsThatLine) {
  auto m = SplitMbox(
      "From alice@example.com Mon Jan  1 00:00:00 2024\n"
      "From: alice@example.com\nSubject: one\n\nHello.\n\n"
      "From bob@example.com Mon Jan  1 00:00:01 2024\n"
      "From: bob@example.com\nSubject: two\n\nBye.\n\n");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].raw, "From: alice@example.com\nSubject: one\n\nHello.\n");
  EXPECT_EQ(m[1].raw, "From: bob@example.com\nSubject: two\n\nBye.\n");
  EXPECT_EQ(m[0].size, static_cast<std::int64_t>(m[0].raw.size()));
  EXPECT_TRUE(m[0].unreadable.empty());
  EXPECT_NE(m[0].origin.find("box.mbox:0 (message 1)"), std::string::npos) << m[0].origin;
  const std::size_t second =
      m[0].raw.size() + 1 + std::string("From alice@example.com Mon Jan  1 00:00:00 2024\n").size();
  EXPECT_NE(m[1].origin.find("box.mbox:" + std::to_string(second) + " (message 2)"), std::string::npos) << m[1].origin;
}

TEST_F(MailArchiveTest, KeepsCrlfLineEnds) {
  auto m = SplitMbox(
      "From a@example.com Mon Jan  1 00:00:00 2024\r\n"
      "From: a@example.com\r\nSubject: one\r\n\r\nHello.\r\n\r\n"
      "From b@example.com Mon Jan  1 00:00:01 2024\r\n"
      "From: b@example.com\r\n\r\nBye.\r\n");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].raw, "From: a@example.com\r\nSubject: one\r\n\r\nHello.\r\n");
  EXPECT_EQ(m[1].raw, "From: b@example.com\r\n\r\nBye.\r\n");
}

TEST_F(MailArchiveTest, UnquotesMboxrdFromLinesByOneLevel) {
  auto m = SplitMbox(
      "From a@example.com Mon Jan  1 00:00:00 2024\n"
      "From: a@example.com\n\n"
      ">From the start\n"
      ">>From a quote\n"
      "> From is not quoting\n"
      ">Frome is not either\n\n");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].raw,
            "From: a@example.com\n\n"
            "From the start\n"
            ">From a quote\n"
            "> From is not quoting\n"
            ">Frome is not either\n");
}

TEST_F(MailArchiveTest, FromInsideAParagraphIsBodyText) {
  auto m = SplitMbox(
      "From a@example.com Mon Jan  1 00:00:00 2024\n"
      "From: a@example.com\n\n"
      "I got a letter\n"
      "From the tax office today.\n"
      "It said: pay.\n");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].raw,
            "From: a@example.com\n\n"
            "I got a letter\n"
            "From the tax office today.\n"
            "It said: pay.\n");
}

TEST_F(MailArchiveTest, FromLineWithoutEmptyLineBeforeButHeadersAfterIsASeparator) {
  // Writers that leave out the blank line (GMime's test mbox).
  auto m = SplitMbox(
      "From - \nFrom: a@example.com\n\nOne.\n"
      "From - \nFrom: b@example.com\n\nTwo.\n");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].raw, "From: a@example.com\n\nOne.\n");
  EXPECT_EQ(m[1].raw, "From: b@example.com\n\nTwo.\n");
}

TEST_F(MailArchiveTest, FromLineAtTheVeryEndIsBodyText) {
  auto m = SplitMbox("From a@example.com Mon Jan  1 00:00:00 2024\nFrom: a@example.com\n\nText\nFrom me");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].raw, "From: a@example.com\n\nText\nFrom me");
}

TEST_F(MailArchiveTest, LastMessageWithoutTrailingNewline) {
  auto m = SplitMbox(
      "From a@example.com Mon Jan  1 00:00:00 2024\nFrom: a@example.com\n\nOne.\n\n"
      "From b@example.com Mon Jan  1 00:00:00 2024\nFrom: b@example.com\n\nno newline at the end");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[1].raw, "From: b@example.com\n\nno newline at the end");
}

TEST_F(MailArchiveTest, EmptyFileIsAnEmptyMailbox) {
  auto reader = MailArchiveReader::OpenMbox(Write("empty.mbox", ""));
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  auto next = (*reader)->Next();
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(next->has_value());
  EXPECT_EQ((*reader)->progress().total, 0);
}

TEST_F(MailArchiveTest, RefusesWhatIsNotAnMbox) {
  auto not_mbox = MailArchiveReader::OpenMbox(Write("note.txt", "Dear diary,\nFrom today on...\n"));
  ASSERT_FALSE(not_mbox.ok());
  EXPECT_EQ(not_mbox.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(not_mbox.status().message().find("note.txt"), std::string::npos);

  auto directory = MailArchiveReader::OpenMbox(dir_.string());
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.status().code(), StatusCode::kInvalidArgument);

  auto missing = MailArchiveReader::OpenMbox((dir_ / "nope.mbox").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST_F(MailArchiveTest, UnreadableFileIsPermissionDenied) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads any file";
  std::string path = Write("secret.mbox", "From a@example.com Mon Jan  1 00:00:00 2024\nFrom: a@b\n\nx\n");
  ::chmod(path.c_str(), 0);
  auto reader = MailArchiveReader::OpenMbox(path);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kPermissionDenied);
}

TEST_F(MailArchiveTest, HugeMessageAndLongLinesStreamThrough) {
  // 3 MB in lines of 100 KB without line ends between (longer than the reader's piece size), with
  // "From " at piece boundaries that must not be taken for separators.
  std::string chunk(100 * 1024, 'x');
  chunk.replace(64 * 1024, 5, "From ");
  std::string body;
  for (int i = 0; i < 30; ++i) body += chunk + "\n";
  std::string first = "From: a@example.com\n\n" + body;
  auto m = SplitMbox("From a@example.com Mon Jan  1 00:00:00 2024\n" + first + "\n" +
                     "From b@example.com Mon Jan  1 00:00:00 2024\nFrom: b@example.com\n\nsmall\n");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].raw.size(), first.size());
  EXPECT_TRUE(m[0].raw == first);
  EXPECT_EQ(m[1].raw, "From: b@example.com\n\nsmall\n");
}

TEST_F(MailArchiveTest, MessageOverTheLimitIsReportedNotHeld) {
  std::string big = "From: a@example.com\n\n" + std::string(5000, 'y') + "\n";
  ArchiveOptions options;
  options.max_message_bytes = 1000;
  auto m = SplitMbox("From a@example.com Mon Jan  1 00:00:00 2024\n" + big + "\n" +
                         "From b@example.com Mon Jan  1 00:00:00 2024\nFrom: b@example.com\n\nsmall\n",
                     options);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_TRUE(m[0].raw.empty());
  EXPECT_NE(m[0].unreadable.find("larger than"), std::string::npos) << m[0].unreadable;
  EXPECT_GE(m[0].size, static_cast<std::int64_t>(big.size()));
  EXPECT_TRUE(m[1].unreadable.empty());
  EXPECT_EQ(m[1].raw, "From: b@example.com\n\nsmall\n");
}

TEST_F(MailArchiveTest, MboxProgressCountsBytes) {
  std::string text =
      "From a@example.com Mon Jan  1 00:00:00 2024\nFrom: a@example.com\n\nOne.\n\n"
      "From b@example.com Mon Jan  1 00:00:00 2024\nFrom: b@example.com\n\nTwo.\n";
  auto reader = MailArchiveReader::OpenMbox(Write("p.mbox", text));
  ASSERT_TRUE(reader.ok());
  ArchiveProgress p = (*reader)->progress();
  EXPECT_EQ(p.unit, ArchiveProgress::Unit::kBytes);
  EXPECT_EQ(p.total, static_cast<std::int64_t>(text.size()));
  auto first = (*reader)->Next();
  ASSERT_TRUE(first.ok() && first->has_value());
  p = (*reader)->progress();
  EXPECT_GT(p.done, 0);
  EXPECT_LT(p.done, p.total);
  auto second = (*reader)->Next();
  ASSERT_TRUE(second.ok() && second->has_value());
  auto end = (*reader)->Next();
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(end->has_value());
  EXPECT_EQ((*reader)->progress().done, p.total);
}

// mime4j's mbox with its expected split: the messages are byte for byte mime4j's files, less the blank
// line before each From_ line (which mime4j keeps as part of the message).
TEST_F(MailArchiveTest, Mime4jMboxSplitsAsExpected) {
  fs::path dir = DataDir() / "mime4j";
  auto reader = MailArchiveReader::OpenMbox((dir / "mbox.rlug").string());
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  auto m = ReadAll(**reader);
  ASSERT_EQ(m.size(), 5u);
  for (std::size_t i = 0; i < m.size(); ++i) {
    std::string expected = ReadFile(dir / ("mbox.rlug-" + std::to_string(i)));
    ASSERT_TRUE(expected.ends_with("\n\n"));
    expected.pop_back();
    EXPECT_TRUE(m[i].raw == expected) << "message " << i;
    EXPECT_NE(m[i].origin.find("(message " + std::to_string(i + 1) + ")"), std::string::npos);
  }
}

// GMime's expected output gives the messages at offsets 0, 526 and 1029 of this file.
TEST_F(MailArchiveTest, GmimeMboxWithoutBlankLinesSplitsAtTheGivenOffsets) {
  fs::path file = DataDir() / "gmime" / "substring.mbox";
  std::string text = ReadFile(file);
  auto reader = MailArchiveReader::OpenMbox(file.string());
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  auto m = ReadAll(**reader);
  ASSERT_EQ(m.size(), 3u);
  const std::size_t offsets[] = {0, 526, 1029, text.size()};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NE(m[i].origin.find(":" + std::to_string(offsets[i]) + " "), std::string::npos) << m[i].origin;
    std::string segment = text.substr(offsets[i], offsets[i + 1] - offsets[i]);
    EXPECT_EQ(m[i].raw, segment.substr(segment.find('\n') + 1)) << "message " << i;
    EXPECT_TRUE(m[i].raw.starts_with("From: fejj@gnome.org\n"));
  }
}

// MimeKit's "unmunged" mbox: a byte order mark, and unquoted "From " lines after empty lines, which
// MimeKit (and this reader) take as separators: 4 messages.
TEST_F(MailArchiveTest, MimekitUnmungedMboxGivesFourMessages) {
  auto reader = MailArchiveReader::OpenMbox((DataDir() / "mimekit" / "unmunged.mbox.txt").string());
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  auto m = ReadAll(**reader);
  ASSERT_EQ(m.size(), 4u);
  EXPECT_TRUE(m[0].raw.starts_with("From: Jeffrey Stedfast"));
  EXPECT_TRUE(m[1].raw.starts_with("\nWhat does Thunderbird do?")) << m[1].raw;
  EXPECT_TRUE(m[2].raw.starts_with("From: Jeffrey Stedfast"));
  EXPECT_TRUE(m[3].raw.starts_with("Year: 1963\n")) << m[3].raw;
}

TEST_F(MailArchiveTest, MaildirReadsCurAndNewInNameOrderSkippingTmpAndDotFiles) {
  Write("md/cur/1700000003.M1P1.host:2,S", "From: c@example.com\n\nthird\n");
  Write("md/new/1700000001.M1P1.host", "From: a@example.com\n\nfirst\n");
  Write("md/cur/1700000002.M1P1.host:2,", "From: b@example.com\n\nsecond\n");
  Write("md/tmp/1700000000.M1P1.host", "From: t@example.com\n\nbeing delivered\n");
  Write("md/cur/.hidden", "not mail");
  Write("md/new/.1700000000.M9.host", "not mail either");
  Write("md/.Sent/cur/1700000000.M1P1.host:2,S", "From: s@example.com\n\nsubfolder\n");
  fs::create_directories(dir_ / "md" / "cur" / "a-directory");
  auto reader = MailArchiveReader::OpenMaildir((dir_ / "md").string());
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  EXPECT_EQ((*reader)->progress().unit, ArchiveProgress::Unit::kFiles);
  EXPECT_EQ((*reader)->progress().total, 3);
  EXPECT_EQ((*reader)->progress().done, 0);
  auto m = ReadAll(**reader);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].raw, "From: a@example.com\n\nfirst\n");
  EXPECT_EQ(m[1].raw, "From: b@example.com\n\nsecond\n");
  EXPECT_EQ(m[2].raw, "From: c@example.com\n\nthird\n");
  EXPECT_EQ(m[0].origin, (dir_ / "md" / "new" / "1700000001.M1P1.host").string());
  EXPECT_EQ(m[2].size, static_cast<std::int64_t>(m[2].raw.size()));
  EXPECT_EQ((*reader)->progress().done, 3);
}

TEST_F(MailArchiveTest, MaildirFileThatVanishesOrIsTooLargeIsReportedAndReadingGoesOn) {
  Write("md/cur/1", "From: a@example.com\n\n" + std::string(2000, 'z') + "\n");
  Write("md/cur/2", "From: b@example.com\n\nok\n");
  Write("md/cur/3", "From: c@example.com\n\ngone\n");
  ArchiveOptions options;
  options.max_message_bytes = 1000;
  auto reader = MailArchiveReader::OpenMaildir((dir_ / "md").string(), options);
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  fs::remove(dir_ / "md" / "cur" / "3");
  auto m = ReadAll(**reader);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_NE(m[0].unreadable.find("larger than"), std::string::npos) << m[0].unreadable;
  EXPECT_TRUE(m[0].raw.empty());
  EXPECT_TRUE(m[1].unreadable.empty());
  EXPECT_NE(m[2].unreadable.find("cannot open"), std::string::npos) << m[2].unreadable;
}

TEST_F(MailArchiveTest, MaildirRefusesWhatIsNotAMaildir) {
  Write("plain/file.txt", "x");
  auto no_subdirs = MailArchiveReader::OpenMaildir((dir_ / "plain").string());
  ASSERT_FALSE(no_subdirs.ok());
  EXPECT_EQ(no_subdirs.status().code(), StatusCode::kInvalidArgument);

  auto a_file = MailArchiveReader::OpenMaildir((dir_ / "plain" / "file.txt").string());
  ASSERT_FALSE(a_file.ok());
  EXPECT_EQ(a_file.status().code(), StatusCode::kInvalidArgument);

  auto missing = MailArchiveReader::OpenMaildir((dir_ / "nope").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

// Stalwart's Maildir++ tree (its files are stubs, not messages): two of its own; the ".My Folder" subfolders are not
// descended into.
TEST_F(MailArchiveTest, StalwartMaildirGivesItsTwoMessages) {
  auto reader = MailArchiveReader::OpenMaildir((DataDir() / "stalwart" / "maildir").string());
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  auto m = ReadAll(**reader);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_NE(m[0].origin.find("new/1234567890."), std::string::npos) << m[0].origin;
  EXPECT_NE(m[1].origin.find("cur/1491941793."), std::string::npos) << m[1].origin;
  for (const auto& msg : m) {
    EXPECT_TRUE(msg.unreadable.empty());
    EXPECT_EQ(msg.raw, ReadFile(msg.origin));  // upstream's files are short stubs, read whole
    EXPECT_FALSE(msg.raw.empty());
  }
}

}  // namespace
}  // namespace rapport::mail
