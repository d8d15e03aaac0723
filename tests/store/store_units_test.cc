// Unit tests of the store's helpers: search words, cursors, packed lists, placeholder numbering.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/codec.h"
#include "store/cursor.h"
#include "store/search.h"
#include "store/sql/postgres_connection.h"

namespace rapport::store {
namespace {

using ::testing::ElementsAre;

TEST(SearchWordsTest, SplitsLowersAndDropsSyntax) {
  EXPECT_THAT(SearchWords("Invoice MARCH"), ElementsAre("invoice", "march"));
  EXPECT_THAT(SearchWords("\"a\" OR b* NEAR(c) -d e:f"), ElementsAre("a", "or", "b", "near", "c", "d", "e", "f"));
  EXPECT_THAT(SearchWords("café 東京"), ElementsAre("café", "東京"));
  EXPECT_TRUE(SearchWords("\"*()-:'").empty());
  EXPECT_EQ(SearchWords("a b c d e f g h i j k").size(), kMaxSearchWords);
  auto long_word = SearchWords(std::string(100, 'x'));
  ASSERT_EQ(long_word.size(), 1u);
  EXPECT_EQ(long_word[0].size(), 64u);
  // A cut never splits a multi-byte character.
  std::string accents;
  for (int i = 0; i < 40; ++i) accents += "é";
  auto cut = SearchWords(accents);
  ASSERT_EQ(cut.size(), 1u);
  EXPECT_EQ(cut[0].size() % 2, 0u);
}

TEST(ScrubUtf8Test, DropsInvalidSequencesOnly) {
  EXPECT_EQ(ScrubUtf8("plain café 東京 🙂"), "plain café 東京 🙂");
  EXPECT_EQ(ScrubUtf8("a\xff\xfe" "b"), "ab");
  EXPECT_EQ(ScrubUtf8(std::string("a\0b", 3)), "ab");
  EXPECT_EQ(ScrubUtf8("\xc3"), "");              // truncated sequence
  EXPECT_EQ(ScrubUtf8("\xc0\xafx"), "x");        // overlong encoding of '/'
  EXPECT_EQ(ScrubUtf8("\xed\xa0\x80y"), "y");   // a UTF-16 surrogate
}

TEST(CursorTest, RoundTripsAndRejectsOthers) {
  const std::string c = EncodeCursor('a', 42, "1700000000");
  auto pos = DecodeCursor('a', c, true);
  ASSERT_TRUE(pos.ok());
  EXPECT_EQ(pos->id, 42);
  EXPECT_EQ(pos->IntKey(), 1700000000);
  EXPECT_EQ(c.find_first_of("+/="), std::string::npos);  // URL-safe
  EXPECT_FALSE(DecodeCursor('n', c, true).ok());           // another sort
  const std::string name = EncodeCursor('c', 7, "Smith | Sons");
  auto np = DecodeCursor('c', name, false);
  ASSERT_TRUE(np.ok());
  EXPECT_EQ(np->key, "Smith | Sons");
  EXPECT_FALSE(DecodeCursor('a', EncodeCursor('a', 1, "abc"), true).ok());  // key must be a number
  EXPECT_FALSE(DecodeCursor('a', EncodeCursor('a', 0, "1"), true).ok());    // id must be positive
  for (const char* junk : {"", "!", "YQ", "====", "YXwxfA"}) {
    auto r = DecodeCursor('a', junk, true);
    ASSERT_FALSE(r.ok()) << junk;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(CodecTest, ListsAndWorkingHoursRoundTrip) {
  EXPECT_TRUE(SplitList(JoinList({})).empty());
  EXPECT_THAT(SplitList(JoinList({"a", "b c", ""})), ElementsAre("a", "b c", ""));
  std::vector<SocialId> ids = {{"facebook", "1"}, {"instagram", "a:b"}};
  EXPECT_EQ(DecodeSocialIds(EncodeSocialIds(ids)), ids);
  std::vector<WorkingInterval> hours = {{0, 0, 60}, {6, 600, 1440}};
  EXPECT_EQ(DecodeWorkingHours(EncodeWorkingHours(hours)), hours);
  EXPECT_TRUE(DecodeWorkingHours("junk,1:x-2,:-").empty());
  EXPECT_EQ(ContainsPattern("A%b_c\\"), "%a\\%b\\_c\\\\%");
}

TEST(PlaceholderTest, NumbersOutsideQuotes) {
  EXPECT_EQ(sql::NumberPlaceholders("SELECT ? , '?' , \"?\" , ?"), "SELECT $1 , '?' , \"?\" , $2");
  EXPECT_EQ(sql::NumberPlaceholders("x LIKE ? ESCAPE '\\' AND y = ?"), "x LIKE $1 ESCAPE '\\' AND y = $2");
}

}  // namespace
}  // namespace rapport::store
