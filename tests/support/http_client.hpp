#pragma once
// A small blocking HTTP/1.1 client over Beast for tests: one connection per request,
// to 127.0.0.1 only. Compiled once (http_client.cpp): Beast's reading and writing took
// each suite's file including it half a minute to compile.

#include <boost/beast/http/verb.hpp>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace headroom::test {

namespace http = boost::beast::http;

struct reply {
  int status = 0;
  std::map<std::string, std::string> headers;
  std::string body;

  [[nodiscard]] nlohmann::json json() const { return nlohmann::json::parse(body); }
  [[nodiscard]] std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class http_client {
 public:
  http_client(std::uint16_t port, std::string token) : port_(port), token_(std::move(token)) {}

  reply send(http::verb method, const std::string& target, const std::string& body = {},
             const std::map<std::string, std::string>& headers = {}, bool with_token = true) const;

  reply get(const std::string& target) const { return send(http::verb::get, target); }
  reply put(const std::string& target, const std::string& body) const {
    return send(http::verb::put, target, body);
  }
  reply post(const std::string& target, const std::string& body,
             const std::map<std::string, std::string>& h = {}) const {
    return send(http::verb::post, target, body, h);
  }
  reply patch(const std::string& target, const std::string& body) const {
    return send(http::verb::patch, target, body);
  }

 private:
  std::uint16_t port_;
  std::string token_;
};

}  // namespace headroom::test
