// pumpd: the reference infusion pump. The factory, first-use and therapy commands so far:
//   pumpd factory ca --dir CA --name NAME           the manufacturer CA (key 0600, certificate)
//   pumpd factory device --ca CA --state STATE --device-id SN --secret-out FILE
//                                                    a new pump; its one-time provisioning secret
//   pumpd factory client-cert --ca CA --name NAME --out DIR    a client certificate (mutual TLS)
//   pumpd provision --state STATE --secret-file F --admin ID --password-file P
//   pumpd confirm-totp --state STATE --account ID --code CODE
//   pumpd audit checkpoint --state STATE            sign a checkpoint of the audit log
//   pumpd library seal|check --state STATE LIBRARY  under the drug-library key from provisioning
//   pumpd simulate --state STATE --library LIBRARY --drug ID (--rate-ul-h R | --duration-s S)
//                  --volume-ul V --run-ms T [--period-us P] [--confirm-soft-limit]
//                  [--occlude-at-ms A --clear-at-ms C] [--fault-at-ms F]
//   pumpd serve --state STATE --policy POLICY --library LIBRARY [...]   the pump and its API
//   pumpd run --slots SLOTS [--health-timeout-s N] SERVE-OPTIONS...
//                  boot from the A/B slots and supervise (software updates, launcher.h)
#include <pthread.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <functional>
#include <string>
#include <thread>

#include "device.h"
#include "drug_library.h"
#include "launcher.h"
#include "provisioning_commands.h"
#include "serve_command.h"
#include "therapy_controller.h"
#include "vigil/core/encoding.h"
#include "vigil/core/env.h"
#include "vigil/crypto/secret_bytes.h"

namespace pump {
namespace {

using vigil::Env;
using vigil::Result;
using vigil::Status;
using vigil::crypto::SecretBytes;

Result<SecretBytes> ReadKey(Env& env, const std::string& state) {
  VIGIL_ASSIGN_OR_RETURN(auto device, Device::Open(env, state));
  return device->LibraryKey();
}

Status Seal(Env& env, const std::string& state, const std::string& library) {
  VIGIL_ASSIGN_OR_RETURN(SecretBytes key, ReadKey(env, state));
  VIGIL_ASSIGN_OR_RETURN(vigil::Bytes bytes,
                         env.ReadFileLimited(library, DrugLibrary::kMaxBytes, "a drug library"));
  // Sealing a library that would not load helps nobody: parse it first.
  VIGIL_RETURN_IF_ERROR(DrugLibrary::Parse(vigil::AsStringView(bytes), library));
  VIGIL_ASSIGN_OR_RETURN(std::string tag, DrugLibrary::Seal(key, bytes));
  VIGIL_RETURN_IF_ERROR(env.WriteFileAtomic(library + ".mac", vigil::AsBytes(tag + "\n")));
  std::printf("sealed %s: %s.mac\n", library.c_str(), library.c_str());
  return vigil::OkStatus();
}

Result<DrugLibrary> LoadLibrary(Env& env, const std::string& state, const std::string& library) {
  VIGIL_ASSIGN_OR_RETURN(SecretBytes key, ReadKey(env, state));
  VIGIL_ASSIGN_OR_RETURN(DrugLibrary lib, DrugLibrary::Load(env, library, key));
  std::printf("drug library version %llu: %zu drugs, integrity verified\n",
              static_cast<unsigned long long>(lib.version()), lib.drugs().size());
  return lib;
}

Status CheckLibrary(Env& env, const std::string& state, const std::string& library) {
  VIGIL_RETURN_IF_ERROR(LoadLibrary(env, state, library));
  return vigil::OkStatus();
}

struct SimulateOptions {
  std::string state, library;
  ProgramRequest request;
  int64_t run_ms = 0, period_us = 10000;
  int64_t occlude_at_ms = -1, clear_at_ms = -1, fault_at_ms = -1;
};

// One timed event of a simulation run.
struct Event {
  int64_t at_ms;
  std::function<void()> run;
};

void PrintAlerts(const SecurityFaults& faults, uint64_t& seen) {
  for (const Alert& a : faults.AlertsAfter(seen)) {
    std::printf("alert %llu %s: %s\n", static_cast<unsigned long long>(a.sequence),
                a.component.c_str(), a.message.c_str());
    seen = a.sequence;
  }
}

void PrintStatus(const TherapyStatus& s) {
  std::printf("status: %s, alarm %s, %s at %lld µL/h, delivered %lld of %lld µL\n",
              StateName(s.state), AlarmName(s.alarm), s.drug_id.c_str(),
              static_cast<long long>(s.rate_ul_h), static_cast<long long>(s.delivered_ul),
              static_cast<long long>(s.volume_ul));
}

void Report(const char* what, const Status& status) {
  if (status) {
    std::printf("%s: ok\n", what);
  } else {
    std::printf("%s: refused: %s\n", what, status.error().ToString().c_str());
  }
}

std::vector<Event> Events(const SimulateOptions& o, TherapyController& therapy,
                          SecurityFaults& faults) {
  std::vector<Event> events;
  if (o.occlude_at_ms >= 0) {
    events.push_back({o.occlude_at_ms, [&] { therapy.line().SetOccluded(true); }});
  }
  if (o.clear_at_ms >= 0) {
    events.push_back({o.clear_at_ms, [&] {
                        therapy.line().SetOccluded(false);
                        Report("clear occlusion", therapy.ClearOcclusion());
                        Report("resume", therapy.Resume());
                      }});
  }
  if (o.fault_at_ms >= 0) {
    events.push_back({o.fault_at_ms, [&, o] {
                        faults.Report("clock", "wall clock jumped (simulated)");
                        ProgramRequest change = o.request;
                        change.volume_ul += 1;
                        Report("change program", therapy.Change(change));
                        // The fault policy: a clock fault denies what trusts the wall clock.
                        Report("software update", faults.Permit(PrivilegedAction::kSoftwareUpdate));
                      }});
  }
  std::sort(events.begin(), events.end(),
            [](const Event& a, const Event& b) { return a.at_ms < b.at_ms; });
  return events;
}

Status Simulate(Env& env, const SimulateOptions& o) {
  VIGIL_ASSIGN_OR_RETURN(DrugLibrary library, LoadLibrary(env, o.state, o.library));
  SecurityFaults faults;
  TherapyController therapy(faults, std::chrono::microseconds(o.period_us));
  VIGIL_RETURN_IF_ERROR(therapy.InstallLibrary(std::move(library)));
  VIGIL_RETURN_IF_ERROR(therapy.Start(o.request));
  const auto start = std::chrono::steady_clock::now();
  therapy.StartLoop();
  std::printf("started: %s\n", o.request.drug_id.c_str());
  uint64_t seen = 0;
  for (const Event& e : Events(o, therapy, faults)) {
    std::this_thread::sleep_until(start + std::chrono::milliseconds(e.at_ms));
    PrintAlerts(faults, seen);
    e.run();
    PrintAlerts(faults, seen);
  }
  std::this_thread::sleep_until(start + std::chrono::milliseconds(o.run_ms));
  therapy.StopLoop();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  PrintAlerts(faults, seen);
  const TherapyStatus s = therapy.Status();
  const JitterStats j = therapy.Jitter();
  PrintStatus(s);
  std::printf("infused over %llu ticks; the loop ticked %llu times of %lld µs in %lld ms\n",
              static_cast<unsigned long long>(s.running_ticks),
              static_cast<unsigned long long>(j.ticks), static_cast<long long>(o.period_us),
              static_cast<long long>(
                  std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()));
  std::printf("jitter: p50 %lld µs, p99 %lld µs, max %lld µs (%llu ticks caught up)\n",
              static_cast<long long>(j.p50_us), static_cast<long long>(j.p99_us),
              static_cast<long long>(j.max_us), static_cast<unsigned long long>(j.late_ticks));
  return vigil::OkStatus();
}

}  // namespace
}  // namespace pump

int main(int argc, char** argv) {
  using namespace pump;
  // `serve` waits for these with sigwait: blocked here, before any thread starts, so every
  // thread inherits the mask and none is interrupted.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  vigil::Env& env = *vigil::Env::Default();
  CLI::App app{"pumpd: the reference infusion pump (simulated)"};
  app.require_subcommand(1);
  ProvisioningArgs provisioning;
  AddProvisioningCommands(app, provisioning);
  ServeArgs serve_args;
  CLI::App* serve = AddServeCommand(app, serve_args);
  LaunchArgs launch_args;
  CLI::App* run = AddRunCommand(app, launch_args);
  CLI::App* lib = app.add_subcommand("library", "drug library tools")->require_subcommand(1);
  std::string state, library;
  CLI::App* seal = lib->add_subcommand("seal", "write LIBRARY.mac under the drug-library key");
  CLI::App* check = lib->add_subcommand("check", "verify and read a sealed library");
  for (CLI::App* cmd : {seal, check}) {
    cmd->add_option("--state", state, "the pump's state folder")->required();
    cmd->add_option("LIBRARY", library)->required();
  }
  SimulateOptions sim;
  CLI::App* simulate = app.add_subcommand("simulate", "run an infusion for a while");
  simulate->add_option("--state", sim.state)->required();
  simulate->add_option("--library", sim.library)->required();
  simulate->add_option("--drug", sim.request.drug_id)->required();
  auto* rate = simulate->add_option("--rate-ul-h", sim.request.rate_ul_h);
  simulate->add_option("--duration-s", sim.request.duration_s)->excludes(rate);
  simulate->add_option("--volume-ul", sim.request.volume_ul)->required();
  simulate->add_flag("--confirm-soft-limit", sim.request.confirm_soft_limit);
  simulate->add_option("--run-ms", sim.run_ms)->required()->check(CLI::Range(1, 600000));
  simulate->add_option("--period-us", sim.period_us)->check(CLI::Range(100, 1000000));
  simulate->add_option("--occlude-at-ms", sim.occlude_at_ms);
  simulate->add_option("--clear-at-ms", sim.clear_at_ms);
  simulate->add_option("--fault-at-ms", sim.fault_at_ms);
  CLI11_PARSE(app, argc, argv);
  if (std::optional<int> rc = RunProvisioningCommand(app, provisioning, env)) return *rc;
  if (serve->parsed()) return RunServe(serve_args, env);
  if (run->parsed()) {
    launch_args.serve_args = run->remaining();
    return RunLauncher(std::move(launch_args), env);
  }
  if (seal->parsed()) return Finish(Seal(env, state, library));
  if (check->parsed()) return Finish(CheckLibrary(env, state, library));
  return Finish(Simulate(env, sim));
}
