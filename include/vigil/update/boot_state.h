// BootState: what the installer and the boot decision share across reboots and power cuts —
// which slot is committed, which one is on trial with how many boot attempts left, which one
// the last boot chose, and for each slot what verified image it holds.
//
// Slot status lifecycle:
//   empty ──install──▶ writing ──verified──▶ verified ──activate──▶ (trial) ──commit──▶ good
//                         │                                            │
//                         └─ failed hash/length, power cut: stays      └─ N failed boots or
//                            not bootable until the next install          rollback ──▶ failed
// Only a slot that is `good` (or `verified` and armed for a trial) can ever be booted; a slot is
// marked `writing` durably BEFORE its first byte is overwritten, so an interrupted install can
// never be mistaken for a bootable image.
//
// File format: one JSON object (format "vigil-boot-state/1"), replaced atomically through
// Env::WriteFileAtomic, so a power cut leaves the old or the new state, never a mix.
//
// Thread-safety: value type.
#ifndef VIGIL_UPDATE_BOOT_STATE_H_
#define VIGIL_UPDATE_BOOT_STATE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "vigil/core/bytes.h"
#include "vigil/core/result.h"

namespace vigil::update {

enum class SlotStatus { kEmpty, kWriting, kVerified, kGood, kFailed };

// "empty", "writing", "verified", "good", "failed".
std::string_view SlotStatusName(SlotStatus status);

// One slot's record. The image fields are meaningful from `verified` on.
struct SlotRecord {
  SlotStatus status = SlotStatus::kEmpty;
  std::string target;                   // TUF target path
  uint64_t length = 0;                  // image length in bytes
  std::map<std::string, Bytes> hashes;  // as the signed metadata lists them
  uint64_t release = 0;
  uint64_t security_version = 0;
};

struct TrialBoot {
  std::string slot;            // the slot being tried
  uint32_t attempts_left = 0;  // boots still allowed before automatic fallback
};

struct BootState {
  uint64_t generation = 0;                  // +1 at every persisted change
  std::optional<std::string> committed;     // the slot a normal boot uses
  std::optional<TrialBoot> trial;           // a pending trial, if any
  std::optional<std::string> booted;        // what the last boot decision chose (running now)
  std::map<std::string, SlotRecord> slots;  // exactly "a" and "b"

  // The initial state: both slots empty, nothing committed.
  static BootState Initial();
  // Strict reader; InvalidArgument naming `where` and the field path. Checks consistency too
  // (committed slot is good, trial slot is verified, names are "a"/"b").
  static Result<BootState> Parse(ByteView bytes, const std::string& where);
  Bytes Serialize() const;
};

}  // namespace vigil::update

#endif  // VIGIL_UPDATE_BOOT_STATE_H_
