// Admission, queueing, supervision and counting by the node agent, on the CAF test
// coordinator: no sockets, no sleeps, the queue timeout on a simulated clock.
#define BOOST_TEST_MODULE node agent
#include "actors/relay/node_agent.hpp"

#include <boost/test/unit_test.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <memory>
#include <optional>

#include "actors/relay/relay_session.hpp"
#include "tests/support/actor_fixture.hpp"

using namespace headroom;
using relay::admission;
using relay::refusal_reason;

namespace {

// What a stand-in session saw.
struct outcome {
  std::optional<admission> decision;
};

// A stand-in for a relay session: asks for admission at once; on `ended` reports and quits.
caf::behavior fake_session(caf::event_based_actor* self, relay::node_agent_actor agent,
                           std::string device, std::shared_ptr<outcome> out) {
  self->request(agent, caf::infinite, atom::admit_v, device, std::string("10.0.0.9"))
      .then([out](const admission& a) { out->decision = a; });
  return {
      [self, agent, device](atom::ended, std::int64_t duration_ms) {
        relay::session_report report;
        report.device_id = device;
        report.admitted = true;
        report.duration_ms = duration_ms;
        report.totals.bytes_to_device = 1000;
        self->send(agent, report);
        self->quit();
      },
  };
}

// Collects what the agent forwards to its sinks (the bus bridge's place).
struct sink_log {
  std::vector<relay::session_report> reports;
  std::vector<relay::device_first_seen> seen;
  std::vector<relay::refusal> refusals;
};

relay::relay_event_sink_actor::behavior_type recording_sink(relay::relay_event_sink_actor::pointer,
                                                            std::shared_ptr<sink_log> log) {
  return {
      [log](const relay::session_report& r) { log->reports.push_back(r); },
      [log](const relay::device_first_seen& d) { log->seen.push_back(d); },
      [log](const relay::refusal& r) { log->refusals.push_back(r); },
  };
}

struct agent_fixture : test::actor_fixture {
  relay::node_agent_actor agent;

  void start(relay::node_agent_config c) {
    c.clock = domain::wall_clock::fixed(1'700'000'000);
    auto spawned = relay::spawn_node_agent(system, std::move(c));
    BOOST_REQUIRE(spawned);
    agent = *spawned;
    run();
  }

  std::pair<caf::actor, std::shared_ptr<outcome>> session(const std::string& device) {
    auto out = std::make_shared<outcome>();
    auto s = system.spawn(fake_session, agent, device, out);
    run();
    return {s, out};
  }

  relay::relay_status status() {
    std::optional<relay::relay_status> result;
    auto asker = system.spawn([this, &result](caf::event_based_actor* self) {
      self->request(agent, caf::infinite, atom::status_v)
          .then([&result](const relay::relay_status& s) { result = s; });
    });
    run();
    BOOST_REQUIRE(result);
    return *result;
  }

  ~agent_fixture() {
    caf::anon_send_exit(agent, caf::exit_reason::user_shutdown);
    run();
  }
};

relay::node_agent_config agent_config(std::uint32_t capacity, std::uint32_t per_device = 4) {
  relay::node_agent_config c;
  c.admission.capacity = capacity;
  c.admission.threshold = capacity;
  c.admission.per_device_connections = per_device;
  c.admission.retry_after_seconds = 17;
  return c;
}

relay::node_agent_config queue_config(std::uint32_t capacity, caf::timespan timeout) {
  auto c = agent_config(capacity);
  c.admission.on_full = relay::on_full_policy::queue;
  c.admission.queue_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(timeout);
  return c;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(node_agent_suite, agent_fixture)

BOOST_AUTO_TEST_CASE(admits_up_to_capacity_distinct_devices_and_refuses_the_next) {
  start(agent_config(2));
  auto [a, out_a] = session("printer-a");
  auto [b, out_b] = session("printer-b");
  auto [c, out_c] = session("printer-c");
  BOOST_TEST(out_a->decision->admitted);
  BOOST_TEST(out_b->decision->admitted);
  BOOST_TEST(!out_c->decision->admitted);
  BOOST_TEST((out_c->decision->reason == refusal_reason::capacity));
  BOOST_TEST(out_c->decision->retry_after_seconds == 17u);
  auto s = status();
  BOOST_TEST(s.active_devices == 2u);
  BOOST_TEST(s.admitted_total == 2u);
  BOOST_TEST(s.refused_total[static_cast<std::size_t>(refusal_reason::capacity)] == 1u);
}

BOOST_AUTO_TEST_CASE(more_connections_of_an_admitted_device_do_not_count_against_capacity) {
  start(agent_config(1, 3));
  auto [a1, o1] = session("printer-a");
  auto [a2, o2] = session("printer-a");
  auto [a3, o3] = session("printer-a");
  auto [a4, o4] = session("printer-a");
  BOOST_TEST(o1->decision->admitted);
  BOOST_TEST(o2->decision->admitted);
  BOOST_TEST(o3->decision->admitted);
  BOOST_TEST(!o4->decision->admitted);
  BOOST_TEST((o4->decision->reason == refusal_reason::device_limit));
  auto s = status();
  BOOST_TEST(s.active_devices == 1u);
  BOOST_TEST(s.active_connections == 3u);
}

BOOST_AUTO_TEST_CASE(a_session_report_frees_the_slot) {
  start(agent_config(1));
  auto [a, out_a] = session("printer-a");
  caf::anon_send(a, atom::ended_v, std::int64_t{2500});
  run();
  auto [b, out_b] = session("printer-b");
  BOOST_TEST(out_b->decision->admitted);
  auto s = status();
  BOOST_TEST(s.sessions_total == 1u);
  BOOST_TEST(s.bytes_to_devices == 1000u);
  BOOST_TEST(s.duration_buckets.back() == 1u);
  BOOST_TEST(s.duration_sum_seconds == 2.5);
  // 2.5 s falls in the 5 s bucket, not in the 1 s one.
  BOOST_TEST(s.duration_buckets[4] == 0u);
  BOOST_TEST(s.duration_buckets[5] == 1u);
}

BOOST_AUTO_TEST_CASE(a_session_that_dies_without_reporting_frees_its_slot) {
  start(agent_config(1));
  auto [a, out_a] = session("printer-a");
  caf::anon_send_exit(a, caf::exit_reason::kill);
  run();
  auto [b, out_b] = session("printer-b");
  BOOST_TEST(out_b->decision->admitted);
}

BOOST_AUTO_TEST_CASE(queue_mode_waits_and_admits_when_a_slot_frees) {
  start(queue_config(1, std::chrono::seconds(30)));
  auto [a, out_a] = session("printer-a");
  auto [b, out_b] = session("printer-b");
  BOOST_TEST(!out_b->decision.has_value());
  BOOST_TEST(status().queued == 1u);
  advance_time(std::chrono::seconds(10));
  BOOST_TEST(!out_b->decision.has_value());
  caf::anon_send(a, atom::ended_v, std::int64_t{10'000});
  run();
  BOOST_REQUIRE(out_b->decision.has_value());
  BOOST_TEST(out_b->decision->admitted);
  BOOST_TEST(out_b->decision->waited);
  auto s = status();
  BOOST_TEST(s.queued == 0u);
  BOOST_TEST(s.queued_total == 1u);
  // The expired timer of the admitted wait does nothing.
  advance_time(std::chrono::seconds(30));
  BOOST_TEST(status().active_devices == 1u);
}

BOOST_AUTO_TEST_CASE(queue_mode_refuses_after_the_timeout) {
  start(queue_config(1, std::chrono::seconds(5)));
  auto [a, out_a] = session("printer-a");
  auto [b, out_b] = session("printer-b");
  advance_time(std::chrono::seconds(4));
  BOOST_TEST(!out_b->decision.has_value());
  advance_time(std::chrono::seconds(1));
  BOOST_REQUIRE(out_b->decision.has_value());
  BOOST_TEST(!out_b->decision->admitted);
  BOOST_TEST((out_b->decision->reason == refusal_reason::queue_timeout));
  BOOST_TEST(status().refused_total[static_cast<std::size_t>(refusal_reason::queue_timeout)] == 1u);
}

BOOST_AUTO_TEST_CASE(a_full_queue_refuses_at_once) {
  auto c = queue_config(1, std::chrono::seconds(30));
  c.admission.queue_limit = 1;
  start(c);
  auto [a, out_a] = session("printer-a");
  auto [b, out_b] = session("printer-b");
  auto [d, out_d] = session("printer-d");
  BOOST_TEST(!out_b->decision.has_value());
  BOOST_REQUIRE(out_d->decision.has_value());
  BOOST_TEST((out_d->decision->reason == refusal_reason::queue_full));
}

BOOST_AUTO_TEST_CASE(a_waiting_session_that_goes_away_leaves_the_queue) {
  start(queue_config(1, std::chrono::seconds(30)));
  auto [a, out_a] = session("printer-a");
  auto [b, out_b] = session("printer-b");
  auto [d, out_d] = session("printer-d");
  caf::anon_send_exit(b, caf::exit_reason::kill);
  run();
  BOOST_TEST(status().queued == 1u);
  caf::anon_send(a, atom::ended_v, std::int64_t{1});
  run();
  BOOST_REQUIRE(out_d->decision.has_value());
  BOOST_TEST(out_d->decision->admitted);
}

BOOST_AUTO_TEST_CASE(a_device_over_its_own_limit_does_not_block_the_queue) {
  auto c = agent_config(2, 1);
  c.admission.on_full = relay::on_full_policy::queue;
  start(c);
  auto [a1, o1] = session("printer-a");
  auto [a2, o2] = session("printer-a");  // waits: device limit
  auto [b, ob] = session("printer-b");   // admitted: a slot is free
  BOOST_TEST(!o2->decision.has_value());
  BOOST_TEST(ob->decision->admitted);
}

BOOST_AUTO_TEST_CASE(sinks_receive_devices_seen_reports_and_refusals) {
  start(agent_config(1));
  auto log = std::make_shared<sink_log>();
  relay::relay_event_sink_actor sink = system.spawn(recording_sink, log);
  caf::anon_send(agent, atom::subscribe_v, sink);
  run();
  auto [a, out_a] = session("printer-a");
  auto [b, out_b] = session("printer-b");
  caf::anon_send(agent,
                 relay::refusal{refusal_reason::forbidden, "printer-a", "10.0.0.9", "not allowed"});
  caf::anon_send(a, atom::ended_v, std::int64_t{5});
  run();
  BOOST_REQUIRE(log->seen.size() == 1u);
  BOOST_TEST(log->seen[0].device_id == "printer-a");
  BOOST_TEST(log->seen[0].first_seen_ms == 1'700'000'000'000);
  BOOST_TEST(log->reports.size() == 1u);
  BOOST_TEST(log->refusals.size() ==
             2u);  // the capacity refusal of printer-b, and the forbidden one
  auto s = status();
  BOOST_TEST(s.devices_seen == 1u);
  BOOST_TEST(s.refused_total[static_cast<std::size_t>(refusal_reason::forbidden)] == 1u);
  caf::anon_send_exit(sink, caf::exit_reason::user_shutdown);
  run();
}

BOOST_AUTO_TEST_CASE(invalid_configurations_are_refused_at_spawn) {
  auto c = agent_config(0);
  c.clock = domain::wall_clock::fixed(0);
  auto spawned = relay::spawn_node_agent(system, c);
  BOOST_TEST(!spawned);
  start(agent_config(1));
}

BOOST_AUTO_TEST_SUITE_END()
