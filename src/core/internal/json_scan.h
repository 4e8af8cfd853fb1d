// Scanning helpers shared by core's JSON parser and canonical-text check (private to core).
#ifndef VIGIL_SRC_CORE_INTERNAL_JSON_SCAN_H_
#define VIGIL_SRC_CORE_INTERNAL_JSON_SCAN_H_

#include <cstdint>
#include <cstring>

namespace vigil::json::internal {

// Skips plain string bytes eight at a time (SWAR): stops at or before the first '"', '\\',
// control character or non-ASCII byte, which the byte loop then classifies. Hex digests and
// paths, most of what TUF metadata and SBOMs hold, are long runs of plain bytes.
inline const char* SkipPlainRun(const char* p, const char* end) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  auto has_zero = [](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  while (end - p >= 8) {
    uint64_t x;
    std::memcpy(&x, p, 8);
    uint64_t special = has_zero(x ^ (kOnes * '"')) | has_zero(x ^ (kOnes * '\\')) |
                       ((x - kOnes * 0x20) & ~x & kHigh) | (x & kHigh);
    if (special != 0) break;
    p += 8;
  }
  return p;
}

}  // namespace vigil::json::internal

#endif  // VIGIL_SRC_CORE_INTERNAL_JSON_SCAN_H_
