#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "distribution/config.hpp"
#include "distribution/failure.hpp"
#include "domain/time.hpp"

namespace headroom::distribution {

class store;

/// The whole distribution system: store, routes and HTTP server, wired from one config.
/// `headroom distribution` runs one; the tests run one on 127.0.0.1 port 0.
class distribution_service {
 public:
  /// Opens (or creates) the data directory and the store. `now` defaults to the system clock.
  static result<std::unique_ptr<distribution_service>> open(
      distribution_config config, std::function<domain::instant()> now = {});
  ~distribution_service();

  /// Starts listening; returns the bound port.
  result<std::uint16_t> start();
  void stop();

  [[nodiscard]] const std::string& api_token() const;
  [[nodiscard]] store& data();
  /// The routes, for checking them against the OpenAPI document.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> api_routes() const;

  /// Creates or resets an operator; returns the generated password.
  result<std::string> add_operator(const std::string& name);

 private:
  struct parts;
  explicit distribution_service(std::unique_ptr<parts> p);
  std::unique_ptr<parts> parts_;
};

/// The system clock in whole seconds.
domain::instant system_now();

}  // namespace headroom::distribution
