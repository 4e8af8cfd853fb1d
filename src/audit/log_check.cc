#include "vigil/audit/log_check.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "vigil/audit/event.h"
#include "vigil/audit/syslog_message.h"
#include "vigil/core/encoding.h"

namespace vigil::audit {

namespace {

// A checkpoint note is a few lines; anything near this is not one.
constexpr uint64_t kMaxCheckpointBytes = 64 * 1024;

Result<std::string> CheckpointBody(std::string_view note, const std::string& path,
                                   std::span<NoteVerifier* const> verifiers,
                                   size_t& verified_by) {
  if (verifiers.empty()) {
    size_t split = note.rfind("\n\n");
    if (split == std::string_view::npos) return DataLossError(path + ": not a signed note");
    verified_by = 0;
    return std::string(note.substr(0, split + 1));
  }
  auto opened = OpenNote(note, verifiers);
  if (!opened) return opened.error().WithContext(path);
  verified_by = opened->verified_by.size();
  return std::move(opened->text);
}

// The decimal entry index in a cursor file: digits only (what QueueNewEntries writes),
// optionally one newline. strtoull would accept a sign and blanks and wrap "-1" to 2^64-1,
// silently skipping every entry.
Result<uint64_t> ReadCursor(Env& env, const std::string& path) {
  if (!env.FileExists(path)) return uint64_t{0};
  VIGIL_ASSIGN_OR_RETURN(Bytes bytes, env.ReadFileLimited(path, 64, "a forwarding cursor"));
  std::string text(bytes.begin(), bytes.end());
  std::string_view digits(text);
  if (!digits.empty() && digits.back() == '\n') digits.remove_suffix(1);
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() ||
      digits.front() < '0' || digits.front() > '9') {
    return DataLossError(path + ": expected a decimal entry index (digits only), found '" +
                         OneLine(text.substr(0, 40)) + "'");
  }
  return v;
}

}  // namespace

Result<SignedCheckpoint> ReadSignedCheckpoint(Env& env, const std::string& path,
                                              std::span<NoteVerifier* const> verifiers) {
  VIGIL_ASSIGN_OR_RETURN(Bytes note, env.ReadFileLimited(path, kMaxCheckpointBytes,
                                                         "a checkpoint"));
  SignedCheckpoint out;
  VIGIL_ASSIGN_OR_RETURN(std::string body,
                         CheckpointBody(AsStringView(note), path, verifiers, out.verified_by));
  auto c = ParseCheckpoint(body);
  if (!c) return c.error().WithContext(path);
  out.checkpoint = *c;
  return out;
}

Result<LogCheck> CheckLog(Env& env, const std::string& dir, const Checkpoint& latest,
                          const std::string& latest_name, const std::optional<Checkpoint>& older,
                          const std::string& older_name) {
  std::vector<uint64_t> sizes = {latest.size};
  if (older) sizes.push_back(older->size);
  std::map<uint64_t, Hash> roots;
  auto report = VerifyTiles(env, dir, sizes, &roots);
  LogCheck out;
  if (!report) {
    // No log there or unreadable files: the check was not made. Damage is its verdict.
    if (report.error().code() != ErrorCode::kDataLoss) return report.error();
    out.damaged = true;
    out.problem = report.error().message();
    return out;
  }
  out.report = *report;
  if (roots.at(latest.size) != latest.root) {
    out.problem = "the entries on disk do not give the root that " + latest_name +
                  " signed at size " + std::to_string(latest.size);
    return out;
  }
  if (older && roots.at(older->size) != older->root) {
    out.problem = "the log is not consistent with " + older_name + " (size " +
                  std::to_string(older->size) + "): its first " + std::to_string(older->size) +
                  " entries were changed";
    return out;
  }
  out.intact = true;
  return out;
}

Result<InclusionEvidence> ProveInclusion(const TileLog& log, uint64_t index) {
  InclusionEvidence out;
  out.leaf_index = index;
  out.tree_size = log.size();
  VIGIL_ASSIGN_OR_RETURN(out.root, log.Root());
  VIGIL_ASSIGN_OR_RETURN(out.proof, log.InclusionProof(index, out.tree_size));
  auto entry = log.Entry(index);
  if (entry) {
    out.leaf_hash = HashLeaf(*entry);
  } else {
    // A pruned entry: its leaf hash is still in the level-0 tiles.
    VIGIL_ASSIGN_OR_RETURN(out.leaf_hash, log.Node(0, index));
  }
  VIGIL_RETURN_IF_ERROR(
      VerifyInclusion(out.leaf_hash, index, out.tree_size, out.proof, out.root));
  return out;
}

Result<ConsistencyEvidence> ProveConsistency(const TileLog& log, uint64_t from) {
  ConsistencyEvidence out;
  out.size1 = from;
  out.size2 = log.size();
  VIGIL_ASSIGN_OR_RETURN(out.proof, log.ConsistencyProof(from, out.size2));
  VIGIL_ASSIGN_OR_RETURN(out.root1, log.RootAt(from));
  VIGIL_ASSIGN_OR_RETURN(out.root2, log.Root());
  if (from > 0) {
    VIGIL_RETURN_IF_ERROR(VerifyConsistency(from, out.size2, out.root1, out.root2, out.proof));
  }
  return out;
}

Result<uint64_t> QueueNewEntries(Env& env, const TileLog& log, SyslogQueue& queue,
                                 const std::string& cursor_path) {
  VIGIL_ASSIGN_OR_RETURN(uint64_t cursor, ReadCursor(env, cursor_path));
  uint64_t queued = 0;
  uint64_t next = std::max(cursor, log.pruned_below());
  Status s = [&]() -> Status {
    for (; next < log.size(); ++next) {
      VIGIL_ASSIGN_OR_RETURN(Bytes entry, log.Entry(next));
      auto event = DecodeEvent(entry);
      if (!event) return event.error().WithContext("entry " + std::to_string(next));
      VIGIL_ASSIGN_OR_RETURN(std::string line, ToSyslog5424(*event));
      VIGIL_RETURN_IF_ERROR(queue.Enqueue(line));
      ++queued;
    }
    return OkStatus();
  }();
  // Record progress even when a later entry failed, so what was queued is not queued twice.
  VIGIL_RETURN_IF_ERROR(env.WriteFileAtomic(cursor_path, AsBytes(std::to_string(next) + "\n")));
  if (!s) return s.error();
  return queued;
}

}  // namespace vigil::audit
