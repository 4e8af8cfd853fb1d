// Pieces of `vigil update` shared by its two files: update_command.cc (init, refresh, fetch:
// the TUF client) and install_command.cc (setup, install, status, boot, commit, rollback: the
// A/B installer).
#ifndef VIGIL_CLI_UPDATE_COMMAND_H_
#define VIGIL_CLI_UPDATE_COMMAND_H_

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "vigil/core/error.h"
#include "vigil/update/fetcher.h"
#include "vigil/update/updater.h"

namespace vigil::cli {

// Options of every `vigil update` subcommand (each uses its part).
struct UpdateOptions {
  std::string metadata_dir, metadata_url, targets_url, root, target, out_dir, time;
};

// An Updater over the options' metadata directory and URLs; the reference time is --time or
// now. `fetcher` must outlive it.
Result<std::unique_ptr<update::Updater>> OpenUpdater(const UpdateOptions& o,
                                                     update::Fetcher* fetcher);

// Adds setup, install, status, boot, commit and rollback under `update` (install_command.cc).
void AddInstallCommands(CLI::App& update, const std::shared_ptr<UpdateOptions>& o);

}  // namespace vigil::cli

#endif  // VIGIL_CLI_UPDATE_COMMAND_H_
