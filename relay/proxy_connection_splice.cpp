// Zero-copy response bodies: on Linux, a body delimited by Content-Length or by the
// upstream closing moves from the upstream socket to the device's through a pipe with
// splice(2), never entering user space. Bodies that must be inspected on the way
// (chunked framing) take the buffered pump instead.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "relay/proxy_connection.hpp"

namespace headroom::relay {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {
constexpr std::size_t pipe_size = 1024 * 1024;  ///< Asked for; the kernel may give less.
}  // namespace

bool proxy_connection::open_pipe() {
  if (pipe_[0] >= 0) return true;
  if (::pipe2(pipe_, O_NONBLOCK | O_CLOEXEC) != 0)
    return false;                                                // out of descriptors: copy instead
  ::fcntl(pipe_[1], F_SETPIPE_SZ, static_cast<int>(pipe_size));  // a smaller pipe only costs calls
  return true;
}

void proxy_connection::close_pipe() {
  if (pipe_[0] < 0) return;
  ::close(pipe_[0]);
  ::close(pipe_[1]);
  pipe_[0] = pipe_[1] = -1;
  piped_ = 0;
}

void proxy_connection::splice_response_body() {
  while (true) {
    if (piped_ > 0) {
      auto n = ::splice(pipe_[0], nullptr, client_.native_handle(), nullptr, piped_,
                        SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
      if (n < 0 && errno == EAGAIN) {
        return client_.async_wait(tcp::socket::wait_write,
                                  [this, self = shared_from_this()](error_code ec) {
                                    if (phase_ != phase::response_body) return;
                                    if (ec) return close();
                                    splice_response_body();
                                  });
      }
      if (n <= 0) return close();  // the device went away mid-body
      auto moved = static_cast<std::size_t>(n);
      piped_ -= moved;
      response_bytes_ += moved;
      totals_.bytes_to_device += moved;
      context_->traffic.bytes_to_devices.fetch_add(moved, std::memory_order_relaxed);
      last_activity_ = clock::now();
      continue;
    }
    if (response_.framing == body_framing::length && body_remaining_ == 0) {
      close_pipe();
      return finish_request();
    }
    std::size_t want = pipe_size;
    if (response_.framing == body_framing::length)
      want = static_cast<std::size_t>(std::min<std::uint64_t>(want, body_remaining_));
    // The pipe is empty here, so EAGAIN means the upstream has nothing yet.
    auto n = ::splice(upstream_.native_handle(), nullptr, pipe_[1], nullptr, want,
                      SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    if (n < 0 && errno == EAGAIN) {
      return upstream_.async_wait(tcp::socket::wait_read,
                                  [this, self = shared_from_this()](error_code ec) {
                                    if (phase_ != phase::response_body) return;
                                    if (ec) return close();
                                    splice_response_body();
                                  });
    }
    if (n == 0 && response_.framing == body_framing::until_close) {
      keep_device_ = false;
      close_pipe();
      return finish_request();
    }
    if (n <= 0) return close();  // the upstream broke off mid-body: the device sees it cut short
    piped_ += static_cast<std::size_t>(n);
    if (response_.framing == body_framing::length) body_remaining_ -= static_cast<std::uint64_t>(n);
  }
}

}  // namespace headroom::relay
