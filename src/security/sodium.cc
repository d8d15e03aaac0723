#include "security/sodium.h"

#include <sodium.h>

namespace rapport::security {

Status EnsureSodium() {
  // sodium_init is itself safe to call from several threads; caching its answer saves the calls.
  static const int result = sodium_init();
  if (result < 0) return Status::Internal("libsodium could not initialise (is /dev/urandom readable?)");
  return Status::Ok();
}

}  // namespace rapport::security
