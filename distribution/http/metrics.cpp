#include "distribution/http/metrics.hpp"

#include <sstream>

namespace headroom::distribution {

void metrics::record(const std::string& method, const std::string& route, int status,
                     std::chrono::nanoseconds took) {
  std::lock_guard lock(mutex_);
  ++requests_[{method, route, status}];
  auto& t = durations_[{method, route}];
  ++t.count;
  t.seconds += std::chrono::duration<double>(took).count();
}

void metrics::count_rejected_connection() {
  std::lock_guard lock(mutex_);
  ++rejected_connections_;
}

std::string metrics::render(const std::string& extra) const {
  std::ostringstream out;
  std::lock_guard lock(mutex_);
  out << "# HELP headroom_http_requests_total HTTP requests answered, by route and status.\n"
         "# TYPE headroom_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out << "headroom_http_requests_total{method=\"" << method << "\",route=\"" << route
        << "\",status=\"" << status << "\"} " << n << "\n";
  }
  out << "# HELP headroom_http_request_seconds Time spent answering, by route.\n"
         "# TYPE headroom_http_request_seconds summary\n";
  for (const auto& [key, t] : durations_) {
    out << "headroom_http_request_seconds_sum{method=\"" << key.first << "\",route=\"" << key.second
        << "\"} " << t.seconds << "\n";
    out << "headroom_http_request_seconds_count{method=\"" << key.first << "\",route=\""
        << key.second << "\"} " << t.count << "\n";
  }
  out << "# HELP headroom_http_connection_errors_total Connections closed on a transport or parse "
         "error.\n"
         "# TYPE headroom_http_connection_errors_total counter\n"
      << "headroom_http_connection_errors_total " << rejected_connections_ << "\n";
  out << extra;
  return out.str();
}

}  // namespace headroom::distribution
