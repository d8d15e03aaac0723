#include "app/validation.h"

#include <gtest/gtest.h>

namespace rapport::app {
namespace {

TEST(IsKnownTimeZone, AcceptsIanaNames) {
  for (const char* z : {"UTC", "Etc/UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Adelaide"}) {
    EXPECT_TRUE(IsKnownTimeZone(z)) << z;
  }
}

TEST(IsKnownTimeZone, RejectsOthers) {
  for (const char* z : {"", "Mars/Olympus_Mons", "europe/berlin", "GMT+25", "Europe/", "../../etc/passwd",
                        "Europe/Berlin\n"}) {
    EXPECT_FALSE(IsKnownTimeZone(z)) << z;
  }
  EXPECT_FALSE(IsKnownTimeZone(std::string(100, 'A')));
}

TEST(CharacterCount, CountsCodePoints) {
  EXPECT_EQ(CharacterCount(""), 0u);
  EXPECT_EQ(CharacterCount("abc"), 3u);
  EXPECT_EQ(CharacterCount("caf\xC3\xA9"), 4u);
  EXPECT_EQ(CharacterCount("\xF0\x9F\x98\x80"), 1u);
}

TEST(IsStorableText, RequiresUtf8WithoutNul) {
  EXPECT_TRUE(IsStorableText(""));
  EXPECT_TRUE(IsStorableText("Gr\xC3\xBC\xC3\x9F" "e \xE2\x82\xAC\n\t"));
  EXPECT_FALSE(IsStorableText(std::string("a\0b", 3)));
  EXPECT_FALSE(IsStorableText("\xFF"));
  EXPECT_FALSE(IsStorableText("\xC3"));              // cut short
  EXPECT_FALSE(IsStorableText("\xC0\xAF"));          // overlong
  EXPECT_FALSE(IsStorableText("\xED\xA0\x80"));      // a UTF-16 surrogate
  EXPECT_FALSE(IsStorableText("\xF4\x90\x80\x80"));  // beyond U+10FFFF
}

TEST(FieldErrors, NamesEveryFieldOnce) {
  FieldErrors errors;
  EXPECT_TRUE(errors.empty());
  EXPECT_TRUE(errors.ToStatus().ok());
  errors.Add("subject", "is required");
  errors.Add("subject", "second problem is dropped");
  EXPECT_FALSE(errors.CheckText("name", std::string(5, 'x'), 4));
  EXPECT_TRUE(errors.CheckText("notes", "fine", 4));
  Status s = errors.ToStatus();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  ASSERT_EQ(s.field_errors().size(), 2u);
  EXPECT_EQ(s.field_errors().at("subject"), "is required");
  EXPECT_EQ(s.field_errors().at("name"), "must have at most 4 characters");
  EXPECT_EQ(s.message(), "invalid fields: subject is required; name must have at most 4 characters");
}

}  // namespace
}  // namespace rapport::app

namespace rapport::app {
namespace {

TEST(StorableText, DropsWhatNoColumnAcceptsAndCutsAtACharacter) {
  EXPECT_EQ(StorableText("plain café 東京 🙂", 1000), "plain café 東京 🙂");
  EXPECT_EQ(StorableText("a\xff\xfe" "b", 1000), "ab");
  EXPECT_EQ(StorableText(std::string("a\0b", 3), 1000), "ab");
  EXPECT_EQ(StorableText("\xc0\xafx", 1000), "x");       // overlong '/'
  EXPECT_EQ(StorableText("\xed\xa0\x80y", 1000), "y");   // a UTF-16 surrogate
  EXPECT_EQ(StorableText("ab東京", 4), "ab");              // never half a character
  EXPECT_EQ(StorableText("ab東京", 5), "ab東");
  EXPECT_EQ(StorableText("abc", std::string_view::npos), "abc");
  // The limit counts what is kept, not what was dropped on the way.
  EXPECT_EQ(StorableText("\xff" "abc", 2), "ab");
  EXPECT_EQ(StorableText("a\xff" "b\xff" "c", 2), "ab");
  EXPECT_EQ(StorableText(std::string("a\0\0" "bc\xff", 6), 3), "abc");
  EXPECT_EQ(StorableText("\xff\xfe", 10), "");
  EXPECT_EQ(StorableText(std::string(100000, 'x') + "\xff" + std::string(5, 'y'), 100003),
            std::string(100000, 'x') + "yyy");
}

}  // namespace
}  // namespace rapport::app
