// Entry point of the `vigil` command: builds the CLI11 app from the registered subcommands.
#include <cstdio>
#include <string>
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

// "vigil log append": the command line's subcommands parsed so far (where a usage error is).
std::string ParsedPath(const CLI::App& app) {
  std::string path = app.get_name();
  for (const CLI::App* sub = &app; !sub->get_subcommands().empty();) {
    sub = sub->get_subcommands().front();
    path += " " + sub->get_name();
  }
  return path;
}

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

CLI::Option* AddOutOption(CLI::App* cmd, std::string& out, const std::string& description) {
  // The name some commands used before --out became the one name; hidden (no group), so help,
  // the README table, the man page and the completion show --out only.
  cmd->add_option("--output", out, "Deprecated alias of --out")->group("");
  return cmd->add_option("--out", out, description);
}

CLI::Validator NonNegative() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        if (value.find('-') == std::string::npos) return "";
        return "expected a non-negative whole number, got " + value;
      },
      "", "non-negative");
}

int RunCommandLine(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line, like every other error of the command (CLI11's own message takes two).
    const std::string path = ParsedPath(app);
    std::fprintf(stderr, "%s: %s (see `%s --help`)\n", path.c_str(), OneLine(e.what()).c_str(),
                 path.c_str());
    return kExitUsage;
  }
  return ExitCode();
}

}  // namespace vigil::cli

int main(int argc, char** argv) {
  CLI::App app{"Vigil: medical-device security core and manufacturer toolchain", "vigil"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every subcommand");
  app.set_version_flag("--version", std::string("vigil ") + VIGIL_VERSION,
                       "Print the Vigil version and exit");
  vigil::cli::SetupAllCommands(app);
  return vigil::cli::RunCommandLine(app, argc, argv);
}
