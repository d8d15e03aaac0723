#pragma once
// Request counters and a latency histogram for /metrics, in the Prometheus text format (0.0.4).
// Thread-safe: every worker thread records into it.

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>

namespace rapport::http {

class RequestMetrics {
 public:
  // Upper bounds of the latency buckets, in seconds (the last bucket, +Inf, is implicit).
  static constexpr std::array<double, 11> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5};

  // `route` is the matched pattern ("/api/v1/tickets/{id}"), never the raw path, so the number of
  // series stays bounded; "unmatched" for requests that matched no route.
  void Record(const std::string& route, const std::string& method, int http_status, double seconds);

  // The text exposition: rapport_http_requests_total{route,method,status_class},
  // rapport_http_request_duration_seconds (histogram), plus the gauges passed in.
  std::string Render(std::int64_t resident_memory_bytes, std::int64_t open_store_sessions) const;

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> counts{};  // per bucket, not cumulative
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  // (route, method, status class "2xx") -> count
  std::map<std::tuple<std::string, std::string, std::string>, std::uint64_t> requests_;  // GUARDED_BY(mu_)
  std::map<std::string, Histogram> latency_;  // by route; GUARDED_BY(mu_)
};

// The resident set size of this process, from /proc/self/statm; 0 when it cannot be read.
std::int64_t ResidentMemoryBytes();

}  // namespace rapport::http
