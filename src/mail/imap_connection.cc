#include "mail/imap_connection.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <vector>

namespace rapport::mail {
namespace {

using Clock = std::chrono::steady_clock;

// The server's lines during libcurl's connect phase, to tell a refused login from an unavailable
// server (RFC 5530 [UNAVAILABLE]) and to quote the server's words. Only what the server sent is kept:
// what libcurl sends includes the credentials.
struct ConnectLog {
  std::vector<std::string> lines;
};

int OnDebug(CURL* /*handle*/, curl_infotype type, char* data, size_t size, void* user) {
  if (type != CURLINFO_HEADER_IN) return 0;
  auto* log = static_cast<ConnectLog*>(user);
  std::string line(data, size);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  if (log->lines.size() >= 50) log->lines.erase(log->lines.begin());
  log->lines.push_back(std::move(line));
  return 0;
}

// The last tagged NO/BAD the server sent while libcurl logged in, without the tag.
std::string LastRefusal(const ConnectLog& log) {
  for (auto it = log.lines.rbegin(); it != log.lines.rend(); ++it) {
    if (it->starts_with("*") || it->starts_with("+")) continue;
    const size_t space = it->find(' ');
    if (space == std::string::npos) continue;
    const std::string rest = it->substr(space + 1);
    if (rest.starts_with("NO") || rest.starts_with("BAD")) return rest;
  }
  return "";
}

int PollMillis(std::chrono::milliseconds timeout) {
  return static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(timeout.count(), 0, 1 << 30));
}

}  // namespace

Result<std::unique_ptr<ImapConnection>> ImapConnection::Open(const app::ImapSettings& settings) {
  if (settings.host.empty()) return Status::Unavailable("no IMAP server is configured");
  if (settings.user.empty()) return Status::PermissionDenied("no IMAP user name is configured");
  CurlEasy curl = MakeCurlEasy();
  if (!curl) return Status::Unavailable("libcurl could not make a handle");
  CURL* h = curl.get();
  const char* scheme = settings.security == app::TransportSecurity::kTls ? "imaps://" : "imap://";
  const std::string url = scheme + UrlAuthority(settings.host, settings.port) + "/";
  const long timeout_s = std::max<long>(1, static_cast<long>(settings.timeout.count()));
  ConnectLog log;
  char error_buffer[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "imap,imaps");
  curl_easy_setopt(h, CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_USE_SSL,
                   settings.security == app::TransportSecurity::kStartTls ? static_cast<long>(CURLUSESSL_ALL)
                                                                          : static_cast<long>(CURLUSESSL_NONE));
  if (!settings.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, settings.ca_file.c_str());
  curl_easy_setopt(h, CURLOPT_USERNAME, settings.user.c_str());
  curl_easy_setopt(h, CURLOPT_PASSWORD, settings.password.c_str());
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout_s);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout_s);
  curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, timeout_s);
  curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);  // the debug callback needs it
  curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, OnDebug);
  curl_easy_setopt(h, CURLOPT_DEBUGDATA, &log);

  const CURLcode rc = curl_easy_perform(h);
  // The log lives on this stack frame: libcurl must not call back into it later.
  curl_easy_setopt(h, CURLOPT_VERBOSE, 0L);
  curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, static_cast<curl_debug_callback>(nullptr));
  curl_easy_setopt(h, CURLOPT_DEBUGDATA, static_cast<void*>(nullptr));
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, static_cast<char*>(nullptr));

  const std::string where = "IMAP server " + settings.host + ":" + std::to_string(settings.port);
  if (rc == CURLE_LOGIN_DENIED) {
    const std::string refusal = LastRefusal(log);
    const std::string said = refusal.empty() ? std::string(error_buffer) : refusal;
    if (refusal.find("[UNAVAILABLE]") != std::string::npos) {
      return Status::Unavailable(where + " cannot log in now: " + said);
    }
    return Status::PermissionDenied(where + " refused the login of " + settings.user + ": " + said);
  }
  if (rc != CURLE_OK) {
    const std::string explanation = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(rc);
    return Status::Unavailable(where + ": " + explanation);
  }
  curl_socket_t socket = CURL_SOCKET_BAD;
  if (curl_easy_getinfo(h, CURLINFO_ACTIVESOCKET, &socket) != CURLE_OK || socket == CURL_SOCKET_BAD) {
    return Status::Unavailable(where + ": libcurl did not keep the connection open");
  }
  return std::make_unique<ImapConnection>(std::move(curl), socket);
}

bool ImapConnection::Wait(bool for_write, std::chrono::milliseconds timeout) const {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    pollfd fd{};
    fd.fd = socket_;
    fd.events = for_write ? POLLOUT : POLLIN;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    const int ready = poll(&fd, 1, PollMillis(left));
    if (ready > 0) return true;  // readable, writable, or an error that the next call reports
    if (ready == 0) return false;
    if (errno != EINTR) return true;
  }
}

Status ImapConnection::Send(std::string_view bytes, std::chrono::milliseconds timeout) {
  while (!bytes.empty()) {
    size_t sent = 0;
    const CURLcode rc = curl_easy_send(curl_.get(), bytes.data(), bytes.size(), &sent);
    if (rc == CURLE_AGAIN) {
      if (!Wait(/*for_write=*/true, timeout)) return Status::Unavailable("the IMAP server did not take data in time");
      continue;
    }
    if (rc != CURLE_OK)
      return Status::Unavailable(std::string("sending to the IMAP server failed: ") + curl_easy_strerror(rc));
    bytes.remove_prefix(sent);
  }
  return Status::Ok();
}

Result<std::optional<ImapResponse>> ImapConnection::Read(std::chrono::milliseconds idle_timeout) {
  std::vector<char> chunk(64 * 1024);
  while (true) {
    RAPPORT_ASSIGN_OR_RETURN(std::optional<ImapResponse> response, reader_.Next());
    if (response) return response;
    size_t received = 0;
    const CURLcode rc = curl_easy_recv(curl_.get(), chunk.data(), chunk.size(), &received);
    if (rc == CURLE_AGAIN) {
      // Decrypted bytes TLS already holds come back from curl_easy_recv, so poll only on CURLE_AGAIN.
      if (!Wait(/*for_write=*/false, idle_timeout)) return std::optional<ImapResponse>();
      continue;
    }
    if (rc != CURLE_OK)
      return Status::Unavailable(std::string("reading from the IMAP server failed: ") + curl_easy_strerror(rc));
    if (received == 0) return Status::Unavailable("the IMAP server closed the connection");
    reader_.Feed(std::string_view(chunk.data(), received));
  }
}

}  // namespace rapport::mail
