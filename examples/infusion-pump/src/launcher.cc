#include "launcher.h"

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>

#include "provisioning_commands.h"
#include "update_agent.h"
#include "vigil/update/installer.h"

namespace pump {
namespace {

using vigil::Result;
using vigil::Status;

struct BootChoice {
  std::string program, slot, fallback;
  bool trial = false;
};

Result<std::string> SlotProgram(const vigil::update::Installer& installer, const std::string& dir,
                                const std::string& slot) {
  const vigil::update::SlotSpec& spec = installer.config().slots.at(slot);
  if (spec.kind != "dir") {
    return vigil::FailedPreconditionError(dir + "/slots.json: slot " + slot +
                                          ": expected a directory slot holding pumpd, found " +
                                          spec.kind);
  }
  const std::string base = spec.path.starts_with('/') ? spec.path : vigil::JoinPath(dir, spec.path);
  return vigil::JoinPath(base, "image");
}

// The boot decision, taken by a short-lived Installer that is closed before pumpd starts (one
// process at a time owns the slots).
Result<BootChoice> Decide(vigil::Env& env, const std::string& dir) {
  VIGIL_ASSIGN_OR_RETURN(auto installer, vigil::update::Installer::Open(&env, dir));
  VIGIL_ASSIGN_OR_RETURN(vigil::update::BootDecision d, installer->Boot());
  VIGIL_ASSIGN_OR_RETURN(std::string program, SlotProgram(*installer, dir, d.slot));
  VIGIL_RETURN_IF_ERROR(env.SetFileMode(program, 0700));
  return BootChoice{program, d.slot, d.fallback, d.trial};
}

// Whether the trial of `slot` was committed, read from the boot state without opening the
// installer (the running pumpd owns it).
bool Committed(vigil::Env& env, const std::string& dir, const std::string& slot) {
  const std::string path = vigil::JoinPath(dir, "boot_state.json");
  Result<vigil::Bytes> bytes =
      env.ReadFileLimited(path, vigil::update::Installer::kMaxStateFileBytes, "a boot state");
  if (!bytes) return false;
  Result<vigil::update::BootState> state = vigil::update::BootState::Parse(*bytes, path);
  return state && state->committed == slot && !state->trial;
}

pid_t Spawn(const BootChoice& boot, const LaunchArgs& a) {
  std::vector<std::string> args = {boot.program, "serve"};
  args.insert(args.end(), a.serve_args.begin(), a.serve_args.end());
  args.insert(args.end(), {"--slots", a.slots});
  if (!boot.fallback.empty()) args.insert(args.end(), {"--boot-fallback", boot.fallback});
  std::vector<char*> argv;
  for (std::string& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  if (pid == 0) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive the launcher
    execv(argv[0], argv.data());
    std::fprintf(stderr, "pumpd run: cannot start %s\n", argv[0]);
    _exit(127);
  }
  return pid;
}

struct Ended {
  int code = 0;
  bool stopped = false;  // the launcher was asked to stop
};

int ExitCode(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Waits for `pid`, passing SIGINT/SIGTERM on; a trial that has not committed by the health
// deadline is killed.
Ended Wait(pid_t pid, const BootChoice& boot, const LaunchArgs& a, vigil::Env& env) {
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGINT, SIGTERM, SIGCHLD}) sigaddset(&signals, s);
  const int64_t deadline = env.NowMonotonicNanos() + int64_t{a.health_timeout_s} * 1'000'000'000;
  bool stopped = false, killed = false;
  for (;;) {
    const timespec tick{0, 200'000'000};
    const int signal = sigtimedwait(&signals, nullptr, &tick);
    if (signal == SIGINT || signal == SIGTERM) {
      kill(pid, SIGTERM);
      stopped = true;
    }
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return {ExitCode(status), stopped};
    if (boot.trial && !stopped && !killed && env.NowMonotonicNanos() > deadline &&
        !Committed(env, a.slots, boot.slot)) {
      std::printf("launcher: slot %s did not commit within %d s; stopping it\n", boot.slot.c_str(),
                  a.health_timeout_s);
      std::fflush(stdout);
      kill(pid, SIGKILL);
      killed = true;
    }
  }
}

}  // namespace

CLI::App* AddRunCommand(CLI::App& app, LaunchArgs& a) {
  CLI::App* run = app.add_subcommand(
      "run", "boot the pump from its A/B slots and supervise it (the options of serve follow)");
  run->add_option("--slots", a.slots, "A/B slot directory (vigil update setup)")->required();
  run->add_option("--health-timeout-s", a.health_timeout_s,
                  "how long a trial may take to commit before it is stopped")
      ->check(CLI::Range(1, 3600));
  run->allow_extras();
  return run;
}

int RunLauncher(LaunchArgs a, vigil::Env& env) {
  sigset_t child;
  sigemptyset(&child);
  sigaddset(&child, SIGCHLD);
  pthread_sigmask(SIG_BLOCK, &child, nullptr);
  // A trial spends an attempt per boot, so the loop ends; the bound only guards a pumpd that
  // asks for restarts without end.
  for (int boots = 0; boots < 100; ++boots) {
    Result<BootChoice> boot = Decide(env, a.slots);
    if (!boot) return Finish(boot.error());
    if (!boot->fallback.empty()) std::printf("launcher: fallback: %s\n", boot->fallback.c_str());
    std::printf("launcher: boot slot %s (%s)\n", boot->slot.c_str(),
                boot->trial ? "trial" : "committed");
    const pid_t pid = Spawn(*boot, a);
    if (pid < 0) return Finish(vigil::UnavailableError("pumpd run: fork failed"));
    const Ended ended = Wait(pid, *boot, a, env);
    if (ended.stopped) return ended.code;
    const bool again = ended.code == UpdateAgent::kExitRestart || boot->trial;
    std::printf("launcher: slot %s exited with status %d%s\n", boot->slot.c_str(), ended.code,
                again ? "; booting again" : "");
    std::fflush(stdout);
    if (!again) return ended.code;
  }
  return Finish(vigil::FailedPreconditionError("pumpd run: 100 boots without a stable pumpd"));
}

}  // namespace pump
