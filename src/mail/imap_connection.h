#pragma once
// One IMAP connection, opened and logged in by libcurl, then spoken over by hand.
//
// libcurl's IMAP support cannot IDLE and does not parse FETCH literals safely, but its connect phase
// does everything before the first real command: TCP, implicit TLS (imaps://) or STARTTLS
// (CURLOPT_USE_SSL), certificate checks, the greeting, CAPABILITY, and the login (AUTHENTICATE with
// SASL-IR, else LOGIN). With CURLOPT_CONNECT_ONLY it stops there (checked against Dovecot 2.3 with
// libcurl 7.88: greeting, CAPABILITY, STARTTLS, CAPABILITY, AUTHENTICATE PLAIN, then nothing), and the
// connection is ours through curl_easy_send/curl_easy_recv, TLS included.
//
// Not thread-safe: one user at a time.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/ports/email.h"
#include "core/status.h"
#include "mail/curl_handle.h"
#include "mail/imap_response.h"

namespace rapport::mail {

class ImapConnection {
 public:
  // Connects and logs in. kPermissionDenied when the server refuses the credentials (and no user is
  // configured), kUnavailable for everything else (refused connection, timeout, TLS failure, a server
  // that says [UNAVAILABLE]), each with the server's or libcurl's words.
  static Result<std::unique_ptr<ImapConnection>> Open(const app::ImapSettings& settings);

  // Use Open(); this takes a handle whose connect phase is done and its socket.
  ImapConnection(CurlEasy curl, curl_socket_t socket) : curl_(std::move(curl)), socket_(socket) {}

  // Sends all of `bytes`. kUnavailable when the connection fails or nothing can be written for `timeout`.
  Status Send(std::string_view bytes, std::chrono::milliseconds timeout);
  // The next complete response; nullopt when no byte arrived for `idle_timeout` (the connection stays
  // usable). kUnavailable when the server closed the connection or it failed; kResourceExhausted for
  // a response over the reader's limits.
  Result<std::optional<ImapResponse>> Read(std::chrono::milliseconds idle_timeout);

 private:
  // Waits until the socket is readable (or writable); false on timeout.
  bool Wait(bool for_write, std::chrono::milliseconds timeout) const;

  CurlEasy curl_;
  curl_socket_t socket_;
  ImapResponseReader reader_;
};

}  // namespace rapport::mail
