// Keccak-f[1600] and the FIPS 202 sponges (SHA3-256, SHA3-512, SHAKE128, SHAKE256) with
// incremental absorb and squeeze, for the post-quantum algorithms: ML-KEM and ML-DSA sample
// polynomials by squeezing a XOF block by block, which OpenSSL 3.0 cannot do (EVP_DigestSqueeze
// arrived in 3.3). Portable, constant time (no data-dependent branches or indexes).
//
// Thread-safety: a Sponge is used by one thread.
#ifndef VIGIL_CRYPTO_PQ_KECCAK_H_
#define VIGIL_CRYPTO_PQ_KECCAK_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "vigil/core/bytes.h"

namespace vigil::crypto::pq::internal {

void KeccakF1600(std::array<uint64_t, 25>& state);

class Sponge {
 public:
  // rate in bytes (168 SHAKE128, 136 SHAKE256/SHA3-256, 72 SHA3-512); domain 0x1f SHAKE, 0x06 SHA3
  Sponge(size_t rate, uint8_t domain) : rate_(rate), domain_(domain) {}
  static Sponge Shake128() { return Sponge(168, 0x1f); }
  static Sponge Shake256() { return Sponge(136, 0x1f); }
  static Sponge Sha3_256() { return Sponge(136, 0x06); }
  static Sponge Sha3_512() { return Sponge(72, 0x06); }

  void Absorb(ByteView data);
  // Squeezes the next out.size() bytes (the first call pads and finishes absorbing).
  void Squeeze(std::span<uint8_t> out);

 private:
  void Finish();
  std::array<uint64_t, 25> state_{};
  size_t rate_;
  uint8_t domain_;
  size_t pos_ = 0;  // byte position within the current block
  bool squeezing_ = false;
};

// Four independent Keccak-f[1600] states, lane-interleaved (lanes[i][s] is lane i of state s),
// permuted together: with AVX2 (when vector_path.h's UseAvx2() says so) one 256-bit register holds
// lane i of all four states, so four permutations cost little more than one. Used where four
// XOF outputs are needed at once (the ML-KEM matrix). Portable fallback: four permutations.
struct KeccakX4 {
  alignas(32) std::array<std::array<uint64_t, 4>, 25> lanes{};
};
void KeccakF1600x4(KeccakX4& state);
// The portable fallback of KeccakF1600x4 (four scalar permutations), callable for tests.
void KeccakF1600x4Portable(KeccakX4& state);
// True when KeccakF1600x4 uses AVX2 (or its AVX-512VL version, vector_path.h's UseAvx512()).
bool KeccakX4HasAvx2();
// The vector versions, callable for the differential tests whatever the environment says:
// permutes `state` with `variant` and returns true when the CPU can run it, else leaves it and
// returns false.
enum class KeccakX4Variant { kAvx2, kAvx512 };
bool KeccakF1600x4Variant(KeccakX4Variant variant, KeccakX4& state);

// Four SHAKE instances (rate 168: SHAKE128, 136: SHAKE256) over four inputs of the same
// length, squeezed block by block together. Thread-safety: used by one thread.
template <size_t Rate>
class ShakeX4 {
 public:
  static constexpr size_t kRate = Rate;
  // Absorbs in[s][0, len) into state s and pads; len < kRate.
  ShakeX4(const uint8_t* const in[4], size_t len);
  // Writes the next `blocks` output blocks of state s to out[s] (blocks · kRate bytes each).
  void SqueezeBlocks(uint8_t* const out[4], size_t blocks);

 private:
  KeccakX4 state_;
};
using Shake128x4 = ShakeX4<168>;  // the matrices Â of ML-KEM and ML-DSA
using Shake256x4 = ShakeX4<136>;  // noise and masks (ML-KEM PRF, ML-DSA ExpandS/ExpandMask)

// One-shot helpers.
void Sha3_256(ByteView in, uint8_t out[32]);
void Sha3_512(ByteView in, uint8_t out[64]);
void Shake256(ByteView in, std::span<uint8_t> out);

// out[i] = SHAKE256(in[i], out[i].size()) for every i (in.size() == out.size()). When every
// input has the same length below the rate (136 bytes), groups of four run through
// Shake256x4 where the four-way Keccak is vectorised (groups of two or three too, with lanes
// repeated), or through the portable four-way when four remain; the rest one at a time.
void Shake256Batch(std::span<const ByteView> in, std::span<const std::span<uint8_t>> out);

}  // namespace vigil::crypto::pq::internal

#endif  // VIGIL_CRYPTO_PQ_KECCAK_H_
