#include "security/digest.h"

#include <sodium.h>

#include <array>

#include "security/sodium.h"

namespace rapport::security {

std::string Sha256Hex(std::string_view data) {
  // SHA-256 itself needs no initialisation; EnsureSodium picks the fastest implementation.
  (void)EnsureSodium();
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(data.data()), data.size());
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return hex;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace rapport::security
