#include "mail/curl_smtp_sender.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "mail/curl_handle.h"

namespace rapport::mail {
namespace {

using app::SmtpOutcome;

// What the server said last: libcurl hands every server line to the debug callback as
// CURLINFO_HEADER_IN. A command sent (CURLINFO_HEADER_OUT) starts a new reply. After QUIT nothing is
// recorded, so a failure's reply is not replaced by the "221 Bye" of the polite disconnect.
struct ReplyCapture {
  std::vector<std::string> lines;
  bool new_reply = true;
  bool quitting = false;
};

int OnDebug(CURL* /*handle*/, curl_infotype type, char* data, size_t size, void* user) {
  auto* capture = static_cast<ReplyCapture*>(user);
  std::string_view text(data, size);
  if (type == CURLINFO_HEADER_OUT) {
    if (text.starts_with("QUIT")) capture->quitting = true;
    capture->new_reply = true;
  } else if (type == CURLINFO_HEADER_IN && !capture->quitting) {
    if (capture->new_reply) capture->lines.clear();
    capture->new_reply = false;
    while (!text.empty()) {
      const size_t end = text.find('\n');
      std::string_view line = text.substr(0, end);
      while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
      if (!line.empty() && capture->lines.size() < 20) capture->lines.emplace_back(line);
      if (end == std::string_view::npos) break;
      text.remove_prefix(end + 1);
    }
  }
  return 0;
}

struct UploadSource {
  std::string_view remaining;
};

size_t OnRead(char* buffer, size_t size, size_t count, void* user) {
  auto* source = static_cast<UploadSource*>(user);
  const size_t n = std::min(size * count, source->remaining.size());
  std::memcpy(buffer, source->remaining.data(), n);
  source->remaining.remove_prefix(n);
  return n;
}

// The reply code of an SMTP reply line ("550 5.1.1 ..." or "550-..."), or 0.
int CodeOf(const std::string& line) {
  if (line.size() < 3) return 0;
  int code = 0;
  for (int i = 0; i < 3; ++i) {
    const char c = line[static_cast<size_t>(i)];
    if (c < '0' || c > '9') return 0;
    code = code * 10 + (c - '0');
  }
  return code;
}

// Characters that would let an address smuggle a second command or break the <...> framing.
bool IsSendableAddress(std::string_view address) {
  return std::none_of(address.begin(), address.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f || c == '<' || c == '>';
  });
}

// The EHLO name: the sender's domain when it looks like a host name, else "localhost".
std::string HeloDomain(const std::string& envelope_from) {
  const size_t at = envelope_from.rfind('@');
  if (at == std::string::npos) return "localhost";
  std::string domain = envelope_from.substr(at + 1);
  const bool plain = !domain.empty() && std::all_of(domain.begin(), domain.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
  });
  return plain ? domain : "localhost";
}

SmtpOutcome Refuse(std::string why) { return SmtpOutcome{SmtpOutcome::Kind::kPermanentFailure, 0, std::move(why)}; }

// Errors that say the request itself cannot work, whatever the server's state.
bool IsPermanentCurlError(CURLcode rc) {
  switch (rc) {
    case CURLE_LOGIN_DENIED:
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return true;
    default:
      return false;
  }
}

}  // namespace

SmtpOutcome CurlSmtpSender::Send(const app::SmtpSettings& settings, const std::string& envelope_from,
                                 const std::vector<std::string>& recipients, const std::string& raw_message) {
  if (recipients.empty()) return Refuse("no recipients");
  if (!IsSendableAddress(envelope_from)) return Refuse("the sender address '" + envelope_from + "' cannot be sent");
  CurlSlist rcpt_list;
  for (const std::string& rcpt : recipients) {
    if (rcpt.empty() || !IsSendableAddress(rcpt)) return Refuse("the recipient address '" + rcpt + "' cannot be sent");
    if (!AppendToSlist(rcpt_list, rcpt)) return {SmtpOutcome::Kind::kTemporaryFailure, 0, "out of memory"};
  }
  if (settings.host.empty()) return Refuse("no SMTP server is configured");

  CurlEasy curl = MakeCurlEasy();
  if (!curl) return {SmtpOutcome::Kind::kTemporaryFailure, 0, "libcurl could not make a handle"};
  CURL* h = curl.get();
  const char* scheme = settings.security == app::TransportSecurity::kTls ? "smtps://" : "smtp://";
  const std::string url = scheme + UrlAuthority(settings.host, settings.port) + "/" + HeloDomain(envelope_from);
  const long timeout_s = std::max<long>(1, static_cast<long>(settings.timeout.count()));

  ReplyCapture capture;
  UploadSource source{raw_message};
  char error_buffer[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_USE_SSL,
                   settings.security == app::TransportSecurity::kStartTls ? static_cast<long>(CURLUSESSL_ALL)
                                                                          : static_cast<long>(CURLUSESSL_NONE));
  if (!settings.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, settings.ca_file.c_str());
  if (!settings.user.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, settings.user.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, settings.password.c_str());
  }
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, envelope_from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt_list.get());
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, OnRead);
  curl_easy_setopt(h, CURLOPT_READDATA, &source);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(raw_message.size()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout_s);
  curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, timeout_s);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, timeout_s);
  // The debug callback is how the server's words are captured; it needs verbose mode.
  curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, OnDebug);
  curl_easy_setopt(h, CURLOPT_DEBUGDATA, &capture);

  const CURLcode rc = curl_easy_perform(h);

  SmtpOutcome outcome;
  for (const std::string& line : capture.lines) {
    if (!outcome.server_reply.empty()) outcome.server_reply += " / ";
    outcome.server_reply += line;
  }
  outcome.code = capture.lines.empty() ? 0 : CodeOf(capture.lines.back());
  if (outcome.code == 0) {
    long last = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &last);
    outcome.code = static_cast<int>(last);
  }
  if (rc == CURLE_OK) {
    outcome.kind = SmtpOutcome::Kind::kSent;
    return outcome;
  }
  const std::string explanation = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(rc);
  outcome.server_reply += outcome.server_reply.empty() ? explanation : " (" + explanation + ")";
  if (outcome.code >= 500 && outcome.code < 600) {
    outcome.kind = SmtpOutcome::Kind::kPermanentFailure;
  } else if (outcome.code >= 400 && outcome.code < 500) {
    outcome.kind = SmtpOutcome::Kind::kTemporaryFailure;
  } else {
    outcome.kind =
        IsPermanentCurlError(rc) ? SmtpOutcome::Kind::kPermanentFailure : SmtpOutcome::Kind::kTemporaryFailure;
  }
  return outcome;
}

}  // namespace rapport::mail
