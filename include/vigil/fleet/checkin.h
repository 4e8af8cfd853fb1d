// A device's check-in: what it reports (its release, boot slot, anti-rollback counter and its
// latest signed audit checkpoint with an RFC 9162 consistency proof from the checkpoint the
// fleet last accepted from it), the JSON body that carries it, and what the fleet concluded.
//
// Body (JSON object, at most 256 KiB, unknown members refused):
//   {"release": "2.1.0", "slot": "a", "slot_status": "good", "security_counter": 7,
//    "checkpoint": "<C2SP signed note: origin, size, root, blank line, signature lines>",
//    "consistency_proof": ["<base64 SHA-256>", ...]}   // may be absent or empty
//
// What Fleet::Checkin verifies, each failure an Alert (stored, never silently accepted):
//   bad_signature     the note is not signed by the device's registered log key, or malformed
//   origin_changed    the checkpoint names another log than the one accepted before
//   rolled_back       the tree is smaller than the accepted one
//   forked            same size with another root, or the consistency proof does not verify
//   counter_rollback  the security counter is lower than the accepted one
//   unknown_release   the release is not a release of the device's product
// A check-in with any alert changes nothing the fleet holds about the device but its last
// check-in time: the accepted checkpoint, release, slot and counter stay as they were.
// The first accepted checkpoint is trusted on first use (there is nothing to prove it against).
//
// Thread-safety: ParseCheckin and OpenReportedCheckpoint are pure (callable from any thread).
#ifndef VIGIL_FLEET_CHECKIN_H_
#define VIGIL_FLEET_CHECKIN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/audit/checkpoint.h"
#include "vigil/audit/merkle.h"
#include "vigil/core/result.h"
#include "vigil/fleet/fleet.h"

namespace vigil::fleet {

inline constexpr size_t kMaxCheckinBytes = 256 * 1024;

// The report's signed note opened with a log key (OpenReportedCheckpoint): the checkpoint, or
// why the note is not one signed by that key (a bad_signature alert's detail).
struct OpenedCheckpoint {
  std::string log_key;  // the vkey the note was opened with
  Result<audit::Checkpoint> checkpoint = audit::Checkpoint{};
};

struct CheckinReport {
  std::string release;
  std::string slot;         // "a" or "b"
  std::string slot_status;  // empty, writing, verified, good, failed
  uint64_t security_counter = 0;
  std::string checkpoint;                // the signed note
  std::vector<audit::Hash> consistency;  // proof from the accepted checkpoint to this one
  // Set by OpenReportedCheckpoint (ParseCheckin leaves it empty). Checkin takes it when its
  // log_key is the device's registered key, and opens the note itself otherwise.
  std::optional<OpenedCheckpoint> opened;
};

// Parses a check-in body. InvalidArgument "<source>: <JSON path>: <problem>" for malformed JSON,
// a missing or mistyped member, an unknown member, a slot or status out of its set, a proof
// element that is not the base64 of 32 bytes; ResourceExhausted over kMaxCheckinBytes or 64
// proof hashes. The note itself is checked by Checkin (its failure is an alert, not bad input).
Result<CheckinReport> ParseCheckin(std::string_view body, std::string_view source);

// Opens the report's signed note with `key` (the parsed `log_key`, a device's registered key)
// and keeps the outcome in report.opened. The signature verification is most of a check-in's
// work: a server does it here on the thread that received the check-in, outside the fleet's
// lock and transaction, and the transaction then only compares the checkpoint with the
// accepted one. Never fails: a note that does not open is a bad_signature alert at Checkin.
void OpenReportedCheckpoint(CheckinReport& report, std::string_view log_key,
                            audit::NoteVerifier& key);

// The consistency proof in the body's form (base64 strings), for devices and tests writing one.
std::vector<std::string> EncodeProof(const std::vector<audit::Hash>& proof);

// One device's check-in, for Fleet::CheckinMany.
struct DeviceCheckin {
  std::string serial;
  CheckinReport report;
};

struct CheckinResult {
  bool accepted = false;      // no alert: the fleet now holds what the device reported
  std::vector<Alert> alerts;  // what was raised (stored too)
};

}  // namespace vigil::fleet

#endif  // VIGIL_FLEET_CHECKIN_H_
