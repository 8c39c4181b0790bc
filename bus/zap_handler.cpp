#include "bus/zap_handler.hpp"

#include <sys/eventfd.h>
#include <unistd.h>
#include <zmq.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace headroom::bus {

zap_handler::zap_handler(zmq::context_t& context, std::set<std::string> allowed_public_keys)
    : socket_(context, zmq::socket_type::rep), allowed_(std::move(allowed_public_keys)) {
  socket_.bind("inproc://zeromq.zap.01");
  stop_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (stop_fd_ < 0)
    throw std::runtime_error(std::string{"zap handler: eventfd: "} + std::strerror(errno));
  thread_ = std::thread([this] { run(); });
}

zap_handler::~zap_handler() {
  const std::uint64_t one = 1;
  [[maybe_unused]] auto written = ::write(stop_fd_, &one, sizeof one);
  thread_.join();
  ::close(stop_fd_);
}

void zap_handler::run() {
  std::vector<zmq::pollitem_t> items(2);
  for (;;) {
    items[0] = {socket_.handle(), 0, ZMQ_POLLIN, 0};
    items[1] = {nullptr, stop_fd_, ZMQ_POLLIN, 0};
    try {
      zmq::poll(items, std::chrono::milliseconds{-1});
    } catch (const zmq::error_t& e) {
      if (e.num() == EINTR) continue;
      throw;
    }
    if (items[1].revents & ZMQ_POLLIN) break;
    if (!(items[0].revents & ZMQ_POLLIN)) continue;
    std::vector<zmq::message_t> request;
    if (!zmq::recv_multipart(socket_, std::back_inserter(request), zmq::recv_flags::dontwait))
      continue;
    answer(request);
  }
  socket_.set(zmq::sockopt::linger, 0);
  socket_.close();
}

void zap_handler::answer(std::vector<zmq::message_t>& request) {
  // Request: version, request id, domain, address, identity, mechanism, credentials...
  const bool well_formed = request.size() >= 6 && request[0].to_string_view() == "1.0";
  const std::string request_id = request.size() > 1 ? request[1].to_string() : std::string{};
  bool allowed = false;
  if (well_formed && request[5].to_string_view() == "CURVE" && request.size() >= 7 &&
      request[6].size() == 32) {
    char z85[41];
    zmq_z85_encode(z85, static_cast<const std::uint8_t*>(request[6].data()), 32);
    allowed = allowed_.count(z85) == 1;
  }
  (allowed ? accepted_ : refused_).fetch_add(1, std::memory_order_relaxed);
  const std::string status = allowed ? "200" : "400";
  const std::string text = allowed ? "OK" : "public key not on the allowlist";
  std::vector<zmq::const_buffer> reply{zmq::str_buffer("1.0"), zmq::buffer(request_id),
                                       zmq::buffer(status),    zmq::buffer(text),
                                       zmq::str_buffer(""),    zmq::str_buffer("")};
  zmq::send_multipart(socket_, reply);
}

}  // namespace headroom::bus
