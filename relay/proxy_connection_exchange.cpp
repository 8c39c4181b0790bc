// The byte-moving half of proxy_connection: a request with its body going up, the
// response with its body coming down, and CONNECT tunnels. Each body passes through one
// bounded buffer per direction: read some, write it all, read again.
#include <array>
#include <boost/asio/write.hpp>

#include "relay/proxy_connection.hpp"

namespace headroom::relay {

namespace asio = boost::asio;
using boost::system::error_code;

void proxy_connection::send_request() {
  phase_ = phase::request_body;
  last_activity_ = clock::now();
  arm_deadline(config_.idle_timeout);
  body_remaining_ = request_.content_length;
  chunks_ = chunked_scanner{};
  auto head = std::make_shared<std::string>(
      forward_request_head(request_, target_.origin_form, target_.authority(), config_.proxy_id));
  auto send_head = [this, self = shared_from_this(), head] {
    asio::async_write(
        upstream_, asio::buffer(*head), [this, self, head](error_code ec, std::size_t) {
          if (phase_ != phase::request_body) return;
          if (ec && retry_on_fresh_upstream()) return;
          if (ec)
            return fail({502, relay::refusal_reason::upstream_failed,
                         "sending the request to " + target_.authority() + ": " + ec.message()});
          pump_request_body();
        });
  };
  if (!request_.expect_continue) return send_head();
  // Answered here: waiting for the upstream's own 100 would stall the body pump.
  static const std::string go_on = "HTTP/1.1 100 Continue\r\n\r\n";
  asio::async_write(client_, asio::buffer(go_on),
                    [this, self = shared_from_this(), send_head](error_code ec, std::size_t) {
                      if (phase_ != phase::request_body) return;
                      if (ec) return close();
                      send_head();
                    });
}

void proxy_connection::pump_request_body() {
  if (request_.framing == body_framing::none ||
      (request_.framing == body_framing::length && body_remaining_ == 0) ||
      (request_.framing == body_framing::chunked && chunks_.done()))
    return read_response_head();
  if (from_device_.empty()) {
    return read_some(client_, from_device_, true,
                     [this, self = shared_from_this()](error_code ec, std::size_t n) {
                       if (phase_ != phase::request_body) return;
                       if (ec) return close();  // the device gave up mid-body
                       last_activity_ = clock::now();
                       totals_.bytes_from_device += n;
                       context_->traffic.bytes_from_devices.fetch_add(n, std::memory_order_relaxed);
                       pump_request_body();
                     });
  }
  auto available = from_device_.data();
  std::size_t take = 0;
  if (request_.framing == body_framing::length) {
    take = static_cast<std::size_t>(std::min<std::uint64_t>(body_remaining_, available.size()));
    body_remaining_ -= take;
  } else {
    auto consumed = chunks_.consume(available);
    if (!consumed) return fail(consumed.failure());
    take = *consumed;
  }
  request_bytes_ += take;
  asio::async_write(
      upstream_, asio::buffer(available.data(), take),
      [this, self = shared_from_this(), take](error_code ec, std::size_t) {
        if (phase_ != phase::request_body) return;
        if (ec)
          return fail({502, relay::refusal_reason::upstream_failed,
                       "sending the body to " + target_.authority() + ": " + ec.message()});
        from_device_.consume(take);
        pump_request_body();
      });
}

void proxy_connection::read_response_head() {
  phase_ = phase::response_head;
  head_scanned_ = 0;
  arm_deadline(config_.response_timeout);
  continue_response_head();
}

void proxy_connection::continue_response_head() {
  if (!from_upstream_.empty()) {
    auto end = find_head_end(from_upstream_.data(), head_scanned_, config_.limits);
    if (!end)
      return fail({502, relay::refusal_reason::upstream_failed,
                   "upstream response: " + end.failure().what});
    if (*end > 0) return on_response_head(*end);
  }
  read_some(upstream_, from_upstream_, false,
            [this, self = shared_from_this()](error_code ec, std::size_t) {
              if (phase_ != phase::response_head) return;
              if (ec && retry_on_fresh_upstream()) return;
              if (ec)
                return fail({502, relay::refusal_reason::upstream_failed,
                             target_.authority() +
                                 " closed without a complete response head: " + ec.message()});
              continue_response_head();
            });
}

void proxy_connection::on_response_head(std::size_t length) {
  auto parsed = parse_response_head(from_upstream_.data().substr(0, length),
                                    request_.method == "HEAD", config_.limits);
  from_upstream_.consume(length);
  if (!parsed) return fail(parsed.failure());
  if (parsed->status == 101)
    return fail({502, relay::refusal_reason::upstream_failed, "upstream switched protocols"});
  if (parsed->status < 200) return read_response_head();  // interim: the relay sent its own 100
  response_ = std::move(*parsed);
  keep_device_ = request_.keep_alive && response_.framing != body_framing::until_close;
  upstream_reusable_ = response_.keep_alive;
  body_remaining_ = response_.content_length;
  chunks_ = chunked_scanner{};
  phase_ = phase::response_body;
  last_activity_ = clock::now();
  arm_deadline(config_.idle_timeout);
  response_started_ = true;
  // Sent together with the first body bytes: one write for a small response.
  pending_head_ = forward_response_head(response_, keep_device_, config_.proxy_id);
  pump_response_body();
}

void proxy_connection::pump_response_body() {
  bool body_done = response_.framing == body_framing::none ||
                   (response_.framing == body_framing::length && body_remaining_ == 0) ||
                   (response_.framing == body_framing::chunked && chunks_.done());
  if (!pending_head_.empty() && (body_done || from_upstream_.empty())) {
    return asio::async_write(client_, asio::buffer(pending_head_),
                             [this, self = shared_from_this()](error_code ec, std::size_t n) {
                               if (phase_ != phase::response_body) return;
                               if (ec) return close();
                               pending_head_.clear();
                               totals_.bytes_to_device += n;
                               context_->traffic.bytes_to_devices.fetch_add(
                                   n, std::memory_order_relaxed);
                               pump_response_body();
                             });
  }
  if (body_done) return finish_request();
  bool spliceable =
      response_.framing == body_framing::length || response_.framing == body_framing::until_close;
  if (spliceable && from_upstream_.empty() && pending_head_.empty() && open_pipe())
    return splice_response_body();
  if (from_upstream_.empty()) {
    return read_some(
        upstream_, from_upstream_, true,
        [this, self = shared_from_this()](error_code ec, std::size_t) {
          if (phase_ != phase::response_body) return;
          if (ec == asio::error::eof && response_.framing == body_framing::until_close) {
            keep_device_ = false;
            return finish_request();
          }
          if (ec) return close();  // the device already has part of the body: cut it short
          last_activity_ = clock::now();
          pump_response_body();
        });
  }
  auto available = from_upstream_.data();
  std::size_t take = available.size();
  if (response_.framing == body_framing::length) {
    take = static_cast<std::size_t>(std::min<std::uint64_t>(body_remaining_, available.size()));
    body_remaining_ -= take;
  } else if (response_.framing == body_framing::chunked) {
    auto consumed = chunks_.consume(available);
    if (!consumed)
      return fail({502, relay::refusal_reason::upstream_failed,
                   "upstream body: " + consumed.failure().what});
    take = *consumed;
  }
  std::array<asio::const_buffer, 2> chunk{asio::buffer(pending_head_),
                                          asio::buffer(available.data(), take)};
  asio::async_write(client_, chunk,
                    [this, self = shared_from_this(), take](error_code ec, std::size_t n) {
                      if (phase_ != phase::response_body) return;
                      if (ec) return close();
                      from_upstream_.consume(take);
                      pending_head_.clear();
                      response_bytes_ += take;
                      totals_.bytes_to_device += n;
                      context_->traffic.bytes_to_devices.fetch_add(n, std::memory_order_relaxed);
                      pump_response_body();
                    });
}

void proxy_connection::finish_request() {
  record_transfer(std::max(request_bytes_, response_bytes_));
  if (!upstream_reusable_ || !from_upstream_.empty())
    drop_upstream();  // leftover bytes: not to be trusted
  if (!keep_device_) {
    error_code ignored;
    client_.shutdown(tcp::socket::shutdown_send, ignored);
    return close();
  }
  read_head();
}

// -- tunnels ---------------------------------------------------------------------------

void proxy_connection::start_tunnel() {
  phase_ = phase::tunnel;
  last_activity_ = clock::now();
  arm_deadline(config_.idle_timeout);
  tunnel_open_directions_ = 2;
  pump_tunnel(true);
  pump_tunnel(false);
}

void proxy_connection::pump_tunnel(bool from_device) {
  auto& source = from_device ? client_ : upstream_;
  auto& sink = from_device ? upstream_ : client_;
  auto& buffer = from_device ? from_device_ : from_upstream_;
  if (buffer.empty()) {
    return read_some(
        source, buffer, true,
        [this, self = shared_from_this(), from_device, &sink](error_code ec, std::size_t n) {
          if (phase_ != phase::tunnel) return;
          if (ec) {
            // One side finished: pass the half-close on, end when both have.
            error_code ignored;
            sink.shutdown(tcp::socket::shutdown_send, ignored);
            if (--tunnel_open_directions_ == 0 || ec != asio::error::eof) {
              record_transfer(std::max(request_bytes_, response_bytes_));
              close();
            }
            return;
          }
          last_activity_ = clock::now();
          if (from_device) {
            totals_.bytes_from_device += n;
            context_->traffic.bytes_from_devices.fetch_add(n, std::memory_order_relaxed);
          }
          pump_tunnel(from_device);
        });
  }
  auto chunk = buffer.data();
  asio::async_write(sink, asio::buffer(chunk.data(), chunk.size()),
                    [this, self = shared_from_this(), from_device, &buffer, n = chunk.size()](
                        error_code ec, std::size_t) {
                      if (phase_ != phase::tunnel) return;
                      if (ec) {
                        record_transfer(std::max(request_bytes_, response_bytes_));
                        return close();
                      }
                      buffer.consume(n);
                      auto& bytes = from_device ? request_bytes_ : response_bytes_;
                      bytes += n;
                      if (!from_device) {
                        totals_.bytes_to_device += n;
                        context_->traffic.bytes_to_devices.fetch_add(n, std::memory_order_relaxed);
                      }
                      pump_tunnel(from_device);
                    });
}

}  // namespace headroom::relay
