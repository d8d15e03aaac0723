#include "security/tokens.h"

#include <sodium.h>

#include <array>

#include "security/sodium.h"

namespace rapport::security {

Result<std::string> RandomToken() {
  RAPPORT_RETURN_IF_ERROR(EnsureSodium());
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), kVariant);
  out.resize(out.find('\0'));  // the encoded length counts the terminating NUL
  sodium_memzero(bytes.data(), bytes.size());
  return out;
}

Status RandomBytes(std::span<std::uint8_t> out) {
  RAPPORT_RETURN_IF_ERROR(EnsureSodium());
  randombytes_buf(out.data(), out.size());
  return Status::Ok();
}

}  // namespace rapport::security
