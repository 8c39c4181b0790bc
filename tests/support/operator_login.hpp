#pragma once
// Logging an operator in to the distribution system's pages, as a browser does: fetch the
// login form (its CSRF cookie and hidden field), post it, keep the session cookie.

#include <map>
#include <regex>
#include <string>

#include "tests/support/distribution_fixture.hpp"

namespace headroom::test {

/// The value of a hidden form field in HTML.
inline std::string form_field_of(const std::string& html, const std::string& name) {
  std::smatch m;
  const std::regex re("name=\"" + name + "\" value=\"([^\"]*)\"");
  return std::regex_search(html, m, re) ? m[1].str() : std::string();
}

/// `name=value` of the reply's Set-Cookie.
inline std::string cookie_pair_of(const reply& r) {
  const auto set = r.header("Set-Cookie");
  return set.substr(0, set.find(';'));
}

/// The login form as one browser holds it: its cookie and its hidden CSRF field.
struct login_form {
  std::string cookie;
  std::string csrf;

  static login_form fetch(const server_fixture& server,
                          const std::map<std::string, std::string>& headers = {}) {
    const auto page = server.anonymous().send(http::verb::get, "/login", {}, headers);
    return {cookie_pair_of(page), form_field_of(page.body, "csrf")};
  }

  /// Posts a login; EXTRA headers (X-Forwarded-For, ...) are sent too.
  reply post(const server_fixture& server, const std::string& name, const std::string& password,
             std::map<std::string, std::string> extra = {}) const {
    extra["Cookie"] = cookie;
    extra["Content-Type"] = "application/x-www-form-urlencoded";
    return server.anonymous().send(
        http::verb::post, "/login",
        "name=" + name + "&password=" + password + "&next=%2Fwarnings&csrf=" + csrf, extra);
  }
};

}  // namespace headroom::test
