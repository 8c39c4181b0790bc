// The adjuster's plan for one proxy's windows (plan_for), as a plain function.
#define BOOST_TEST_MODULE detector adjuster
#include "actors/detector/adjuster.hpp"

#include <boost/test/unit_test.hpp>

#include "domain/detection.hpp"
#include "tests/support/model_world.hpp"

using namespace headroom;
using test::day;
using test::t0;
using test::world;

BOOST_AUTO_TEST_CASE(warn_mode_suggests_moves_that_clear_the_window) {
  world w;
  auto model = w.rebuild();
  auto before =
      domain::detect(model->fleet, model->counting, domain::requested_schedule(model->fleet), day);
  BOOST_REQUIRE_EQUAL(before.windows.size(), 1u);  // j1 and j2 overlap: load 2 > 1

  detector::proxy_windows in{"p1", model, {}};
  in.windows.push_back(
      {before.windows[0].span.start, before.windows[0].span.end, 2, 1, {"j1", "j2"}});
  detector::adjuster_config config{"det-1", detector::detector_mode::warn,
                                   domain::wall_clock::fixed(t0)};
  auto out = detector::plan_for(config, in);
  BOOST_TEST(!out.adjustment);
  BOOST_TEST(out.notification.windows == in.windows);
  BOOST_TEST(out.notification.detector == "det-1");
  BOOST_REQUIRE_EQUAL(out.notification.suggested_moves.size(), 1u);
  const auto& move = out.notification.suggested_moves.front();
  BOOST_TEST(move.job == "j2");
  BOOST_TEST(move.from == t0 + 3900);
  BOOST_TEST(move.to == t0 + 4200);  // right after j1 ends
  BOOST_TEST(move.version == 1);
}

BOOST_AUTO_TEST_CASE(auto_mode_sends_the_plan_and_the_windows_it_leaves) {
  world w;
  auto model = w.rebuild();
  detector::proxy_windows in{"p1", model, {{t0 + 3900, t0 + 4200, 2, 1, {"j1", "j2"}}}};
  detector::adjuster_config config{"det-1", detector::detector_mode::automatic,
                                   domain::wall_clock::fixed(t0)};
  auto out = detector::plan_for(config, in);
  BOOST_REQUIRE(out.adjustment);
  BOOST_TEST(out.adjustment->proxy == "p1");
  BOOST_TEST(out.adjustment->moves.size() == 1u);
  BOOST_TEST(out.notification.windows.empty());
  BOOST_TEST(out.notification.suggested_moves.empty());
}

BOOST_AUTO_TEST_CASE(cleared_windows_make_an_empty_notification) {
  world w;
  detector::proxy_windows in{"p1", w.rebuild(), {}};
  auto out = detector::plan_for(
      {"det-1", detector::detector_mode::automatic, domain::wall_clock::fixed(t0)}, in);
  BOOST_TEST(!out.adjustment);
  BOOST_TEST(out.notification.windows.empty());
  BOOST_TEST(out.notification.proxy == "p1");
}
