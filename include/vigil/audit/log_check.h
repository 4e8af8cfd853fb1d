// What a verifier does with an audit log: check the entries on disk against signed
// checkpoints (the latest and, optionally, an older one it kept), produce self-checked inclusion
// and consistency proofs, and queue new entries for a syslog collector behind a durable cursor.
// A device, `vigil log` and the fleet server use these; none of them re-implements the checks.
//
// Thread-safety: functions over the objects they are given; no shared state.
#ifndef VIGIL_AUDIT_LOG_CHECK_H_
#define VIGIL_AUDIT_LOG_CHECK_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "vigil/audit/checkpoint.h"
#include "vigil/audit/merkle.h"
#include "vigil/audit/syslog_queue.h"
#include "vigil/audit/tile_log.h"
#include "vigil/core/env.h"
#include "vigil/core/result.h"

namespace vigil::audit {

// A checkpoint read from a signed-note file.
struct SignedCheckpoint {
  Checkpoint checkpoint;
  size_t verified_by = 0;  // known keys whose signature verified (0 when none were given)
};

// Reads the signed note at `path` (at most 64 KiB). With `verifiers`, at least one known key must
// have signed it (Unauthenticated otherwise); with none, the body is taken unverified. DataLoss,
// naming the file, when it is not a signed checkpoint.
Result<SignedCheckpoint> ReadSignedCheckpoint(Env& env, const std::string& path,
                                              std::span<NoteVerifier* const> verifiers);

// The outcome of checking a log against its checkpoints. An error from CheckLog means the check
// could not be made (no log, unreadable files); a completed check is intact or tampered.
struct LogCheck {
  bool intact = false;
  // Not intact because the files themselves are damaged or altered (an entry, tile or journal
  // record does not check), rather than a checkpoint's root not matching.
  bool damaged = false;
  std::string problem;  // when not intact: what does not match, and where
  VerifyReport report;  // what was read (when the files could be read)
};

// Checks every entry and tile of the log in `dir` (VerifyTiles), then that the root at
// `latest.size` is the one `latest` signed and, given `older` (a checkpoint the verifier kept
// from before), that the log is consistent with it. `latest_name` and `older_name` name the
// checkpoints in the problem text.
Result<LogCheck> CheckLog(Env& env, const std::string& dir, const Checkpoint& latest,
                          const std::string& latest_name, const std::optional<Checkpoint>& older,
                          const std::string& older_name);

struct InclusionEvidence {
  uint64_t leaf_index = 0;
  uint64_t tree_size = 0;
  Hash leaf_hash{};
  Hash root{};
  std::vector<Hash> proof;
};
// The inclusion proof of entry `index` in the log at its current size, verified against the
// log's root before it is returned (a pruned entry's leaf hash comes from the tiles).
Result<InclusionEvidence> ProveInclusion(const TileLog& log, uint64_t index);

struct ConsistencyEvidence {
  uint64_t size1 = 0;
  uint64_t size2 = 0;
  Hash root1{};
  Hash root2{};
  std::vector<Hash> proof;
};
// The consistency proof from size `from` to the log's current size, verified before it is
// returned (from 0 the proof is empty).
Result<ConsistencyEvidence> ProveConsistency(const TileLog& log, uint64_t from);

// Queues, as RFC 5424 lines, every retained entry from the cursor on, then advances the cursor
// (`cursor_path`, replaced atomically) past what was queued, also when a later entry failed. A
// crash between queueing and the cursor write queues those entries again: at-least-once, and
// the collector sees the same sequence numbers. Returns how many entries were queued. A cursor
// file that is not a decimal index is DataLoss (never read as "start over" or "skip all").
Result<uint64_t> QueueNewEntries(Env& env, const TileLog& log, SyslogQueue& queue,
                                 const std::string& cursor_path);

}  // namespace vigil::audit

#endif  // VIGIL_AUDIT_LOG_CHECK_H_
