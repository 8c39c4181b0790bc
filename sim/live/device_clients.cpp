#include "sim/live/device_clients.hpp"

#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <charconv>
#include <optional>
#include <queue>
#include <thread>

namespace headroom::sim {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

/// Reads of the body are paced to end this long before the session closes, so that a
/// slow read never pushes the close past the next second's starts.
constexpr std::int64_t pacing_slack_ms = 300;
/// A session that makes no progress for this long is broken.
constexpr auto stall_timeout = std::chrono::seconds{30};
constexpr std::size_t read_chunk = 16 * 1024;
/// Largest answer head read.
constexpr std::size_t max_head = 16 * 1024;

std::string host_port(const live_endpoint& e) { return e.host + ":" + std::to_string(e.port); }

/// The status code and Content-Length of an answer head ("HTTP/1.1 200 OK\r\n...").
struct answer_head {
  int status = 0;
  std::int64_t content_length = -1;
};

std::optional<answer_head> parse_answer_head(std::string_view head) {
  if (head.size() < 12 || !head.starts_with("HTTP/1.")) return std::nullopt;
  answer_head out;
  if (std::from_chars(head.data() + 9, head.data() + 12, out.status).ec != std::errc{})
    return std::nullopt;
  std::string lower(head);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  constexpr std::string_view name = "\r\ncontent-length:";
  if (const auto at = lower.find(name); at != std::string::npos) {
    auto p = at + name.size();
    while (p < lower.size() && lower[p] == ' ') ++p;
    std::int64_t length = 0;
    if (std::from_chars(lower.data() + p, lower.data() + lower.size(), length).ec != std::errc{})
      return std::nullopt;
    out.content_length = length;
  }
  return out;
}

std::string hex(const unsigned char* bytes, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}

}  // namespace

std::string proxy_authorization(const std::string& device) {
  const std::string user = device + ":device";
  constexpr int variant = sodium_base64_VARIANT_ORIGINAL;
  std::string encoded(sodium_base64_encoded_len(user.size(), variant), '\0');
  sodium_bin2base64(encoded.data(), encoded.size(),
                    reinterpret_cast<const unsigned char*>(user.data()), user.size(), variant);
  encoded.pop_back();  // the terminating NUL
  return "Basic " + encoded;
}

/// One communication, from connect to close.
class device_session : public std::enable_shared_from_this<device_session> {
 public:
  device_session(asio::io_context& io, domain::wall_clock clock, device_request request,
                 std::function<void()> admitted, std::function<void(const attempt_report&)> done,
                 std::atomic<std::int64_t>& open)
      : socket_(io),
        timer_(io),
        guard_(io),
        clock_(std::move(clock)),
        request_(std::move(request)),
        admitted_(std::move(admitted)),
        done_(std::move(done)),
        open_(open) {
    ++open_;
    crypto_hash_sha256_init(&hash_);
  }
  ~device_session() { --open_; }

  void start() {
    arm_guard();
    const auto& first = request_.path.front();
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(first.host, ec);
    if (ec) return end_broken(0, "relay address " + first.host + ": " + ec.message());
    socket_.async_connect(tcp::endpoint(address, first.port),
                          [self = shared_from_this()](boost::system::error_code e) {
                            if (e) return self->end_broken(0, "connect: " + e.message());
                            self->next_hop(1);
                          });
  }

 private:
  /// Asks relay `hop - 1` for a tunnel to relay `hop`, or, past the last, for the package.
  void next_hop(std::size_t hop) {
    const auto auth = proxy_authorization(request_.device);
    if (hop < request_.path.size()) {
      const auto to = host_port(request_.path[hop]);
      out_ = "CONNECT " + to + " HTTP/1.1\r\nHost: " + to + "\r\nProxy-Authorization: " + auth +
             "\r\n\r\n";
    } else {
      const auto origin = host_port(request_.origin);
      out_ = "GET http://" + origin + request_.target + " HTTP/1.1\r\nHost: " + origin +
             "\r\nProxy-Authorization: " + auth + "\r\nUser-Agent: headroom-sim-device\r\n\r\n";
    }
    asio::async_write(socket_, asio::buffer(out_),
                      [self = shared_from_this(), hop](boost::system::error_code e, std::size_t) {
                        if (e) return self->end_broken(0, "write: " + e.message());
                        self->read_head(hop);
                      });
  }

  void read_head(std::size_t hop) {
    asio::async_read_until(
        socket_, in_, "\r\n\r\n",
        [self = shared_from_this(), hop](boost::system::error_code e, std::size_t length) {
          if (e) return self->end_broken(0, "reading the answer head: " + e.message());
          const std::string head(
              asio::buffers_begin(self->in_.data()),
              asio::buffers_begin(self->in_.data()) + static_cast<std::ptrdiff_t>(length));
          self->in_.consume(length);
          self->on_head(hop, head);
        });
  }

  void on_head(std::size_t hop, const std::string& head) {
    const auto answer = parse_answer_head(head);
    if (!answer) return end_broken(0, "malformed answer head");
    status_ = answer->status;
    if (answer->status == 503) return end(attempt_end::refused, "");
    if (answer->status != 200)
      return end_broken(answer->status, "answered " + std::to_string(answer->status));
    if (hop < request_.path.size()) return next_hop(hop + 1);
    if (admitted_) admitted_();
    expected_ = answer->content_length;
    if (request_.expected_bytes >= 0 && expected_ != request_.expected_bytes)
      return end_broken(status_, "Content-Length " + std::to_string(expected_) + ", expected " +
                                     std::to_string(request_.expected_bytes));
    body_started_ms_ = clock_.milliseconds();
    const auto window = request_.hold_until_ms - pacing_slack_ms - body_started_ms_;
    pace_bytes_per_ms_ = expected_ > 0 && window > 0
                             ? static_cast<double>(expected_) / static_cast<double>(window)
                             : 0.0;
    take(in_.size());
  }

  /// Hashes `n` bytes already in the buffer, then reads on (paced) or holds.
  void take(std::size_t n) {
    for (const auto& b : in_.data())
      crypto_hash_sha256_update(&hash_, static_cast<const unsigned char*>(b.data()), b.size());
    received_ += n;
    in_.consume(n);
    if (expected_ >= 0 && static_cast<std::int64_t>(received_) >= expected_) return verify();
    arm_guard();
    const auto due =
        pace_bytes_per_ms_ > 0
            ? body_started_ms_ +
                  static_cast<std::int64_t>(static_cast<double>(received_) / pace_bytes_per_ms_)
            : 0;
    const auto wait = due - clock_.milliseconds();
    if (wait <= 0) return read_body();
    timer_.expires_after(std::chrono::milliseconds{wait});
    timer_.async_wait([self = shared_from_this()](boost::system::error_code e) {
      if (!e) self->read_body();
    });
  }

  void read_body() {
    const auto left = expected_ >= 0 ? static_cast<std::size_t>(expected_) - received_ : read_chunk;
    socket_.async_read_some(
        in_.prepare(std::min(read_chunk, left)),
        [self = shared_from_this()](boost::system::error_code e, std::size_t n) {
          if (e && self->expected_ >= 0)
            return self->end_broken(
                self->status_,
                "body cut after " + std::to_string(self->received_) + " bytes: " + e.message());
          self->in_.commit(n);
          if (e) return self->verify();
          self->take(n);
        });
  }

  void verify() {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&hash_, digest);
    if (!request_.expected_sha256.empty() && hex(digest, sizeof digest) != request_.expected_sha256)
      return end_broken(status_, "SHA-256 of the body differs from the package's");
    hold();
  }

  /// Keeps the session open, as the device is still busy, until its communication ends.
  void hold() {
    const auto wait = request_.hold_until_ms - clock_.milliseconds();
    if (wait <= 0) return end(attempt_end::completed, "");
    guard_.cancel();
    timer_.expires_after(std::chrono::milliseconds{wait});
    timer_.async_wait([self = shared_from_this()](boost::system::error_code e) {
      if (!e) self->end(attempt_end::completed, "");
    });
  }

  void arm_guard() {
    guard_.expires_after(stall_timeout);
    guard_.async_wait([weak = weak_from_this()](boost::system::error_code e) {
      if (e) return;
      if (auto self = weak.lock()) self->end_broken(self->status_, "no progress for 30 s");
    });
  }

  void end_broken(int status, std::string why) {
    status_ = status;
    end(attempt_end::broken, std::move(why));
  }

  void end(attempt_end how, std::string why) {
    if (ended_) return;
    ended_ = true;
    boost::system::error_code ignored;
    timer_.cancel();
    guard_.cancel();
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    if (done_) done_({how, status_, received_, std::move(why)});
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  asio::steady_timer guard_;
  domain::wall_clock clock_;
  device_request request_;
  std::function<void()> admitted_;
  std::function<void(const attempt_report&)> done_;
  std::atomic<std::int64_t>& open_;
  std::string out_;
  asio::streambuf in_{max_head + read_chunk};
  crypto_hash_sha256_state hash_{};
  int status_ = 0;
  std::int64_t expected_ = -1;
  std::uint64_t received_ = 0;
  std::int64_t body_started_ms_ = 0;
  double pace_bytes_per_ms_ = 0;
  bool ended_ = false;
};

struct device_clients::impl {
  struct due_task {
    std::int64_t at_ms;
    std::uint64_t order;
    std::function<void()> task;
    bool operator>(const due_task& o) const {
      return at_ms != o.at_ms ? at_ms > o.at_ms : order > o.order;
    }
  };

  explicit impl(domain::wall_clock c)
      : clock(std::move(c)), work(asio::make_work_guard(io)), ticker(io) {
    tick();
    thread = std::thread([this] { io.run(); });
  }

  /// Every 5 ms, runs the tasks that are due: one timer for any number of tasks.
  void tick() {
    const auto now = clock.milliseconds();
    while (!due.empty() && due.top().at_ms <= now) {
      auto task = std::move(const_cast<due_task&>(due.top()).task);
      due.pop();
      task();
    }
    ticker.expires_after(std::chrono::milliseconds{5});
    ticker.async_wait([this](boost::system::error_code e) {
      if (!e) tick();
    });
  }

  domain::wall_clock clock;
  /// Before the io_context: the sessions it still holds when it goes count down here.
  std::atomic<std::int64_t> open{0};
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work;
  asio::steady_timer ticker;
  std::priority_queue<due_task, std::vector<due_task>, std::greater<>> due;
  std::uint64_t order = 0;
  std::thread thread;
  bool stopped = false;
};

device_clients::device_clients(domain::wall_clock clock)
    : impl_(std::make_unique<impl>(std::move(clock))) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
}

device_clients::~device_clients() { stop(); }

void device_clients::at(std::int64_t at_ms, std::function<void()> task) {
  asio::post(impl_->io, [i = impl_.get(), at_ms, task = std::move(task)]() mutable {
    i->due.push({at_ms, i->order++, std::move(task)});
  });
}

void device_clients::open(device_request request, std::function<void()> admitted,
                          std::function<void(const attempt_report&)> done) {
  auto session =
      std::make_shared<device_session>(impl_->io, impl_->clock, std::move(request),
                                       std::move(admitted), std::move(done), impl_->open);
  asio::post(impl_->io, [session] { session->start(); });
}

std::int64_t device_clients::open_sessions() const { return impl_->open.load(); }

void device_clients::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->io.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace headroom::sim
