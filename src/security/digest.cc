#include "security/digest.h"

#include <openssl/evp.h>
#include <sodium.h>

#include <array>

#include "security/sodium.h"

namespace rapport::security {

std::string Sha256Hex(std::string_view data) {
  // OpenSSL rather than libsodium here: it uses the CPU's SHA extensions, about five times faster on
  // the large inputs intake hashes (raw messages, attachments).
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    // Only on allocation failure inside OpenSSL; libsodium's portable code gives the same digest.
    (void)EnsureSodium();
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(data.data()), data.size());
    length = crypto_hash_sha256_BYTES;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0x0F];
  }
  return hex;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace rapport::security
