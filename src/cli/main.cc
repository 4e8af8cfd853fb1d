// Entry point of the `vigil` command: builds the CLI11 app from the registered subcommands.
#include <cstdio>
#include <vector>

#include "command.h"
#include "vigil/core/encoding.h"

namespace vigil::cli {
namespace {

std::vector<SetupFn>& Registry() {
  static std::vector<SetupFn> fns;  // function-local: safe across translation units' static init
  return fns;
}
int g_exit_code = kExitOk;

}  // namespace

bool RegisterCommand(SetupFn fn) {
  Registry().push_back(fn);
  return true;
}

void SetupAllCommands(CLI::App& app) {
  for (SetupFn fn : Registry()) fn(app);
}

void SetExitCode(int code) { g_exit_code = code; }
int ExitCode() { return g_exit_code; }

int ReportError(std::string_view command, const Error& error, Refusals refusals) {
  std::fprintf(stderr, "vigil %.*s: %s\n", static_cast<int>(command.size()), command.data(),
               OneLine(error.message()).c_str());
  const ErrorCode c = error.code();
  bool refused = c == ErrorCode::kUnauthenticated;
  if (refusals == Refusals::kUpdatePolicy) {
    refused = refused || c == ErrorCode::kFailedPrecondition || c == ErrorCode::kDataLoss ||
              c == ErrorCode::kResourceExhausted;
  }
  return refused ? kExitFindings : kExitUsage;
}

}  // namespace vigil::cli

int main(int argc, char** argv) {
  CLI::App app{"Vigil: medical-device security core and manufacturer toolchain", "vigil"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every subcommand");
  vigil::cli::SetupAllCommands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);  // prints the usage error
    return vigil::cli::kExitUsage;
  }
  return vigil::cli::ExitCode();
}
