#include "mail/curl_handle.h"

#include <mutex>

namespace rapport::mail {

void EnsureCurl() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

CurlEasy MakeCurlEasy() {
  EnsureCurl();
  return CurlEasy(curl_easy_init());
}

bool AppendToSlist(CurlSlist& list, const std::string& value) {
  curl_slist* grown = curl_slist_append(list.get(), value.c_str());
  if (grown == nullptr) return false;
  // curl_slist_append returns the head, which is the old head when the list was not empty.
  static_cast<void>(list.release());
  list.reset(grown);
  return true;
}

std::string UrlAuthority(const std::string& host, int port) {
  const bool ipv6_literal = host.find(':') != std::string::npos && !host.starts_with('[');
  return (ipv6_literal ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace rapport::mail
