// The relay node end to end on 127.0.0.1: a test upstream, the relay in front of it,
// devices as raw clients. Every socket aims at loopback only.
#define BOOST_TEST_MODULE relay node
#include <boost/test/unit_test.hpp>

#include "tests/support/relay_client.hpp"
#include "tests/support/relay_fixture.hpp"

using namespace headroom;
using relay::refusal_reason;
using test::eventually;
using test::relay_client;

namespace {

std::string basic(const std::string& device) {
  // Base64 of "DEVICE:pw" for the few device names the tests use.
  static const std::map<std::string, std::string> encoded{{"printer-a", "cHJpbnRlci1hOnB3"},
                                                          {"printer-b", "cHJpbnRlci1iOnB3"},
                                                          {"printer-c", "cHJpbnRlci1jOnB3"}};
  return "Proxy-Authorization: Basic " + encoded.at(device) + "\r\n";
}

int status_of(const std::string& raw) { return raw.size() >= 12 ? std::stoi(raw.substr(9, 3)) : 0; }

// The status a new connection gets for GET http://127.0.0.1:UPSTREAM/PATH, read to the close.
int answer_to(std::uint16_t relay, std::uint16_t upstream, const std::string& path) {
  relay_client device(relay);
  device.get(upstream, path);
  return status_of(device.read_all());
}

// DEVICE (empty: no credentials) asks for /small on a new connection, which stays open.
struct asked {
  std::unique_ptr<relay_client> connection;
  relay_client::response response;
  int status() const { return response.result_int(); }
};

asked ask(std::uint16_t relay, std::uint16_t upstream, const std::string& device) {
  asked out{std::make_unique<relay_client>(relay), {}};
  out.connection->get(upstream, "/small", device.empty() ? "" : basic(device));
  out.response = out.connection->read();
  return out;
}

// A POST of BODY to TARGET (/echo: absolute-form through the relay, origin-form in a tunnel).
std::string post(const std::string& target, const std::string& host, const std::string& body) {
  std::string out = "POST ";
  out.append(target).append(" HTTP/1.1\r\nHost: ").append(host);
  out.append("\r\nContent-Length: ").append(std::to_string(body.size())).append("\r\n\r\n");
  return out.append(body);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(relay_node_suite, test::relay_fixture)

BOOST_AUTO_TEST_CASE(absolute_form_requests_are_relayed) {
  start(base_config());
  relay_client device(port());
  device.get(upstream.port(), "/small");
  auto r = device.read();
  BOOST_TEST(r.result_int() == 200);
  BOOST_TEST(r.body() == std::string(100, 'x'));
  BOOST_TEST(std::string(r["Via"]) == "1.1 test-proxy");
  device.send("HEAD http://127.0.0.1:" + std::to_string(upstream.port()) +
              "/small HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(upstream.port()) + "\r\n\r\n");
  auto h = device.read(true);
  BOOST_TEST(h.result_int() == 200);
  BOOST_TEST(std::string(h["Content-Length"]) == "100");
}

BOOST_AUTO_TEST_CASE(connect_tunnels_carry_bytes_both_ways) {
  start(base_config());
  relay_client device(port());
  auto authority = "127.0.0.1:" + std::to_string(upstream.port());
  device.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
  auto established = device.read(true);
  BOOST_TEST(established.result_int() == 200);
  // Inside the tunnel: plain HTTP to the upstream, origin-form.
  device.send("GET /small HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
  auto r = device.read();
  BOOST_TEST(r.result_int() == 200);
  BOOST_TEST(r.body().size() == 100u);
  BOOST_TEST(!r.count("Via"));  // the relay does not look into tunnels
}

BOOST_AUTO_TEST_CASE(keep_alive_reuses_the_device_and_upstream_connections) {
  start(base_config());
  relay_client device(port());
  for (int i = 0; i < 5; ++i) {
    device.get(upstream.port(), "/small");
    BOOST_TEST(device.read().result_int() == 200);
  }
  BOOST_TEST(upstream.connections() == 1u);
  BOOST_TEST(upstream.requests() == 5u);
  auto s = status();
  BOOST_TEST(s.admitted_total == 1u);
  BOOST_TEST(s.active_connections == 1u);
}

BOOST_AUTO_TEST_CASE(two_io_threads_carry_many_connections_and_bodies_past_the_landing_area) {
  // Each connection lives on one of the pool's io_contexts, in turn. Bodies of every size
  // around the 512 bytes a connection holds itself cross from it to a pool buffer: echoed
  // (a request body up, a Content-Length body down), streamed, and through tunnels.
  auto c = base_config();
  c.io_threads = 2;
  c.admission.per_device_connections = 20;  // every client here is the same device
  start(c);
  const auto authority = "127.0.0.1:" + std::to_string(upstream.port());
  const auto echo = "http://" + authority + "/echo";
  std::vector<std::unique_ptr<relay_client>> devices;
  devices.reserve(6);
  for (int i = 0; i < 6; ++i) devices.push_back(std::make_unique<relay_client>(port()));
  for (std::size_t size : {1u, 511u, 512u, 513u, 5000u, 200'000u}) {
    for (std::size_t i = 0; i < devices.size(); ++i)
      devices[i]->send(post(echo, authority, std::string(size, static_cast<char>('a' + i))));
    for (std::size_t i = 0; i < devices.size(); ++i) {
      auto r = devices[i]->read();
      BOOST_TEST(r.result_int() == 200);
      BOOST_TEST((r.body() == std::string(size, static_cast<char>('a' + i))), "echo of " << size);
    }
  }
  devices[0]->get(upstream.port(), "/bytes/3000000");
  BOOST_TEST(devices[0]->read().body() == std::string(3'000'000, 'f'));
  relay_client tunnel(port());
  tunnel.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
  BOOST_TEST(tunnel.read(true).result_int() == 200);
  std::string body(100'000, 't');
  tunnel.send(post("/echo", authority, body));
  BOOST_TEST(tunnel.read().body() == body);
  BOOST_TEST(status().active_connections == 7u);
  devices.clear();
  node->stop();  // joins both threads once every connection has closed
  BOOST_TEST(node->context().traffic.open_connections.load() == 0u);
}

BOOST_AUTO_TEST_CASE(a_kept_upstream_connection_that_closed_is_replaced_without_an_error) {
  start(base_config());
  relay_client device(port());
  device.get(upstream.port(), "/bye");
  BOOST_TEST(device.read().result_int() == 200);
  BOOST_REQUIRE(eventually([&] { return upstream.closed() == 1u; }));  // its FIN is on its way
  device.get(upstream.port(), "/small");
  BOOST_TEST(device.read().result_int() == 200);
  BOOST_TEST(upstream.connections() == 2u);
  BOOST_TEST(refused(refusal_reason::upstream_failed, 0u) == 0u);
}

BOOST_AUTO_TEST_CASE(chunked_bodies_pass_both_ways) {
  start(base_config());
  relay_client device(port());
  device.send("POST http://127.0.0.1:" + std::to_string(upstream.port()) +
              "/echo HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(upstream.port()) +
              "\r\nTransfer-Encoding: chunked\r\n\r\n" +
              "6\r\nfirmw \r\n3;ext\r\nare\r\n0\r\n\r\n");
  auto echoed = device.read();
  BOOST_TEST(echoed.result_int() == 200);
  BOOST_TEST(echoed.body() == "firmw are");
  device.get(upstream.port(), "/chunked");
  auto chunked = device.read();
  BOOST_TEST(chunked.body() == "alphabetagamma");
  device.send("PUT http://127.0.0.1:" + std::to_string(upstream.port()) +
              "/echo HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(upstream.port()) +
              "\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
  auto go_on = device.read(true);
  BOOST_TEST(go_on.result_int() == 100);
  device.send("data");
  BOOST_TEST(device.read().body() == "data");
  device.get(upstream.port(), "/close");
  BOOST_TEST(device.read().body() == "until the end");
  BOOST_TEST(device.closed_by_peer());
}

BOOST_AUTO_TEST_CASE(the_device_over_capacity_gets_503_with_retry_after) {
  auto c = base_config();
  c.admission.capacity = 2;
  c.admission.retry_after_seconds = 7;
  start(c);
  auto a = ask(port(), upstream.port(), "printer-a");
  auto b = ask(port(), upstream.port(), "printer-b");
  auto full = ask(port(), upstream.port(), "printer-c");
  BOOST_TEST(a.status() == 200);
  BOOST_TEST(b.status() == 200);
  BOOST_TEST(full.status() == 503);
  BOOST_TEST(std::string(full.response["Retry-After"]) == "7");
  BOOST_TEST(refused(refusal_reason::capacity, 1u) == 1u);
  // A second connection of an admitted device is no new device.
  auto a2 = ask(port(), upstream.port(), "printer-a");
  BOOST_TEST(a2.status() == 200);
  auto s = status();
  BOOST_TEST(s.active_devices == 2u);
  BOOST_TEST(s.active_connections == 3u);
}

BOOST_AUTO_TEST_CASE(queue_mode_waits_until_a_slot_frees) {
  auto c = base_config();
  c.admission.capacity = 1;
  c.admission.on_full = relay::on_full_policy::queue;
  c.admission.queue_timeout = std::chrono::milliseconds(10'000);
  start(c);
  auto a = std::make_unique<relay_client>(port());
  a->get(upstream.port(), "/small", basic("printer-a"));
  BOOST_TEST(a->read().result_int() == 200);
  relay_client b(port());
  b.get(upstream.port(), "/small", basic("printer-b"));
  auto s = wait_for([](const auto& st) { return st.queued == 1; });
  BOOST_TEST(s.queued == 1u);
  a.reset();  // printer-a hangs up: its slot goes to printer-b
  auto r = b.read();
  BOOST_TEST(r.result_int() == 200);
  BOOST_TEST(status().queued_total == 1u);
}

BOOST_AUTO_TEST_CASE(queue_mode_refuses_when_the_wait_times_out) {
  auto c = base_config();
  c.admission.capacity = 1;
  c.admission.on_full = relay::on_full_policy::queue;
  c.admission.queue_timeout = std::chrono::milliseconds(200);
  start(c);
  auto a = ask(port(), upstream.port(), "printer-a");
  BOOST_TEST(a.status() == 200);
  BOOST_TEST(ask(port(), upstream.port(), "printer-b").status() == 503);
  BOOST_TEST(refused(refusal_reason::queue_timeout, 1u) == 1u);
}

BOOST_AUTO_TEST_CASE(per_device_connection_limit) {
  auto c = base_config();
  c.admission.per_device_connections = 2;
  start(c);
  auto a1 = ask(port(), upstream.port(), "printer-a");
  auto a2 = ask(port(), upstream.port(), "printer-a");
  BOOST_TEST(a1.status() == 200);
  BOOST_TEST(a2.status() == 200);
  BOOST_TEST(ask(port(), upstream.port(), "printer-a").status() == 503);
  BOOST_TEST(refused(refusal_reason::device_limit, 1u) == 1u);
}

BOOST_AUTO_TEST_CASE(targets_outside_the_allowlist_get_403_and_never_reach_a_socket) {
  start(base_config());
  auto up = std::to_string(upstream.port());
  // Loopback only: other 127.x addresses and the encodings of 127.0.0.1.
  const std::vector<std::string> targets{
      "http://127.0.0.2:" + up + "/small",
      "http://2130706433:" + up + "/small",
      "http://0177.0.0.1:" + up + "/small",
      "http://0x7f.0.0.1:" + up + "/small",
      "http://0x7f000001:" + up + "/small",
      "http://127.1:" + up + "/small",
      "http://[::ffff:127.0.0.1]:" + up + "/small",
      "http://[::1]:" + up + "/small",
      "http://localhost:" + up + "/small",
      "http://printer-a@127.0.0.2:" + up + "/small",
      "http://127.0.0.1:" + std::to_string(upstream.port() == 65535 ? 1 : upstream.port() + 1) +
          "/small"};
  for (const auto& target : targets) {
    relay_client device(port());
    device.send("GET " + target +
                " HTTP/1.1\r\nHost: " + target.substr(7, target.find('/', 7) - 7) + "\r\n\r\n");
    BOOST_TEST(status_of(device.read_all()) == 403, target);
  }
  relay_client mismatch(port());
  mismatch.get(upstream.port(), "/small");
  mismatch.send("GET http://127.0.0.1:" + up + "/small HTTP/1.1\r\nHost: 127.0.0.2:" + up +
                "\r\n\r\n");
  BOOST_TEST(mismatch.read().result_int() == 200);
  BOOST_TEST(status_of(mismatch.read_all()) == 403);
  relay_client tunnel(port());
  tunnel.send("CONNECT 127.0.0.2:" + up + " HTTP/1.1\r\nHost: 127.0.0.2:" + up + "\r\n\r\n");
  BOOST_TEST(status_of(tunnel.read_all()) == 403);
  BOOST_TEST(upstream.requests() == 1u);  // only the one allowed request
  BOOST_TEST(refused(refusal_reason::forbidden, targets.size() + 2) == targets.size() + 2);
}

BOOST_AUTO_TEST_CASE(malformed_and_smuggling_requests_get_400_and_the_relay_serves_on) {
  start(base_config());
  auto up = std::to_string(upstream.port());
  auto line = "POST http://127.0.0.1:" + up + "/echo HTTP/1.1\r\nHost: 127.0.0.1:" + up + "\r\n";
  const std::vector<std::string> bad{
      line + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      line + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      line + "Transfer-Encoding: CHUNKED\r\n\r\n0\r\n\r\n",
      line + "Transfer-Encoding:  chunked , identity\r\n\r\n0\r\n\r\n",
      line + "Content-Length: 4\r\nContent-Length: 5\r\n\r\ndata",
      line + "Content-Length: 4x\r\n\r\ndata",
      line + "X-Fold: a\r\n b\r\nContent-Length: 0\r\n\r\n",
      line + "Content-Length : 4\r\n\r\ndata",
      line + "X-Bad: a" + std::string(1, '\0') + "b\r\n\r\n",
      line + "X-Bad: a\rb\r\n\r\n",
      "POST http://127.0.0.1:" + up + "/echo HTTP/1.1\nHost: 127.0.0.1:" + up + "\n\n",
      line + "Transfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\n",
      line + "Transfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n",
      "GARBAGE\r\n\r\n",
      "GET /origin-form HTTP/1.1\r\nHost: 127.0.0.1:" + up + "\r\n\r\n",
  };
  for (const auto& request : bad) {
    relay_client device(port());
    device.send(request);
    BOOST_TEST(status_of(device.read_all()) == 400, request);
  }
  relay_client good(port());
  good.get(upstream.port(), "/small");
  BOOST_TEST(good.read().result_int() == 200);
  BOOST_TEST(refused(refusal_reason::malformed, bad.size()) == bad.size());
}

BOOST_AUTO_TEST_CASE(oversized_request_lines_and_headers_get_431) {
  start(base_config());
  auto up = std::to_string(upstream.port());
  std::string many;
  for (int i = 0; i < 150; ++i) many += "X-" + std::to_string(i) + ": v\r\n";
  const std::vector<std::string> big{
      "GET http://127.0.0.1:" + up + "/" + std::string(10'000, 'a') + " HTTP/1.1\r\n\r\n",
      "GET http://127.0.0.1:" + up + "/small HTTP/1.1\r\nHost: 127.0.0.1:" + up + "\r\n" + many +
          "\r\n",
      "GET http://127.0.0.1:" + up + "/small HTTP/1.1\r\nX-Big: " + std::string(40'000, 'v') +
          "\r\n\r\n",
  };
  for (const auto& request : big) {
    relay_client device(port());
    boost::system::error_code ignored;
    boost::asio::write(device.socket(), boost::asio::buffer(request), ignored);
    BOOST_TEST(status_of(device.read_all()) == 431);
  }
  BOOST_TEST(refused(refusal_reason::too_large, big.size()) == big.size());
}

BOOST_AUTO_TEST_CASE(slowloris_gets_408) {
  auto c = base_config();
  c.header_timeout = std::chrono::milliseconds(300);
  c.header_idle_timeout = std::chrono::milliseconds(200);
  start(c);
  relay_client idle(port());
  idle.send("GET http://127.0.0.1:" + std::to_string(upstream.port()) + "/small HTTP/1.1\r\n");
  BOOST_TEST(status_of(idle.read_all()) == 408);
  relay_client trickle(port());
  auto request =
      "GET http://127.0.0.1:" + std::to_string(upstream.port()) + "/small HTTP/1.1\r\nX-Slow: ";
  trickle.send(request);
  // A byte every 100 ms keeps the idle timer happy but not the total one.
  std::string answer;
  for (int i = 0; i < 10; ++i) {
    boost::system::error_code ec;
    boost::asio::write(trickle.socket(), boost::asio::buffer("a", 1), ec);
    if (ec) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  BOOST_TEST(status_of(trickle.read_all()) == 408);
  BOOST_TEST(refused(refusal_reason::header_timeout, 2u) == 2u);
}

BOOST_AUTO_TEST_CASE(upstream_down_gets_502) {
  std::uint16_t closed_port = 0;
  {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor probe(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    closed_port = probe.local_endpoint().port();
  }
  auto c = base_config();
  c.allow.push_back("127.0.0.1:" + std::to_string(closed_port));
  start(c);
  BOOST_TEST(answer_to(port(), closed_port, "/small") == 502);
  BOOST_TEST(refused(refusal_reason::upstream_failed, 1u) == 1u);
}

BOOST_AUTO_TEST_CASE(upstream_slow_gets_504) {
  auto c = base_config();
  c.response_timeout = std::chrono::milliseconds(200);
  start(c);
  BOOST_TEST(answer_to(port(), upstream.port(), "/slow/1000") == 504);
  BOOST_TEST(refused(refusal_reason::upstream_timeout, 1u) == 1u);
}

BOOST_AUTO_TEST_CASE(upstream_connect_timeout_gets_504) {
  // A loopback listener that never accepts, its backlog filled: further SYNs go unanswered.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor stuck(io);
  stuck.open(boost::asio::ip::tcp::v4());
  stuck.bind({boost::asio::ip::make_address("127.0.0.1"), 0});
  stuck.listen(0);
  auto stuck_port = stuck.local_endpoint().port();
  std::vector<std::unique_ptr<boost::asio::ip::tcp::socket>> fillers;
  for (int i = 0; i < 4; ++i) {
    // Started, never completed: `io` is not run.
    auto s = std::make_unique<boost::asio::ip::tcp::socket>(io);
    s->async_connect({boost::asio::ip::make_address("127.0.0.1"), stuck_port},
                     [](boost::system::error_code) {});
    fillers.push_back(std::move(s));
  }
  auto c = base_config();
  c.connect_timeout = std::chrono::milliseconds(300);
  c.allow.push_back("127.0.0.1:" + std::to_string(stuck_port));
  start(c);
  BOOST_TEST(answer_to(port(), stuck_port, "/small") == 504);
  BOOST_TEST(refused(refusal_reason::upstream_timeout, 1u) == 1u);
}

BOOST_AUTO_TEST_CASE(auth_requires_the_device_password) {
  auto c = base_config();
  c.auth = true;
  c.credentials = {{"printer-a", "pw"}};
  start(c);
  auto challenge = ask(port(), upstream.port(), "");
  BOOST_TEST(challenge.status() == 407);
  BOOST_TEST(std::string(challenge.response["Proxy-Authenticate"]) == "Basic realm=\"headroom\"");
  BOOST_TEST(ask(port(), upstream.port(), "printer-b").status() == 407);  // wrong password
  BOOST_TEST(ask(port(), upstream.port(), "printer-a").status() == 200);
  BOOST_TEST(refused(refusal_reason::unauthorized, 2u) == 2u);
}

BOOST_AUTO_TEST_CASE(admin_endpoint_serves_metrics_health_and_status) {
  start(base_config());
  {
    relay_client device(port());
    device.get(upstream.port(), "/small", basic("printer-a"));
    BOOST_TEST(device.read().result_int() == 200);
  }
  wait_for([](const auto& s) { return s.sessions_total == 1; });
  auto fetch = [&](const std::string& path) {
    relay_client admin(node->admin_port());
    admin.send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    return admin.read();
  };
  BOOST_TEST(fetch("/healthz").body() == "ok\n");
  auto metrics = fetch("/metrics").body();
  BOOST_TEST(metrics.find("headroom_relay_admitted_total{proxy=\"test-proxy\"} 1\n") !=
             std::string::npos);
  BOOST_TEST(
      metrics.find("headroom_relay_session_duration_seconds_count{proxy=\"test-proxy\"} 1\n") !=
      std::string::npos);
  BOOST_TEST(
      metrics.find("headroom_relay_refused_total{proxy=\"test-proxy\",reason=\"capacity\"} 0") !=
      std::string::npos);
  BOOST_TEST(
      metrics.find("headroom_relay_bytes_total{proxy=\"test-proxy\",direction=\"to_devices\"}") !=
      std::string::npos);
  auto json = fetch("/status");
  BOOST_TEST(std::string(json["Content-Type"]) == "application/json");
  BOOST_TEST(json.body().find("\"devices_seen\": 1") != std::string::npos);
  BOOST_TEST(fetch("/nope").result_int() == 404);
}

BOOST_AUTO_TEST_SUITE_END()
