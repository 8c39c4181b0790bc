#pragma once
// `headroom` run as an operator runs it: a child process whose stdout the test reads
// line by line, stopped with SIGTERM; or run to its end with its output captured.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace headroom::test {

/// Runs `headroom ARGS` to its end; its stdout and stderr together.
inline std::string run_to_end(const std::string& args, int& status) {
  FILE* pipe = popen((std::string(HEADROOM_BINARY) + " " + args + " 2>&1").c_str(), "r");
  if (!pipe) {
    status = -1;
    return {};
  }
  std::string out;
  std::array<char, 4096> buffer{};
  while (auto n = fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
  const int raw = pclose(pipe);
  status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return out;
}

/// `headroom ARGS...` as a child process with its stdout on a pipe.
class child_process {
 public:
  explicit child_process(std::vector<std::string> args) {
    int fds[2];
    if (pipe(fds) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      std::vector<char*> argv{const_cast<char*>(HEADROOM_BINARY)};
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(HEADROOM_BINARY, argv.data());
      _exit(127);
    }
    close(fds[1]);
    out_ = fdopen(fds[0], "r");
  }
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  [[nodiscard]] bool started() const { return pid_ > 0 && out_ != nullptr; }
  [[nodiscard]] pid_t pid() const { return pid_; }

  /// The next line of its stdout, or empty at its end.
  std::string line() {
    std::array<char, 512> buffer{};
    if (!out_ || !fgets(buffer.data(), buffer.size(), out_)) return {};
    return buffer.data();
  }

  /// SIGTERM, then its exit status.
  int stop() {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    int raw = 0;
    waitpid(pid_, &raw, 0);
    if (out_) fclose(out_);
    out_ = nullptr;
    pid_ = -1;
    return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  }

  /// SIGKILL, as a crash or the OOM killer ends it: no handler runs, nothing is flushed.
  void kill_now() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    if (out_) fclose(out_);
    out_ = nullptr;
    pid_ = -1;
  }

  ~child_process() { stop(); }

 private:
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
};

/// The port in `line`, which must start with `prefix`; 0 when it does not.
inline std::uint16_t port_after(const std::string& line, const std::string& prefix) {
  if (line.rfind(prefix, 0) != 0) return 0;
  return static_cast<std::uint16_t>(std::stoi(line.substr(prefix.size())));
}

/// GET `path` from 127.0.0.1:`port`; the whole answer, head and body.
inline std::string http_get(std::uint16_t port, const std::string& path) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  boost::asio::write(
      socket,
      boost::asio::buffer("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::string answer;
  boost::system::error_code ec;
  std::array<char, 4096> buffer{};
  while (auto n = socket.read_some(boost::asio::buffer(buffer), ec))
    answer.append(buffer.data(), n);
  return answer;
}

}  // namespace headroom::test
