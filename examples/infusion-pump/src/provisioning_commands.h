// pumpd's factory and first-use commands (see pumpd.cc for the list). A program file, so CLI11
// (which throws) is fine here.
#ifndef PUMP_PROVISIONING_COMMANDS_H_
#define PUMP_PROVISIONING_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "vigil/core/env.h"

namespace pump {

struct ProvisioningArgs {
  std::string ca, name, state, device_id, out, secret_file, admin, password_file, account, code;
  int validity_days = 825;      // device and client certificates
  int ca_validity_days = 3650;  // the manufacturer CA
  std::vector<std::string> dns_names;
  std::string crl_url;
};

// A command's exit code: 0, or 1 after printing "pumpd: <error>" on stderr.
int Finish(const vigil::Status& status);

// Adds `factory {ca,device,client-cert}`, `provision`, `confirm-totp` and `audit checkpoint`.
void AddProvisioningCommands(CLI::App& app, ProvisioningArgs& args);

// Runs whichever of them was parsed and returns its exit code (0, or 1 after printing
// "pumpd: <error>" on stderr); nullopt when none was.
std::optional<int> RunProvisioningCommand(CLI::App& app, const ProvisioningArgs& args,
                                          vigil::Env& env);

}  // namespace pump

#endif  // PUMP_PROVISIONING_COMMANDS_H_
