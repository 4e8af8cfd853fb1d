// `pumpd serve`: the pump running, its delivery loop and its management API, until SIGINT or
// SIGTERM.
#ifndef PUMP_SERVE_COMMAND_H_
#define PUMP_SERVE_COMMAND_H_

#include <CLI/CLI.hpp>
#include <string>

#include "vigil/core/env.h"

namespace pump {

struct ServeArgs {
  std::string state, policy, library, port_file;
  int port = 0;
  int64_t period_us = 10000;
  int workers = 4;
  double requests_per_second = 20;
  int break_glass_minutes = 0;  // 0: the access policy's max_minutes
  // Software updates (update_agent.h), when --slots is given (by `pumpd run`).
  std::string slots, tuf, update_url, boot_fallback;
  int update_poll_s = 0;  // 0: no polling, only installs asked for
};

// Adds `serve`.
CLI::App* AddServeCommand(CLI::App& app, ServeArgs& args);

// Opens the device, installs the sealed library (a library that does not verify is reported as
// a fault and no therapy can start), starts the loop and the API, writes the port to
// `port_file` if given, prints "listening on https://HOST:PORT", waits for SIGINT/SIGTERM, then
// signs a last audit checkpoint. With --slots: on a trial boot, the health check once the API
// serves, then commit or exit UpdateAgent::kExitUnhealthy; an armed trial waiting for no
// infusion to be under way ends the pump with UpdateAgent::kExitRestart (for the launcher).
// Returns the exit code. Precondition: SIGINT and SIGTERM are
// blocked in every thread (main blocks them first).
int RunServe(const ServeArgs& args, vigil::Env& env);

}  // namespace pump

#endif  // PUMP_SERVE_COMMAND_H_
