#include "tests/support/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace headroom::test {

reply http_client::send(http::verb method, const std::string& target, const std::string& body,
                        const std::map<std::string, std::string>& headers, bool with_token) const {
  namespace asio = boost::asio;
  asio::io_context io;
  boost::beast::tcp_stream stream(io);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  http::request<http::string_body> req{method, target, 11};
  req.set(http::field::host, "127.0.0.1");
  if (with_token && !token_.empty()) req.set(http::field::authorization, "Bearer " + token_);
  for (const auto& [k, v] : headers) req.set(k, v);
  if (!body.empty() || method == http::verb::put || method == http::verb::post ||
      method == http::verb::patch) {
    req.body() = body;
    if (!headers.count("Content-Type")) req.set(http::field::content_type, "application/json");
  }
  req.prepare_payload();
  http::write(stream, req);
  boost::beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(1ULL << 30);
  http::read(stream, buffer, parser);
  const auto& res = parser.get();
  reply out;
  out.status = static_cast<int>(res.result_int());
  for (const auto& f : res) out.headers[std::string(f.name_string())] = std::string(f.value());
  out.body = res.body();
  boost::beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  return out;
}

}  // namespace headroom::test
