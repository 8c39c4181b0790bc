#include "apps/keygen_command.hpp"

#include <iostream>
#include <memory>

#include "bus/curve.hpp"

namespace headroom::apps {
namespace {

int run_keygen(const std::string& base) {
  const auto keys = bus::generate_keypair();
  if (!keys) {
    std::cerr << "headroom keygen: " << keys.failure().message() << "\n";
    return 1;
  }
  if (auto failure = bus::write_keypair_files(*keys, base)) {
    std::cerr << "headroom keygen: " << failure->message() << "\n";
    return 1;
  }
  std::cerr << "wrote " << base << ".key (keep it secret) and " << base
            << ".pub (add it to the detector's "
            << "allowlist, or give it to the nodes if this is the detector)\n";
  std::cout << keys->public_key << "\n";
  return 0;
}

}  // namespace

void add_keygen_command(CLI::App& app) {
  auto base = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand(
      "keygen", "Write a CurveZMQ key pair for the bus (docs/bus.md, \"Security\")");
  cmd->add_option("base", *base, "Writes BASE.key (mode 0600) and BASE.pub; never overwrites")
      ->required();
  cmd->callback([base] {
    if (const int status = run_keygen(*base); status != 0) throw CLI::RuntimeError(status);
  });
}

}  // namespace headroom::apps
