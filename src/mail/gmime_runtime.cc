#include "mail/gmime_runtime.h"

#include <gmime/gmime.h>

#include <mutex>

namespace rapport::mail {

void EnsureGmime() {
  static std::once_flag once;
  // Never shut down: messages may be parsed until the process exits.
  std::call_once(once, [] { g_mime_init(); });
}

}  // namespace rapport::mail
