#include "serve_command.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <optional>
#include <thread>

#include "device.h"
#include "drug_library.h"
#include "management_api.h"
#include "provisioning_commands.h"
#include "security_monitor.h"
#include "therapy_controller.h"
#include "update_agent.h"

namespace pump {
namespace {

using vigil::Result;
using vigil::Status;

// The library in force at boot. A library that does not verify leaves the pump without one
// (no therapy can start) and is reported; the pump still serves, so it can be given a good one.
void InstallLibrary(Device& device, TherapyController& therapy, SecurityFaults& faults,
                    const std::string& path) {
  Result<vigil::crypto::SecretBytes> key = device.LibraryKey();
  Status installed = key ? vigil::OkStatus() : Status(key.error());
  if (installed) {
    Result<DrugLibrary> library = DrugLibrary::Load(device.env(), path, *key);
    installed = library ? therapy.InstallLibrary(std::move(*library)) : Status(library.error());
  }
  if (!installed)
    faults.Raise("therapy", "drug library not installed: " + installed.error().message());
}

// Opens the update agent when the pump runs from slots; an agent that cannot open is a fault
// (no updates), never a reason not to serve.
std::unique_ptr<UpdateAgent> OpenUpdates(const ServeArgs& a, Device& device,
                                         vigil::audit::EventSink& audit, SecurityFaults& faults,
                                         TherapyController& therapy) {
  if (a.slots.empty()) return nullptr;
  UpdateOptions options{a.slots, a.tuf, a.update_url};
  Result<std::unique_ptr<UpdateAgent>> agent =
      UpdateAgent::Open(device.env(), options, audit, faults, therapy, device.device_id());
  if (!agent) {
    faults.Report("update", "software updates unavailable: " + agent.error().message());
    return nullptr;
  }
  (*agent)->RecordBoot(a.boot_fallback);
  return std::move(*agent);
}

// The trial's health check: the drug library verified, the delivery loop ticking, and the audit
// log and its signing key working (a checkpoint is signed); the API serves already.
Status HealthCheck(Device& device, TherapyController& therapy) {
  if (therapy.Status().library_version == 0) {
    return vigil::FailedPreconditionError("health check: no verified drug library");
  }
  const uint64_t ticks = therapy.Jitter().ticks;
  std::this_thread::sleep_for(therapy.period() * 20);
  if (therapy.Jitter().ticks <= ticks) {
    return vigil::FailedPreconditionError("health check: the delivery loop does not tick");
  }
  VIGIL_RETURN_IF_ERROR(device.CheckpointAudit());
  return vigil::OkStatus();
}

// The update thread: activation when no infusion is under way (then SIGTERM to this process,
// which `serve` waits for), and the repository polled every `poll_s` seconds.
class UpdateThread {
 public:
  UpdateThread(UpdateAgent& agent, int poll_s) : agent_(agent), poll_s_(poll_s) {
    thread_ = std::thread([this] { Run(); });
  }
  ~UpdateThread() {
    running_ = false;
    thread_.join();
  }
  bool restarting() const { return restarting_; }

 private:
  void Run() {
    for (int tick = 0; running_; ++tick) {
      if (poll_s_ > 0 && tick % (poll_s_ * 5) == 0) agent_.Poll();
      if (!restarting_ && agent_.ActivateIfIdle()) {
        restarting_ = true;
        kill(getpid(), SIGTERM);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
  UpdateAgent& agent_;
  const int poll_s_;
  std::atomic<bool> running_{true}, restarting_{false};
  std::thread thread_;
};

Result<int> Serve(const ServeArgs& a, vigil::Env& env) {
  VIGIL_ASSIGN_OR_RETURN(vigil::access::Policy policy, vigil::access::Policy::Load(env, a.policy));
  SecurityFaults faults;
  // Break-glass sessions last the policy's max_minutes, or less if asked; each one opened
  // raises an alert (the nurse station's) besides being audited and queued for review.
  BreakGlassOptions break_glass;
  break_glass.minutes = policy.break_glass_max_minutes();
  if (a.break_glass_minutes > 0) {
    if (a.break_glass_minutes > break_glass.minutes) {
      return vigil::InvalidArgumentError("--break-glass-minutes " +
                                         std::to_string(a.break_glass_minutes) +
                                         ": above the access policy's break_glass.max_minutes " +
                                         std::to_string(break_glass.minutes));
    }
    break_glass.minutes = a.break_glass_minutes;
  }
  break_glass.alert = [&faults](const std::string& account, const std::string& reason) {
    faults.Raise("identity", "break-glass session opened by " + account + ": " + reason);
  };
  VIGIL_ASSIGN_OR_RETURN(auto device, Device::Open(env, a.state, nullptr, break_glass));
  ReportingSink audit(device->audit(), faults);
  vigil::access::AccessControl access(std::move(policy), audit, device->device_id(),
                                      EssentialPermissions());
  TherapyController therapy(faults, std::chrono::microseconds(a.period_us));
  InstallLibrary(*device, therapy, faults, a.library);
  therapy.StartLoop();
  ApiOptions options;
  options.port = a.port;
  options.workers = a.workers;
  options.requests_per_second = a.requests_per_second;
  options.burst = 2 * a.requests_per_second;
  options.library_path = a.library;
  std::unique_ptr<UpdateAgent> updates = OpenUpdates(a, *device, audit, faults, therapy);
  options.updates = updates.get();
  ManagementApi api(*device, audit, therapy, faults, access, options);
  // The monitor: once a second, the vault's key store, the audit log after a fault, the clocks.
  SecurityMonitor monitor(env, faults);
  monitor.AddProbe("vault", [&]() -> Status {
    Result<vigil::crypto::SecretBytes> kek = device->secure_element().ReadKey(kVaultKekSlot);
    return kek ? vigil::OkStatus() : Status(kek.error());
  });
  monitor.AddProbe("audit", AuditRecoveryProbe(device->audit_log(), device->audit(), faults,
                                                device->device_id()));
  std::atomic<bool> monitoring{true};
  std::thread monitor_thread([&] {
    while (monitoring) {
      monitor.CheckOnce();
      for (int i = 0; i < 10 && monitoring; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  VIGIL_ASSIGN_OR_RETURN(int port, api.Start());
  std::printf("pump %s listening on https://%s:%d\n", device->device_id().c_str(),
              options.host.c_str(), port);
  std::fflush(stdout);
  // After the line: whoever waits for the port file may expect the line already written.
  if (!a.port_file.empty()) {
    VIGIL_RETURN_IF_ERROR(
        env.WriteFileAtomic(a.port_file, vigil::AsBytes(std::to_string(port) + "\n")));
  }
  auto shut_down = [&] {
    monitoring = false;
    monitor_thread.join();
    api.Stop();
    therapy.StopLoop();
  };
  if (updates && updates->InTrial()) {
    Status healthy = updates->CommitIfHealthy([&] { return HealthCheck(*device, therapy); });
    std::printf("update: %s\n", updates->Snapshot().last.c_str());
    std::fflush(stdout);
    if (!healthy) {
      shut_down();
      return UpdateAgent::kExitUnhealthy;
    }
  }
  std::optional<UpdateThread> update_thread;
  if (updates) update_thread.emplace(*updates, a.update_poll_s);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  int signal = 0;
  sigwait(&signals, &signal);
  const bool restart = update_thread && update_thread->restarting();
  update_thread.reset();
  shut_down();
  VIGIL_RETURN_IF_ERROR(device->CheckpointAudit());
  const TherapyStatus s = therapy.Status();
  std::printf("stopped: %s, delivered %lld µL%s\n", StateName(s.state),
              static_cast<long long>(s.delivered_ul),
              restart ? "; restarting into the new release" : "");
  return restart ? UpdateAgent::kExitRestart : 0;
}

}  // namespace

CLI::App* AddServeCommand(CLI::App& app, ServeArgs& a) {
  CLI::App* serve = app.add_subcommand("serve", "run the pump and its management API");
  serve->add_option("--state", a.state)->required();
  serve->add_option("--policy", a.policy, "access policy (JSON or YAML)")->required();
  serve->add_option("--library", a.library, "sealed drug library")->required();
  serve->add_option("--port", a.port, "0: any free port")->check(CLI::Range(0, 65535));
  serve->add_option("--port-file", a.port_file, "where to write the port");
  serve->add_option("--period-us", a.period_us)->check(CLI::Range(100, 1000000));
  serve->add_option("--workers", a.workers)->check(CLI::Range(1, 64));
  serve
      ->add_option("--break-glass-minutes", a.break_glass_minutes,
                   "how long an emergency session lasts (default: the policy's max_minutes)")
      ->check(CLI::Range(1, 24 * 60));
  serve->add_option("--requests-per-second", a.requests_per_second)
      ->check(CLI::Range(0.1, 10000.0));
  serve->add_option("--slots", a.slots, "A/B slots: software updates (given by pumpd run)");
  serve->add_option("--tuf", a.tuf, "trusted TUF metadata (vigil update init)");
  serve->add_option("--update-url", a.update_url, "the manufacturer's TUF repository (http://)");
  serve->add_option("--update-poll-s", a.update_poll_s, "refresh its metadata every N s (0: never)")
      ->check(CLI::Range(0, 86400));
  serve->add_option("--boot-fallback", a.boot_fallback, "(from pumpd run) why it fell back");
  return serve;
}

int RunServe(const ServeArgs& a, vigil::Env& env) {
  if (!a.slots.empty() && (a.tuf.empty() || a.update_url.empty())) {
    return Finish(vigil::InvalidArgumentError("serve: --slots needs --tuf and --update-url"));
  }
  Result<int> code = Serve(a, env);
  return code ? *code : Finish(code.error());
}

}  // namespace pump
