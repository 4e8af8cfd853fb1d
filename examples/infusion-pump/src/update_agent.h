// The pump's software updates (issue 17), on Vigil's update module: the manufacturer's TUF
// repository (built by `vigil repo`, reached over HTTP), the A/B slots holding pumpd itself, a
// trial boot with a health check, commit or automatic fallback, and the anti-rollback counter.
//
//  - Install (an administrator's critical command): refresh the TUF metadata, look the target
//    up, check the release policy (anti-rollback counter, downgrades) and stream the target into
//    the inactive slot, hashed as it is written. Runs beside the therapy and never touches it:
//    an infusion in progress goes on while the new release is written and verified.
//  - Activation policy: a verified release is armed for its trial boot and the pump restarts
//    into it only while no infusion is under way (idle, completed or stopped). While an infusion
//    runs, is paused or occluded, activation is deferred (audited once, shown in the status):
//    the restart of the simulated pump stops its delivery loop, as the reboot of a real pump
//    would, so it waits for the infusion to end, as real pumps defer a reboot. Arming happens
//    only then, not at install: a crash during the infusion must restart the committed release,
//    never an untried one.
//  - Trial and commit: the launcher (launcher.h) takes the boot decision and starts the slot's
//    pumpd; a pumpd booted on trial runs the health check once its API serves and commits
//    (raising the anti-rollback counter), or exits so that the launcher boots again and, with
//    the attempts spent, falls back to the committed slot.
//  - Refusals: a target whose bytes do not match the signed hashes (tampered), a release below
//    the anti-rollback counter or an unsigned downgrade, and replayed or expired metadata are
//    refused before anything is activated, audited, alerted; the pump keeps running its slot.
//  - Faults: an unreachable update server (found by Poll or an install) is reported on the
//    fault board ("update"), cleared by the next successful refresh; therapy is never touched.
//
// Audit: kUpdateCheck (refresh outcome), kUpdateInstall (installed, deferred, activating),
// kUpdateRollbackRefused, kIntegrityViolation (tampered target or metadata), kUpdateCommit
// (committed, or health check failed), kUpdateFallback (the launcher fell back).
//
// Thread-safety: thread-safe. One install, poll or activation at a time (a second install is
// refused while one runs); Snapshot() never waits for a download.
#ifndef PUMP_UPDATE_AGENT_H_
#define PUMP_UPDATE_AGENT_H_

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "security_faults.h"
#include "therapy_controller.h"
#include "vigil/audit/event_sink.h"
#include "vigil/core/env.h"
#include "vigil/update/fetcher.h"
#include "vigil/update/installer.h"
#include "vigil/update/updater.h"

namespace pump {

struct UpdateOptions {
  std::string slots_dir;       // A/B slots (`vigil update setup`), the factory's release committed
  std::string tuf_dir;         // trusted TUF metadata (`vigil update init` with the root)
  std::string repository_url;  // "http://127.0.0.1:8080": its /metadata and /targets
};

// Who asked (for the audit log).
struct UpdateActor {
  std::string id;
  vigil::audit::Role role = vigil::audit::Role::kSystem;
  std::string source;
  vigil::audit::Interface interface = vigil::audit::Interface::kInternal;
};

// What the status shows.
struct UpdateSnapshot {
  std::string running_slot;                 // the slot booted now
  vigil::update::SlotRecord running;        // its release
  bool trial = false;                       // running on trial (not committed yet)
  uint64_t counter = 0;                     // anti-rollback counter
  std::optional<std::string> pending_slot;  // a verified release waiting for activation
  vigil::update::SlotRecord pending;
  std::string activation = "none";  // "none", "deferred: …", "restarting into slot b"
  std::string last;                 // the last install, refusal, commit or fallback
};

class UpdateAgent {
 public:
  // The exit code of a pumpd that stops to restart into an armed trial, and of one whose trial
  // health check failed: the launcher boots again on either.
  static constexpr int kExitRestart = 75;
  static constexpr int kExitUnhealthy = 76;

  // Opens the slots (Installer::Open's errors) and checks the trusted root is there (NotFound
  // otherwise). Everything given must outlive the agent.
  static vigil::Result<std::unique_ptr<UpdateAgent>> Open(vigil::Env& env, UpdateOptions options,
                                                          vigil::audit::EventSink& audit,
                                                          SecurityFaults& faults,
                                                          TherapyController& therapy,
                                                          std::string device_id);

  // At start: audits the launcher's fallback (`fallback`, its reason, when not empty) and
  // raises an alert for it.
  void RecordBoot(const std::string& fallback);
  // True when this pumpd was booted as the trial of a new release.
  bool InTrial();
  // On a trial boot: runs `health_check` and commits (audited, alerted); otherwise the failure
  // is audited and returned (FailedPrecondition): the caller exits with kExitUnhealthy.
  vigil::Status CommitIfHealthy(const std::function<vigil::Status()>& health_check);

  // Installs `target` into the inactive slot (see above) and returns its record. Refusals:
  // FailedPrecondition (another install runs, a release waits for activation, a trial is
  // pending, the release policy or a metadata rollback), DataLoss (tampered), Unauthenticated
  // (signatures), Unavailable (server), NotFound (target not in the signed metadata).
  vigil::Result<vigil::update::SlotRecord> Install(const std::string& target,
                                                   const UpdateActor& actor);
  // Refreshes the metadata: reports or clears the "update" fault (an unreachable server, a
  // refused repository), audited on each change.
  void Poll();
  // When a verified release waits and no infusion is under way: holds therapy, arms the trial
  // and returns true (the caller restarts with kExitRestart). Otherwise records why activation
  // is deferred (audited once per release) and returns false.
  bool ActivateIfIdle();

  UpdateSnapshot Snapshot() const;

 private:
  UpdateAgent(vigil::Env& env, UpdateOptions options, vigil::audit::EventSink& audit,
              SecurityFaults& faults, TherapyController& therapy, std::string device_id,
              std::unique_ptr<vigil::update::Installer> installer);
  vigil::Result<vigil::update::SlotRecord> InstallLocked(const std::string& target,
                                                         const UpdateActor& actor);
  vigil::Result<std::unique_ptr<vigil::update::Updater>> NewUpdater();
  vigil::Status Refresh(vigil::update::Updater& updater, const UpdateActor& actor,
                        bool repeat_quietly);
  vigil::Error Refused(const vigil::Error& error, const std::string& target,
                       const UpdateActor& actor);
  void Record(vigil::audit::Action action, vigil::audit::Outcome outcome, std::string reason,
              std::vector<std::string> objects, const UpdateActor& actor);
  vigil::Status Reopen();
  void Publish(std::string last);  // work_mu_ held: copies the installer's state to snapshot_

  vigil::Env& env_;
  const UpdateOptions options_;
  vigil::audit::EventSink& audit_;
  SecurityFaults& faults_;
  TherapyController& therapy_;
  const std::string device_id_;
  std::unique_ptr<vigil::update::Fetcher> fetcher_;
  std::atomic<bool> installing_{false};
  std::mutex work_mu_;  // the installer, the fetcher and the TUF metadata
  std::unique_ptr<vigil::update::Installer> installer_;
  std::string deferred_for_;        // the pending target whose deferral was audited
  bool unreachable_ = false;        // the "update" fault is reported
  std::string last_refresh_error_;  // the last refresh's failure, "" after a success
  mutable std::mutex snapshot_mu_;
  UpdateSnapshot snapshot_;
};

}  // namespace pump

#endif  // PUMP_UPDATE_AGENT_H_
