#include <gtest/gtest.h>

#include <set>
#include <string>

#include "security/digest.h"
#include "security/passwords.h"
#include "security/sodium.h"
#include "security/tokens.h"

namespace rapport::security {
namespace {

// The lowest costs libsodium allows: the tests check behaviour, not strength.
constexpr PasswordCost kCheap{1, 8192};

TEST(Sodium, Initialises) { EXPECT_TRUE(EnsureSodium().ok()); }

TEST(Passwords, HashVerifiesTheSamePasswordOnly) {
  auto hash = HashPassword("correct horse battery", kCheap);
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse batterY"));
  EXPECT_FALSE(VerifyPassword(*hash, ""));
}

TEST(Passwords, EachHashHasItsOwnSalt) {
  auto a = HashPassword("same password!", kCheap);
  auto b = HashPassword("same password!", kCheap);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(VerifyPassword(*b, "same password!"));
}

TEST(Passwords, CarriesItsCostSoOldHashesStillVerify) {
  auto hash = HashPassword("pass phrase 1", PasswordCost{2, 16384});
  ASSERT_TRUE(hash.ok());
  EXPECT_NE(hash->find("m=16,t=2"), std::string::npos) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "pass phrase 1"));
}

TEST(Passwords, RejectsCostsBelowTheMinimum) {
  EXPECT_EQ(HashPassword("x", PasswordCost{0, 8192}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(HashPassword("x", PasswordCost{1, 1024}).status().code(), StatusCode::kInvalidArgument);
}

TEST(Passwords, GarbageHashesNeverVerify) {
  EXPECT_FALSE(VerifyPassword("", ""));
  EXPECT_FALSE(VerifyPassword("", "anything"));
  EXPECT_FALSE(VerifyPassword("plain text password", "plain text password"));
  EXPECT_FALSE(VerifyPassword("$argon2id$v=19$m=8,t=1,p=1$garbage", "x"));
  EXPECT_FALSE(VerifyPassword(std::string(500, '$'), "x"));
}

TEST(Passwords, HandlesNulBytesAndLongInput) {
  const std::string with_nul("abc\0def", 7);
  auto hash = HashPassword(with_nul, kCheap);
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(VerifyPassword(*hash, with_nul));
  EXPECT_FALSE(VerifyPassword(*hash, "abc"));
  const std::string long_password(4096, 'p');
  auto long_hash = HashPassword(long_password, kCheap);
  ASSERT_TRUE(long_hash.ok());
  EXPECT_TRUE(VerifyPassword(*long_hash, long_password));
}

TEST(RandomToken, Is43UrlSafeCharacters) {
  auto t = RandomToken();
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->size(), 43u);  // 32 bytes in unpadded base64
  for (char c : *t) {
    EXPECT_TRUE((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')
        << "unexpected '" << c << "' in " << *t;
  }
}

TEST(RandomToken, DoesNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    auto t = RandomToken();
    ASSERT_TRUE(t.ok());
    EXPECT_TRUE(seen.insert(*t).second);
  }
}

TEST(Sha256Hex, MatchesKnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(std::string("a\0b", 3)).size(), 64u);
  EXPECT_NE(Sha256Hex(std::string("a\0b", 3)), Sha256Hex("a"));
}

TEST(ConstantTimeEquals, ComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("token-123", "token-123"));
  EXPECT_FALSE(ConstantTimeEquals("token-123", "token-124"));
  EXPECT_FALSE(ConstantTimeEquals("token-123", "token-12"));
  EXPECT_FALSE(ConstantTimeEquals("", "x"));
  EXPECT_FALSE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
}

}  // namespace
}  // namespace rapport::security
