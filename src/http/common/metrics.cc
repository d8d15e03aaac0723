#include "http/common/metrics.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <tuple>

namespace rapport::http {
namespace {

// Label values are our own route patterns and methods, but escape anyway: the format breaks on " \ \n.
std::string LabelValue(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string StatusClass(int http_status) {
  if (http_status < 100 || http_status > 599) return "other";
  return std::to_string(http_status / 100) + "xx";
}

}  // namespace

void RequestMetrics::Record(const std::string& route, const std::string& method, int http_status,
                            double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{route, method, StatusClass(http_status)}];
  Histogram& h = latency_[route];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++h.counts[i];
      break;
    }
  }
  ++h.count;
  h.sum += seconds;
}

std::string RequestMetrics::Render(std::int64_t resident_memory_bytes, std::int64_t open_store_sessions) const {
  std::ostringstream out;
  out << "# HELP rapport_http_requests_total HTTP requests served, by route pattern, method and status class.\n"
         "# TYPE rapport_http_requests_total counter\n";
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [key, n] : requests_) {
    const auto& [route, method, status_class] = key;
    out << "rapport_http_requests_total{route=\"" << LabelValue(route) << "\",method=\"" << LabelValue(method)
        << "\",status_class=\"" << status_class << "\"} " << n << "\n";
  }
  out << "# HELP rapport_http_request_duration_seconds Time from the request line to the handler's end.\n"
         "# TYPE rapport_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    std::uint64_t cumulative = 0;
    const std::string label = "route=\"" + LabelValue(route) + "\"";
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += h.counts[i];
      out << "rapport_http_request_duration_seconds_bucket{" << label << ",le=\"" << kBuckets[i] << "\"} "
          << cumulative << "\n";
    }
    out << "rapport_http_request_duration_seconds_bucket{" << label << ",le=\"+Inf\"} " << h.count << "\n";
    out << "rapport_http_request_duration_seconds_sum{" << label << "} " << h.sum << "\n";
    out << "rapport_http_request_duration_seconds_count{" << label << "} " << h.count << "\n";
  }
  out << "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
         "# TYPE process_resident_memory_bytes gauge\n"
         "process_resident_memory_bytes "
      << resident_memory_bytes << "\n";
  out << "# HELP rapport_store_sessions_open Database sessions held by the pool (idle and on loan).\n"
         "# TYPE rapport_store_sessions_open gauge\n"
         "rapport_store_sessions_open "
      << open_store_sessions << "\n";
  return out.str();
}

std::int64_t ResidentMemoryBytes() {
  std::ifstream statm("/proc/self/statm");
  std::int64_t size_pages = 0;
  std::int64_t resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) return 0;
  return resident_pages * static_cast<std::int64_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace rapport::http
