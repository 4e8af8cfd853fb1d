// Installer: A/B software updates for a device — a verified TUF target streamed into the
// inactive slot, a boot-count trial of the new image, commit or automatic fallback, and a
// monotonic anti-rollback counter (FDA premarket guidance, Appendix 1: code integrity,
// updatability, resiliency and recovery).
//
// Security and safety properties:
//  - nothing is ever activated unless its full length was received and every listed hash
//    (sha256/sha512) matched, hashed in the same pass that wrote it to the slot;
//  - the running (committed) slot is never written; the inactive slot is durably marked
//    `writing` before its first byte changes (vigil/update/boot_state.h);
//  - anti-rollback and downgrade rules (vigil/update/release_policy.h) are checked before any
//    write; the counter (vigil/update/rollback_counter.h) rises only at commit, to the committed
//    image's security version, so the previous image stays a valid fallback during the trial;
//  - trial boot: Activate() arms N boot attempts; every Boot() of the trial slot spends one
//    BEFORE it boots (a hang or crash in the new image still counts); Commit() (after a health
//    check) makes it permanent; when the attempts are spent, Boot() falls back to the committed
//    slot and marks the trial slot failed;
//  - a boot only ever chooses a slot whose image verifies against the recorded hashes (when
//    verify_on_boot) and whose security version is not below the counter;
//  - every state change is an atomic replace through Env, ordered so that a power cut at any
//    point leaves a device that boots a verified image (tests/update/install_power_loss_test.cc
//    proves it at every write and fsync point).
//
// Layout of a slot configuration directory:
//   slots.json            configuration (InstallerConfig)
//   boot_state.json       BootState
//   rollback_counter.json the anti-rollback counter
//   plus, by default, the slots themselves (relative paths in slots.json resolve here).
//
// After an error from a method that changes state, the object may be ahead of what is durable:
// reopen the directory (Open) before going on.
//
// Thread-safety: not thread-safe; one Installer per device, in one process at a time.
#ifndef VIGIL_UPDATE_INSTALLER_H_
#define VIGIL_UPDATE_INSTALLER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "vigil/core/env.h"
#include "vigil/core/result.h"
#include "vigil/update/boot_state.h"
#include "vigil/update/fetcher.h"
#include "vigil/update/metadata.h"
#include "vigil/update/release_policy.h"
#include "vigil/update/rollback_counter.h"
#include "vigil/update/slot.h"

namespace vigil::update {

// One slot in slots.json: {"kind": "dir", "path": "a"} or
// {"kind": "image", "path": "/dev/mmcblk0p3", "capacity": 268435456}.
struct SlotSpec {
  std::string kind;       // "dir" or "image"
  std::string path;       // relative paths resolve against the configuration directory
  uint64_t capacity = 0;  // image slots only, > 0
};

struct InstallerConfig {
  std::map<std::string, SlotSpec> slots;  // exactly "a" and "b"
  uint32_t trial_attempts = 3;            // boots allowed for a trial, 1..100
  bool verify_on_boot = true;             // re-hash the image before every boot

  // Strict reader of slots.json (format "vigil-slots/1"); InvalidArgument naming the field.
  static Result<InstallerConfig> Parse(ByteView bytes, const std::string& where);
  Bytes Serialize() const;
};

// Where the bytes of a target come from: calls the sink with successive pieces (see
// Fetcher::FetchTo). The bytes are unverified; the installer verifies them as they pass.
using TargetSource = std::function<Status(const Fetcher::ChunkSink& sink)>;

// A source that streams `url` through `fetcher` (http://, file:// or a path), at most
// `max_length` bytes (the signed length). `fetcher` must outlive the source.
TargetSource FetchSource(Fetcher* fetcher, std::string url, uint64_t max_length);

// What Boot() decided.
struct BootDecision {
  std::string slot;            // the slot to boot
  bool trial = false;          // booting the trial slot
  uint32_t attempts_left = 0;  // trial attempts left after this boot
  std::string fallback;        // why it fell back (empty if it did not)
};

class Installer {
 public:
  // Provisions `dir`: slots.json from `config`, an empty boot state and the anti-rollback
  // counter at 0. Creates directory slots' directories; image slots that do not exist are
  // created as zero-filled files of their capacity (a device's partitions exist already).
  // AlreadyExists if `dir` already holds a boot state or counter.
  static Status Setup(Env* env, const std::string& dir, const InstallerConfig& config);

  // The way out for a provisioned directory whose boot_state.json was lost: writes an empty
  // boot state (both slots empty, no committed slot, so the device boots nothing until the next
  // install and commit) and keeps slots.json and the anti-rollback counter, so no image below
  // the counter can come back. FailedPrecondition if slots.json or the counter is missing,
  // AlreadyExists if a boot state is there (nothing is overwritten).
  static Status RecoverState(Env* env, const std::string& dir);

  // Opens a provisioned directory and recovers from an interrupted commit (raises the counter
  // to the committed image's security version if the power cut came between the two writes).
  // NotFound/DataLoss if a file is missing or damaged; ResourceExhausted, unread, if slots.json
  // or boot_state.json is over kMaxStateFileBytes (real ones are a few hundred bytes).
  static Result<std::unique_ptr<Installer>> Open(Env* env, const std::string& dir);
  static constexpr uint64_t kMaxStateFileBytes = 64 * 1024;

  // Streams target `target` (described by `info`, which must come from
  // Updater::GetTargetInfo: its signatures are what make it trustworthy) from `source` into
  // the inactive slot, hashing as it writes, then records the slot as verified.
  // FailedPrecondition: a trial is pending, or the release policy refuses the target (before
  // anything is written). InvalidArgument: custom.vigil missing. ResourceExhausted: larger
  // than the slot or the disk. DataLoss: wrong length or hash (the slot stays unbootable).
  // Errors of the source (network) and of the Env are returned as they are.
  Result<SlotRecord> Install(const std::string& target, const TargetFile& info,
                             const TargetSource& source);

  // Arms a trial of the slot Install() just verified: the next config.trial_attempts boots
  // try it. FailedPrecondition if no slot is verified and waiting.
  Status Activate();

  // The boot decision (what a bootloader does with the persisted state): spends one trial
  // attempt and boots the trial slot, or falls back, or boots the committed slot. DataLoss
  // "no bootable slot" if no slot holds a verified image allowed by the counter.
  Result<BootDecision> Boot();

  // Makes the booted trial slot the committed one and raises the anti-rollback counter to its
  // security version. FailedPrecondition if no trial is pending or it has not been booted.
  Status Commit();

  // Runs `health_check` in the booted trial and commits if it returns OK. Otherwise returns
  // FailedPrecondition carrying its message and the attempts left: the device should reboot;
  // once the attempts are spent, Boot() falls back by itself.
  Status ConfirmHealth(const std::function<Status()>& health_check);

  // Abandons the pending trial: its slot is marked failed and the next boot uses the committed
  // slot. FailedPrecondition if no trial is pending (after a commit, going back needs a signed
  // downgrade through Install()).
  Status Rollback();

  // Recomputes slot `name`'s image hashes from its content; DataLoss on any difference,
  // FailedPrecondition if the slot holds no verified image.
  Status VerifySlot(const std::string& name);

  const BootState& state() const { return state_; }
  const InstallerConfig& config() const { return config_; }
  uint64_t rollback_counter() const { return counter_.value(); }
  // The slot Install() writes next: the one that is not committed.
  const std::string& inactive_slot() const;

  // Size of the writes to the slot (default 1 MiB); tests make it small to multiply the write
  // points a power-loss sweep visits. Precondition: bytes > 0.
  void set_write_chunk_bytes(size_t bytes) { write_chunk_ = bytes; }

 private:
  Installer(Env* env, std::string dir, InstallerConfig config, BootState state,
            RollbackCounter counter);
  Status Persist();
  Status Recover();
  Status WriteAndVerify(Slot& slot, const std::string& target, const TargetFile& info,
                        const TargetSource& source);
  // Why `name` cannot boot now ("" if it can).
  std::string NotBootable(const std::string& name);
  Result<BootDecision> BootCommitted(std::string fallback);

  Env* env_;
  std::string dir_;
  InstallerConfig config_;
  BootState state_;
  RollbackCounter counter_;
  std::map<std::string, std::unique_ptr<Slot>> slots_;
  size_t write_chunk_ = 1 << 20;
};

}  // namespace vigil::update

#endif  // VIGIL_UPDATE_INSTALLER_H_
