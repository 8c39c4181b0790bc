// The notifier's outbox on a real SQLite file: order per proxy, stable idempotency keys,
// reopening after a restart, and a file from a newer program refused.
#define BOOST_TEST_MODULE outbox
#include "detector/outbox.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <boost/test/unit_test.hpp>

#include "detector/detector_errors.hpp"
#include "tests/support/scratch_dir.hpp"
#include "tests/support/why.hpp"

using headroom::detector::outbox;
using headroom::detector::outbox_entry;

namespace {

std::unique_ptr<outbox> open_box(const std::string& path) {
  auto box = outbox::open(path, "det-1");
  BOOST_REQUIRE_MESSAGE(box, headroom::test::why(box));
  return std::move(*box);
}

outbox_entry add(outbox& box, const std::string& proxy, const std::string& body) {
  auto e = box.append(proxy, "notification", body);
  BOOST_REQUIRE(e);
  return *e;
}

}  // namespace

BOOST_AUTO_TEST_CASE(numbers_entries_and_keys_them_by_detector_instance_and_seq) {
  headroom::test::scratch_dir dir;
  auto box = open_box(dir.file("outbox.sqlite3"));
  const auto a = add(*box, "px-a", "{\"n\":1}");
  const auto b = add(*box, "px-b", "{\"n\":2}");
  BOOST_TEST(a.seq == 1);
  BOOST_TEST(b.seq == 2);
  BOOST_TEST(a.idempotency_key == "det-1:" + box->instance() + ":1");
  BOOST_TEST(box->instance().size() == 16u);
  BOOST_TEST(*box->depth() == 2);
}

BOOST_AUTO_TEST_CASE(the_front_of_a_proxy_is_its_oldest_pending_entry) {
  headroom::test::scratch_dir dir;
  auto box = open_box(dir.file("outbox.sqlite3"));
  const auto a1 = add(*box, "px-a", "a1");
  add(*box, "px-b", "b1");
  const auto a2 = add(*box, "px-a", "a2");
  BOOST_TEST((**box->front("px-a") == a1));
  BOOST_TEST(!box->remove(a1.seq));
  BOOST_TEST((**box->front("px-a") == a2));
  BOOST_TEST(!*box->front("px-c"));
  BOOST_TEST((*box->pending_proxies() == std::vector<std::string>{"px-b", "px-a"}));
}

BOOST_AUTO_TEST_CASE(a_removed_seq_is_never_handed_out_again) {
  headroom::test::scratch_dir dir;
  const auto path = dir.file("outbox.sqlite3");
  {
    auto box = open_box(path);
    const auto a = add(*box, "px-a", "a");
    BOOST_TEST(!box->remove(a.seq));
  }
  auto box = open_box(path);
  BOOST_TEST(add(*box, "px-a", "b").seq == 2);
}

BOOST_AUTO_TEST_CASE(reopening_gives_the_same_pending_entries_with_the_same_keys) {
  headroom::test::scratch_dir dir;
  const auto path = dir.file("outbox.sqlite3");
  std::vector<outbox_entry> before;
  std::string instance;
  {
    auto box = open_box(path);
    instance = box->instance();
    for (const char* body : {"1", "2", "3"}) before.push_back(add(*box, "px-a", body));
    BOOST_TEST(!box->remove(before.front().seq));
  }
  auto box = open_box(path);
  BOOST_TEST(box->instance() == instance);
  BOOST_TEST(*box->depth() == 2);
  BOOST_TEST((**box->front("px-a") == before[1]));
  BOOST_TEST(!box->remove(before[1].seq));
  BOOST_TEST((**box->front("px-a") == before[2]));
}

BOOST_AUTO_TEST_CASE(two_files_never_share_keys) {
  headroom::test::scratch_dir dir;
  auto one = open_box(dir.file("one.sqlite3"));
  auto two = open_box(dir.file("two.sqlite3"));
  BOOST_TEST(add(*one, "px-a", "x").idempotency_key != add(*two, "px-a", "x").idempotency_key);
}

BOOST_AUTO_TEST_CASE(refuses_a_file_of_a_newer_schema) {
  headroom::test::scratch_dir dir;
  const auto path = dir.file("outbox.sqlite3");
  open_box(path);
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA user_version = 7");
  }
  auto refused = outbox::open(path, "det-1");
  BOOST_REQUIRE(!refused);
  BOOST_TEST(headroom::describe(refused.error()).find("schema version 7 is newer") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_file_that_cannot_be_opened_is_an_error_naming_it) {
  headroom::test::scratch_dir dir;
  auto refused = outbox::open(dir.file("missing-dir/outbox.sqlite3"), "det-1");
  BOOST_REQUIRE(!refused);
  BOOST_TEST(headroom::describe(refused.error()).find("missing-dir/outbox.sqlite3") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(remembers_each_proxys_latest_news_until_it_is_dropped) {
  headroom::test::scratch_dir dir;
  const auto path = dir.file("outbox.sqlite3");
  std::int64_t second = 0;
  {
    auto box = open_box(path);
    BOOST_TEST(!*box->is_latest("px-a", "news-1"));
    const auto first = box->append("px-a", "notification", "{}", "news-1");
    BOOST_REQUIRE(first);
    BOOST_TEST(*box->is_latest("px-a", "news-1"));
    BOOST_TEST(!*box->is_latest("px-b", "news-1"));
    BOOST_TEST(!box->remove(first->seq));  // delivered: still the latest news
    BOOST_TEST(*box->is_latest("px-a", "news-1"));
    auto next = box->append("px-a", "notification", "{}", "news-2");
    BOOST_REQUIRE(next);
    second = next->seq;
  }
  auto box = open_box(path);
  BOOST_TEST(!*box->is_latest("px-a", "news-1"));
  BOOST_TEST(*box->is_latest("px-a", "news-2"));
  BOOST_TEST(!box->drop(second));
  BOOST_TEST(!*box->is_latest("px-a", "news-2"));
  BOOST_TEST(*box->depth() == 0);
}
