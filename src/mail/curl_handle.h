#pragma once
// RAII for libcurl handles, and libcurl's process-wide set-up. curl_global_init() is not thread-safe
// and must run before the first handle is made; EnsureCurl() does it once, from any thread.

#include <curl/curl.h>

#include <memory>
#include <string>

namespace rapport::mail {

// Initialises libcurl on first call; cheap and thread-safe afterwards. Never shut down: handles may
// be in use until the process exits.
void EnsureCurl();

struct CurlEasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;

struct CurlSlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;

// A new easy handle (after EnsureCurl), or null when libcurl is out of memory.
CurlEasy MakeCurlEasy();

// Appends `value` to `list`; false when libcurl is out of memory (the list is then unchanged).
bool AppendToSlist(CurlSlist& list, const std::string& value);

// "host:port" for a URL: IPv6 literals get their brackets.
std::string UrlAuthority(const std::string& host, int port);

}  // namespace rapport::mail
