#include "distribution/http/metrics.hpp"

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

void metrics::render(common::prometheus_text& out) const {
  std::lock_guard lock(mutex_);
  out.family("headroom_http_requests_total", "counter",
             "HTTP requests answered, by route and status.");
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out.sample("headroom_http_requests_total",
               {{"method", method}, {"route", route}, {"status", std::to_string(status)}}, n);
  }
  out.family("headroom_http_request_seconds", "summary", "Time spent answering, by route.");
  for (const auto& [key, t] : durations_) {
    const auto& [method, route] = key;
    out.sample("headroom_http_request_seconds_sum", {{"method", method}, {"route", route}},
               t.seconds);
    out.sample("headroom_http_request_seconds_count", {{"method", method}, {"route", route}},
               t.count);
  }
  out.family("headroom_http_connection_errors_total", "counter",
             "Connections closed on a transport or parse error.");
  out.sample("headroom_http_connection_errors_total", rejected_connections_);
}

}  // namespace headroom::distribution
