// The progress bar as a log and a terminal show it: each lane's name, its share done, the
// virtual time reached; in a log, a lane once it is done.
#define BOOST_TEST_MODULE common_progress_bar
#include "common/progress_bar.hpp"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <sstream>

namespace headroom::common {
namespace {

BOOST_AUTO_TEST_CASE(a_log_gets_one_line_per_lane_once_it_is_done) {
  progress_lanes lanes(2);
  lanes[0].total = 4;
  lanes[0].finished = 4;
  lanes[0].reached = 1796601600;  // 2026-12-07T00:00:00Z
  lanes[0].done = true;
  lanes[1].total = 4;
  lanes[1].finished = 1;
  std::ostringstream out;
  { progress_bar bar(lanes, {"first", "second"}, "jobs", out, false); }
  const auto text = out.str();
  BOOST_TEST(text.find("first") != std::string::npos);
  BOOST_TEST(text.find("100%  4/4 jobs  at 2026-12-07T00:00:00Z  done") != std::string::npos, text);
  // Still running when the bar stopped: a log only hears of it every 30 s.
  BOOST_TEST(text.find("second") == std::string::npos, text);
  BOOST_TEST(std::count(text.begin(), text.end(), '\n') == 1);
}

BOOST_AUTO_TEST_CASE(a_terminal_gets_every_lane_redrawn_in_place) {
  progress_lanes lanes(2);
  lanes[0].total = 4;
  lanes[0].finished = 1;
  lanes[1].total = 0;
  std::ostringstream out;
  { progress_bar bar(lanes, {"first", "second"}, "jobs", out, true); }
  const auto text = out.str();
  BOOST_TEST(text.find(" 25%  1/4 jobs") != std::string::npos, text);
  BOOST_TEST(text.find("  0%  0/0 jobs") != std::string::npos, text);
  BOOST_TEST(text.find("\x1b[2K") != std::string::npos);  // each line cleared as drawn
}

}  // namespace
}  // namespace headroom::common
