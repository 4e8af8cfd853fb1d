// The fleet's notification commands (fleet_notify_command.cc), attached to `vigil fleet`, and
// the re-evaluation `vigil vulndb import --fleet` runs after an import.
#ifndef VIGIL_CLI_FLEET_NOTIFY_H_
#define VIGIL_CLI_FLEET_NOTIFY_H_

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "command.h"
#include "vigil/fleet/fleet.h"

#include "vigil/fleet/reevaluate.h"
#include "vigil/vuln/advisory_db.h"

namespace vigil::cli {

void SetupFleetNotify(CLI::App* fleet_cmd);

// The fleet database of --db (SQLite), created when asked.
Result<fleet::Fleet> OpenFleetDb(const std::string& path, bool create);

// Wraps a `vigil fleet` step as a subcommand callback: a Status (exit 0 or the error's code) or
// a Result<int> (its exit code).
template <typename Options, typename Fn>
void FleetCallback(CLI::App* c, std::shared_ptr<Options> o, Fn fn) {
  c->callback([o, fn] {
    auto r = fn(*o);
    if (!r) {
      SetExitCode(ReportError("fleet", r.error()));
    } else if constexpr (std::is_same_v<decltype(r), Result<int>>) {
      SetExitCode(*r);
    } else {
      SetExitCode(kExitOk);
    }
  });
}

// Opens the fleet database and the register and re-evaluates for `changed` (stored ids).
Result<fleet::ReevaluationReport> ReevaluateFleet(const std::string& fleet_db,
                                                  const std::string& register_path,
                                                  const vuln::AdvisoryDb& db,
                                                  const std::vector<std::string>& changed);
void PrintReevaluation(const fleet::ReevaluationReport& r);

}  // namespace vigil::cli

#endif  // VIGIL_CLI_FLEET_NOTIFY_H_
