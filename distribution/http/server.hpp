#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "distribution/failure.hpp"

namespace headroom::distribution {

class router;

/// HTTP/1.1 on Boost.Beast: keep-alive, a per-route body limit read before the body
/// (413 without reading it), `Expect: 100-continue`, and idle timeouts.
class http_server {
 public:
  explicit http_server(const router& routes);
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  /// Binds and starts accepting on `threads` threads; returns the bound port.
  domain::expected<std::uint16_t, failure> start(const std::string& host, std::uint16_t port,
                                                 int threads);

  /// Stops accepting, closes connections and joins the threads. Idempotent.
  void stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace headroom::distribution
