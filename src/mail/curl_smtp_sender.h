#pragma once
// Sends one message over SMTP with libcurl (app::EmailSender).
//
// How the outcome is decided:
//   kSent              the server accepted the message (250 after DATA); server_reply is its words,
//                      usually with the queue id.
//   kPermanentFailure  the server answered 5xx to any command (a rejected recipient fails the whole
//                      message: Rapport sends one message per ticket reply and must not silently
//                      drop a recipient), the server refused the credentials (535, or a login refusal
//                      without a code: a configuration problem that a retry will not fix), or the
//                      input cannot be sent at all (no recipients, an address with line breaks or
//                      angle brackets).
//   kTemporaryFailure  4xx replies, connection failures, timeouts, TLS trouble (an expired or
//                      untrusted certificate is fixed on the server side; the message itself is fine).
// `code` is the server's last reply code (0 when it never answered) and `server_reply` its last
// reply, line by line joined with " / ", followed by libcurl's explanation in parentheses.
//
// Thread-safe: every Send uses its own libcurl handle and connection.

#include <string>
#include <vector>

#include "app/ports/email.h"

namespace rapport::mail {

class CurlSmtpSender final : public app::EmailSender {
 public:
  app::SmtpOutcome Send(const app::SmtpSettings& settings, const std::string& envelope_from,
                        const std::vector<std::string>& recipients, const std::string& raw_message) override;
};

}  // namespace rapport::mail
