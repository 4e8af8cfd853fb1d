#include "update_agent.h"

#include "vigil/update/release_policy.h"
#include "vigil/update/updater.h"

namespace pump {
namespace {

using vigil::Result;
using vigil::Status;
using vigil::audit::Action;
using vigil::audit::Outcome;
using vigil::update::SlotRecord;
using vigil::update::SlotStatus;

const UpdateActor kAgent{"update-agent", vigil::audit::Role::kSystem, "",
                         vigil::audit::Interface::kInternal};

// The audit log keeps at most 256 bytes of printable ASCII as a reason.
std::string AuditReason(std::string text) {
  for (char& c : text) {
    if (c < 0x20 || c > 0x7e) c = '?';
  }
  if (text.size() > 256) text.resize(256);
  return text;
}

std::string Describe(const SlotRecord& r) {
  return "release " + std::to_string(r.release) + " (" + r.target + ")";
}

}  // namespace

Result<std::unique_ptr<UpdateAgent>> UpdateAgent::Open(vigil::Env& env, UpdateOptions options,
                                                       vigil::audit::EventSink& audit,
                                                       SecurityFaults& faults,
                                                       TherapyController& therapy,
                                                       std::string device_id) {
  VIGIL_ASSIGN_OR_RETURN(auto installer, vigil::update::Installer::Open(&env, options.slots_dir));
  const std::string root = vigil::JoinPath(options.tuf_dir, "root.json");
  if (!env.FileExists(root)) {
    return vigil::NotFoundError(root +
                                ": no trusted TUF root (`vigil update init` at the factory)");
  }
  std::unique_ptr<UpdateAgent> agent(new UpdateAgent(
      env, std::move(options), audit, faults, therapy, std::move(device_id), std::move(installer)));
  std::lock_guard lock(agent->work_mu_);
  agent->Publish("");
  return agent;
}

UpdateAgent::UpdateAgent(vigil::Env& env, UpdateOptions options, vigil::audit::EventSink& audit,
                         SecurityFaults& faults, TherapyController& therapy, std::string device_id,
                         std::unique_ptr<vigil::update::Installer> installer)
    : env_(env),
      options_(std::move(options)),
      audit_(audit),
      faults_(faults),
      therapy_(therapy),
      device_id_(std::move(device_id)),
      fetcher_(vigil::update::NewHttpFetcher(5)),
      installer_(std::move(installer)) {}

void UpdateAgent::Record(Action action, Outcome outcome, std::string reason,
                         std::vector<std::string> objects, const UpdateActor& actor) {
  vigil::audit::Event e;
  e.device_id = device_id_;
  e.actor_id = actor.id;
  e.actor_role = actor.role;
  e.action = action;
  e.outcome = outcome;
  e.purpose = vigil::audit::Purpose::kMaintenance;
  e.reason = AuditReason(std::move(reason));
  e.interface = actor.interface;
  e.source = actor.source;
  e.object_ids = std::move(objects);
  (void)audit_.Record(std::move(e));  // a failure raises the audit fault (ReportingSink)
}

void UpdateAgent::Publish(std::string last) {
  const vigil::update::BootState& s = installer_->state();
  UpdateSnapshot snap;
  snap.running_slot = s.booted.value_or(s.committed.value_or(""));
  if (auto it = s.slots.find(snap.running_slot); it != s.slots.end()) snap.running = it->second;
  snap.trial = s.trial && s.trial->slot == snap.running_slot;
  snap.counter = installer_->rollback_counter();
  for (const auto& [name, record] : s.slots) {
    if (name == snap.running_slot || name == s.committed) continue;
    if (record.status == SlotStatus::kVerified) {
      snap.pending_slot = name;
      snap.pending = record;
    }
  }
  std::lock_guard lock(snapshot_mu_);
  if (!snap.pending_slot) {
    snap.activation = "none";
  } else if (s.trial && s.trial->slot == *snap.pending_slot) {
    snap.activation = "restarting into slot " + *snap.pending_slot + " for a trial boot";
  } else {
    snap.activation = snapshot_.activation == "none" ? "waiting for no infusion to be under way"
                                                     : snapshot_.activation;
  }
  snap.last = last.empty() ? snapshot_.last : std::move(last);
  snapshot_ = std::move(snap);
}

UpdateSnapshot UpdateAgent::Snapshot() const {
  std::lock_guard lock(snapshot_mu_);
  return snapshot_;
}

Status UpdateAgent::Reopen() {
  Result<std::unique_ptr<vigil::update::Installer>> reopened =
      vigil::update::Installer::Open(&env_, options_.slots_dir);
  if (!reopened) {
    faults_.Report("update", "slots unreadable: " + reopened.error().message());
    return reopened.error();
  }
  installer_ = std::move(*reopened);
  return vigil::OkStatus();
}

void UpdateAgent::RecordBoot(const std::string& fallback) {
  std::lock_guard lock(work_mu_);
  if (fallback.empty()) return;
  const std::string slot = installer_->state().booted.value_or("?");
  Record(Action::kUpdateFallback, Outcome::kSeriousFailure, fallback, {"slot:" + slot}, kAgent);
  faults_.Raise("update", "fell back to slot " + slot + ": " + fallback);
  Publish("fell back to slot " + slot + ": " + fallback);
}

bool UpdateAgent::InTrial() {
  std::lock_guard lock(work_mu_);
  const vigil::update::BootState& s = installer_->state();
  return s.trial && s.booted == s.trial->slot;
}

Status UpdateAgent::CommitIfHealthy(const std::function<Status()>& health_check) {
  std::lock_guard lock(work_mu_);
  const std::string slot = installer_->state().booted.value_or("?");
  const SlotRecord record = installer_->state().slots.at(slot);
  const std::vector<std::string> objects = {
      record.target, "release:" + std::to_string(record.release), "slot:" + slot};
  Status healthy = installer_->ConfirmHealth(health_check);
  if (!healthy) {
    Record(Action::kUpdateCommit, Outcome::kSeriousFailure, healthy.error().message(), objects,
           kAgent);
    faults_.Raise("update", Describe(record) + " not committed: " + healthy.error().message());
    (void)Reopen();
    Publish(Describe(record) + " failed its health check");
    return healthy;
  }
  Record(Action::kUpdateCommit, Outcome::kSuccess,
         "health check passed; anti-rollback counter " +
             std::to_string(installer_->rollback_counter()),
         objects, kAgent);
  const std::string done = Describe(record) + " committed in slot " + slot +
                           " (anti-rollback counter " +
                           std::to_string(installer_->rollback_counter()) + ")";
  faults_.Raise("update", done);
  Publish(done);
  return vigil::OkStatus();
}

// Every refusal is audited and alerted, and the status says why; an unreachable server is a
// fault besides (new privileged actions wait for it to clear), never a therapy stop.
vigil::Error UpdateAgent::Refused(const vigil::Error& error, const std::string& target,
                                  const UpdateActor& actor) {
  const std::string message = error.message();
  switch (error.code()) {
    case vigil::ErrorCode::kUnavailable:
      Record(Action::kUpdateCheck, Outcome::kMinorFailure, message, {target}, actor);
      unreachable_ = true;
      faults_.Report("update", "update server unreachable: " + message);
      break;
    case vigil::ErrorCode::kDataLoss:
    case vigil::ErrorCode::kUnauthenticated:
      Record(Action::kIntegrityViolation, Outcome::kSeriousFailure, message, {target}, actor);
      faults_.Raise("update", "update refused (integrity): " + message);
      break;
    case vigil::ErrorCode::kFailedPrecondition:
      Record(Action::kUpdateRollbackRefused, Outcome::kSeriousFailure, message, {target}, actor);
      faults_.Raise("update", "update refused: " + message);
      break;
    default:
      Record(Action::kUpdateInstall, Outcome::kMinorFailure, message, {target}, actor);
      faults_.Raise("update", "update refused: " + message);
  }
  Publish("refused " + target + ": " + message);
  return error;
}

Status UpdateAgent::Refresh(vigil::update::Updater& updater, const UpdateActor& actor,
                            bool repeat_quietly) {
  Status refreshed = updater.Refresh();
  if (!refreshed) {
    // A poll that meets the same failure again records it once.
    if (repeat_quietly && refreshed.error().message() == last_refresh_error_) return refreshed;
    last_refresh_error_ = refreshed.error().message();
    return Refused(refreshed.error(), "metadata", actor);
  }
  const bool recovered = unreachable_ || !last_refresh_error_.empty();
  last_refresh_error_.clear();
  if (unreachable_) {
    unreachable_ = false;
    faults_.Clear("update");
  }
  if (recovered) {
    Record(Action::kUpdateCheck, Outcome::kSuccess, "the repository answers with valid metadata",
           {"metadata"}, actor);
  }
  return vigil::OkStatus();
}

Result<std::unique_ptr<vigil::update::Updater>> UpdateAgent::NewUpdater() {
  VIGIL_ASSIGN_OR_RETURN(vigil::update::UpdaterOptions o,
                         vigil::update::MakeUpdaterOptions(
                             env_, options_.tuf_dir, options_.repository_url + "/metadata",
                             options_.repository_url + "/targets", ""));
  return vigil::update::Updater::Create(o, &env_, fetcher_.get());
}

void UpdateAgent::Poll() {
  std::unique_lock lock(work_mu_, std::try_to_lock);
  if (!lock) return;  // an install is refreshing already
  Result<std::unique_ptr<vigil::update::Updater>> updater = NewUpdater();
  if (updater) (void)Refresh(**updater, kAgent, /*repeat_quietly=*/true);
}

Result<SlotRecord> UpdateAgent::Install(const std::string& target, const UpdateActor& actor) {
  // One install at a time; a poll or an activation check in progress is waited for.
  if (installing_.exchange(true)) {
    return vigil::FailedPreconditionError("software update: another install is under way");
  }
  Result<SlotRecord> installed = [&] {
    std::lock_guard lock(work_mu_);
    return InstallLocked(target, actor);
  }();
  installing_ = false;
  return installed;
}

Result<SlotRecord> UpdateAgent::InstallLocked(const std::string& target, const UpdateActor& actor) {
  const UpdateSnapshot now = Snapshot();
  if (now.pending_slot) {
    return vigil::FailedPreconditionError(
        "software update: " + Describe(now.pending) + " waits in slot " + *now.pending_slot +
        " for activation (when no infusion is under way); install again after it");
  }
  Result<std::unique_ptr<vigil::update::Updater>> updater = NewUpdater();
  if (!updater) return Refused(updater.error(), "metadata", actor);
  VIGIL_RETURN_IF_ERROR(Refresh(**updater, actor, /*repeat_quietly=*/false));
  VIGIL_RETURN_IF_ERROR(faults_.Permit(PrivilegedAction::kSoftwareUpdate));
  Result<vigil::update::TargetFile> info = (*updater)->GetTargetInfo(target);
  if (!info) return Refused(info.error(), target, actor);
  // The installer checks the release policy too; checking it here first lets the refusal be
  // recorded for what it is (a rollback), before anything is written.
  Result<vigil::update::TargetRelease> release =
      vigil::update::TargetRelease::FromCustom(info->custom, target);
  if (!release) return Refused(release.error(), target, actor);
  const vigil::update::BootState& s = installer_->state();
  std::optional<uint64_t> running;
  if (s.committed) running = s.slots.at(*s.committed).release;
  Status allowed =
      vigil::update::CheckInstallAllowed(*release, target, installer_->rollback_counter(), running);
  if (!allowed) return Refused(allowed.error(), target, actor);
  const std::string slot = installer_->inactive_slot();
  Result<SlotRecord> record =
      installer_->Install(target, *info,
                          vigil::update::FetchSource(
                              fetcher_.get(), (*updater)->TargetUrl(target, *info), info->length));
  if (!record) {
    (void)Reopen();
    return Refused(record.error(), target, actor);
  }
  Record(Action::kUpdateInstall, Outcome::kSuccess,
         "verified into slot " + slot + "; activated when no infusion is under way",
         {target, "release:" + std::to_string(record->release), "slot:" + slot}, actor);
  const std::string done = Describe(*record) + " installed and verified in slot " + slot;
  faults_.Raise("update", done + "; activation waits until no infusion is under way");
  deferred_for_.clear();
  {
    std::lock_guard snap(snapshot_mu_);
    snapshot_.activation = "none";
  }
  Publish(done);
  return *record;
}

bool UpdateAgent::ActivateIfIdle() {
  std::unique_lock lock(work_mu_, std::try_to_lock);
  if (!lock) return false;
  const UpdateSnapshot now = Snapshot();
  if (!now.pending_slot || installer_->state().trial) return false;
  const std::vector<std::string> objects = {now.pending.target,
                                            "release:" + std::to_string(now.pending.release),
                                            "slot:" + *now.pending_slot};
  Status hold = therapy_.HoldForRestart();
  if (!hold) {
    const std::string why = "activation deferred: " + hold.error().message();
    if (deferred_for_ != now.pending.target) {
      deferred_for_ = now.pending.target;
      Record(Action::kUpdateInstall, Outcome::kSuccess, why, objects, kAgent);
      faults_.Raise("update", Describe(now.pending) + ": " + why);
    }
    {
      std::lock_guard snap(snapshot_mu_);
      snapshot_.activation = "deferred: " + hold.error().message();
    }
    return false;
  }
  Status armed = installer_->Activate();
  if (!armed) {
    therapy_.ReleaseHold();
    Record(Action::kUpdateInstall, Outcome::kSeriousFailure, armed.error().message(), objects,
           kAgent);
    (void)Reopen();
    Publish("activation failed: " + armed.error().message());
    return false;
  }
  Record(Action::kUpdateInstall, Outcome::kSuccess,
         "activating: no infusion under way; restarting into slot " + *now.pending_slot +
             " for a trial boot",
         objects, kAgent);
  faults_.Raise("update", "restarting into " + Describe(now.pending) + " (slot " +
                              *now.pending_slot + ") for a trial boot");
  Publish("activating " + Describe(now.pending));
  return true;
}

}  // namespace pump
