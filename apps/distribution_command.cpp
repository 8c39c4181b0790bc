#include "apps/distribution_command.hpp"

#include <iostream>
#include <memory>

#include "common/host_port.hpp"
#include "common/stop_signals.hpp"
#include "common/system_wall_clock.hpp"
#include "distribution/service.hpp"

namespace headroom::apps {
namespace {

struct distribution_options {
  std::string config_file;
  std::string listen, data_dir, api_token, add_operator;
  int threads = 0;
};

int fail(const distribution::failure& why) {
  std::cerr << "headroom distribution: " << (why.path.empty() ? "" : why.path + ": ") << why.detail
            << "\n";
  return 1;
}

int fail(const domain::error& why) {
  std::cerr << "headroom distribution: " << why.message() << "\n";
  return 1;
}

int run_distribution(const distribution_options& o) {
  distribution::distribution_config config;
  if (!o.config_file.empty()) {
    auto read = distribution::read_distribution_config(o.config_file);
    if (!read) return fail(read.failure());
    config = std::move(*read);
  }
  // Flags override the file.
  if (!o.listen.empty()) config.listen = o.listen;
  if (!o.data_dir.empty()) config.data_dir = o.data_dir;
  if (!o.api_token.empty()) config.api_token = o.api_token;
  if (o.threads > 0) config.threads = o.threads;
  const bool generated_token = config.api_token.empty();
  common::stop_signals signals;
  auto service = distribution::distribution_service::open(config, common::system_wall_clock());
  if (!service) return fail(service.failure());
  if (!o.add_operator.empty()) {
    auto password = (*service)->add_operator(o.add_operator);
    if (!password) return fail(password.failure());
    std::cout << "operator " << o.add_operator << " password: " << *password << std::endl;
    return 0;
  }
  auto port = (*service)->start();
  if (!port) return fail(port.failure());
  // The service has validated the address: it parses.
  const auto where = common::parse_host_port(config.listen);
  std::cout << "listening on http://" << common::format_host_port(where->host, *port) << std::endl;
  if (generated_token)
    std::cout << "api token (generated; set auth.api_token to keep one): "
              << (*service)->api_token() << std::endl;
  signals.wait();
  (*service)->stop();
  return 0;
}

}  // namespace

void add_distribution_command(CLI::App& app) {
  auto o = std::make_shared<distribution_options>();
  auto* cmd = app.add_subcommand("distribution",
                                 "Run the reference software distribution system (docs/api.md)");
  cmd->add_option("--config", o->config_file, "TOML configuration (config/distribution.toml)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--listen", o->listen,
                  "host:port to listen on; port 0 picks a free one (server.listen)");
  cmd->add_option("--data-dir", o->data_dir,
                  "Directory of the SQLite store and firmware images (store.data_dir)");
  cmd->add_option("--api-token", o->api_token,
                  "Bearer token for machines (auth.api_token); else generated");
  cmd->add_option("--threads", o->threads, "Threads serving HTTP (server.threads)");
  cmd->add_option("--add-operator", o->add_operator,
                  "Create or reset an operator, print its generated password, exit");
  cmd->callback([o] {
    if (const int code = run_distribution(*o); code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace headroom::apps
