// TileLog: the audit log's append-only, crash-safe storage, laid out as C2SP tlog-tiles.
//
// On disk, under the log directory:
//   journal/<first-index>   write-ahead batch records; an append is acknowledged only after the
//                           record holding it is fsynced (group commit: one fsync per batch)
//   tile/<L>/<N>            full hash tiles (256 hashes of height 8·L), written atomically
//   tile/entries/<N>        full entry bundles (256 entries)
//   tile/<L>/<N>.p/<W>      partial tiles for the last published size (PublishPartialTiles)
//   retention               the index below which entry bundles were pruned (if any)
// Standard tiles readers can serve the tile/ tree as static files next to a checkpoint.
//
// Journal record: "VLB1" | first index (u64 BE) | count (u32 BE) | payload length (u32 BE) |
// payload (count entries in entry-bundle encoding) | SHA-256 over the header and the entries'
// leaf hashes. A record that does not check out ends the journal.
//
// Crash safety: full tiles are written with Env::WriteFileAtomic, so a tile file is either
// absent or complete. A journal segment is deleted only after every tile covering its entries is
// durable, so on Open the tiles below the first segment are trusted and only the journal after
// them is replayed (bounded by the segment size); replayed tiles that already exist intact are
// checked, not rewritten. A torn tail of the last segment (a crash during an unacknowledged
// append: a strict prefix of the record being written, or zeros where the file was extended
// before its data reached the disk) is cut back to the last whole record and reported. Anything
// else is damage: random bytes, a complete record that does not check out, a record for the
// wrong index, a valid record after a bad one. Damage is DataLoss naming the file and byte, the
// journal is left exactly as it is (evidence for forensics), and the log cannot be opened for
// writing, so nothing is appended after it, until an operator has kept a copy and cut the
// segment at the damage (README, "When the audit log reports damage").
//
// Thread-safety: all methods are thread-safe. Append() calls from many threads share fsyncs
// (group commit: whoever finds no commit in flight writes everything queued so far).
#ifndef VIGIL_AUDIT_TILE_LOG_H_
#define VIGIL_AUDIT_TILE_LOG_H_

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "vigil/audit/merkle.h"
#include "vigil/core/env.h"

namespace vigil::audit {

struct TileLogOptions {
  // Start a new journal segment after this many entries (bounds the replay on Open).
  uint64_t segment_entries = 1 << 16;
  // Full hash tiles kept in memory (each with its internal nodes, ~16 KiB).
  size_t tile_cache = 4096;
  // Open an existing log without changing anything on disk, for commands that only read
  // (export, prove, forward): no folder or file is created, a torn tail is reported in
  // RecoveryReport::torn_tail and left in place (only a writer cuts it), and tiles the journal
  // implies but the disk lacks are kept in memory. AppendBatch, Append, PublishPartialTiles and
  // Prune then fail with FailedPrecondition.
  bool read_only = false;
  // For a writer: create the log when `dir` holds none. Off, a missing log is NotFound, so a
  // mistyped path is an error instead of a new empty log (commands that only add to an
  // existing log). Ignored when read_only (never creates).
  bool create_if_missing = true;
};

struct RecoveryReport {
  uint64_t replayed_entries = 0;  // entries read back from the journal
  uint64_t tiles_written = 0;     // tiles missing on disk and rebuilt
  uint64_t tiles_checked = 0;     // tiles found intact
  uint64_t cut_bytes = 0;         // torn bytes cut from the journal tail
  std::string cut_detail;         // where and why, when cut_bytes > 0
  std::string torn_tail;          // read_only: the torn tail found and left in place, if any
  bool created = false;           // the log did not exist and was created by this Open
};

class TileLog final : public NodeSource {
 public:
  // Opens the log in `dir`, recovering after a crash as described above; creates it if absent
  // unless options say otherwise. NotFound "DIR: no audit log ..." when it is absent and may not
  // be created; DataLoss for damage.
  static Result<std::unique_ptr<TileLog>> Open(Env& env, const std::string& dir,
                                               TileLogOptions options = {},
                                               RecoveryReport* report = nullptr);
  ~TileLog() override;

  // Appends entries as one batch, durable (one journal fsync) before it returns the index of
  // the first. InvalidArgument for an entry over 65535 bytes or an empty batch (nothing is
  // written then); on an I/O error nothing of the batch is acknowledged and the log refuses
  // further appends (FailedPrecondition) until Recover() or a reopen.
  Result<uint64_t> AppendBatch(std::span<const Bytes> entries);
  // Appends one entry; concurrent callers are committed together (group commit).
  Result<uint64_t> Append(ByteView entry);

  // After an I/O error made the log refuse appends (e.g. a full disk), recovers in place as
  // Open does after a crash: the journal is cut back to its last acknowledged record, the tiles
  // are rebuilt from it, and appends are accepted again. A long-running writer (a device) calls
  // it once the cause may be gone, instead of restarting. OK at once when the log has not
  // failed. On error the log keeps refusing appends; reads may then see only a prefix of it.
  Status Recover(RecoveryReport* report = nullptr);

  uint64_t size() const;
  Result<Hash> Root() const;
  Result<Hash> RootAt(uint64_t size) const;  // any size <= size()
  // Entry i. NotFound if i >= size() or its bundle was pruned.
  Result<Bytes> Entry(uint64_t i) const;
  Result<Hash> Node(int level, uint64_t index) const override;
  Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t tree_size) const;
  Result<std::vector<Hash>> ConsistencyProof(uint64_t size1, uint64_t size2) const;

  // Writes the partial tiles (hash tiles of every level and the entry bundle) for the current
  // size, and removes older partial tiles. Called before publishing a checkpoint.
  Status PublishPartialTiles();

  // Retention: removes entry bundles wholly below `min_index` (rounded down to a bundle
  // boundary). Hash tiles stay, so every checkpoint and proof still verifies; the pruned entries
  // read as NotFound. Returns the new lower bound of readable entries.
  Result<uint64_t> Prune(uint64_t min_index);
  uint64_t pruned_below() const;

  const std::string& dir() const { return dir_; }

 private:
  class Impl;
  TileLog(Env& env, std::string dir, TileLogOptions options);
  Env& env_;
  const std::string dir_;
  std::unique_ptr<Impl> impl_;

  // group commit
  std::mutex gc_mu_;
  std::condition_variable gc_cv_;
  bool gc_committing_ = false;
  uint64_t gc_next_ticket_ = 0;
  std::vector<Bytes> gc_pending_;
  std::map<uint64_t, Result<uint64_t>> gc_done_;
};

// Reads back a whole log directory and checks it against itself, opening nothing for writing:
// every entry bundle against the level-0 tiles, every tile level against the one below, the
// journal against the bundles. The log's size is where the journal ends. `sizes` asks for the
// root at those sizes (e.g. of checkpoints), returned in `roots`. On failure the error says what
// is wrong and where (entry index, tile or journal path): DataLoss for damage, NotFound when
// `dir` holds no log. A torn journal tail (an unacknowledged append cut by a crash, cut by the
// next writer) is reported, not an error; damaged complete records are DataLoss.
struct VerifyReport {
  uint64_t size = 0;
  uint64_t entries_checked = 0;
  uint64_t tiles_checked = 0;
  Hash root{};
  std::string torn_tail;
};
Result<VerifyReport> VerifyTiles(Env& env, const std::string& dir,
                                 const std::vector<uint64_t>& sizes = {},
                                 std::map<uint64_t, Hash>* roots = nullptr);

}  // namespace vigil::audit

#endif  // VIGIL_AUDIT_TILE_LOG_H_
