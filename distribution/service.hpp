#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "distribution/config.hpp"
#include "distribution/failure.hpp"
#include "domain/wall_clock.hpp"

namespace headroom::distribution {

class store;

/// The whole distribution system: store, routes and HTTP server, wired from one config.
/// `headroom distribution` runs one; the tests run one on 127.0.0.1 port 0.
class distribution_service {
 public:
  /// Opens (or creates) the data directory and the store; `clock` stamps every change.
  static domain::expected<std::unique_ptr<distribution_service>, failure> open(
      distribution_config config, domain::wall_clock clock);
  ~distribution_service();

  /// Starts listening; returns the bound port.
  domain::expected<std::uint16_t, failure> start();
  void stop();

  [[nodiscard]] const std::string& api_token() const;
  [[nodiscard]] store& data();
  /// The routes, for checking them against the OpenAPI document.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> api_routes() const;

  /// Creates or resets an operator; returns the generated password.
  domain::expected<std::string, failure> add_operator(const std::string& name);

 private:
  struct parts;
  explicit distribution_service(std::unique_ptr<parts> p);
  std::unique_ptr<parts> parts_;
};

}  // namespace headroom::distribution
