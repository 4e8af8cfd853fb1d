#include "vigil/audit/tile_log.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <functional>
#include <list>
#include <set>
#include <unordered_map>

#include "internal/journal_format.h"
#include "vigil/audit/tile_path.h"
#include "vigil/crypto/hash.h"

namespace vigil::audit {

using internal::EncodeRecord;
using internal::ExpandedTile;
using internal::JournalReader;
using internal::kFullTileBytes;
using internal::ListSegments;
using internal::NoLogHere;
using internal::ParseTile;
using internal::ReadJournal;
using internal::ReadRetention;
using internal::Record;
using internal::SegmentName;

// ---------------------------------------------------------------------------------------------
class TileLog::Impl {
 public:
  Impl(Env& env, std::string dir, TileLogOptions opt)
      : env_(env), dir_(std::move(dir)), opt_(opt) {}

  Env& env_;
  const std::string dir_;
  const TileLogOptions opt_;

  std::mutex write_mu_;    // one writer at a time (held across journal write and tile writes)
  mutable std::mutex mu_;  // the in-memory state below
  uint64_t size_ = 0;
  std::vector<ExpandedTile> partial_;  // per level: the incomplete tile
  Bytes partial_bundle_;               // entries of the incomplete bundle
  uint64_t pruned_below_ = 0;
  bool failed_ = false;
  std::string failure_;
  // Bytes of the current journal segment that hold acknowledged records: a failed append may
  // leave part (or, after a failed fsync, all) of its record behind, which recovery cuts off.
  uint64_t acked_bytes_ = 0;

  // tile cache (full tiles only), LRU
  mutable std::list<uint64_t> lru_;
  mutable std::unordered_map<
      uint64_t, std::pair<std::shared_ptr<const ExpandedTile>, std::list<uint64_t>::iterator>>
      cache_;
  mutable std::pair<uint64_t, Bytes> last_bundle_{UINT64_MAX, {}};

  // read_only: tiles the journal implies that the disk lacks, by relative path (at most one
  // segment's worth: the tiles below the first segment are on disk)
  std::unordered_map<std::string, Bytes> overlay_;

  // journal (writer only)
  std::unique_ptr<WritableFile> journal_;
  std::vector<uint64_t> segments_;
  std::set<std::string> known_dirs_;

  std::string Path(const std::string& rel) const { return JoinPath(dir_, rel); }
  std::string JournalDir() const { return Path("journal"); }

  static uint64_t Key(int level, uint64_t index) { return (uint64_t(level) << 58) | index; }

  // ---- directories ----
  Status EnsureDir(const std::string& d) {
    if (known_dirs_.count(d)) return OkStatus();
    if (d != dir_ && d.size() > dir_.size()) VIGIL_RETURN_IF_ERROR(EnsureDir(DirName(d)));
    bool existed = env_.GetChildren(d).has_value();
    VIGIL_RETURN_IF_ERROR(env_.CreateDir(d));
    if (!existed) VIGIL_RETURN_IF_ERROR(env_.SyncDir(DirName(d)));
    known_dirs_.insert(d);
    return OkStatus();
  }
  Result<Bytes> ReadTileFile(const std::string& rel) const {
    if (auto it = overlay_.find(rel); it != overlay_.end()) return it->second;
    return env_.ReadFile(Path(rel));
  }
  Status RefuseReadOnly(std::string_view what) const {
    if (!opt_.read_only) return OkStatus();
    return FailedPreconditionError("tile log " + dir_ + ": opened read-only, cannot " +
                                   std::string(what));
  }
  Status WriteTileFile(const std::string& rel, ByteView data) {
    std::string p = Path(rel);
    VIGIL_RETURN_IF_ERROR(EnsureDir(DirName(p)));
    return env_.WriteFileAtomic(p, data);
  }

  // ---- cache ----
  void CachePut(uint64_t key, std::shared_ptr<const ExpandedTile> t) const {
    auto it = cache_.find(key);
    if (it != cache_.end()) return;
    lru_.push_front(key);
    cache_.emplace(key, std::make_pair(std::move(t), lru_.begin()));
    while (cache_.size() > opt_.tile_cache && !lru_.empty()) {
      cache_.erase(lru_.back());
      lru_.pop_back();
    }
  }
  // A full tile from the cache or disk. Caller holds mu_.
  Result<std::shared_ptr<const ExpandedTile>> FullTile(int level, uint64_t index) const {
    uint64_t key = Key(level, index);
    auto it = cache_.find(key);
    if (it != cache_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second.second);
      return it->second.first;
    }
    std::string rel = TilePath(level, index);
    auto data = ReadTileFile(rel);
    if (!data) return DataLossError(rel + ": " + data.error().message());
    VIGIL_ASSIGN_OR_RETURN(auto t, ParseTile(*data, kTileWidth, rel));
    CachePut(key, t);
    return t;
  }

  // Node of height `height`, index `index`, complete within size_. Caller holds mu_.
  Result<Hash> NodeLocked(int height, uint64_t index) const {
    if (height < 0 || height >= 64 || (height > 0 && index >= (UINT64_MAX >> height)) ||
        ((index + 1) << height) > size_) {
      return InvalidArgumentError("tile log: node (" + std::to_string(height) + ", " +
                                  std::to_string(index) + ") is not complete in a tree of " +
                                  std::to_string(size_));
    }
    int level = height / kTileHeight, r = height % kTileHeight;
    uint64_t first = index << r;  // index of the first height-8L hash it covers
    uint64_t tile = first / kTileWidth;
    uint64_t pos = (first % kTileWidth) >> r;
    uint64_t full_tiles = size_ >> (kTileHeight * (level + 1));
    if (tile < full_tiles) {
      VIGIL_ASSIGN_OR_RETURN(auto t, FullTile(level, tile));
      return t->nodes[r][pos];
    }
    const ExpandedTile& p = partial_[level];
    if (pos >= p.nodes[r].size()) return InternalError("tile log: partial tile node missing");
    return p.nodes[r][pos];
  }

  // Adds leaf hashes (entries already durable). Full tiles produced are appended to `out` as
  // (relative path, bytes). Caller holds mu_.
  void AddLeaves(const std::vector<Hash>& leaves, std::span<const ByteView> entries,
                 std::vector<std::pair<std::string, Bytes>>& out) {
    for (size_t i = 0; i < leaves.size(); ++i) {
      (void)AppendBundleEntry(partial_bundle_, entries[i]);
      Hash h = leaves[i];
      uint64_t n = size_;  // index of this leaf
      int level = 0;
      while (true) {
        if (partial_.size() <= static_cast<size_t>(level)) partial_.resize(level + 1);
        ExpandedTile& t = partial_[level];
        t.Push(h);
        if (t.width() < kTileWidth) break;
        uint64_t tile_index = (n >> (kTileHeight * level)) / kTileWidth;
        out.emplace_back(TilePath(level, tile_index), t.Serialize());
        if (level == 0) {
          out.emplace_back(EntryBundlePath(tile_index), std::move(partial_bundle_));
          partial_bundle_.clear();
        }
        h = t.TileRoot();
        CachePut(Key(level, tile_index), std::make_shared<const ExpandedTile>(std::move(t)));
        t = ExpandedTile();
        ++level;
      }
      ++size_;
    }
  }

  // Writes produced tiles; with `check`, leaves intact existing ones alone.
  Status WriteTiles(const std::vector<std::pair<std::string, Bytes>>& tiles, bool check,
                    RecoveryReport* report) {
    for (const auto& [rel, data] : tiles) {
      if (opt_.read_only) {
        // Nothing is written: an intact tile is checked, a missing one is held in memory, and
        // one that disagrees with the journal is damage (tiles are written atomically).
        auto have = env_.ReadFile(Path(rel));
        if (have && *have != data) {
          return DataLossError(Path(rel) + ": differs from the journal's entries");
        }
        if (have && report) ++report->tiles_checked;
        if (!have) overlay_.emplace(rel, data);
        continue;
      }
      if (check) {
        auto have = env_.ReadFile(Path(rel));
        if (have && *have == data) {
          if (report) ++report->tiles_checked;
          continue;
        }
        if (report) ++report->tiles_written;
      }
      VIGIL_RETURN_IF_ERROR(WriteTileFile(rel, data));
    }
    return OkStatus();
  }

  // ---- recovery ----
  Status Recover(RecoveryReport* report) {
    if (!env_.GetChildren(JournalDir()).has_value()) {
      if (opt_.read_only || !opt_.create_if_missing) {
        return NoLogHere(dir_);
      }
      if (report) report->created = true;
    }
    if (!opt_.read_only) VIGIL_RETURN_IF_ERROR(EnsureDir(JournalDir()));
    VIGIL_ASSIGN_OR_RETURN(pruned_below_, ReadRetention(env_, dir_));
    VIGIL_ASSIGN_OR_RETURN(segments_, ListSegments(env_, JournalDir()));
    if (segments_.empty()) {
      if (env_.GetChildren(Path("tile")).has_value()) {
        return DataLossError(JournalDir() +
                             ": no journal segment, but tiles exist (the journal "
                             "was removed; refusing to guess the log's size)");
      }
      segments_.push_back(0);
      if (opt_.read_only) return OkStatus();  // an empty log
      VIGIL_ASSIGN_OR_RETURN(journal_, env_.NewWritableFile(JoinPath(JournalDir(), "0")));
      acked_bytes_ = 0;
      VIGIL_RETURN_IF_ERROR(journal_->Sync());
      return env_.SyncDir(JournalDir());
    }
    // Tiles below the first segment are durable; rebuild the partial state from them.
    const uint64_t s0 = segments_.front();
    const uint64_t base = s0 - s0 % kTileWidth;
    VIGIL_RETURN_IF_ERROR(LoadBase(base));
    std::vector<std::pair<std::string, Bytes>> produced;
    std::vector<Hash> leaves;
    if (s0 > base) {
      std::string rel = EntryBundlePath(base / kTileWidth);
      auto bundle = env_.ReadFile(Path(rel));
      if (!bundle) return DataLossError(rel + ": " + bundle.error().message());
      VIGIL_ASSIGN_OR_RETURN(auto entries, SplitBundle(*bundle, kTileWidth));
      entries.resize(s0 - base);
      leaves.clear();
      for (ByteView e : entries) leaves.push_back(HashLeaf(e));
      AddLeaves(leaves, entries, produced);
    }
    uint64_t next = size_;
    VIGIL_ASSIGN_OR_RETURN(
        std::optional<internal::TornTail> torn,
        ReadJournal(env_, JournalDir(), segments_, next, JournalReader::kRecovery,
                    [&](const Record& rec, const std::vector<Hash>& rec_leaves) -> Status {
                      if (report) report->replayed_entries += rec.entries.size();
                      AddLeaves(rec_leaves, rec.entries, produced);
                      return OkStatus();
                    }));
    if (torn && opt_.read_only) {
      if (report) report->torn_tail = torn->where;
    } else if (torn) {
      // A crash during an unacknowledged append: cut the tail back to the last record.
      VIGIL_RETURN_IF_ERROR(env_.TruncateFile(torn->path, torn->offset));
      if (report) {
        report->cut_bytes = torn->file_size - torn->offset;
        report->cut_detail = torn->where;
      }
    }
    VIGIL_RETURN_IF_ERROR(WriteTiles(produced, /*check=*/true, report));
    if (opt_.read_only) return OkStatus();
    const std::string current = JoinPath(JournalDir(), SegmentName(segments_.back()));
    VIGIL_ASSIGN_OR_RETURN(acked_bytes_, env_.GetFileSize(current));
    VIGIL_ASSIGN_OR_RETURN(journal_, env_.NewAppendableFile(current));
    return OkStatus();
  }

  // After an I/O error: the state Open would rebuild after a crash, from the acknowledged
  // journal. Callers hold write_mu_ and mu_.
  Status RecoverAfterFailure(RecoveryReport* report) {
    if (journal_) (void)journal_->Close();  // it failed already; the file is cut and reopened
    journal_.reset();
    const std::string current = JoinPath(JournalDir(), SegmentName(segments_.back()));
    if (Result<uint64_t> now = env_.GetFileSize(current); now && *now > acked_bytes_) {
      VIGIL_RETURN_IF_ERROR(env_.TruncateFile(current, acked_bytes_));
      if (report) report->cut_bytes = *now - acked_bytes_;
    }
    size_ = 0;
    partial_.clear();
    partial_bundle_.clear();
    pruned_below_ = 0;
    lru_.clear();
    cache_.clear();
    last_bundle_ = {UINT64_MAX, {}};
    segments_.clear();
    return Recover(report);
  }

  // State for a tree of `base` leaves (a multiple of 256) whose full tiles are all on disk.
  Status LoadBase(uint64_t base) {
    size_ = base;
    partial_.clear();
    for (int level = 1; (base >> (kTileHeight * level)) > 0; ++level) {
      uint64_t complete = base >> (kTileHeight * level);  // height-8L nodes that are complete
      partial_.resize(level + 1);
      for (uint64_t j = complete - complete % kTileWidth; j < complete; ++j) {
        VIGIL_ASSIGN_OR_RETURN(auto t, FullTile(level - 1, j));
        partial_[level].Push(t->TileRoot());
      }
    }
    if (partial_.empty()) partial_.resize(1);
    return OkStatus();
  }

  // ---- append ----
  Result<uint64_t> AppendBatch(std::span<const Bytes> entries) {
    if (entries.empty()) return InvalidArgumentError("tile log: empty batch");
    for (const auto& e : entries) {
      if (e.size() > 0xffff) {
        return InvalidArgumentError("tile log: entry of " + std::to_string(e.size()) +
                                    " bytes exceeds the 65535-byte tlog-tiles limit");
      }
    }
    VIGIL_RETURN_IF_ERROR(RefuseReadOnly("append"));
    std::lock_guard w(write_mu_);
    uint64_t first;
    {
      std::lock_guard l(mu_);
      if (failed_) return FailedPreconditionError("tile log: " + failure_ + "; reopen to recover");
      first = size_;
    }
    std::vector<Hash> leaves;
    leaves.reserve(entries.size());
    for (const auto& e : entries) leaves.push_back(HashLeaf(e));
    Bytes rec = EncodeRecord(first, entries, leaves);
    Status s = journal_->Append(rec);
    if (s) s = journal_->Sync();
    if (!s) return Fail("journal write failed: " + s.error().message(), s.error());
    acked_bytes_ += rec.size();
    // Durable: acknowledge, then derive tiles.
    std::vector<std::pair<std::string, Bytes>> produced;
    {
      std::lock_guard l(mu_);
      std::vector<ByteView> views(entries.begin(), entries.end());
      AddLeaves(leaves, views, produced);
    }
    if (Status t = WriteTiles(produced, false, nullptr); !t) {
      (void)Fail("tile write failed: " + t.error().message(), t.error());
      return first;  // the batch itself is durable in the journal; recovery rebuilds the tiles
    }
    if (Status r = MaybeRotate(); !r)
      (void)Fail("journal rotation failed: " + r.error().message(), r.error());
    return first;
  }

  Error Fail(std::string why, const Error& e) {
    std::lock_guard l(mu_);
    failed_ = true;
    failure_ = std::move(why);
    return Error(e.code(), "tile log: " + failure_);
  }

  Status MaybeRotate(bool force = false) {
    uint64_t size;
    {
      std::lock_guard l(mu_);
      size = size_;
    }
    if (size == segments_.back()) return OkStatus();
    if (!force && size - segments_.back() < opt_.segment_entries) return OkStatus();
    VIGIL_RETURN_IF_ERROR(journal_->Close());
    VIGIL_ASSIGN_OR_RETURN(journal_,
                           env_.NewWritableFile(JoinPath(JournalDir(), SegmentName(size))));
    acked_bytes_ = 0;
    VIGIL_RETURN_IF_ERROR(journal_->Sync());
    VIGIL_RETURN_IF_ERROR(env_.SyncDir(JournalDir()));
    segments_.push_back(size);
    // Tiles below this boundary are durable (WriteFileAtomic): older segments can go.
    const uint64_t durable = size - size % kTileWidth;
    while (segments_.size() > 1 && segments_[1] <= durable) {
      VIGIL_RETURN_IF_ERROR(env_.RemoveFile(JoinPath(JournalDir(), SegmentName(segments_[0]))));
      segments_.erase(segments_.begin());
    }
    return env_.SyncDir(JournalDir());
  }

  // ---- reads ----
  Result<Bytes> Entry(uint64_t i) const {
    std::lock_guard l(mu_);
    if (i >= size_) {
      return NotFoundError("log entry " + std::to_string(i) + " does not exist (size " +
                           std::to_string(size_) + ")");
    }
    if (i < pruned_below_) {
      return NotFoundError("log entry " + std::to_string(i) + " was pruned (entries below " +
                           std::to_string(pruned_below_) + " are removed by retention)");
    }
    uint64_t bundle = i / kTileWidth;
    ByteView data;
    if (bundle == size_ / kTileWidth) {
      data = partial_bundle_;
    } else {
      if (last_bundle_.first != bundle) {
        std::string rel = EntryBundlePath(bundle);
        auto b = ReadTileFile(rel);
        if (!b) return DataLossError(rel + ": " + b.error().message());
        last_bundle_ = {bundle, std::move(*b)};
      }
      data = last_bundle_.second;
    }
    VIGIL_ASSIGN_OR_RETURN(auto entries, SplitBundle(data));
    if (entries.size() <= i % kTileWidth) return DataLossError("entry bundle too short");
    ByteView e = entries[i % kTileWidth];
    return Bytes(e.begin(), e.end());
  }
};

// ---------------------------------------------------------------------------------------------
TileLog::TileLog(Env& env, std::string dir, TileLogOptions options)
    : env_(env), dir_(std::move(dir)), impl_(std::make_unique<Impl>(env, dir_, options)) {}
TileLog::~TileLog() = default;

Result<std::unique_ptr<TileLog>> TileLog::Open(Env& env, const std::string& dir,
                                               TileLogOptions options, RecoveryReport* report) {
  if (options.segment_entries == 0 || options.tile_cache == 0) {
    return InvalidArgumentError("tile log: segment_entries and tile_cache must be positive");
  }
  std::unique_ptr<TileLog> log(new TileLog(env, dir, options));
  VIGIL_RETURN_IF_ERROR(log->impl_->Recover(report));
  return log;
}

Result<uint64_t> TileLog::AppendBatch(std::span<const Bytes> entries) {
  return impl_->AppendBatch(entries);
}

Status TileLog::Recover(RecoveryReport* report) {
  std::lock_guard w(impl_->write_mu_);
  std::lock_guard l(impl_->mu_);
  if (!impl_->failed_) return OkStatus();
  if (Status s = impl_->RecoverAfterFailure(report); !s) {
    return Error(s.error().code(), "tile log: recovery after \"" + impl_->failure_ +
                                       "\" failed: " + s.error().message());
  }
  impl_->failed_ = false;
  impl_->failure_.clear();
  return OkStatus();
}

Result<uint64_t> TileLog::Append(ByteView entry) {
  std::unique_lock l(gc_mu_);
  const uint64_t ticket = gc_next_ticket_++;
  gc_pending_.emplace_back(entry.begin(), entry.end());
  while (true) {
    if (auto it = gc_done_.find(ticket); it != gc_done_.end()) {
      Result<uint64_t> r = std::move(it->second);
      gc_done_.erase(it);
      return r;
    }
    if (!gc_committing_) break;
    gc_cv_.wait(l);
  }
  // Leader: commit everything queued (tickets are consecutive from first_ticket).
  gc_committing_ = true;
  std::vector<Bytes> batch = std::move(gc_pending_);
  gc_pending_.clear();
  const uint64_t first_ticket = gc_next_ticket_ - batch.size();
  l.unlock();
  Result<uint64_t> r = AppendBatch(batch);
  l.lock();
  for (uint64_t k = 0; k < batch.size(); ++k) {
    if (r) {
      gc_done_.emplace(first_ticket + k, *r + k);
    } else {
      gc_done_.emplace(first_ticket + k, r.error());
    }
  }
  gc_committing_ = false;
  gc_cv_.notify_all();
  Result<uint64_t> mine = std::move(gc_done_.at(ticket));
  gc_done_.erase(ticket);
  return mine;
}

uint64_t TileLog::size() const {
  std::lock_guard l(impl_->mu_);
  return impl_->size_;
}

uint64_t TileLog::pruned_below() const {
  std::lock_guard l(impl_->mu_);
  return impl_->pruned_below_;
}

Result<Hash> TileLog::Node(int level, uint64_t index) const {
  std::lock_guard l(impl_->mu_);
  return impl_->NodeLocked(level, index);
}

Result<Hash> TileLog::Root() const { return RootAt(size()); }

Result<Hash> TileLog::RootAt(uint64_t n) const {
  if (n > size()) {
    return InvalidArgumentError("tile log: no root for size " + std::to_string(n) +
                                " beyond the log's " + std::to_string(size()));
  }
  return RootHash(*this, n);
}

Result<Bytes> TileLog::Entry(uint64_t i) const { return impl_->Entry(i); }

Result<std::vector<Hash>> TileLog::InclusionProof(uint64_t index, uint64_t tree_size) const {
  if (tree_size > size()) return InvalidArgumentError("tile log: tree size beyond the log");
  return audit::InclusionProof(*this, index, tree_size);
}

Result<std::vector<Hash>> TileLog::ConsistencyProof(uint64_t size1, uint64_t size2) const {
  if (size2 > size()) return InvalidArgumentError("tile log: tree size beyond the log");
  return audit::ConsistencyProof(*this, size1, size2);
}

Status TileLog::PublishPartialTiles() {
  VIGIL_RETURN_IF_ERROR(impl_->RefuseReadOnly("publish partial tiles"));
  std::lock_guard w(impl_->write_mu_);
  std::vector<std::pair<std::string, Bytes>> files;
  {
    std::lock_guard l(impl_->mu_);
    uint64_t n = impl_->size_;
    for (size_t level = 0; level < impl_->partial_.size(); ++level) {
      const ExpandedTile& t = impl_->partial_[level];
      if (t.width() == 0) continue;
      uint64_t index = (n >> (kTileHeight * level)) / kTileWidth;
      files.emplace_back(TilePath(static_cast<int>(level), index, t.width()), t.Serialize());
      if (level == 0) files.emplace_back(EntryBundlePath(index, t.width()), impl_->partial_bundle_);
    }
  }
  for (const auto& [rel, data] : files) {
    VIGIL_RETURN_IF_ERROR(impl_->WriteTileFile(rel, data));
    // Older widths of the same partial tile are superseded.
    std::string pdir = impl_->Path(DirName(rel));
    std::string mine = rel.substr(rel.rfind('/') + 1);
    VIGIL_ASSIGN_OR_RETURN(auto names, env_.GetChildren(pdir));
    for (const auto& name : names) {
      if (name != mine && !name.ends_with(".tmp")) {
        VIGIL_RETURN_IF_ERROR(env_.RemoveFile(JoinPath(pdir, name)));
      }
    }
  }
  return OkStatus();
}

Result<uint64_t> TileLog::Prune(uint64_t min_index) {
  VIGIL_RETURN_IF_ERROR(impl_->RefuseReadOnly("prune"));
  std::lock_guard w(impl_->write_mu_);
  uint64_t old_bound, size;
  {
    std::lock_guard l(impl_->mu_);
    old_bound = impl_->pruned_below_;
    size = impl_->size_;
  }
  uint64_t bound = std::min(min_index, size);
  bound -= bound % kTileWidth;
  if (bound <= old_bound) return old_bound;
  // Start a new journal segment so the segments holding pruned entries can go too.
  VIGIL_RETURN_IF_ERROR(impl_->MaybeRotate(/*force=*/true));
  // Record the bound first: after a crash mid-way, the missing bundles are expected.
  VIGIL_RETURN_IF_ERROR(
      env_.WriteFileAtomic(impl_->Path("retention"), ToBytes(std::to_string(bound))));
  {
    std::lock_guard l(impl_->mu_);
    impl_->pruned_below_ = bound;
    impl_->last_bundle_ = {UINT64_MAX, {}};
  }
  std::set<std::string> dirs;
  for (uint64_t b = old_bound / kTileWidth; b < bound / kTileWidth; ++b) {
    std::string p = impl_->Path(EntryBundlePath(b));
    if (env_.FileExists(p)) VIGIL_RETURN_IF_ERROR(env_.RemoveFile(p));
    dirs.insert(DirName(p));
  }
  for (const auto& d : dirs) VIGIL_RETURN_IF_ERROR(env_.SyncDir(d));
  return bound;
}

}  // namespace vigil::audit
