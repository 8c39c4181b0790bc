#define BOOST_TEST_MODULE common_toml_reader
#include "common/toml_reader.hpp"

#include <boost/test/unit_test.hpp>
#include <fstream>

#include "tests/support/scratch_dir.hpp"

using namespace headroom;
using namespace std::chrono_literals;

namespace {

enum class colour { red, green };

struct settings {
  std::string name = "default";
  bool on = false;
  std::uint16_t port = 1;
  std::int64_t offset = 0;
  double share = 0.5;
  std::chrono::milliseconds timeout{1000};
  std::chrono::nanoseconds fine{0};
  std::vector<std::string> hosts{"a"};
  std::map<std::string, std::string> models;
  colour shade = colour::red;
  std::optional<std::int32_t> limit;
};

struct file_fixture {
  test::scratch_dir dir;

  std::string write(const std::string& text) {
    const auto path = dir.file("settings.toml");
    std::ofstream(path) << text;
    return path;
  }

  // Reads every setting of `settings` from TEXT: the error, or the values.
  domain::expected<settings> read(const std::string& text) {
    return common::read_toml_file<settings>(write(text), "test", read_sections);
  }

  static void read_sections(common::toml_reader& file, settings& s) {
    auto main = file.section("main");
    main.read("name", s.name);
    main.read("on", s.on);
    main.read("port", s.port);
    main.read("offset", s.offset);
    main.read("share", s.share);
    main.read("timeout_ms", s.timeout);
    main.read("fine_ms", s.fine);
    main.choose("shade", s.shade, {{"red", colour::red}, {"green", colour::green}});
    main.read("limit", s.limit);
    auto lists = file.section("lists");
    lists.read("hosts", s.hosts);
    lists.read("models", s.models);
  }

  // The message of the error TEXT gives.
  std::string error_of(const std::string& text) {
    auto s = read(text);
    BOOST_TEST_REQUIRE(!s.has_value(), text);
    return s.failure().message();
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(toml_reader, file_fixture)

BOOST_AUTO_TEST_CASE(absent_keys_keep_their_defaults_and_present_ones_replace_them) {
  auto s = read(R"(
[main]
name = "node"
on = true
port = 8080
offset = -5
share = 1
timeout_ms = 250
fine_ms = 3
shade = "green"
limit = 7
[lists]
hosts = ["x", "y"]
models = { "printer-1" = "mx-3000", "10.0.0.7" = "p" }
)");
  BOOST_REQUIRE_MESSAGE(s.has_value(), (s ? "" : s.failure().message()));
  BOOST_TEST(s->name == "node");
  BOOST_TEST(s->on);
  BOOST_TEST(s->port == 8080);
  BOOST_TEST(s->offset == -5);
  BOOST_TEST(s->share == 1.0);
  BOOST_TEST(s->timeout.count() == 250);
  BOOST_TEST(s->fine.count() == 3'000'000);
  BOOST_TEST((s->shade == colour::green));
  BOOST_TEST(*s->limit == 7);
  BOOST_TEST(s->hosts == (std::vector<std::string>{"x", "y"}));
  BOOST_TEST(s->models.at("10.0.0.7") == "p");

  auto defaults = read("[main]\n");
  BOOST_REQUIRE(defaults.has_value());
  BOOST_TEST(defaults->name == "default");
  BOOST_TEST(defaults->timeout.count() == 1000);
  BOOST_TEST(defaults->hosts == std::vector<std::string>{"a"});
  BOOST_TEST(!defaults->limit);
}

BOOST_AUTO_TEST_CASE(every_error_names_the_key_the_file_and_the_line) {
  const auto message = error_of("[main]\n\nport = \"eighty\"\n");
  BOOST_TEST(message.find("main.port: must be an integer") == 0u, message);
  BOOST_TEST(message.find(dir.file("settings.toml") + ", line 3") != std::string::npos, message);
}

BOOST_AUTO_TEST_CASE(integers_must_fit_the_field) {
  BOOST_TEST(error_of("[main]\nport = 65536\n").find("main.port: must be from 0 to 65535") == 0u);
  BOOST_TEST(error_of("[main]\nport = -1\n").find("main.port: must be from 0 to 65535") == 0u);
  BOOST_TEST(error_of("[main]\nport = 1.5\n").find("main.port: must be an integer") == 0u);
  BOOST_TEST(error_of("[main]\nlimit = 3000000000\n").find("main.limit: must be from") == 0u);
}

BOOST_AUTO_TEST_CASE(durations_are_whole_milliseconds_not_negative) {
  BOOST_TEST(error_of("[main]\ntimeout_ms = -1\n").find("main.timeout_ms: must be from 0") == 0u);
  BOOST_TEST(error_of("[main]\ntimeout_ms = 0.5\n").find("whole number of milliseconds") !=
             std::string::npos);
  // Nanoseconds hold about 292 years: more milliseconds than that do not fit.
  BOOST_TEST(error_of("[main]\nfine_ms = 9223372036854775807\n").find("main.fine_ms: must be") ==
             0u);
}

BOOST_AUTO_TEST_CASE(other_types_are_checked) {
  BOOST_TEST(error_of("[main]\nname = 5\n").find("main.name: must be a string") == 0u);
  BOOST_TEST(error_of("[main]\non = 1\n").find("main.on: must be true or false") == 0u);
  BOOST_TEST(error_of("[main]\nshare = \"half\"\n").find("main.share: must be a number") == 0u);
  BOOST_TEST(error_of("[lists]\nhosts = [\"x\", 1]\n").find("lists.hosts: must be an array of") ==
             0u);
  BOOST_TEST(error_of("[lists]\nmodels = { a = 1 }\n").find("lists.models.a: must be a string") ==
             0u);
  BOOST_TEST(error_of("[lists]\nmodels = \"a\"\n").find("lists.models: must be a table") == 0u);
}

BOOST_AUTO_TEST_CASE(a_choice_is_one_of_its_spellings) {
  BOOST_TEST(error_of("[main]\nshade = \"blue\"\n") ==
             "main.shade: must be \"red\" or \"green\", not \"blue\" (" +
                 dir.file("settings.toml") + ", line 2)");
}

BOOST_AUTO_TEST_CASE(unknown_sections_and_keys_are_errors) {
  BOOST_TEST(error_of("[main]\nnmae = \"x\"\n").find("main.nmae: is not a test setting") == 0u);
  BOOST_TEST(error_of("[mian]\nname = \"x\"\n").find("mian: is not a test section") == 0u);
  BOOST_TEST(error_of("main = 5\n").find("main: must be a table") == 0u);
}

BOOST_AUTO_TEST_CASE(the_first_error_in_the_file_is_reported) {
  const auto message = error_of("[main]\nport = -1\nnmae = 1\n[lists]\nhosts = 1\n");
  BOOST_TEST(message.find("main.port") == 0u, message);
  BOOST_TEST(error_of("[lists]\nhosts = 1\n[main]\nport = -1\n").find("lists.hosts") == 0u);
}

// Found by fuzz_config: the empty key was named by nothing at all.
BOOST_AUTO_TEST_CASE(an_empty_key_is_named_as_written) {
  const auto message = error_of("'' = \"x\"\n");
  BOOST_TEST(message.find("\"\": is not a test section") == 0u, message);
}

BOOST_AUTO_TEST_CASE(a_syntax_error_names_the_file_line_and_column) {
  const auto message = error_of("[main]\nname = \n");
  BOOST_TEST(message.find(dir.file("settings.toml") + ":2:") == 0u, message);
  BOOST_TEST(!common::toml_reader::open(dir.file("missing.toml"), "test").has_value());
}

BOOST_AUTO_TEST_CASE(a_parsed_value_reports_the_parsers_error_at_the_key) {
  auto file = common::toml_reader::open(write("[main]\nwhen = \"soon\"\n"), "test");
  BOOST_REQUIRE(file.has_value());
  int when = 0;
  auto main = file->section("main");
  BOOST_TEST(!main.parse("when", when, [](const std::string& text) -> domain::expected<int> {
    return domain::error{"", "'" + text + "' is not a time"};
  }));
  auto e = file->finish();
  BOOST_REQUIRE(e.has_value());
  BOOST_TEST(e->message().find("main.when: 'soon' is not a time (") == 0u, e->message());
}

BOOST_AUTO_TEST_SUITE_END()
