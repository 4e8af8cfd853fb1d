#include "vigil/update/installer.h"

#include <algorithm>

#include "internal/durable_dir.h"
#include "vigil/update/target_verifier.h"

namespace vigil::update {
namespace {

constexpr const char* kConfigFile = "slots.json";
constexpr const char* kStateFile = "boot_state.json";
constexpr const char* kCounterFile = "rollback_counter.json";

std::string Other(const std::string& slot) { return slot == "a" ? "b" : "a"; }

std::string Resolve(const std::string& dir, const std::string& path) {
  return path.starts_with("/") ? path : JoinPath(dir, path);
}

std::unique_ptr<Slot> MakeSlot(Env* env, const std::string& dir, const std::string& name,
                               const SlotSpec& spec) {
  if (spec.kind == "image") {
    return NewImageSlot(env, name, Resolve(dir, spec.path), spec.capacity);
  }
  return NewDirectorySlot(env, name, Resolve(dir, spec.path));
}

// A partition stand-in: a zero-filled image file of `capacity` bytes, durably created.
Status CreateImageFile(Env* env, const std::string& path, uint64_t capacity) {
  VIGIL_RETURN_IF_ERROR(internal::CreateDurableDir(env, DirName(path)));
  VIGIL_ASSIGN_OR_RETURN(auto file, env->NewWritableFile(path));
  VIGIL_RETURN_IF_ERROR(file->Close());
  VIGIL_RETURN_IF_ERROR(env->TruncateFile(path, capacity));
  return env->SyncDir(DirName(path));
}

Result<Bytes> ReadExisting(Env* env, const std::string& path) {
  if (!env->FileExists(path)) {
    return NotFoundError(path + ": missing (not a provisioned slot directory; run setup)");
  }
  return env->ReadFileLimited(path, Installer::kMaxStateFileBytes, "a slot directory file");
}

}  // namespace

TargetSource FetchSource(Fetcher* fetcher, std::string url, uint64_t max_length) {
  return [fetcher, url = std::move(url), max_length](const Fetcher::ChunkSink& sink) {
    return fetcher->FetchTo(url, max_length, sink);
  };
}

Status Installer::Setup(Env* env, const std::string& dir, const InstallerConfig& config) {
  VIGIL_RETURN_IF_ERROR(internal::CreateDurableDir(env, dir));
  for (const char* f : {kStateFile, kCounterFile}) {
    if (env->FileExists(JoinPath(dir, f))) {
      return AlreadyExistsError(JoinPath(dir, f) + ": the slot directory is already provisioned");
    }
  }
  Bytes config_bytes = config.Serialize();
  if (auto valid = InstallerConfig::Parse(config_bytes, "slot configuration"); !valid) {
    return valid.error();
  }
  VIGIL_RETURN_IF_ERROR(env->WriteFileAtomic(JoinPath(dir, kConfigFile), config_bytes));
  for (const auto& [name, spec] : config.slots) {
    std::string path = Resolve(dir, spec.path);
    if (spec.kind == "dir") {
      VIGIL_RETURN_IF_ERROR(internal::CreateDurableDir(env, path));
    } else if (!env->FileExists(path)) {
      VIGIL_RETURN_IF_ERROR(CreateImageFile(env, path, spec.capacity));
    }
  }
  VIGIL_RETURN_IF_ERROR(RollbackCounter::Provision(env, JoinPath(dir, kCounterFile)));
  // Written last: its presence means the directory is fully provisioned.
  return env->WriteFileAtomic(JoinPath(dir, kStateFile), BootState::Initial().Serialize());
}

Status Installer::RecoverState(Env* env, const std::string& dir) {
  for (const char* f : {kConfigFile, kCounterFile}) {
    if (!env->FileExists(JoinPath(dir, f))) {
      return FailedPreconditionError(JoinPath(dir, f) +
                                     ": missing; only a provisioned slot directory that lost its "
                                     "boot state can be recovered");
    }
  }
  if (env->FileExists(JoinPath(dir, kStateFile))) {
    return AlreadyExistsError(JoinPath(dir, kStateFile) + ": exists; nothing to recover");
  }
  VIGIL_ASSIGN_OR_RETURN(Bytes config_bytes, ReadExisting(env, JoinPath(dir, kConfigFile)));
  if (auto config = InstallerConfig::Parse(config_bytes, JoinPath(dir, kConfigFile)); !config) {
    return config.error();
  }
  return env->WriteFileAtomic(JoinPath(dir, kStateFile), BootState::Initial().Serialize());
}

Result<std::unique_ptr<Installer>> Installer::Open(Env* env, const std::string& dir) {
  VIGIL_ASSIGN_OR_RETURN(Bytes config_bytes, ReadExisting(env, JoinPath(dir, kConfigFile)));
  VIGIL_ASSIGN_OR_RETURN(InstallerConfig config,
                         InstallerConfig::Parse(config_bytes, JoinPath(dir, kConfigFile)));
  if (!env->FileExists(JoinPath(dir, kStateFile))) {
    return NotFoundError(JoinPath(dir, kStateFile) +
                         ": missing from a provisioned slot directory (lost or deleted); "
                         "`vigil update setup --slots " +
                         dir +
                         " --recover-state` writes a new one: both slots count as empty until "
                         "the next install, the anti-rollback counter is kept");
  }
  VIGIL_ASSIGN_OR_RETURN(Bytes state_bytes, ReadExisting(env, JoinPath(dir, kStateFile)));
  auto state = BootState::Parse(state_bytes, JoinPath(dir, kStateFile));
  if (!state) return DataLossError(state.error().message());
  VIGIL_ASSIGN_OR_RETURN(RollbackCounter counter,
                         RollbackCounter::Open(env, JoinPath(dir, kCounterFile)));
  std::unique_ptr<Installer> installer(
      new Installer(env, dir, std::move(config), std::move(*state), std::move(counter)));
  VIGIL_RETURN_IF_ERROR(installer->Recover());
  return installer;
}

Installer::Installer(Env* env, std::string dir, InstallerConfig config, BootState state,
                     RollbackCounter counter)
    : env_(env),
      dir_(std::move(dir)),
      config_(std::move(config)),
      state_(std::move(state)),
      counter_(std::move(counter)) {
  for (const auto& [name, spec] : config_.slots) slots_[name] = MakeSlot(env_, dir_, name, spec);
}

Status Installer::Recover() {
  // Commit writes the boot state first and the counter second; a power cut between the two
  // leaves the counter behind the committed image, which this finishes.
  if (!state_.committed) return OkStatus();
  return counter_.RaiseTo(state_.slots.at(*state_.committed).security_version);
}

Status Installer::Persist() {
  ++state_.generation;
  return env_->WriteFileAtomic(JoinPath(dir_, kStateFile), state_.Serialize());
}

const std::string& Installer::inactive_slot() const {
  static const std::string kA = "a", kB = "b";
  const std::optional<std::string>& anchor = state_.committed ? state_.committed : state_.booted;
  return anchor && *anchor == "a" ? kB : kA;
}

Result<SlotRecord> Installer::Install(const std::string& target, const TargetFile& info,
                                      const TargetSource& source) {
  VIGIL_ASSIGN_OR_RETURN(TargetRelease release, TargetRelease::FromCustom(info.custom, target));
  if (state_.trial) {
    return FailedPreconditionError("slot " + state_.trial->slot +
                                   " is armed for a trial boot: commit or roll back first");
  }
  std::optional<uint64_t> running;
  if (state_.committed) running = state_.slots.at(*state_.committed).release;
  VIGIL_RETURN_IF_ERROR(CheckInstallAllowed(release, target, counter_.value(), running));
  Slot& slot = *slots_.at(inactive_slot());
  if (state_.booted == slot.name()) {
    return FailedPreconditionError("slot " + slot.name() +
                                   " is running (a rolled-back trial): boot the committed slot "
                                   "before installing over it");
  }
  if (auto cap = slot.capacity(); cap && info.length > *cap) {
    return ResourceExhaustedError(target + ": " + std::to_string(info.length) +
                                  " bytes do not fit slot " + slot.name() + " (" + slot.Describe() +
                                  ", " + std::to_string(*cap) + " bytes)");
  }
  SlotRecord& record = state_.slots[slot.name()];
  record = SlotRecord{};
  record.status = SlotStatus::kWriting;
  record.target = target;
  VIGIL_RETURN_IF_ERROR(Persist());  // durable before the slot's first byte changes
  if (Status s = WriteAndVerify(slot, target, info, source); !s) {
    record = SlotRecord{};
    (void)Persist();  // best effort: `writing` on disk is just as unbootable
    return s.error();
  }
  record = SlotRecord{.status = SlotStatus::kVerified,
                      .target = target,
                      .length = info.length,
                      .hashes = info.hashes,
                      .release = release.release,
                      .security_version = release.security_version};
  VIGIL_RETURN_IF_ERROR(Persist());
  return record;
}

Status Installer::WriteAndVerify(Slot& slot, const std::string& target, const TargetFile& info,
                                 const TargetSource& source) {
  VIGIL_ASSIGN_OR_RETURN(TargetVerifier verifier, TargetVerifier::Create(info, "target " + target));
  VIGIL_ASSIGN_OR_RETURN(auto out, slot.OpenForWrite(info.length));
  // Pieces arrive in whatever size the transport has; the slot gets write_chunk_-sized writes.
  Bytes pending;
  auto sink = [&](ByteView chunk) -> Status {
    VIGIL_RETURN_IF_ERROR(verifier.Update(chunk));
    while (!chunk.empty()) {
      if (pending.empty() && chunk.size() >= write_chunk_) {
        VIGIL_RETURN_IF_ERROR(out->Append(chunk.first(write_chunk_)));
        chunk = chunk.subspan(write_chunk_);
        continue;
      }
      size_t take = std::min(chunk.size(), write_chunk_ - pending.size());
      pending.insert(pending.end(), chunk.begin(), chunk.begin() + static_cast<ptrdiff_t>(take));
      chunk = chunk.subspan(take);
      if (pending.size() == write_chunk_) {
        VIGIL_RETURN_IF_ERROR(out->Append(pending));
        pending.clear();
      }
    }
    return OkStatus();
  };
  VIGIL_RETURN_IF_ERROR(source(sink));
  if (!pending.empty()) VIGIL_RETURN_IF_ERROR(out->Append(pending));
  VIGIL_RETURN_IF_ERROR(verifier.Finish());
  VIGIL_RETURN_IF_ERROR(out->Sync());
  VIGIL_RETURN_IF_ERROR(out->Close());
  return slot.FinishWrite();
}

Status Installer::Activate() {
  if (state_.trial) {
    return FailedPreconditionError("slot " + state_.trial->slot + " is already armed for a trial");
  }
  const std::string& name = inactive_slot();
  SlotStatus status = state_.slots.at(name).status;
  if (status != SlotStatus::kVerified) {
    return FailedPreconditionError("slot " + name +
                                   " holds no verified image to activate (status " +
                                   std::string(SlotStatusName(status)) + ")");
  }
  state_.trial = TrialBoot{name, config_.trial_attempts};
  return Persist();
}

Status Installer::VerifySlot(const std::string& name) {
  const SlotRecord& record = state_.slots.at(name);
  if (record.status != SlotStatus::kVerified && record.status != SlotStatus::kGood) {
    return FailedPreconditionError("slot " + name + " holds no verified image (status " +
                                   std::string(SlotStatusName(record.status)) + ")");
  }
  TargetFile info;
  info.length = record.length;
  info.hashes = record.hashes;
  VIGIL_ASSIGN_OR_RETURN(TargetVerifier verifier,
                         TargetVerifier::Create(info, "slot " + name + " (" + record.target + ")"));
  VIGIL_ASSIGN_OR_RETURN(auto in, slots_.at(name)->OpenForRead());
  constexpr size_t kChunk = 1 << 20;
  for (uint64_t offset = 0; offset < record.length; offset += kChunk) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(kChunk, record.length - offset));
    VIGIL_ASSIGN_OR_RETURN(Bytes piece, in->Read(offset, n));
    VIGIL_RETURN_IF_ERROR(verifier.Update(piece));
    if (piece.size() < n) break;  // short image: Finish reports the length
  }
  return verifier.Finish();
}

std::string Installer::NotBootable(const std::string& name) {
  const SlotRecord& record = state_.slots.at(name);
  const bool trial = state_.trial && state_.trial->slot == name;
  if (record.status != SlotStatus::kGood && !(trial && record.status == SlotStatus::kVerified)) {
    return "slot " + name + " has status " + std::string(SlotStatusName(record.status));
  }
  if (record.security_version < counter_.value()) {
    return "slot " + name + " security version " + std::to_string(record.security_version) +
           " is below the anti-rollback counter " + std::to_string(counter_.value());
  }
  if (config_.verify_on_boot) {
    if (Status s = VerifySlot(name); !s) return s.error().message();
  }
  return "";
}

Result<BootDecision> Installer::Boot() {
  std::string fallback;
  if (state_.trial) {
    TrialBoot& t = *state_.trial;
    std::string why = t.attempts_left == 0 ? "no boot attempts left" : NotBootable(t.slot);
    if (why.empty()) {
      --t.attempts_left;  // spent before booting: a hang in the new image still counts
      state_.booted = t.slot;
      VIGIL_RETURN_IF_ERROR(Persist());
      return BootDecision{t.slot, true, t.attempts_left, ""};
    }
    fallback = "trial of slot " + t.slot + " abandoned: " + why;
    state_.slots.at(t.slot).status = SlotStatus::kFailed;
    state_.trial.reset();  // persisted together with the boot choice
  }
  return BootCommitted(std::move(fallback));
}

Result<BootDecision> Installer::BootCommitted(std::string fallback) {
  std::string reasons;
  if (state_.committed) {
    for (const std::string& name : {*state_.committed, Other(*state_.committed)}) {
      std::string why = NotBootable(name);
      if (!why.empty()) {
        reasons += (reasons.empty() ? "" : "; ") + why;
        continue;
      }
      if (name != *state_.committed) {
        // The committed image no longer verifies (media damage); the other good image becomes
        // the committed one, so the damaged slot is the one the next install overwrites.
        fallback +=
            (fallback.empty() ? "" : "; ") + reasons + "; committed slot " + name + " instead";
        state_.committed = name;
      }
      if (state_.booted != name || !fallback.empty()) {
        state_.booted = name;
        VIGIL_RETURN_IF_ERROR(Persist());
      }
      return BootDecision{name, false, 0, fallback};
    }
  }
  if (!fallback.empty()) VIGIL_RETURN_IF_ERROR(Persist());
  if (reasons.empty()) {
    // A freshly provisioned device: nothing is damaged, there is just nothing to boot yet.
    return FailedPreconditionError(
        "no bootable slot (nothing committed yet: install an image, boot it as a trial and "
        "commit it first)");
  }
  return DataLossError("no bootable slot: " + reasons);
}

Status Installer::Commit() {
  if (!state_.trial) return FailedPreconditionError("no trial boot to commit");
  const std::string name = state_.trial->slot;
  if (state_.booted != name) {
    return FailedPreconditionError("slot " + name +
                                   " is armed for a trial but not running: boot it first");
  }
  SlotRecord& record = state_.slots.at(name);
  record.status = SlotStatus::kGood;
  state_.committed = name;
  state_.trial.reset();
  VIGIL_RETURN_IF_ERROR(Persist());
  // Only now: until the commit is durable the previous image must stay bootable.
  return counter_.RaiseTo(record.security_version);
}

Status Installer::ConfirmHealth(const std::function<Status()>& health_check) {
  if (!state_.trial || state_.booted != state_.trial->slot) {
    return FailedPreconditionError("not running a trial boot: nothing to confirm");
  }
  if (Status healthy = health_check(); !healthy) {
    return FailedPreconditionError("slot " + state_.trial->slot + " failed its health check (" +
                                   healthy.error().message() + "); " +
                                   std::to_string(state_.trial->attempts_left) +
                                   " boot attempt(s) left before automatic fallback");
  }
  return Commit();
}

Status Installer::Rollback() {
  if (!state_.trial) {
    return FailedPreconditionError(
        "no trial boot to roll back (after a commit, going back needs a signed downgrade)");
  }
  state_.slots.at(state_.trial->slot).status = SlotStatus::kFailed;
  state_.trial.reset();
  return Persist();
}

}  // namespace vigil::update
