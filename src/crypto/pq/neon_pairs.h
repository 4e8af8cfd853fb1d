// Register pairs for the NTT layers whose butterflies stay inside one 128-bit NEON register
// (ml_kem_neon.cc: distances 4 and 2 of eight int16 lanes; ml_dsa_neon.cc: distances 2 and 1 of
// four int32 lanes). Transposing a pair (a, b) of consecutive registers moves the lower members
// of those butterflies into a and their partners into b, so each layer is one vector butterfly
// on a pair, as in Becker et al., "Neon NTT" (TCHES 2022). aarch64 only.
//
// Both files fully unroll their loops over a register array ("#pragma GCC unroll"): unrolled,
// every array element is a register of its own; as loops (GCC at -O2), the array lives on the
// stack and each butterfly pays loads and stores.
#ifndef VIGIL_CRYPTO_PQ_NEON_PAIRS_H_
#define VIGIL_CRYPTO_PQ_NEON_PAIRS_H_

#if defined(__aarch64__)

#include <arm_neon.h>

namespace vigil::crypto::pq::internal::neon {

// trn1/trn2 on 64- and 32-bit elements: (a, b) ↦ (even elements of a and b, odd elements),
// for any 128-bit vector type V. Each is its own inverse.
template <typename V>
inline void Transpose64(V& a, V& b) {
  const auto x = reinterpret_cast<int64x2_t>(a), y = reinterpret_cast<int64x2_t>(b);
  a = reinterpret_cast<V>(vtrn1q_s64(x, y));
  b = reinterpret_cast<V>(vtrn2q_s64(x, y));
}

template <typename V>
inline void Transpose32(V& a, V& b) {
  const auto x = reinterpret_cast<int32x4_t>(a), y = reinterpret_cast<int32x4_t>(b);
  a = reinterpret_cast<V>(vtrn1q_s32(x, y));
  b = reinterpret_cast<V>(vtrn2q_s32(x, y));
}

// With L lanes per register and a pair holding 2L consecutive coefficients: Transpose64 puts
// the lower members of the distance-L/2 butterflies in a; Transpose64 then Transpose32 puts
// those of distance L/4 there. Lane p of a then holds the pair's coefficient
// (p / len) · 2len + p % len for the butterfly distance len.
constexpr int PairLaneCoefficient(int len, int p) { return (p / len) * 2 * len + p % len; }

// The twiddles of the two in-register layers for kPairs pairs of kLanes-lane registers of T:
// v[r][0] and v[r][1] are z and its q^-1 multiple for the layer of distance kLanes / 2,
// v[r][2] and v[r][3] for distance kLanes / 4, so that one ld1 loads all four. Lane p belongs
// to the butterfly whose lower member is in lane p of the transposed low register.
template <typename T, int kPairs, int kLanes>
struct PairTwiddles {
  alignas(16) T v[kPairs][4][kLanes];
};

// Fills PairTwiddles from twiddle(len, group), which returns {z, z·q^-1} for the group-th
// butterfly group (in coefficient order) of the layer of distance len.
template <typename T, int kPairs, int kLanes, typename Twiddle>
constexpr PairTwiddles<T, kPairs, kLanes> MakePairTwiddles(Twiddle twiddle) {
  PairTwiddles<T, kPairs, kLanes> t{};
  for (int r = 0; r < kPairs; ++r) {
    for (int layer = 0; layer < 2; ++layer) {
      const int len = kLanes / (2 << layer);
      for (int p = 0; p < kLanes; ++p) {
        const auto [z, zq] =
            twiddle(len, (2 * kLanes * r + PairLaneCoefficient(len, p)) / (2 * len));
        t.v[r][2 * layer][p] = z;
        t.v[r][2 * layer + 1][p] = zq;
      }
    }
  }
  return t;
}

// The two in-register layers of the forward NTT on pair (a, b): distance kLanes / 2 with
// tw[0], tw[1], then kLanes / 4 with tw[2], tw[3] (a PairTwiddles row), butterfly(lo, hi, z,
// zq) being the scheme's Cooley-Tukey butterfly. The pair is back in coefficient order after.
template <typename V, typename Butterfly>
inline void ForwardLayersInPair(V& a, V& b, const V (&tw)[4], Butterfly butterfly) {
  Transpose64(a, b);
  butterfly(a, b, tw[0], tw[1]);
  Transpose32(a, b);
  butterfly(a, b, tw[2], tw[3]);
  Transpose32(a, b);
  Transpose64(a, b);
}

// The same two layers of the inverse NTT in the inverse order, with the Gentleman-Sande
// butterfly.
template <typename V, typename Butterfly>
inline void InverseLayersInPair(V& a, V& b, const V (&tw)[4], Butterfly butterfly) {
  Transpose64(a, b);
  Transpose32(a, b);
  butterfly(a, b, tw[2], tw[3]);
  Transpose32(a, b);
  butterfly(a, b, tw[0], tw[1]);
  Transpose64(a, b);
}

}  // namespace vigil::crypto::pq::internal::neon

#endif  // defined(__aarch64__)

#endif  // VIGIL_CRYPTO_PQ_NEON_PAIRS_H_
