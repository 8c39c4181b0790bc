#include "relay/chunked_scanner.hpp"

#include <algorithm>

#include "common/percent.hpp"

namespace headroom::relay {

http_result<std::size_t> chunked_scanner::consume(std::string_view data) {
  std::size_t i = 0;
  while (i < data.size() && state_ != state::done) {
    char c = data[i];
    switch (state_) {
      case state::size: {
        int v = common::hex_value(c);
        if (v >= 0) {
          if (remaining_ >= max_chunk / 16 || size_digits_ >= 16)
            return bad_request("chunk size overflows");
          remaining_ = remaining_ * 16 + static_cast<std::uint64_t>(v);
          ++size_digits_;
        } else if (size_digits_ == 0) {
          return bad_request("chunk size is not hexadecimal");
        } else if (c == ';') {
          state_ = state::extension;
          line_ = 0;
        } else if (c == '\r') {
          state_ = state::size_lf;
        } else {
          return bad_request("junk after chunk size");
        }
        ++i;
        break;
      }
      case state::extension:
        if (c == '\r') {
          state_ = state::size_lf;
        } else if (c == '\n' || c == '\0') {
          return bad_request("bare LF or NUL in chunk extension");
        } else if (++line_ > max_line) {
          return too_large("chunk extension over " + std::to_string(max_line) + " bytes");
        }
        ++i;
        break;
      case state::size_lf:
        if (c != '\n') return bad_request("chunk size line not ended by CRLF");
        size_digits_ = 0;
        state_ = remaining_ == 0 ? state::trailer_start : state::data;
        ++i;
        break;
      case state::data: {
        auto take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, data.size() - i));
        remaining_ -= take;
        i += take;
        if (remaining_ == 0) state_ = state::data_cr;
        break;
      }
      case state::data_cr:
        if (c != '\r') return bad_request("chunk data longer than its size");
        state_ = state::data_lf;
        ++i;
        break;
      case state::data_lf:
        if (c != '\n') return bad_request("chunk data not ended by CRLF");
        state_ = state::size;
        ++i;
        break;
      case state::trailer_start:
        if (c == '\r') {
          state_ = state::final_lf;
        } else if (c == '\n') {
          return bad_request("bare LF after last chunk");
        } else {
          state_ = state::trailer;
          line_ = 1;
        }
        ++i;
        break;
      case state::trailer:
        if (c == '\r') {
          state_ = state::trailer_lf;
        } else if (c == '\n' || c == '\0') {
          return bad_request("bare LF or NUL in trailer");
        } else if (++line_ > max_line) {
          return too_large("trailer line over " + std::to_string(max_line) + " bytes");
        }
        ++i;
        break;
      case state::trailer_lf:
        if (c != '\n') return bad_request("trailer not ended by CRLF");
        state_ = state::trailer_start;
        ++i;
        break;
      case state::final_lf:
        if (c != '\n') return bad_request("chunked body not ended by CRLF");
        state_ = state::done;
        ++i;
        break;
      case state::done:
        break;
    }
  }
  return i;
}

}  // namespace headroom::relay
