// The distribution client against the real reference distribution system on 127.0.0.1
// port 0 with the small fleet: inventory, paged and incremental jobs, topology,
// deliveries with idempotency keys, and the failures a notifier must tell apart
// (refused, timed out, rejected, misconfigured).
#define BOOST_TEST_MODULE distribution client
#include "actors/detector/distribution_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/test/unit_test.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <optional>

#include "actors/type_registry.hpp"
#include "detector/detector_errors.hpp"
#include "distribution_api/json.hpp"
#include "tests/support/distribution_fixture.hpp"
#include "tests/support/keep_alive_server.hpp"
#include "tests/support/why.hpp"

using namespace headroom;
using namespace std::chrono_literals;
using detector::detector_errc;

namespace caf {
inline std::ostream& boost_test_print_type(std::ostream& os, const error& e) {
  return os << to_string(e);
}
}  // namespace caf

namespace {

struct client_test_config : caf::actor_system_config {
  client_test_config() {
    set("logger.verbosity", caf::atom("quiet"));
    set("scheduler.max-threads", 2);
    actors::register_types(*this);
  }
};

domain::instant t(const char* text) { return *domain::parse_rfc3339(text); }

bool is(const caf::error& e, detector_errc code) {
  return e.category() == detector::detector_error_category &&
         e.code() == static_cast<std::uint8_t>(code);
}

struct client_fixture : test::server_fixture {
  client_test_config cfg;
  caf::actor_system system{cfg};

  detector::distribution_client_config config(std::uint16_t port) const {
    detector::distribution_client_config c;
    c.url = "http://127.0.0.1:" + std::to_string(port);
    c.api_token = test::test_token;
    c.connect_timeout = 2s;
    c.request_timeout = 5s;
    return c;
  }

  detector::distribution_client_actor spawn(detector::distribution_client_config c) {
    auto client = detector::spawn_distribution_client(system, std::move(c));
    BOOST_REQUIRE_MESSAGE(client, test::why(client));
    clients.push_back(*client);
    return *client;
  }
  detector::distribution_client_actor spawn() { return spawn(config(port())); }

  /// Asks CLIENT and waits for its answer or error.
  template <class T, class... Ts>
  caf::expected<T> ask(const detector::distribution_client_actor& client, Ts&&... xs) {
    caf::scoped_actor self{system};
    std::optional<caf::expected<T>> out;
    self->request(client, 30s, std::forward<Ts>(xs)...)
        .receive([&](T& value) { out = std::move(value); },
                 [&](caf::error& e) { out = std::move(e); });
    return std::move(*out);
  }

  caf::expected<distribution_api::adjustment_outcome> deliver(
      const detector::distribution_client_actor& client, detector::outbox_entry e) {
    return ask<distribution_api::adjustment_outcome>(client, atom::deliver_v, std::move(e));
  }

  std::vector<distribution_api::job_record> jobs(const detector::distribution_client_actor& client,
                                                 domain::instant since,
                                                 std::int64_t changed_after = -1) {
    auto got = ask<std::vector<distribution_api::job_record>>(client, atom::fetch_jobs_v, since,
                                                              changed_after);
    BOOST_REQUIRE_MESSAGE(got, test::why(got));
    return *got;
  }

  ~client_fixture() {
    for (auto& c : clients) caf::anon_send_exit(c, caf::exit_reason::user_shutdown);
  }

  std::vector<detector::distribution_client_actor> clients;
};

distribution_api::notification_record warning() {
  distribution_api::notification_record n;
  n.detector = "det-1";
  n.proxy = "px-a";
  n.sent_at = t("2026-11-30T12:00:00Z");
  n.windows = {{t("2026-12-01T10:05:00Z"), t("2026-12-01T10:10:00Z"), 3, 2, {"j1", "j2", "j3"}}};
  return n;
}

detector::outbox_entry entry(std::string kind, std::string key, std::string body) {
  return {1, "px-a", std::move(kind), std::move(key), std::move(body)};
}

std::vector<std::string> ids(const std::vector<distribution_api::job_record>& jobs) {
  std::vector<std::string> out;
  for (const auto& j : jobs) out.push_back(j.id);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(distribution_client_suite, client_fixture)

BOOST_AUTO_TEST_CASE(fetches_the_inventory) {
  import_small_fleet();
  auto inv = ask<distribution_api::inventory>(spawn(), atom::fetch_inventory_v);
  BOOST_REQUIRE_MESSAGE(inv, test::why(inv));
  BOOST_TEST(inv->customers.size() == 2u);
  BOOST_TEST(inv->customers[0].time_zone == "Europe/Berlin");
  BOOST_TEST((inv->customers[0].maintenance_windows ==
              std::vector<distribution_api::local_window_record>{{120, 300}}));
  BOOST_TEST(inv->devices.size() == 5u);
  BOOST_TEST((inv->devices[4].mode == domain::monitoring_mode::direct));
  BOOST_TEST(inv->packages.size() == 2u);
  BOOST_TEST(inv->services.size() == 2u);
}

BOOST_AUTO_TEST_CASE(fetches_the_inventory_in_two_parts_that_make_the_whole) {
  import_small_fleet();
  auto client = spawn();
  auto whole = ask<distribution_api::inventory>(client, atom::fetch_inventory_v);
  auto devices = ask<distribution_api::inventory>(client, atom::fetch_devices_v);
  auto services = ask<distribution_api::inventory>(client, atom::fetch_services_v);
  BOOST_REQUIRE_MESSAGE(whole && devices && services, "a request failed");
  BOOST_TEST(devices->services.empty());
  BOOST_TEST(services->customers.empty());
  BOOST_TEST(services->devices.empty());
  BOOST_TEST(services->packages.empty());
  BOOST_TEST(services->services.size() == 2u);
  devices->services = services->services;
  BOOST_TEST((*devices == *whole));
}

BOOST_AUTO_TEST_CASE(follows_cursors_through_every_page_of_jobs) {
  import_small_fleet();
  auto c = config(port());
  c.page_size = 2;
  const auto all = jobs(spawn(c), 0);
  BOOST_TEST((ids(all) == std::vector<std::string>{"j1", "j2", "j3", "j4", "j5", "j6"}));
}

BOOST_AUTO_TEST_CASE(fetches_only_jobs_changed_since_a_time) {
  import_small_fleet();
  auto client_ = spawn();
  const auto before = jobs(client_, 0);
  now = t("2026-11-30T13:00:00Z");
  const auto j3 =
      std::find_if(before.begin(), before.end(), [](const auto& j) { return j.id == "j3"; });
  const auto r = this->client().patch(
      "/api/v1/jobs/j3", R"({"version":)" + std::to_string(j3->version) + R"(,"priority":5})");
  BOOST_REQUIRE_EQUAL(r.status, 200);
  const auto changed = jobs(client_, t("2026-11-30T13:00:00Z"));
  BOOST_REQUIRE(changed.size() == 1u);
  BOOST_TEST(changed[0].id == "j3");
  BOOST_TEST(changed[0].priority == 5);
  BOOST_TEST(changed[0].version == j3->version + 1);
}

BOOST_AUTO_TEST_CASE(reads_each_change_once_after_the_newest_change_seen) {
  import_small_fleet();
  auto c = config(port());
  c.page_size = 2;  // the changes come in pages too
  auto client_ = spawn(c);
  const auto all = jobs(client_, 0, 0);
  BOOST_REQUIRE_EQUAL(all.size(), 6u);
  std::int64_t cursor = 0;
  for (const auto& j : all) {
    BOOST_TEST(j.change_seq > cursor);  // in the clock's order
    cursor = j.change_seq;
  }
  BOOST_TEST(jobs(client_, 0, cursor).empty());  // the same second as the import: nothing again
  for (const char* id : {"j5", "j2"}) {
    const auto r =
        this->client().patch(std::string("/api/v1/jobs/") + id, R"({"version":1,"priority":5})");
    BOOST_REQUIRE_EQUAL(r.status, 200);
  }
  const auto changed = jobs(client_, 0, cursor);
  BOOST_REQUIRE_EQUAL(changed.size(), 2u);
  BOOST_TEST(changed[0].id == "j5");  // in the order written
  BOOST_TEST(changed[1].id == "j2");
  BOOST_TEST(jobs(client_, 0, changed.back().change_seq).empty());
}

BOOST_AUTO_TEST_CASE(puts_the_topology_and_hears_of_unknown_devices) {
  import_small_fleet();
  distribution_api::topology_record topo;
  topo.proxies = {{"px-a", 4, 2, {"d1", "d2", "zz"}}, {"px-b", 4, 3, {"d4"}}};
  auto unknown = ask<std::vector<std::string>>(spawn(), atom::put_topology_v, topo);
  BOOST_REQUIRE_MESSAGE(unknown, test::why(unknown));
  BOOST_TEST((*unknown == std::vector<std::string>{"zz"}));
  BOOST_TEST(client().get("/api/v1/topology").json().at("proxies").size() == 2u);
}

BOOST_AUTO_TEST_CASE(delivers_a_notification_once_even_when_replayed) {
  import_small_fleet();
  auto c = spawn();
  const auto e =
      entry("notification", "det-1:abc:1", distribution_api::write_notification(warning()));
  auto first = deliver(c, e);
  BOOST_REQUIRE_MESSAGE(first, test::why(first));
  BOOST_TEST(first->results.empty());
  auto replay = deliver(c, e);
  BOOST_REQUIRE_MESSAGE(replay, test::why(replay));
  BOOST_TEST(client().get("/api/v1/notifications").json().at("items").size() == 1u);
}

BOOST_AUTO_TEST_CASE(delivers_an_adjustment_and_reports_the_refused_move) {
  import_small_fleet();
  auto c = spawn();
  const auto all = jobs(c, 0);
  const auto find = [&](const char* id) {
    return *std::find_if(all.begin(), all.end(), [id](const auto& j) { return j.id == id; });
  };
  const auto j3 = find("j3");
  const auto j1 = find("j1");
  distribution_api::adjustment_record plan{"det-1",
                                           "px-a",
                                           {{"j3", j3.start, j3.start + 600, j3.version},
                                            {"j1", j1.start, j1.start + 900, j1.version + 7}}};
  auto outcome =
      deliver(c, entry("adjustment", "det-1:abc:2", distribution_api::write_adjustment(plan)));
  BOOST_REQUIRE_MESSAGE(outcome, test::why(outcome));
  BOOST_REQUIRE(outcome->results.size() == 2u);
  BOOST_TEST(outcome->results[0].applied);
  BOOST_TEST(!outcome->results[1].applied);
  BOOST_TEST(outcome->results[1].status == 409);
  BOOST_TEST(outcome->results[1].detail.find("changed meanwhile") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_request_the_server_refuses_is_a_permanent_failure_naming_the_path) {
  auto bad = warning();
  bad.windows[0].peak = 1;  // not above the threshold
  auto refused = deliver(
      spawn(), entry("notification", "det-1:abc:3", distribution_api::write_notification(bad)));
  BOOST_REQUIRE(!refused);
  BOOST_TEST(is(refused.error(), detector_errc::rejected));
  BOOST_TEST(!detector::is_transient(refused.error()));
  const auto what = headroom::describe(refused.error());
  BOOST_TEST(what.find("POST /api/v1/notifications") != std::string::npos);
  BOOST_TEST(what.find("HTTP 400") != std::string::npos);
  BOOST_TEST(what.find("windows[0].peak") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_reused_key_with_another_body_is_a_permanent_failure) {
  auto c = spawn();
  BOOST_REQUIRE(deliver(
      c, entry("notification", "det-1:abc:4", distribution_api::write_notification(warning()))));
  auto other = warning();
  other.proxy = "px-b";
  auto refused =
      deliver(c, entry("notification", "det-1:abc:4", distribution_api::write_notification(other)));
  BOOST_REQUIRE(!refused);
  BOOST_TEST(is(refused.error(), detector_errc::rejected));
  BOOST_TEST(headroom::describe(refused.error()).find("HTTP 422") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_wrong_token_is_retried_not_dropped) {
  auto c = config(port());
  c.api_token = "wrong";
  auto refused = deliver(spawn(c), entry("notification", "det-1:abc:5",
                                         distribution_api::write_notification(warning())));
  BOOST_REQUIRE(!refused);
  BOOST_TEST(is(refused.error(), detector_errc::misconfigured));
  BOOST_TEST(detector::is_transient(refused.error()));
}

BOOST_AUTO_TEST_CASE(a_refused_connection_is_a_transient_failure) {
  std::uint16_t closed_port = 0;
  {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    closed_port = a.local_endpoint().port();
  }
  auto failed =
      ask<distribution_api::inventory>(spawn(config(closed_port)), atom::fetch_inventory_v);
  BOOST_REQUIRE(!failed);
  BOOST_TEST(is(failed.error(), detector_errc::unreachable));
  BOOST_TEST(detector::is_transient(failed.error()));
  const auto what = headroom::describe(failed.error());
  BOOST_TEST(what.find("/api/v1/customers") != std::string::npos);
  BOOST_TEST(what.find("refused") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_server_that_never_answers_times_out) {
  // The kernel completes the handshake on the listening socket; nobody ever reads.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor silent(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  auto c = config(silent.local_endpoint().port());
  c.request_timeout = 300ms;
  auto failed = deliver(spawn(c), entry("notification", "det-1:abc:6",
                                        distribution_api::write_notification(warning())));
  BOOST_REQUIRE(!failed);
  BOOST_TEST(is(failed.error(), detector_errc::timeout));
  BOOST_TEST(detector::is_transient(failed.error()));
  BOOST_TEST(headroom::describe(failed.error()).find("within 300 ms") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(keeps_one_connection_for_many_requests) {
  test::keep_alive_server server(100);
  auto c = spawn(config(server.port()));
  for (int i = 0; i < 3; ++i) BOOST_TEST(jobs(c, 0).empty());
  BOOST_TEST(server.requests() == 3);
  BOOST_TEST(server.connections() == 1);
}

BOOST_AUTO_TEST_CASE(connects_again_when_the_server_closed_the_kept_connection) {
  test::keep_alive_server server(1);
  auto c = spawn(config(server.port()));
  for (int i = 0; i < 3; ++i) BOOST_TEST(jobs(c, 0).empty());
  BOOST_TEST(server.requests() == 3);
  BOOST_TEST(server.connections() == 3);
}

BOOST_AUTO_TEST_CASE(only_plain_http_urls_are_accepted) {
  BOOST_TEST(!detector::parse_http_url("https://127.0.0.1:8080"));
  BOOST_TEST(!detector::parse_http_url("ftp://127.0.0.1"));
  BOOST_TEST(!detector::parse_http_url("127.0.0.1:8080"));
  BOOST_TEST(!detector::parse_http_url("http://127.0.0.1:8080/api"));
  BOOST_TEST(!detector::parse_http_url("http://user:pw@127.0.0.1:8080"));
  BOOST_TEST(!detector::parse_http_url("http://127.0.0.1:99999"));
  BOOST_TEST(!detector::parse_http_url("http://:80"));
  auto v4 = detector::parse_http_url("http://127.0.0.1:8080/");
  BOOST_REQUIRE(v4);
  BOOST_TEST(v4->host == "127.0.0.1");
  BOOST_TEST(v4->port == 8080);
  auto v6 = detector::parse_http_url("http://[::1]:9000");
  BOOST_REQUIRE(v6);
  BOOST_TEST(v6->host == "::1");
  BOOST_TEST(detector::parse_http_url("http://localhost")->port == 80);
  auto c = config(8080);
  c.url = "https://127.0.0.1:8080";
  BOOST_TEST(!detector::spawn_distribution_client(system, c));
}

BOOST_AUTO_TEST_SUITE_END()
