#include "security/passwords.h"

#include <sodium.h>

#include "security/sodium.h"

namespace rapport::security {

Result<std::string> HashPassword(std::string_view password, PasswordCost cost) {
  RAPPORT_RETURN_IF_ERROR(EnsureSodium());
  if (cost.ops < crypto_pwhash_OPSLIMIT_MIN || cost.ops > crypto_pwhash_OPSLIMIT_MAX) {
    return Status::InvalidArgument("password hashing cost: ops must be between " +
                                   std::to_string(crypto_pwhash_OPSLIMIT_MIN) + " and " +
                                   std::to_string(crypto_pwhash_OPSLIMIT_MAX));
  }
  if (cost.mem_bytes < crypto_pwhash_MEMLIMIT_MIN || cost.mem_bytes > crypto_pwhash_MEMLIMIT_MAX) {
    return Status::InvalidArgument("password hashing cost: memory must be at least " +
                                   std::to_string(crypto_pwhash_MEMLIMIT_MIN) + " bytes");
  }
  if (password.size() > crypto_pwhash_PASSWD_MAX) return Status::InvalidArgument("password is too long");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.ops, cost.mem_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::ResourceExhausted("not enough memory to hash the password; lower the Argon2 memory cost");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view encoded_hash, std::string_view password) {
  if (!EnsureSodium().ok()) return false;
  // libsodium wants a NUL-terminated string that fits crypto_pwhash_STRBYTES.
  if (encoded_hash.empty() || encoded_hash.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string hash(encoded_hash);
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace rapport::security
