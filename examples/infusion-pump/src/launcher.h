// `pumpd run`: the pump's boot loader and supervisor for software updates. It takes the boot
// decision over the A/B slots (vigil/update/installer.h: a trial attempt is spent before the
// trial slot starts, the committed slot is booted once the attempts are spent), starts the
// chosen slot's pumpd (`serve`, with the options given here), and boots again when that pumpd
// asks for a restart into an armed trial (update_agent.h), when a trial pumpd exits or crashes
// before committing, or when it has not committed within the health deadline (it is killed).
// SIGINT/SIGTERM are passed on to the running pumpd and end the launcher with its exit code;
// a committed pumpd that ends by itself ends the launcher too.
//
// The slots are directory slots whose image is pumpd's executable (the TUF target): the
// launcher makes it executable (0700) after the boot decision verified its hashes, and runs it.
#ifndef PUMP_LAUNCHER_H_
#define PUMP_LAUNCHER_H_

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "vigil/core/env.h"

namespace pump {

struct LaunchArgs {
  std::string slots;
  int health_timeout_s = 120;
  std::vector<std::string> serve_args;  // passed to `pumpd serve` as given
};

// Adds `run`; its unknown options are `serve`'s (collected into serve_args).
CLI::App* AddRunCommand(CLI::App& app, LaunchArgs& args);

// Runs the boot loop; returns the exit code. Precondition: SIGINT and SIGTERM are blocked in
// every thread (main blocks them first).
int RunLauncher(LaunchArgs args, vigil::Env& env);

}  // namespace pump

#endif  // PUMP_LAUNCHER_H_
