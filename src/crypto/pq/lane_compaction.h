// The lane-compaction table of the AVX2 rejection samplers (ML-KEM and ML-DSA): for each 8-bit
// mask of accepted lanes, the indexes of those lanes in order and how many there are, so that
// one shuffle moves the accepted candidates to the front of a register. Computed at compile
// time. Indexed by which candidates were accepted: for public data (the seed ρ), or where which
// candidates are rejected is independent of the accepted values (ML-DSA's RejBoundedPoly, whose
// rejections FIPS 204 lets leak).
#ifndef VIGIL_CRYPTO_PQ_LANE_COMPACTION_H_
#define VIGIL_CRYPTO_PQ_LANE_COMPACTION_H_

#include <cstdint>

namespace vigil::crypto::pq::internal {

struct LaneCompaction {
  alignas(32) int32_t index[256][8];  // unused entries 0
  uint8_t count[256];
};

constexpr LaneCompaction MakeLaneCompaction() {
  LaneCompaction c{};
  for (int m = 0; m < 256; ++m) {
    int n = 0;
    for (int j = 0; j < 8; ++j) {
      if ((m >> j) & 1) c.index[m][n++] = j;
    }
    c.count[m] = static_cast<uint8_t>(n);
  }
  return c;
}

inline constexpr LaneCompaction kLaneCompaction = MakeLaneCompaction();

}  // namespace vigil::crypto::pq::internal

#endif  // VIGIL_CRYPTO_PQ_LANE_COMPACTION_H_
