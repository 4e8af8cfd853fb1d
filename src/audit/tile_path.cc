#include "vigil/audit/tile_path.h"

#include <charconv>

namespace vigil::audit {
namespace {

std::string IndexElements(uint64_t n) {
  std::string digits = std::to_string(n);
  digits.insert(0, (3 - digits.size() % 3) % 3, '0');
  std::string out;
  for (size_t i = 0; i < digits.size(); i += 3) {
    if (i + 3 < digits.size()) out += 'x';
    out.append(digits, i, 3);
    if (i + 3 < digits.size()) out += '/';
  }
  return out;
}

std::string WithWidth(std::string base, uint64_t width) {
  if (width < kTileWidth) base += ".p/" + std::to_string(width);
  return base;
}

Result<uint64_t> ParseDecimal(std::string_view s, std::string_view what) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() ||
      (s.size() > 1 && s[0] == '0')) {
    return InvalidArgumentError("tile path: " + std::string(what) +
                                " must be a decimal number without leading zeros, found \"" +
                                std::string(s) + "\"");
  }
  return v;
}

}  // namespace

std::string TilePath(int level, uint64_t index, uint64_t width) {
  return WithWidth("tile/" + std::to_string(level) + "/" + IndexElements(index), width);
}

std::string EntryBundlePath(uint64_t index, uint64_t width) {
  return WithWidth("tile/entries/" + IndexElements(index), width);
}

Result<TileCoords> ParseTilePath(std::string_view path) {
  const std::string original(path.substr(0, 80));
  auto bad = [&](std::string why) {
    return InvalidArgumentError("tile path \"" + original + "\": " + why);
  };
  if (!path.starts_with("tile/")) return bad("expected it to start with \"tile/\"");
  path.remove_prefix(5);
  TileCoords c;
  size_t slash = path.find('/');
  if (slash == std::string_view::npos) return bad("missing the index");
  std::string_view first = path.substr(0, slash);
  if (first == "entries") {
    c.entries = true;
  } else {
    VIGIL_ASSIGN_OR_RETURN(uint64_t level, ParseDecimal(first, "level"));
    if (level > 63) return bad("level must be 0-63, found " + std::to_string(level));
    c.level = static_cast<int>(level);
  }
  path.remove_prefix(slash + 1);
  // Index elements: "xDDD/"* then "DDD", optionally followed by ".p/W".
  uint64_t index = 0;
  int elements = 0;
  while (true) {
    bool more = !path.empty() && path[0] == 'x';
    if (more) path.remove_prefix(1);
    if (path.size() < 3) return bad("index elements must be 3 digits");
    for (int i = 0; i < 3; ++i) {
      if (path[i] < '0' || path[i] > '9') return bad("index elements must be 3 digits");
    }
    if (++elements > 7) return bad("index too large");
    index = index * 1000 +
            static_cast<uint64_t>((path[0] - '0') * 100 + (path[1] - '0') * 10 + (path[2] - '0'));
    path.remove_prefix(3);
    if (!more) break;
    if (path.empty() || path[0] != '/') return bad("expected '/' after an x-prefixed element");
    path.remove_prefix(1);
  }
  // Canonical form: no leading all-zero element ("x000/001" is not 1).
  if (IndexElements(index).size() != static_cast<size_t>(elements) * 5 - 2) {
    return bad("index has leading zero elements");
  }
  c.index = index;
  if (!path.empty()) {
    if (!path.starts_with(".p/")) return bad("unexpected \"" + std::string(path) + "\"");
    path.remove_prefix(3);
    VIGIL_ASSIGN_OR_RETURN(c.width, ParseDecimal(path, "partial width"));
    if (c.width == 0 || c.width >= kTileWidth) {
      return bad("partial width must be 1-255, found " + std::to_string(c.width));
    }
  }
  return c;
}

Status AppendBundleEntry(Bytes& bundle, ByteView entry) {
  if (entry.size() > 0xffff) {
    return InvalidArgumentError("log entry of " + std::to_string(entry.size()) +
                                " bytes is larger than the 65535 bytes a tlog-tiles bundle holds");
  }
  bundle.push_back(static_cast<uint8_t>(entry.size() >> 8));
  bundle.push_back(static_cast<uint8_t>(entry.size()));
  Append(bundle, entry);
  return OkStatus();
}

Result<std::vector<ByteView>> SplitBundle(ByteView bundle, uint64_t expected) {
  std::vector<ByteView> out;
  size_t off = 0;
  while (off < bundle.size()) {
    if (bundle.size() - off < 2) {
      return DataLossError("entry bundle: entry " + std::to_string(out.size()) + " at byte " +
                           std::to_string(off) + " has a truncated length");
    }
    size_t len = (size_t{bundle[off]} << 8) | bundle[off + 1];
    if (bundle.size() - off - 2 < len) {
      return DataLossError("entry bundle: entry " + std::to_string(out.size()) + " at byte " +
                           std::to_string(off) + " claims " + std::to_string(len) +
                           " bytes but only " + std::to_string(bundle.size() - off - 2) +
                           " remain");
    }
    out.push_back(bundle.subspan(off + 2, len));
    off += 2 + len;
  }
  if (expected != 0 && out.size() != expected) {
    return DataLossError("entry bundle: expected " + std::to_string(expected) + " entries, found " +
                         std::to_string(out.size()));
  }
  return out;
}

}  // namespace vigil::audit
