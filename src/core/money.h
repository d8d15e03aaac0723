#pragma once
// Money is an integer count of the currency's minor unit (cents for USD) and an ISO 4217 code.
// There is no floating point anywhere money is computed.

#include <cstdint>
#include <string>

namespace rapport {

struct Money {
  std::int64_t amount_minor = 0;
  std::string currency = "USD";  // ISO 4217, three upper-case letters
  friend bool operator==(const Money&, const Money&) = default;
};

// True for three upper-case ASCII letters. The list of real codes is not checked: a business may
// invoice in any currency its bank accepts.
bool IsValidCurrencyCode(const std::string& code);

}  // namespace rapport
