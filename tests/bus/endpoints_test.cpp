#define BOOST_TEST_MODULE bus_endpoints
#include "bus/endpoints.hpp"

#include <boost/test/unit_test.hpp>

using namespace headroom::bus;

BOOST_AUTO_TEST_CASE(tcp_endpoints_split_into_host_and_port) {
  auto e = parse_tcp_endpoint("tcp://detector.example:7301", {1, 65535});
  BOOST_REQUIRE(e.has_value());
  BOOST_TEST(e->host == "detector.example");
  BOOST_TEST(e->port == 7301);
  BOOST_TEST(parse_tcp_endpoint("tcp://[::1]:5555", {1, 65535})->host == "::1");
  BOOST_TEST(parse_tcp_endpoint("tcp://127.0.0.1:*", {0, 65535})->port == 0);
  BOOST_TEST(parse_tcp_endpoint("tcp://127.0.0.1:*", {1, 65535}).failure().what ==
             "port '*' in 'tcp://127.0.0.1:*' is not 1..65535");
  BOOST_TEST(parse_tcp_endpoint("tcp://127.0.0.1", {0, 65535}).failure().what ==
             "'tcp://127.0.0.1' is not tcp://HOST:PORT");
}

BOOST_AUTO_TEST_CASE(a_node_connects_to_tcp_or_ipc) {
  BOOST_TEST(!check_connect_endpoint("tcp://127.0.0.1:7301").has_value());
  BOOST_TEST(!check_connect_endpoint("ipc:///run/headroom/router").has_value());
  BOOST_TEST(check_connect_endpoint("inproc://x")->what ==
             "'inproc://x' is not a tcp://HOST:PORT or ipc://PATH endpoint");
  BOOST_TEST(check_connect_endpoint("tcp://127.0.0.1:0")->what.find("is not 1..65535") !=
             std::string::npos);
  BOOST_TEST(check_connect_endpoint("ipc://").has_value());
}

BOOST_AUTO_TEST_CASE(the_detector_binds_tcp_ipc_or_inproc) {
  BOOST_TEST(!check_bind_endpoint("tcp://127.0.0.1:*").has_value());
  BOOST_TEST(!check_bind_endpoint("tcp://*:5555").has_value());
  BOOST_TEST(!check_bind_endpoint("inproc://hub").has_value());
  BOOST_TEST(!check_bind_endpoint("ipc:///tmp/hub").has_value());
  BOOST_TEST(check_bind_endpoint("udp://127.0.0.1:5555").has_value());
  BOOST_TEST(check_bind_endpoint("tcp://127.0.0.1:70000").has_value());
}

BOOST_AUTO_TEST_CASE(the_pub_is_on_the_port_after_the_router) {
  BOOST_TEST(*pub_endpoint_beside("tcp://detector.example:7301", "detector") ==
             "tcp://detector.example:7302");
  BOOST_TEST(*pub_endpoint_beside("tcp://[::1]:5555", "bus.listen") == "tcp://[::1]:5556");
  BOOST_TEST(*pub_endpoint_beside("tcp://*:5555", "bus.listen") == "tcp://*:5556");
  BOOST_TEST(pub_endpoint_beside("ipc:///run/router", "detector").failure().what ==
             "must be given with an ipc:// detector");
  BOOST_TEST(pub_endpoint_beside("inproc://hub", "bus.listen").failure().what ==
             "must be given with an inproc:// bus.listen");
  BOOST_TEST(pub_endpoint_beside("tcp://127.0.0.1:*", "bus.listen").failure().what ==
             "must be given when bus.listen picks any port");
  BOOST_TEST(pub_endpoint_beside("tcp://127.0.0.1:65535", "detector").failure().what ==
             "must be given: detector has the last port, 65535");
}

BOOST_AUTO_TEST_CASE(the_detector_binds_loopback_by_default_and_warns_off_loopback_without_curve) {
  BOOST_TEST(is_loopback_endpoint(default_router_endpoint));
  BOOST_TEST(is_loopback_endpoint(default_pub_endpoint));
  BOOST_TEST(!plaintext_bus_warning(default_router_endpoint, default_pub_endpoint, false));
  for (const auto* local : {"tcp://127.0.0.1:5555", "tcp://127.1.2.3:*", "tcp://[::1]:5555",
                            "tcp://localhost:5555", "ipc:///run/headroom/bus", "inproc://bus"})
    BOOST_TEST(is_loopback_endpoint(local), local);
  for (const auto* exposed : {"tcp://*:5555", "tcp://0.0.0.0:5555", "tcp://[::]:5555",
                              "tcp://10.0.0.5:5555", "tcp://detector.example:5555"})
    BOOST_TEST(!is_loopback_endpoint(exposed), exposed);
  const auto warning = plaintext_bus_warning("tcp://0.0.0.0:5555", "tcp://127.0.0.1:5556", false);
  BOOST_REQUIRE(warning.has_value());
  BOOST_TEST(warning->starts_with("WARNING:"));
  BOOST_TEST(warning->find("tcp://0.0.0.0:5555 WITHOUT CurveZMQ") != std::string::npos);
  BOOST_TEST(!plaintext_bus_warning("tcp://0.0.0.0:5555", "tcp://0.0.0.0:5556", true));
}
