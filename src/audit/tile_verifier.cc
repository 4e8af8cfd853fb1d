// The offline verifier of an audit log directory (VerifyTiles): reads everything back and checks
// it against itself without opening anything for writing. It shares the on-disk formats with
// the writable log (internal/journal_format.h) but none of its state.
#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "internal/journal_format.h"
#include "vigil/audit/tile_log.h"
#include "vigil/audit/tile_path.h"

namespace vigil::audit {

using internal::ExpandedTile;
using internal::JournalReader;
using internal::kFullTileBytes;
using internal::ListSegments;
using internal::NoLogHere;
using internal::ReadJournal;
using internal::ReadRetention;
using internal::Record;
using internal::TornTail;

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
  VIGIL_ASSIGN_OR_RETURN(const uint64_t pruned, ReadRetention(env, dir));
  // Journal: entries from the first segment on.
  std::vector<Hash> journal_leaves;
  uint64_t next = segments.front();
  VIGIL_ASSIGN_OR_RETURN(
      std::optional<TornTail> torn,
      ReadJournal(env, journal_dir, segments, next, JournalReader::kVerification,
                  [&](const Record&, const std::vector<Hash>& leaves) -> Status {
                    journal_leaves.insert(journal_leaves.end(), leaves.begin(), leaves.end());
                    return OkStatus();
                  }));
  if (torn) {
    rep.torn_tail =
        torn->where + " (an unacknowledged append cut by a crash; the next writer cuts it)";
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
