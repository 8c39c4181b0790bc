#pragma once
// The HTTP message types of the distribution system. Beast is heavy: include this only
// in the server and handler files, never in widely included headers.

#include <boost/beast/http.hpp>

namespace headroom::distribution {

namespace http = boost::beast::http;
using http_request = http::request<http::string_body>;
using http_response = http::response<http::string_body>;

}  // namespace headroom::distribution
