// Subcommand registration for the `vigil` command. Each subcommand lives in its own file and
// registers a setup function at static-initialisation time:
//
//   namespace { void Setup(CLI::App& app) { auto* c = app.add_subcommand("hash", "...");
//     ...; c->callback([=] { SetExitCode(Run(*opts)); }); }
//   VIGIL_REGISTER_COMMAND(Setup); }
//
// Exit codes (README): 0 ok, 1 verification failed / findings present, 2 usage or input error.
// Errors go to stderr in one line: "vigil <cmd>: <message>".
#ifndef VIGIL_CLI_COMMAND_H_
#define VIGIL_CLI_COMMAND_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string_view>

#include "vigil/core/error.h"

namespace vigil::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;  // verification failed, findings at or above threshold
inline constexpr int kExitUsage = 2;     // usage or input error

using SetupFn = void (*)(CLI::App& app);

// Adds a subcommand setup function; returns true so it can initialise a static.
bool RegisterCommand(SetupFn fn);
// Applies every registered setup function to `app`.
void SetupAllCommands(CLI::App& app);

// The exit code main() returns; subcommand callbacks set it.
void SetExitCode(int code);
int ExitCode();

// Which errors mean "the check ran and refused" (exit kExitFindings) rather than bad input or
// I/O (kExitUsage). kSignatures: a signature or proof that did not verify (Unauthenticated).
// kUpdatePolicy, for the update commands: also a rollback, a freeze or an expired role
// (FailedPrecondition), tampered or mismatching content (DataLoss) and a limit an attacker
// would hit (ResourceExhausted).
enum class Refusals { kSignatures, kUpdatePolicy };

// The one error reporter of the CLI: prints "vigil <command>: <message>" on stderr, one line
// and without internal code names, and returns the exit code for `error` under `refusals`.
int ReportError(std::string_view command, const Error& error,
                Refusals refusals = Refusals::kSignatures);

// The one output option name of the CLI: `--out FILE` (empty: the command's default, usually
// standard output). `--output`, which some commands used before, stays as a hidden alias.
CLI::Option* AddOutOption(CLI::App* cmd, std::string& out, const std::string& description);

// A CLI11 check for unsigned options: "-1" is refused as negative (CLI11 would otherwise let
// strtoull wrap it to 2^64 - 1).
CLI::Validator NonNegative();

// Parses the command line and runs the chosen subcommand; returns the exit code. Usage errors
// are one line on stderr naming the subcommand ("vigil scan: sbom is required (see ...)").
int RunCommandLine(CLI::App& app, int argc, char** argv);

}  // namespace vigil::cli

#define VIGIL_REGISTER_COMMAND(fn) \
  [[maybe_unused]] static const bool vigil_cli_registered_##fn = ::vigil::cli::RegisterCommand(fn)

#endif  // VIGIL_CLI_COMMAND_H_
