// The outbox on a full disk and a failing one (a SQLite VFS that refuses writes): the
// append that cannot be stored fails with an error naming the file and the cause, every
// entry acknowledged before it is still there, the file passes SQLite's integrity check,
// and once the disk has room again appends go on.
#define BOOST_TEST_MODULE outbox_faults
#include <boost/test/unit_test.hpp>

#include "detector/outbox.hpp"
#include "tests/support/faulty_vfs.hpp"
#include "tests/support/reliability_line.hpp"
#include "tests/support/scratch_dir.hpp"
#include "tests/support/sqlite_integrity.hpp"
#include "tests/support/why.hpp"

using headroom::detector::outbox;

namespace headroom::test {
namespace {

std::unique_ptr<outbox> open_box(const std::string& path) {
  auto box = outbox::open(path, "det-1");
  BOOST_REQUIRE_MESSAGE(box, why(box));
  return std::move(*box);
}

std::string body(int n) {
  return R"({"n":)" + std::to_string(n) + R"(,"pad":")" + std::string(500, 'x') + "\"}";
}

/// Appends until one is refused; answers how many were acknowledged and the refusal.
std::pair<int, std::string> fill(outbox& box, int first) {
  for (int n = first;; ++n) {
    auto e = box.append("px-" + std::to_string(n % 3), "notification", body(n));
    if (!e) return {n - first, why(e)};
    BOOST_REQUIRE(n - first < 100000);
  }
}

/// Every pending entry, drained in order, is one of 0..COUNT-1 exactly once.
void expect_all_of(outbox& box, int count, std::int64_t& lost, std::int64_t& duplicated) {
  std::vector<int> seen(static_cast<std::size_t>(count), 0);
  auto depth = box.depth();
  BOOST_REQUIRE(depth);
  const auto proxies = box.pending_proxies();
  BOOST_REQUIRE(proxies);
  for (const auto& proxy : *proxies)
    while (auto front = *box.front(proxy)) {
      const auto n = std::stoi(front->body.substr(5));
      BOOST_REQUIRE(n >= 0 && n < count);
      ++seen[static_cast<std::size_t>(n)];
      BOOST_REQUIRE(!box.remove(front->seq));
    }
  for (const int s : seen) {
    if (s == 0) ++lost;
    if (s > 1) duplicated += s - 1;
  }
  BOOST_TEST(*depth == count);
}

/// A fresh outbox, the disk broken by ARM, appends until one is refused for CAUSE; then
/// the disk healed, the file checked, one more append, and after a restart every
/// acknowledged entry drained once. Answers the entries acknowledged.
template <class Arm>
int break_then_heal(Arm arm, const std::string& cause, std::int64_t& lost,
                    std::int64_t& duplicated) {
  auto& vfs = faulty_vfs::installed();
  scratch_dir dir;
  const auto file = dir.file("outbox.sqlite3");
  auto box = open_box(file);
  arm(vfs);
  const auto [stored, refusal] = fill(*box, 0);
  BOOST_TEST_MESSAGE(stored << " appended, then " << refusal);
  BOOST_TEST(refusal.find("outbox " + file + ": appending") != std::string::npos, refusal);
  BOOST_TEST(refusal.find(cause) != std::string::npos, refusal);
  vfs.heal();
  BOOST_TEST(integrity_of(file) == "ok");
  // The disk is well again: the next append works, in the same process and after a restart.
  BOOST_TEST(box->append("px-0", "notification", body(stored)).engaged());
  box.reset();
  box = open_box(file);
  expect_all_of(*box, stored + 1, lost, duplicated);
  return stored + 1;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_full_disk_refuses_the_append_and_keeps_every_acknowledged_entry) {
  std::int64_t tries = 0, lost = 0, duplicated = 0, acknowledged = 0;
  // Several budgets, so that the disk fills during the WAL append, its growth, and a
  // checkpoint into the main file.
  for (const std::int64_t budget : {0, 4096, 20000, 100000, 400000}) {
    acknowledged += break_then_heal([&](faulty_vfs& vfs) { vfs.fill_disk_after(budget); },
                                    "database or disk is full", lost, duplicated);
    ++tries;
  }
  BOOST_TEST(lost == 0);
  BOOST_TEST(duplicated == 0);
  print_reliability("ENOSPC on the detector's outbox", tries, lost, duplicated,
                    std::to_string(acknowledged) +
                        " acknowledged appends across 5 disk sizes (0 to 400 kB free); "
                        "integrity_check ok");
}

BOOST_AUTO_TEST_CASE(an_io_error_refuses_the_append_and_keeps_every_acknowledged_entry) {
  std::int64_t tries = 0, lost = 0, duplicated = 0;
  for (std::int64_t after = 0; after < 40; after += 3) {
    break_then_heal([&](faulty_vfs& vfs) { vfs.fail_writes_after(after); }, "disk I/O error", lost,
                    duplicated);
    ++tries;
  }
  BOOST_TEST(lost == 0);
  BOOST_TEST(duplicated == 0);
  print_reliability("write I/O error on the detector's outbox", tries, lost, duplicated,
                    "the Nth write fails, N = 0 to 39 step 3; integrity_check ok");
}

}  // namespace headroom::test
