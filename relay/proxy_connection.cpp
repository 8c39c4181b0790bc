#include "relay/proxy_connection.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "relay/device_identity.hpp"

namespace headroom::relay {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

std::string address_of(const asio::ip::tcp::socket& socket) {
  error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  if (ec) return "unknown";
  auto address = endpoint.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) return address.to_v6().to_v4().to_string();
  return address.to_string();
}

bool relayable_method(const std::string& method) {
  for (const char* m : {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"})
    if (method == m) return true;
  return false;
}

}  // namespace

proxy_connection::proxy_connection(tcp::socket client, std::shared_ptr<relay_context> context)
    : context_(std::move(context)),
      counted_(context_->traffic.open_connections),
      client_(std::move(client)),
      upstream_(client_.get_executor()),
      resolver_(client_.get_executor()),
      timer_(client_.get_executor()),
      config_(context_->config),
      client_address_(address_of(client_)),
      from_device_(context_->buffers),
      from_upstream_(context_->buffers) {
  context_->traffic.connections_total.fetch_add(1, std::memory_order_relaxed);
}

proxy_connection::~proxy_connection() { close_pipe(); }

void proxy_connection::start(std::shared_ptr<connection_observer> observer) {
  asio::post(client_.get_executor(),
             [self = shared_from_this(), observer = std::move(observer)]() mutable {
               self->observer_ = std::move(observer);
               error_code ignored;
               self->client_.non_blocking(true, ignored);
               self->client_.set_option(tcp::no_delay(true), ignored);
               self->read_head();
             });
}

void proxy_connection::admit() {
  asio::post(client_.get_executor(), [self = shared_from_this()] {
    if (self->phase_ == phase::admission) self->handle_request();
  });
}

void proxy_connection::refuse_admission(std::uint32_t retry_after_seconds) {
  asio::post(client_.get_executor(), [self = shared_from_this(), retry_after_seconds] {
    if (self->phase_ != phase::admission) return;
    self->send_and_close(relay_response(503, "the proxy node is at capacity; retry later\n",
                                        {{"Retry-After", std::to_string(retry_after_seconds)}},
                                        true));
  });
}

void proxy_connection::stop() {
  asio::post(client_.get_executor(), [self = shared_from_this()] { self->close(); });
}

// -- request heads -----------------------------------------------------------------

void proxy_connection::read_head() {
  phase_ = phase::head;
  head_scanned_ = 0;
  head_started_ = clock::now();
  last_activity_ = head_started_;
  head_bytes_seen_ = first_request_ || !from_device_.empty();
  response_started_ = false;
  arm_deadline(head_bytes_seen_ ? config_.header_idle_timeout : config_.keepalive_timeout);
  continue_head();
}

void proxy_connection::continue_head() {
  if (!from_device_.empty()) {
    auto end = find_head_end(from_device_.data(), head_scanned_, config_.limits);
    if (!end) return fail(end.failure());
    if (*end > 0) return on_head(*end);
  }
  read_some(client_, from_device_, false,
            [this, self = shared_from_this()](error_code ec, std::size_t n) {
              if (phase_ != phase::head) return;
              if (ec) return close();  // the device went away, idle or mid-head
              if (!head_bytes_seen_) {
                head_bytes_seen_ = true;
                head_started_ = clock::now();
                arm_deadline(config_.header_idle_timeout);
              }
              last_activity_ = clock::now();
              totals_.bytes_from_device += n;
              context_->traffic.bytes_from_devices.fetch_add(n, std::memory_order_relaxed);
              continue_head();
            });
}

void proxy_connection::on_head(std::size_t length) {
  auto parsed = parse_request_head(from_device_.data().substr(0, length), config_.limits);
  from_device_.consume(length);
  if (!parsed) return fail(parsed.failure());
  request_ = std::move(*parsed);
  auto device = identify_device(request_.proxy_authorization, client_address_, config_);
  if (!device) return fail(device.failure());
  if (!device_) {
    device_ = *device;
    phase_ = phase::admission;
    deadline_ = clock::time_point::max();  // the session owns the wait for admission
    observer_->identified(*device_);
    return;
  }
  if (*device != *device_)
    return fail(
        bad_request("device '" + *device + "' on a connection of device '" + *device_ + "'"));
  handle_request();
}

void proxy_connection::handle_request() {
  first_request_ = false;
  request_started_ = clock::now();
  request_bytes_ = response_bytes_ = 0;
  bool connect = request_.method == "CONNECT";
  if (!connect && !relayable_method(request_.method))
    return fail(
        {405, relay::refusal_reason::malformed, "method " + request_.method + " is not relayed"});
  auto target =
      connect ? parse_connect_target(request_.target) : parse_absolute_target(request_.target);
  if (!target) return fail(target.failure());
  target_ = std::move(*target);
  if (request_.host && !host_header_matches(*request_.host, target_))
    return fail(forbidden("Host '" + *request_.host + "' disagrees with the target " +
                          target_.authority()));
  if (auto refused = context_->allow.check_target(target_)) return fail(*refused);
  upstream_reused_ = !connect && upstream_.is_open() && upstream_reusable_ &&
                     upstream_authority_ == target_.authority();
  if (upstream_reused_) return send_request();
  drop_upstream();
  connect_upstream();
}

void proxy_connection::connect_upstream() {
  phase_ = phase::connecting;
  arm_deadline(config_.connect_timeout);
  auto connect_to = [this, self = shared_from_this()](const std::vector<tcp::endpoint>& endpoints) {
    asio::async_connect(upstream_, endpoints, [this, self](error_code ec, const tcp::endpoint&) {
      if (phase_ != phase::connecting) return;
      if (ec)
        return fail({502, relay::refusal_reason::upstream_failed,
                     "connecting to " + target_.authority() + ": " + ec.message()});
      on_upstream_connected();
    });
  };
  if (target_.literal) return connect_to({tcp::endpoint(*target_.literal, target_.port)});
  resolver_.async_resolve(
      target_.host, std::to_string(target_.port),
      [this, self = shared_from_this(), connect_to](error_code ec,
                                                    tcp::resolver::results_type results) {
        if (phase_ != phase::connecting) return;
        if (ec)
          return fail({502, relay::refusal_reason::upstream_failed,
                       "resolving " + target_.host + ": " + ec.message()});
        std::vector<tcp::endpoint> endpoints;
        for (const auto& entry : results) {
          // One refused address refuses the name: a resolver under an attacker's control
          // could otherwise mix an internal address into a public name's answers.
          if (auto refused = context_->allow.check_resolved(target_, entry.endpoint().address()))
            return fail(*refused);
          endpoints.push_back(entry.endpoint());
        }
        connect_to(endpoints);
      });
}

void proxy_connection::on_upstream_connected() {
  error_code ignored;
  upstream_.non_blocking(true, ignored);
  upstream_.set_option(tcp::no_delay(true), ignored);
  upstream_authority_ = target_.authority();
  upstream_reusable_ = false;
  if (request_.method != "CONNECT") return send_request();
  response_started_ = true;
  auto established = std::make_shared<std::string>("HTTP/1.1 200 Connection established\r\n\r\n");
  asio::async_write(client_, asio::buffer(*established),
                    [this, self = shared_from_this(), established](error_code ec, std::size_t) {
                      if (ec) return close();
                      start_tunnel();
                    });
}

// -- plumbing ------------------------------------------------------------------------

void proxy_connection::drop_upstream() {
  error_code ignored;
  upstream_.close(ignored);
  upstream_reusable_ = false;
  from_upstream_.discard();
}

bool proxy_connection::retry_on_fresh_upstream() {
  // An upstream may close an idle kept-alive connection just as a request is sent on it;
  // a request without a body is safe to send again, once, on a new connection.
  if (!upstream_reused_ || request_.framing != body_framing::none || !from_upstream_.empty())
    return false;
  upstream_reused_ = false;
  drop_upstream();
  connect_upstream();
  return true;
}

void proxy_connection::read_some(tcp::socket& from, byte_buffer& into, bool speculative,
                                 read_handler handler) {
  if (into.full()) return handler(asio::error::no_buffer_space, 0);
  if (speculative && into.pooled()) {
    // The buffer is warm from the last read: streams usually have more bytes waiting.
    auto [at, room] = into.prepare();
    error_code ec;
    auto n = from.read_some(asio::buffer(at, room), ec);
    if (ec != asio::error::would_block) {
      if (!ec) into.commit(n);
      return handler(ec, n);
    }
  }
  into.release_if_empty();  // idle now: hold no pool memory while waiting
  // A read, not async_wait: Asio queues it without a system call when the last read
  // drained the socket, while every async_wait re-registers the socket with epoll.
  auto [at, room] = into.prepare();
  from.async_read_some(asio::buffer(at, room),
                       [self = shared_from_this(), &into, handler = std::move(handler)](
                           error_code ec, std::size_t n) mutable {
                         if (!ec) into.commit(n);
                         handler(ec, n);
                       });
}

void proxy_connection::arm_deadline(clock::duration after) {
  // Lazy: most phases move the deadline later, and the armed timer then simply checks
  // again when it fires; the timer is re-armed only for an earlier deadline.
  deadline_ = clock::now() + after;
  if (timer_armed_ && deadline_ >= timer_expiry_) return;
  timer_armed_ = true;
  timer_expiry_ = deadline_;
  auto generation = ++deadline_generation_;
  timer_.expires_at(deadline_);
  timer_.async_wait([this, self = shared_from_this(), generation](error_code ec) {
    if (ec || generation != deadline_generation_) return;
    timer_armed_ = false;
    if (phase_ == phase::closed || deadline_ == clock::time_point::max()) return;
    auto now = clock::now();
    if (now < deadline_) return arm_deadline(deadline_ - now);
    on_deadline();
  });
}

void proxy_connection::on_deadline() {
  auto now = clock::now();
  switch (phase_) {
    case phase::head: {
      if (!head_bytes_seen_) return close();  // an idle keep-alive connection
      auto total_left = head_started_ + config_.header_timeout - now;
      auto idle_left = last_activity_ + config_.header_idle_timeout - now;
      if (total_left <= clock::duration::zero() || idle_left <= clock::duration::zero())
        return fail(
            {408, relay::refusal_reason::header_timeout, "request head not complete in time"});
      return arm_deadline(std::min(total_left, idle_left));
    }
    case phase::connecting:
      return fail({504, relay::refusal_reason::upstream_timeout,
                   "connecting to " + target_.authority() + " took over " +
                       std::to_string(config_.connect_timeout.count()) + " ms"});
    case phase::response_head:
      return fail({504, relay::refusal_reason::upstream_timeout,
                   target_.authority() + " sent no response head within " +
                       std::to_string(config_.response_timeout.count()) + " ms"});
    case phase::request_body:
    case phase::response_body:
    case phase::tunnel: {
      auto idle_left = last_activity_ + config_.idle_timeout - now;
      if (idle_left <= clock::duration::zero()) return close();
      return arm_deadline(idle_left);
    }
    case phase::closing:
      return close();  // the device does not read its error response
    case phase::admission:
    case phase::closed:
      return;
  }
}

void proxy_connection::fail(const http_error& error) {
  if (phase_ == phase::closed || phase_ == phase::closing) return;
  if (observer_) observer_->refused(error.reason, error.what);
  if (response_started_) return close();
  std::vector<header_field> extra;
  if (error.status == 407) extra.push_back({"Proxy-Authenticate", "Basic realm=\"headroom\""});
  send_and_close(relay_response(error.status, error.what + "\n", extra, true));
}

void proxy_connection::send_and_close(std::string response) {
  phase_ = phase::closing;
  response_started_ = true;
  error_code ignored;
  upstream_.close(ignored);
  resolver_.cancel();
  auto text = std::make_shared<std::string>(std::move(response));
  arm_deadline(config_.header_idle_timeout);
  asio::async_write(client_, asio::buffer(*text),
                    [this, self = shared_from_this(), text](error_code, std::size_t n) {
                      totals_.bytes_to_device += n;
                      context_->traffic.bytes_to_devices.fetch_add(n, std::memory_order_relaxed);
                      error_code ignored;
                      client_.shutdown(tcp::socket::shutdown_send, ignored);
                      close();
                    });
}

void proxy_connection::close() {
  phase_ = phase::closed;
  error_code ignored;
  timer_.cancel();
  resolver_.cancel();
  client_.close(ignored);
  upstream_.close(ignored);
  close_pipe();
  if (observer_) {
    observer_->closed(std::move(totals_));
    observer_.reset();
  }
}

void proxy_connection::record_transfer(std::uint64_t bytes) {
  ++totals_.requests;
  if (bytes < config_.transfer_report_bytes || totals_.transfers.size() >= 16) return;
  auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - request_started_);
  bool connect = request_.method == "CONNECT";
  totals_.transfers.push_back(
      {request_.method,
       connect ? target_.authority() : "http://" + target_.authority() + target_.origin_form,
       static_cast<std::uint16_t>(connect ? 200 : response_.status), bytes, elapsed.count()});
}

}  // namespace headroom::relay
