// `headroom relay` as an operator runs it: the first stdout lines, the admin endpoint,
// a clean stop on SIGTERM, and refusals of bad settings that name the setting.
#define BOOST_TEST_MODULE apps_relay_command
#include <boost/test/unit_test.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <cstdio>
#include <string>

namespace {

std::string run_to_end(const std::string& args, int& status) {
  FILE* pipe = popen((std::string(HEADROOM_BINARY) + " " + args + " 2>&1").c_str(), "r");
  BOOST_REQUIRE(pipe != nullptr);
  std::string out;
  std::array<char, 4096> buffer{};
  while (auto n = fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
  int raw = pclose(pipe);
  status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return out;
}

// The relay as a child process with its stdout on a pipe.
struct relay_process {
  pid_t pid = -1;
  FILE* out = nullptr;

  explicit relay_process(const std::string& config) {
    int fds[2];
    BOOST_REQUIRE(pipe(fds) == 0);
    pid = fork();
    BOOST_REQUIRE(pid >= 0);
    if (pid == 0) {
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      execl(HEADROOM_BINARY, HEADROOM_BINARY, "relay", "--config", config.c_str(), "--listen", "127.0.0.1:0",
            "--admin", "127.0.0.1:0", "--allow", "127.0.0.1:9", static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[1]);
    out = fdopen(fds[0], "r");
  }

  std::string line() {
    std::array<char, 256> buffer{};
    if (!fgets(buffer.data(), buffer.size(), out)) return {};
    return buffer.data();
  }

  int stop() {
    kill(pid, SIGTERM);
    int raw = 0;
    waitpid(pid, &raw, 0);
    fclose(out);
    pid = -1;
    return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  }

  ~relay_process() {
    if (pid > 0) stop();
  }
};

std::uint16_t port_of(const std::string& line, const std::string& prefix) {
  BOOST_REQUIRE_MESSAGE(line.rfind(prefix, 0) == 0, "'" + line + "' does not start with '" + prefix + "'");
  return static_cast<std::uint16_t>(std::stoi(line.substr(prefix.size())));
}

}  // namespace

BOOST_AUTO_TEST_CASE(prints_its_addresses_first_serves_admin_and_stops_on_sigterm) {
  relay_process relay(HEADROOM_SOURCE_DIR "/config/relay.toml");
  auto listening = port_of(relay.line(), "listening on http://127.0.0.1:");
  auto admin = port_of(relay.line(), "admin on http://127.0.0.1:");
  BOOST_TEST(listening > 0);
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), admin});
  boost::asio::write(socket, boost::asio::buffer(std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")));
  std::string answer;
  boost::system::error_code ec;
  std::array<char, 1024> buffer{};
  while (auto n = socket.read_some(boost::asio::buffer(buffer), ec)) answer.append(buffer.data(), n);
  BOOST_TEST(answer.rfind("HTTP/1.1 200 OK\r\n", 0) == 0u);
  BOOST_TEST(answer.substr(answer.size() - 3) == "ok\n");
  BOOST_TEST(relay.stop() == 0);
}

BOOST_AUTO_TEST_CASE(bad_settings_are_refused_by_name) {
  int status = 0;
  auto out = run_to_end("relay --capacity 0", status);
  BOOST_TEST(status == 2);
  BOOST_TEST(out.find("capacity") != std::string::npos, out);
  out = run_to_end("relay --allow '*:80'", status);
  BOOST_TEST(status == 2);
  BOOST_TEST(out.find("open proxy") != std::string::npos, out);
  out = run_to_end("relay --on-full drop", status);
  BOOST_TEST(status != 0);
  out = run_to_end("relay --listen 127.0.0.1:99999", status);
  BOOST_TEST(status == 2);
  BOOST_TEST(out.find("listen") != std::string::npos, out);
}
