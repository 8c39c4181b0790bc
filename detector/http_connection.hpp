#pragma once
// One kept-alive HTTP/1.1 connection to one server, used by blocking calls with a
// deadline on connecting and one on the whole exchange. Beast stays in the .cpp: this
// header is included by actors that must not pay for it.

#include <caf/expected.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace headroom::detector {

enum class http_method { get, put, post, patch };

struct http_answer {
  int status = 0;
  std::string body;
};

/// The defaults of the distribution client's settings (distribution_client_config).
struct http_limits {
  std::chrono::milliseconds connect_timeout{3'000};
  std::chrono::milliseconds request_timeout{
      10'000};  ///< Writing the request and reading the answer.
  std::uint64_t max_answer_bytes = 256ull << 20;
};

class http_connection {
 public:
  http_connection(std::string host, std::uint16_t port, http_limits limits);
  ~http_connection();
  http_connection(const http_connection&) = delete;
  http_connection& operator=(const http_connection&) = delete;

  /// Sends one request and reads its answer. Connects when needed; when a kept
  /// connection turns out to be closed by the server before any answer, connects again
  /// once. Errors (detector_errc) say what failed: unreachable, timeout, server_error.
  caf::expected<http_answer> send(http_method method, const std::string& target,
                                  const std::string& body,
                                  const std::vector<std::pair<std::string, std::string>>& headers);

  /// Connections opened so far (keep-alive reuse shows as 1 for many requests).
  [[nodiscard]] std::uint64_t connects() const { return connects_; }

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
  std::uint64_t connects_ = 0;
};

}  // namespace headroom::detector
