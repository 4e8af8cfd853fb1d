// The audit log's on-disk formats, shared by the writable log (tile_log.cc) and the offline
// verifier (tile_verifier.cc): journal records and segments, expanded tiles, the retention
// bound, and one reader of the journal that tells a torn tail (a crash during an
// unacknowledged append) from damage. Private to the audit module.
#ifndef VIGIL_AUDIT_INTERNAL_JOURNAL_FORMAT_H_
#define VIGIL_AUDIT_INTERNAL_JOURNAL_FORMAT_H_

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "vigil/audit/merkle.h"
#include "vigil/audit/tile_path.h"
#include "vigil/core/bytes.h"
#include "vigil/core/env.h"
#include "vigil/core/result.h"

namespace vigil::audit::internal {

inline constexpr std::array<uint8_t, 4> kRecordMagic = {'V', 'L', 'B', '1'};
inline constexpr size_t kHeaderSize = 4 + 8 + 4 + 4;
inline constexpr size_t kDigestSize = 32;
inline constexpr size_t kFullTileBytes = kTileWidth * 32;

// A tile with its internal nodes: nodes[r] holds the completed hashes of height 8·L + r inside
// the tile (r = 0 … 7; nodes[0] are the tile's own hashes). A full tile has 256, 128, …, 2.
struct ExpandedTile {
  std::array<std::vector<Hash>, kTileHeight> nodes;

  void Push(const Hash& h);
  size_t width() const { return nodes[0].size(); }
  Hash TileRoot() const { return HashChildren(nodes[7][0], nodes[7][1]); }  // full tiles only
  Bytes Serialize() const;
};

Result<std::shared_ptr<const ExpandedTile>> ParseTile(ByteView data, size_t width,
                                                      const std::string& path);

// One journal record: `entries` from index `first`.
struct Record {
  uint64_t first = 0;
  std::vector<ByteView> entries;
  size_t length = 0;  // bytes of the whole record
};

// Parses one journal record at `data`. DataLoss with the reason when it is incomplete or does
// not check out; `leaves` receives the entries' leaf hashes.
Result<Record> ParseRecord(ByteView data, std::vector<Hash>& leaves);
Bytes EncodeRecord(uint64_t first, std::span<const Bytes> entries,
                   const std::vector<Hash>& leaves);

// NotFound for a folder that holds no log: a mistyped path must not become a new empty log.
Error NoLogHere(const std::string& dir);

std::string SegmentName(uint64_t start);
// The start indexes of the journal segments, sorted.
Result<std::vector<uint64_t>> ListSegments(Env& env, const std::string& journal_dir);
// The retention bound of the log in `dir` (entries below it were pruned); 0 without one.
Result<uint64_t> ReadRetention(Env& env, const std::string& dir);

// A torn tail found at the end of the last segment.
struct TornTail {
  std::string path;       // the segment
  size_t offset = 0;      // where the torn record starts
  size_t file_size = 0;   // the segment's size
  std::string where;      // "<path> at byte N …: why", for reports
};

// Who reads the journal decides only the wording: recovery speaks of the entry after which the
// journal broke, verification of the entry it expected.
enum class JournalReader { kRecovery, kVerification };

// Reads the journal segments in order, the first starting at entry `next`, which advances past
// every record read; `on_record` gets each record with its entries' leaf hashes. A gap between
// segments or damage is DataLoss saying where and why; a torn tail of the last segment ends
// the walk and is returned for the caller to report or cut.
Result<std::optional<TornTail>> ReadJournal(
    Env& env, const std::string& journal_dir, const std::vector<uint64_t>& segments,
    uint64_t& next, JournalReader reader,
    const std::function<Status(const Record&, const std::vector<Hash>&)>& on_record);

}  // namespace vigil::audit::internal

#endif  // VIGIL_AUDIT_INTERNAL_JOURNAL_FORMAT_H_
