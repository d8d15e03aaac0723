#include "core/money.h"

#include <gtest/gtest.h>

namespace rapport {
namespace {

TEST(Money, CurrencyCodesAreThreeCapitalLetters) {
  EXPECT_TRUE(IsValidCurrencyCode("USD"));
  EXPECT_TRUE(IsValidCurrencyCode("EUR"));
  for (const char* bad : {"", "usd", "US", "USDT", "U$D", "12A", "Usd"}) {
    EXPECT_FALSE(IsValidCurrencyCode(bad)) << bad;
  }
}

TEST(Money, EqualityComparesAmountAndCurrency) {
  EXPECT_EQ((Money{12500, "USD"}), (Money{12500, "USD"}));
  EXPECT_NE((Money{12500, "USD"}), (Money{12500, "EUR"}));
  EXPECT_NE((Money{12500, "USD"}), (Money{12501, "USD"}));
}

}  // namespace
}  // namespace rapport
