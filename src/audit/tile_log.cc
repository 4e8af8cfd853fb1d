#include "vigil/audit/tile_log.h"

#include "vigil/core/endian.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <functional>
#include <list>
#include <set>
#include <unordered_map>

#include "vigil/audit/tile_path.h"
#include "vigil/crypto/hash.h"

namespace vigil::audit {
namespace {

constexpr std::array<uint8_t, 4> kRecordMagic = {'V', 'L', 'B', '1'};
constexpr size_t kHeaderSize = 4 + 8 + 4 + 4;
constexpr size_t kDigestSize = 32;
constexpr size_t kFullTileBytes = kTileWidth * 32;


// A tile with its internal nodes: nodes[r] holds the completed hashes of height 8·L + r inside
// the tile (r = 0 … 7; nodes[0] are the tile's own hashes). A full tile has 256, 128, …, 2.
struct ExpandedTile {
  std::array<std::vector<Hash>, kTileHeight> nodes;

  void Push(const Hash& h) {
    nodes[0].push_back(h);
    for (int r = 1; r < kTileHeight; ++r) {
      const auto& below = nodes[r - 1];
      if (below.size() % 2 != 0 || below.size() / 2 == nodes[r].size()) break;
      nodes[r].push_back(HashChildren(below[below.size() - 2], below.back()));
    }
  }
  size_t width() const { return nodes[0].size(); }
  Hash TileRoot() const { return HashChildren(nodes[7][0], nodes[7][1]); }  // full tiles only
  Bytes Serialize() const {
    Bytes out;
    out.reserve(nodes[0].size() * 32);
    for (const auto& h : nodes[0]) out.insert(out.end(), h.begin(), h.end());
    return out;
  }
};

Result<std::shared_ptr<const ExpandedTile>> ParseTile(ByteView data, size_t width,
                                                      const std::string& path) {
  if (data.size() != width * 32) {
    return DataLossError(path + ": expected " + std::to_string(width * 32) + " bytes (" +
                         std::to_string(width) + " hashes), found " + std::to_string(data.size()));
  }
  auto t = std::make_shared<ExpandedTile>();
  for (size_t i = 0; i < width; ++i) {
    Hash h;
    std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(i * 32), 32, h.begin());
    t->Push(h);
  }
  return std::shared_ptr<const ExpandedTile>(std::move(t));
}

struct Record {
  uint64_t first = 0;
  std::vector<ByteView> entries;
  size_t length = 0;  // bytes of the whole record
};

// Parses one journal record at `data`. DataLoss with the reason when it is incomplete or does
// not check out; `leaves` receives the entries' leaf hashes.
Result<Record> ParseRecord(ByteView data, std::vector<Hash>& leaves) {
  if (data.size() < kHeaderSize + kDigestSize) {
    return DataLossError("record header truncated (" + std::to_string(data.size()) + " bytes)");
  }
  if (!std::equal(kRecordMagic.begin(), kRecordMagic.end(), data.begin())) {
    return DataLossError("record magic missing");
  }
  Record r;
  r.first = LoadBigEndian(&data[4], 8);
  uint64_t count = LoadBigEndian(&data[12], 4);
  uint64_t payload = LoadBigEndian(&data[16], 4);
  if (count == 0 || payload > data.size() - kHeaderSize - kDigestSize) {
    return DataLossError("record of " + std::to_string(count) + " entries / " +
                         std::to_string(payload) + " bytes runs past the end of the journal");
  }
  VIGIL_ASSIGN_OR_RETURN(r.entries, SplitBundle(data.subspan(kHeaderSize, payload), count));
  leaves.clear();
  leaves.reserve(count);
  Bytes digest_input(data.begin(), data.begin() + kHeaderSize);
  for (ByteView e : r.entries) {
    leaves.push_back(HashLeaf(e));
    digest_input.insert(digest_input.end(), leaves.back().begin(), leaves.back().end());
  }
  auto digest = crypto::Sha256(digest_input);
  if (!std::equal(digest.begin(), digest.end(), data.begin() + kHeaderSize + payload)) {
    return DataLossError("record digest does not match its entries");
  }
  r.length = kHeaderSize + payload + kDigestSize;
  return r;
}

// After a record failed to parse at `off` of the last segment: whether the rest of the file is
// what a crash during an unacknowledged append leaves, and nothing else. Appends are one record
// each, synced before the next, so a crash leaves a strict prefix of one record for the expected
// index (FaultInjectingEnv's torn writes model this) or, on file systems that extend the file
// before its data lands, zeros. A complete record that does not check out, a record for another
// index, or bytes that cannot start a record were changed in place: damage, never cut.
bool IsTornTail(ByteView tail, uint64_t expected_first) {
  if (std::all_of(tail.begin(), tail.end(), [](uint8_t b) { return b == 0; })) return true;
  const size_t magic = std::min(tail.size(), kRecordMagic.size());
  if (!std::equal(kRecordMagic.begin(), kRecordMagic.begin() + magic, tail.begin())) return false;
  if (tail.size() >= 12 && LoadBigEndian(&tail[4], 8) != expected_first) return false;
  if (tail.size() < kHeaderSize) return true;
  const uint64_t count = LoadBigEndian(&tail[12], 4), payload = LoadBigEndian(&tail[16], 4);
  // The record must run past the end of the file: a whole one that failed is damage.
  return count > 0 && kHeaderSize + payload + kDigestSize > tail.size();
}

// NotFound for a folder that holds no log: a mistyped path must not become a new empty log.
Error NoLogHere(const std::string& dir) {
  return NotFoundError(dir +
                       ": no audit log here (no journal/ folder); `vigil log append` "
                       "creates one");
}

// The end of a damage message: why it is not a crash, and what happens next.
std::string DamageAdvice(bool last_segment) {
  return std::string(last_segment ? " — not a torn tail: damaged records" : " — damaged records") +
         " (edited or corrupted journal); left as found, and nothing can be appended until an "
         "operator acts (README: when the audit log reports damage)";
}

// After a record failed to parse at `off`: whether a whole valid record follows later in the
// file. A crash only cuts an append-only file's tail, so a valid record after a bad one means
// the bad one was changed in place (tampering or media corruption), not torn.
bool ValidRecordFollows(ByteView data, size_t off) {
  std::vector<Hash> scratch;
  for (size_t j = off + 1; j + kHeaderSize + kDigestSize <= data.size(); ++j) {
    auto it = std::search(data.begin() + static_cast<std::ptrdiff_t>(j), data.end(),
                          kRecordMagic.begin(), kRecordMagic.end());
    if (it == data.end()) return false;
    j = static_cast<size_t>(it - data.begin());
    if (ParseRecord(data.subspan(j), scratch)) return true;
  }
  return false;
}

Bytes EncodeRecord(uint64_t first, std::span<const Bytes> entries,
                   const std::vector<Hash>& leaves) {
  Bytes rec;
  size_t payload = 0;
  for (const auto& e : entries) payload += 2 + e.size();
  rec.reserve(kHeaderSize + payload + kDigestSize);
  rec.insert(rec.end(), kRecordMagic.begin(), kRecordMagic.end());
  AppendBigEndian(rec, first, 8);
  AppendBigEndian(rec, entries.size(), 4);
  AppendBigEndian(rec, payload, 4);
  Bytes digest_input(rec.begin(), rec.end());
  for (size_t i = 0; i < entries.size(); ++i) {
    (void)AppendBundleEntry(rec, entries[i]);  // sizes were checked by the caller
    digest_input.insert(digest_input.end(), leaves[i].begin(), leaves[i].end());
  }
  auto digest = crypto::Sha256(digest_input);
  rec.insert(rec.end(), digest.begin(), digest.end());
  return rec;
}

std::string SegmentName(uint64_t start) { return std::to_string(start); }

Result<std::vector<uint64_t>> ListSegments(Env& env, const std::string& journal_dir) {
  VIGIL_ASSIGN_OR_RETURN(auto names, env.GetChildren(journal_dir));
  std::vector<uint64_t> starts;
  for (const auto& n : names) {
    if (n.ends_with(".tmp")) continue;
    uint64_t v = 0;
    auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), v);
    if (ec != std::errc() || end != n.data() + n.size()) {
      return DataLossError(JoinPath(journal_dir, n) + ": not a journal segment name");
    }
    starts.push_back(v);
  }
  std::sort(starts.begin(), starts.end());
  return starts;
}

}  // namespace

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
    if (auto r = env_.ReadFile(Path("retention"))) {
      std::string_view s(reinterpret_cast<const char*>(r->data()), r->size());
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), pruned_below_);
      if (ec != std::errc() || end != s.data() + s.size()) {
        return DataLossError(Path("retention") + ": expected a decimal entry index");
      }
    }
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
    for (size_t k = 0; k < segments_.size(); ++k) {
      const bool last = k + 1 == segments_.size();
      std::string path = JoinPath(JournalDir(), SegmentName(segments_[k]));
      if (segments_[k] != size_) {
        return DataLossError(path + ": segment starts at entry " + std::to_string(segments_[k]) +
                             " but the journal before it ends at entry " + std::to_string(size_));
      }
      VIGIL_ASSIGN_OR_RETURN(Bytes data, env_.ReadFile(path));
      size_t off = 0;
      while (off < data.size()) {
        auto rec = ParseRecord(ByteView(data).subspan(off), leaves);
        Status bad = rec ? OkStatus() : Status(rec.error());
        if (rec && rec->first != size_) {
          bad = DataLossError("record for entry " + std::to_string(rec->first) + " where entry " +
                              std::to_string(size_) + " was expected");
        }
        if (!bad) {
          std::string where = path + " at byte " + std::to_string(off) + " (after entry " +
                              std::to_string(size_) + "): " + bad.error().message();
          ByteView tail = ByteView(data).subspan(off);
          if (!last || !IsTornTail(tail, size_) || ValidRecordFollows(data, off)) {
            return DataLossError(where + DamageAdvice(last));
          }
          if (opt_.read_only) {
            if (report) report->torn_tail = where;
            break;
          }
          // A crash during an unacknowledged append: cut the tail back to the last record.
          VIGIL_RETURN_IF_ERROR(env_.TruncateFile(path, off));
          if (report) {
            report->cut_bytes = data.size() - off;
            report->cut_detail = where;
          }
          break;
        }
        if (report) report->replayed_entries += rec->entries.size();
        AddLeaves(leaves, rec->entries, produced);
        off += rec->length;
      }
    }
    VIGIL_RETURN_IF_ERROR(WriteTiles(produced, /*check=*/true, report));
    if (opt_.read_only) return OkStatus();
    VIGIL_ASSIGN_OR_RETURN(
        journal_, env_.NewAppendableFile(JoinPath(JournalDir(), SegmentName(segments_.back()))));
    return OkStatus();
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

// ---------------------------------------------------------------------------------------------
namespace {

// Compact range: the roots of the perfect subtrees of the leaves seen so far, left to right.
class CompactRange {
 public:
  void Push(const Hash& leaf) {
    Hash h = leaf;
    uint64_t n = count_++;
    stack_.push_back(h);
    for (; n & 1; n >>= 1) {
      Hash right = stack_.back();
      stack_.pop_back();
      stack_.back() = HashChildren(stack_.back(), right);
    }
  }
  Hash Root() const {
    if (stack_.empty()) return EmptyRoot();
    Hash h = stack_.back();
    for (size_t i = stack_.size() - 1; i-- > 0;) h = HashChildren(stack_[i], h);
    return h;
  }
  uint64_t count() const { return count_; }

 private:
  uint64_t count_ = 0;
  std::vector<Hash> stack_;
};

}  // namespace

Result<VerifyReport> VerifyTiles(Env& env, const std::string& dir,
                                 const std::vector<uint64_t>& sizes,
                                 std::map<uint64_t, Hash>* roots) {
  VerifyReport rep;
  const std::string journal_dir = JoinPath(dir, "journal");
  if (!env.GetChildren(journal_dir).has_value()) return NoLogHere(dir);
  VIGIL_ASSIGN_OR_RETURN(auto segments, ListSegments(env, journal_dir));
  if (segments.empty()) return DataLossError(journal_dir + ": no journal segment");
  uint64_t pruned = 0;
  if (auto r = env.ReadFile(JoinPath(dir, "retention"))) {
    std::string s(r->begin(), r->end());
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), pruned);
    if (ec != std::errc() || end != s.data() + s.size()) {
      return DataLossError(JoinPath(dir, "retention") + ": expected a decimal entry index");
    }
  }
  // Journal: entries from the first segment on.
  std::vector<Hash> journal_leaves;
  std::vector<Hash> leaves;
  uint64_t next = segments.front();
  for (size_t k = 0; k < segments.size(); ++k) {
    std::string path = JoinPath(journal_dir, SegmentName(segments[k]));
    if (segments[k] != next) {
      return DataLossError(path + ": segment starts at entry " + std::to_string(segments[k]) +
                           ", expected " + std::to_string(next));
    }
    VIGIL_ASSIGN_OR_RETURN(Bytes data, env.ReadFile(path));
    size_t off = 0;
    while (off < data.size()) {
      auto rec = ParseRecord(ByteView(data).subspan(off), leaves);
      if (!rec || rec->first != next) {
        std::string why = rec ? "record for entry " + std::to_string(rec->first) + " where entry " +
                                    std::to_string(next) + " was expected"
                              : rec.error().message();
        const bool last = k + 1 == segments.size();
        if (last && IsTornTail(ByteView(data).subspan(off), next) &&
            !ValidRecordFollows(data, off)) {
          rep.torn_tail = path + " at byte " + std::to_string(off) + ": " + why +
                          " (an unacknowledged append cut by a crash; the next writer cuts it)";
          break;
        }
        return DataLossError(path + " at byte " + std::to_string(off) + " (entry " +
                             std::to_string(next) + "): " + why + DamageAdvice(last));
      }
      journal_leaves.insert(journal_leaves.end(), leaves.begin(), leaves.end());
      next += rec->entries.size();
      off += rec->length;
    }
  }
  const uint64_t journal_start = segments.front();
  rep.size = next;
  const uint64_t full_bundles = rep.size / kTileWidth;

  // Walk the leaves in order: from tiles (checked against bundles) then from the journal.
  CompactRange range;
  std::map<uint64_t, Hash> found;
  std::set<uint64_t> want(sizes.begin(), sizes.end());
  if (want.count(0)) found[0] = EmptyRoot();
  // Per level ≥ 1: the tile being compared against and the height-8L hashes computed so far.
  std::vector<std::vector<Hash>> level_nodes(1);
  std::vector<std::pair<uint64_t, Bytes>> level_tiles;  // currently loaded tile per level
  auto check_node = [&](int level, uint64_t k, const Hash& h) -> Status {
    // h is the k-th height-8·level node; compare with tile (level, k / 256) if it is full.
    uint64_t tile = k / kTileWidth;
    if (tile >= (rep.size >> (kTileHeight * (level + 1)))) return OkStatus();
    if (level_tiles.size() <= static_cast<size_t>(level))
      level_tiles.resize(level + 1, {UINT64_MAX, {}});
    std::string rel = TilePath(level, tile);
    if (level_tiles[level].first != tile) {
      auto data = env.ReadFile(JoinPath(dir, rel));
      if (!data) return DataLossError(rel + ": missing (" + data.error().message() + ")");
      if (data->size() != kFullTileBytes) {
        return DataLossError(rel + ": expected " + std::to_string(kFullTileBytes) +
                             " bytes, found " + std::to_string(data->size()));
      }
      level_tiles[level] = {tile, std::move(*data)};
      ++rep.tiles_checked;
    }
    const uint8_t* p = level_tiles[level].second.data() + (k % kTileWidth) * 32;
    if (!std::equal(h.begin(), h.end(), p)) {
      return DataLossError(rel + " position " + std::to_string(k % kTileWidth) +
                           (level == 0 ? " (entry " + std::to_string(k) + ")" : std::string()) +
                           ": hash does not match what the level below gives");
    }
    return OkStatus();
  };
  // Feeds a height-8·level node upwards through the tile levels.
  std::vector<ExpandedTile> building;
  std::function<Status(int, uint64_t, const Hash&)> feed = [&](int level, uint64_t k,
                                                               const Hash& h) -> Status {
    VIGIL_RETURN_IF_ERROR(check_node(level, k, h));
    if (building.size() <= static_cast<size_t>(level)) building.resize(level + 1);
    building[level].Push(h);
    if (building[level].width() == kTileWidth) {
      Hash root = building[level].TileRoot();
      building[level] = ExpandedTile();
      return feed(level + 1, k / kTileWidth, root);
    }
    return OkStatus();
  };
  Bytes bundle;
  std::vector<ByteView> bundle_entries;
  std::pair<uint64_t, Bytes> pruned_tile{UINT64_MAX, {}};
  for (uint64_t i = 0; i < rep.size; ++i) {
    Hash leaf;
    const bool in_journal = i >= journal_start;
    const uint64_t b = i / kTileWidth;
    if (i % kTileWidth == 0 || bundle_entries.empty()) {
      bundle.clear();
      bundle_entries.clear();
      if (b < full_bundles && i >= pruned) {
        std::string rel = EntryBundlePath(b);
        auto data = env.ReadFile(JoinPath(dir, rel));
        if (data) {
          bundle = std::move(*data);
          auto split = SplitBundle(bundle, kTileWidth);
          if (!split) return DataLossError(rel + ": " + split.error().message());
          bundle_entries = std::move(*split);
        } else if (!in_journal) {
          return DataLossError(rel + ": missing (entries " + std::to_string(b * kTileWidth) + "-" +
                               std::to_string(b * kTileWidth + 255) + ")");
        }
      }
    }
    if (in_journal) {
      leaf = journal_leaves[i - journal_start];
      if (!bundle_entries.empty() && HashLeaf(bundle_entries[i % kTileWidth]) != leaf) {
        return DataLossError(EntryBundlePath(b) + " entry " + std::to_string(i) +
                             ": differs from the journal");
      }
    } else if (!bundle_entries.empty()) {
      leaf = HashLeaf(bundle_entries[i % kTileWidth]);
      ++rep.entries_checked;
    } else {
      // Pruned: the level-0 tile is the only record of this leaf.
      std::string rel = TilePath(0, b);
      if (pruned_tile.first != b) {
        auto data = env.ReadFile(JoinPath(dir, rel));
        if (!data || data->size() != kFullTileBytes) {
          return DataLossError(rel + ": missing or short (needed for pruned entry " +
                               std::to_string(i) + ")");
        }
        pruned_tile = {b, std::move(*data)};
      }
      std::copy_n(pruned_tile.second.begin() + static_cast<std::ptrdiff_t>((i % kTileWidth) * 32),
                  32, leaf.begin());
    }
    if (in_journal) ++rep.entries_checked;
    VIGIL_RETURN_IF_ERROR(feed(0, i, leaf));
    range.Push(leaf);
    if (want.count(range.count())) found[range.count()] = range.Root();
  }
  rep.root = range.Root();
  // Published partial tiles for this size (if any) must match what the entries give.
  for (size_t level = 0; level < building.size(); ++level) {
    const size_t w = building[level].width();
    if (w == 0) continue;
    const uint64_t index = (rep.size >> (kTileHeight * level)) / kTileWidth;
    std::string rel = TilePath(static_cast<int>(level), index, w);
    if (auto data = env.ReadFile(JoinPath(dir, rel))) {
      if (*data != building[level].Serialize()) {
        return DataLossError(rel + ": partial tile does not match the log's entries");
      }
      ++rep.tiles_checked;
    }
    if (level != 0) continue;
    rel = EntryBundlePath(index, w);
    if (auto data = env.ReadFile(JoinPath(dir, rel))) {
      auto split = SplitBundle(*data, w);
      if (!split) return DataLossError(rel + ": " + split.error().message());
      for (size_t i = 0; i < w; ++i) {
        if (HashLeaf((*split)[i]) != building[0].nodes[0][i]) {
          return DataLossError(rel + " entry " + std::to_string(index * kTileWidth + i) +
                               ": differs from the journal");
        }
      }
      ++rep.tiles_checked;
    }
  }
  for (uint64_t s : want) {
    if (s > rep.size) {
      return DataLossError("log has " + std::to_string(rep.size) + " entries, fewer than the " +
                           std::to_string(s) + " a checkpoint commits to (entries were removed)");
    }
  }
  if (roots) *roots = std::move(found);
  return rep;
}

}  // namespace vigil::audit
