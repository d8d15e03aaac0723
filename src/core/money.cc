#include "core/money.h"

namespace rapport {

bool IsValidCurrencyCode(const std::string& code) {
  if (code.size() != 3) return false;
  for (char c : code) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

}  // namespace rapport
