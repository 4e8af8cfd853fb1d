// C2SP tlog-tiles paths (https://c2sp.org/tlog-tiles).
//
// A hash tile at level L, index N holds up to 256 hashes of tree height 8·L; an entry bundle
// holds up to 256 entries, each as a big-endian uint16 length followed by the entry. N is written
// as zero-padded 3-digit path elements, all but the last prefixed with "x" (1234067 →
// "x001/x234/067"); a partial tile of width W (1–255) adds ".p/W". Full tiles never change.
//
// Thread-safety: pure functions.
#ifndef VIGIL_AUDIT_TILE_PATH_H_
#define VIGIL_AUDIT_TILE_PATH_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/bytes.h"
#include "vigil/core/result.h"

namespace vigil::audit {

inline constexpr int kTileHeight = 8;
inline constexpr uint64_t kTileWidth = 256;

// "tile/<L>/<N>[.p/<W>]"; width == 256 means a full tile.
std::string TilePath(int level, uint64_t index, uint64_t width = kTileWidth);
// "tile/entries/<N>[.p/<W>]".
std::string EntryBundlePath(uint64_t index, uint64_t width = kTileWidth);

struct TileCoords {
  bool entries = false;  // an entry bundle rather than a hash tile
  int level = 0;         // hash tiles only, 0–63
  uint64_t index = 0;
  uint64_t width = kTileWidth;
  friend bool operator==(const TileCoords&, const TileCoords&) = default;
};
// Parses a path produced by TilePath/EntryBundlePath. InvalidArgument naming what was wrong
// (non-canonical index elements, a width of 0 or ≥ 256, a level above 63, trailing parts).
Result<TileCoords> ParseTilePath(std::string_view path);

// Entry bundles: each entry as a big-endian uint16 length followed by its bytes.
// AppendBundleEntry: InvalidArgument if the entry is longer than 65535 bytes.
Status AppendBundleEntry(Bytes& bundle, ByteView entry);
// Splits a bundle into its entries (views into `bundle`). DataLoss naming the entry number and
// byte offset when an entry runs past the end, or when `expected` (if non-zero) entries are not
// exactly what the bundle holds.
Result<std::vector<ByteView>> SplitBundle(ByteView bundle, uint64_t expected = 0);

}  // namespace vigil::audit

#endif  // VIGIL_AUDIT_TILE_PATH_H_
