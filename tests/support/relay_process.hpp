#pragma once
// `headroom relay` as a child process for the fault and soak suites: its configuration
// (a detector's bus, one upstream, a spool), the ports it prints, devices that name
// themselves, and its metrics.

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "tests/support/child_process.hpp"
#include "tests/support/proc_stats.hpp"

namespace headroom::test {

inline std::string base64(const std::string& text) {
  static constexpr char digits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 3) {
    std::uint32_t v = static_cast<unsigned char>(text[i]) << 16;
    if (i + 1 < text.size()) v |= static_cast<unsigned char>(text[i + 1]) << 8;
    if (i + 2 < text.size()) v |= static_cast<unsigned char>(text[i + 2]);
    for (std::size_t k = 0; k < 4; ++k)
      out += k < 2 || i + k - 1 < text.size() ? digits[(v >> (18 - 6 * k)) & 63] : '=';
  }
  return out;
}

/// A device names itself with the proxy user name (the relay does not check it here).
inline std::string device_header(const std::string& device) {
  return "Proxy-Authorization: Basic " + base64(device + ":x") + "\r\n";
}

/// Writes a relay configuration to PATH: node NODE_ID on the detector's ROUTER and PUB,
/// relaying to 127.0.0.1:UPSTREAM, heartbeat 100 ms (timeout 1 s), spool in SPOOL_DIR.
inline void write_relay_config(const std::string& path, const std::string& node_id,
                               const std::string& router, const std::string& pub,
                               std::uint16_t upstream, const std::string& spool_dir) {
  std::ofstream{path} << "[relay]\nlisten = \"127.0.0.1:0\"\nadmin = \"127.0.0.1:0\"\n"
                      << "proxy_id = \"proxy-" << node_id << "\"\nnode_id = \"" << node_id
                      << "\"\ndetector = \"" << router << "\"\ndetector_pub = \"" << pub << "\"\n"
                      << "[admission]\ncapacity = 64\n"
                      << "[upstreams]\nallow = [\"127.0.0.1:" << upstream << "\"]\n"
                      << "[bus]\nheartbeat_interval_ms = 100\nheartbeat_timeout_ms = 1000\n"
                      << "spool_dir = \"" << spool_dir << "\"\n";
}

/// The relay as a child process and the ports it printed.
struct running_relay {
  std::unique_ptr<child_process> process;
  std::uint16_t port = 0;
  std::uint16_t admin = 0;

  explicit running_relay(const std::string& config) {
    process =
        std::make_unique<child_process>(std::vector<std::string>{"relay", "--config", config});
    BOOST_TEST_REQUIRE(process->started());
    port = port_after(process->line(), "listening on http://127.0.0.1:");
    admin = port_after(process->line(), "admin on http://127.0.0.1:");
    BOOST_TEST_REQUIRE(port > 0);
    BOOST_TEST_REQUIRE(admin > 0);
  }
};

/// The value of the first sample of METRIC in a Prometheus text, or -1.
inline double metric_value(const std::string& text, const std::string& metric) {
  auto at = text.find("\n" + metric);
  if (at == std::string::npos) return -1;
  auto end = text.find('\n', at + 1);
  auto line = text.substr(at + 1, end - at - 1);
  return std::stod(line.substr(line.rfind(' ') + 1));
}

}  // namespace headroom::test
