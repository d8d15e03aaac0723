// Outlook's Thread-Index (core/thread_index.h): decoding a real Outlook value, the documented layout
// of new threads and child blocks, and refusal of anything else.

#include "core/thread_index.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace rapport {
namespace {

// ---- Thread-Index -----------------------------------------------------------------------------

constexpr std::array<std::uint8_t, 16> kGuid = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
const Instant kThreadStart = InstantFromUnix(1531726800);  // 2018-07-16T07:40:00Z

TEST(ThreadIndex, DecodesAnOutlookValue) {
  // A Thread-Index written by Outlook, decoded by Metaspike's forensic tool as: header 2018-07-16
  // 07:40:00.2799616 UTC, GUID acba12de-1827-13f3-bbea-ba45cf137f13, one child 14:03:22.5476096
  // later with delta code 0, random 0, sequence 0.
  const std::string outlook = "AdQc2DN7rLoS3hgnE/O76rpFzxN/EwAddF4A";
  auto parts = ParseThreadIndex(outlook);
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ(parts->header_filetime, 0x01D41CD8337B0000ULL);
  EXPECT_EQ(InstantFromFiletime(parts->header_filetime), kThreadStart);
  const std::array<std::uint8_t, 16> guid = {0xac, 0xba, 0x12, 0xde, 0x18, 0x27, 0x13, 0xf3,
                                             0xbb, 0xea, 0xba, 0x45, 0xcf, 0x13, 0x7f, 0x13};
  EXPECT_EQ(parts->guid, guid);
  ASSERT_EQ(parts->child_filetimes.size(), 1u);
  EXPECT_EQ(parts->child_filetimes[0] - parts->header_filetime, 0x1D745EULL << 18);  // 14:03:22.5476096
  EXPECT_EQ(InstantFromFiletime(parts->child_filetimes[0]), InstantFromUnix(1531726800 + 14 * 3600 + 3 * 60 + 22));
  EXPECT_EQ(parts->child_low_bytes, std::vector<std::uint8_t>{0});
  EXPECT_EQ(ThreadIndexRoot(outlook), "AdQc2DN7rLoS3hgnE/O76rpFzxN/Ew==");
}

TEST(ThreadIndex, NewThreadMatchesTheDocumentedLayout) {
  // Expected values computed independently from [MS-OXOMSG] 2.2.1.3: the 6 high bytes of the
  // FILETIME 131762004000000000 (0x01D41CD83350xxxx), then the GUID.
  const std::string index = MakeThreadIndex(kThreadStart, kGuid);
  EXPECT_EQ(index, "AdQc2DNQAAECAwQFBgcICQoLDA0ODw==");
  EXPECT_EQ(index.size(), 32u);
  EXPECT_EQ(ThreadIndexRoot(index), index);  // a new thread's index is its own root
  auto parts = ParseThreadIndex(index);
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ(parts->guid, kGuid);
  EXPECT_TRUE(parts->child_filetimes.empty());
  EXPECT_LE(parts->header_filetime, FiletimeFromInstant(kThreadStart));
  EXPECT_GT(parts->header_filetime + 0x10000, FiletimeFromInstant(kThreadStart));
}

TEST(ThreadIndex, ChildBlocksGrowByFiveBytesAndKeepTheRoot) {
  const std::string root = MakeThreadIndex(kThreadStart, kGuid);
  auto first = AppendThreadIndexChild(root, kThreadStart + std::chrono::hours(1), 0x0A);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(*first, "AdQc2DNQAAECAwQFBgcICQoLDA0ODwACGHGg");
  auto second = AppendThreadIndexChild(*first, kThreadStart + std::chrono::hours(1 + 48), 0x13);  // low nibble used
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(*second, "AdQc2DNQAAECAwQFBgcICQoLDA0ODwACGHGgAGSVNTE=");
  // Three years later the delta no longer fits the fine encoding: delta code 1.
  auto third = AppendThreadIndexChild(*second, kThreadStart + std::chrono::hours(1 + 48 + 3 * 365 * 24), 0x00);
  ASSERT_TRUE(third.has_value());
  EXPECT_EQ(*third, "AdQc2DNQAAECAwQFBgcICQoLDA0ODwACGHGgAGSVNTGGuOjUAg==");

  for (const std::string* index : {&*first, &*second, &*third}) EXPECT_EQ(ThreadIndexRoot(*index), root);
  auto parts = ParseThreadIndex(*third);
  ASSERT_TRUE(parts.has_value());
  ASSERT_EQ(parts->child_filetimes.size(), 3u);
  EXPECT_EQ(parts->child_low_bytes, (std::vector<std::uint8_t>{0xA0, 0x31, 0x02}));
  // Each child's recovered time is within the encoding's step (26 ms, resp. 0.84 s) below the truth.
  const std::array<Instant, 3> truth = {kThreadStart + std::chrono::hours(1), kThreadStart + std::chrono::hours(49),
                                        kThreadStart + std::chrono::hours(49 + 3 * 365 * 24)};
  for (std::size_t i = 0; i < 3; ++i) {
    const auto t = static_cast<std::int64_t>(FiletimeFromInstant(truth[i]));
    const auto got = static_cast<std::int64_t>(parts->child_filetimes[i]);
    EXPECT_LE(got, t) << i;
    EXPECT_GT(got, t - 2 * (std::int64_t{1} << 23)) << i;
  }
}

TEST(ThreadIndex, ChildrenCountTheirSequence) {
  std::string index = MakeThreadIndex(kThreadStart, kGuid);
  ASSERT_EQ(index.size(), 32u);
  const std::optional<std::string> root = ThreadIndexRoot(index);
  for (int i = 1; i <= 20; ++i) {
    index = AppendThreadIndexChild(index, kThreadStart + std::chrono::minutes(10 * i), static_cast<std::uint8_t>(i)).value();
    auto parts = ParseThreadIndex(index);
    ASSERT_TRUE(parts.has_value());
    EXPECT_EQ(parts->child_filetimes.size(), static_cast<std::size_t>(i));
    EXPECT_EQ(parts->child_low_bytes.back() & 0x0F, (i - 1) % 16);  // the sequence count
    EXPECT_EQ(ThreadIndexRoot(index), root);
  }
}

TEST(ThreadIndex, ClockSkewGivesAZeroDelta) {
  const std::string root = MakeThreadIndex(kThreadStart, kGuid);
  auto child = AppendThreadIndexChild(root, kThreadStart - std::chrono::hours(5), 0);
  ASSERT_TRUE(child.has_value());
  auto parts = ParseThreadIndex(*child);
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ(parts->child_filetimes.at(0), parts->header_filetime);
}

TEST(ThreadIndex, InvalidValuesAreRefused) {
  const std::string root = MakeThreadIndex(kThreadStart, kGuid);
  for (const std::string& bad : {std::string(), std::string("not base64!"), root.substr(0, 28),
                                 std::string("AdQc2DNQAAECAwQFBgcICQoLDA0ODwAC"),  // 22 + 2 bytes
                                 root + "A", std::string("AQ=A")}) {
    EXPECT_FALSE(AppendThreadIndexChild(bad, kThreadStart, 0).has_value()) << bad;
    EXPECT_FALSE(ThreadIndexRoot(bad).has_value()) << bad;
    EXPECT_FALSE(ParseThreadIndex(bad).has_value()) << bad;
  }
}

TEST(ThreadIndex, ToleratesFoldingWhitespace) {
  EXPECT_EQ(ThreadIndexRoot(" AdQc2DN7rLoS3hgnE/O76rpFzxN/\r\n\tEwAddF4A\r\n"), "AdQc2DN7rLoS3hgnE/O76rpFzxN/Ew==");
}

}  // namespace
}  // namespace rapport
