#include "pq/ml_kem_neon.h"

#if defined(__aarch64__)

#include <arm_neon.h>

#include "pq/neon_pairs.h"

namespace vigil::crypto::pq::mlkem::neon {
namespace {

// The in-register layers' twiddles per register pair (16 pairs of eight lanes, neon_pairs.h),
// the zeta index as the portable ForwardLayer / InverseLayer take it for the group.
struct ZetaPair {
  int16_t z, zq;
};
constexpr ZetaPair Zeta(int k) {
  return {kTwiddles.zetas[static_cast<size_t>(k)],
          TimesQInv(kTwiddles.zetas[static_cast<size_t>(k)])};
}
constexpr auto kForwardPairs = internal::neon::MakePairTwiddles<int16_t, 16, 8>(
    [](int len, int group) { return Zeta(128 / len + group); });
constexpr auto kInversePairs = internal::neon::MakePairTwiddles<int16_t, 16, 8>(
    [](int len, int group) { return Zeta(2 * (128 / len) - 1 - group); });

// a · z · R^-1 mod q per lane, in (-q, q), exactly as the scalar FqMul. sqdmulh gives
// ⌊2·a·z / 2^16⌋ and ⌊2·t·q / 2^16⌋ with t = a · z · q^-1 mod 2^16 (the low half of a · zq);
// 2·a·z and 2·t·q agree modulo 2^17, so the difference of the two high halves is exactly
// 2·(a·z - t·q) / 2^16 and the halving subtraction leaves the Montgomery reduction. Neither
// product saturates: only -2^15 · -2^15 does, and |z| < q.
inline int16x8_t FqMul(int16x8_t a, int16x8_t z, int16x8_t zq) {
  const int16x8_t high = vqdmulhq_s16(a, z);
  const int16x8_t t = vmulq_s16(a, zq);
  return vhsubq_s16(high, vqdmulhq_n_s16(t, kQ));
}

inline int16x8_t FqMulScalar(int16x8_t a, int16_t z) {
  return FqMul(a, vdupq_n_s16(z), vdupq_n_s16(TimesQInv(z)));
}

// The scalar BarrettReduce per lane: sqdmulh by 20159 is ⌊20159·a / 2^15⌋, and the rounding
// shift by 11 adds 2^10 before shifting, so t = ⌊(20159·a + 2^25) / 2^26⌋ as nested floors of
// divisions by powers of two compose.
inline int16x8_t Barrett(int16x8_t a) {
  const int16x8_t t = vrshrq_n_s16(vqdmulhq_n_s16(a, 20159), 11);
  return vmlsq_n_s16(a, t, kQ);
}

inline void ForwardButterfly(int16x8_t& lo, int16x8_t& hi, int16x8_t z, int16x8_t zq) {
  const int16x8_t t = FqMul(hi, z, zq);
  hi = vsubq_s16(lo, t);
  lo = vaddq_s16(lo, t);
}

inline void InverseButterfly(int16x8_t& lo, int16x8_t& hi, int16x8_t z, int16x8_t zq) {
  const int16x8_t t = lo;
  lo = vaddq_s16(t, hi);
  hi = FqMul(vsubq_s16(hi, t), z, zq);
}

// The layers of distance 4 then 2 on register pair r (coefficients 16r .. 16r + 15, in a and
// b); neon_pairs.h says which lanes the transposes pair.
inline void ForwardWithinPair(int16x8_t& a, int16x8_t& b, int r) {
  internal::neon::ForwardLayersInPair(a, b, vld1q_s16_x4(kForwardPairs.v[r][0]).val,
                                      ForwardButterfly);
}

inline void InverseWithinPair(int16x8_t& a, int16x8_t& b, int r) {
  internal::neon::InverseLayersInPair(a, b, vld1q_s16_x4(kInversePairs.v[r][0]).val,
                                      InverseButterfly);
}

// A layer whose butterflies pair register j with register j + H (distance 8H coefficients) in
// the half starting at coefficient base; the zeta index is the portable one for each group.
template <int H, bool kInverse>
inline void Across(int16x8_t v[16], int base) {
  constexpr int kLen = 8 * H;
#pragma GCC unroll 16
  for (int start = 0; start < 16; start += 2 * H) {
    const int group = (base + 8 * start) / (2 * kLen);
    const ZetaPair t = Zeta(kInverse ? 2 * (128 / kLen) - 1 - group : 128 / kLen + group);
    const int16x8_t z = vdupq_n_s16(t.z), zq = vdupq_n_s16(t.zq);
#pragma GCC unroll 16
    for (int j = start; j < start + H; ++j) {
      if constexpr (kInverse) {
        InverseButterfly(v[j], v[j + H], z, zq);
      } else {
        ForwardButterfly(v[j], v[j + H], z, zq);
      }
    }
  }
}

inline void LoadHalf(const Poly& f, int base, int16x8_t v[16]) {
#pragma GCC unroll 16
  for (int i = 0; i < 16; ++i) v[i] = vld1q_s16(f.data() + base + 8 * i);
}

inline void StoreHalf(const int16x8_t v[16], int base, Poly& f) {
#pragma GCC unroll 16
  for (int i = 0; i < 16; ++i) vst1q_s16(f.data() + base + 8 * i, v[i]);
}

inline void BarrettAll(int16x8_t v[16]) {
#pragma GCC unroll 16
  for (int i = 0; i < 16; ++i) v[i] = Barrett(v[i]);
}

}  // namespace

void Ntt(Poly& f) {
  // The same layers, twiddles and bounds as NttPortable. Distance 128 first (register j with
  // j + 16, one zeta), then each half through the other six layers.
  const int16x8_t z = vdupq_n_s16(Zeta(1).z), zq = vdupq_n_s16(Zeta(1).zq);
  for (int j = 0; j < 16; ++j) {
    int16x8_t lo = vld1q_s16(f.data() + 8 * j), hi = vld1q_s16(f.data() + 128 + 8 * j);
    ForwardButterfly(lo, hi, z, zq);
    vst1q_s16(f.data() + 8 * j, lo);
    vst1q_s16(f.data() + 128 + 8 * j, hi);
  }
#pragma GCC unroll 8
  for (int base = 0; base < kN; base += 128) {
    int16x8_t v[16];
    LoadHalf(f, base, v);
    Across<8, false>(v, base);
    Across<4, false>(v, base);
    Across<2, false>(v, base);
    Across<1, false>(v, base);
#pragma GCC unroll 16
    for (int r = 0; r < 8; ++r) ForwardWithinPair(v[2 * r], v[2 * r + 1], base / 16 + r);
    BarrettAll(v);
    StoreHalf(v, base, f);
  }
}

void InvNttFromMontgomery(Poly& f) {
// The same layers, reductions and final scaling as InvNttFromMontgomeryPortable: six layers on
// each half, then distance 128 and the multiplication by 1441 = R^2 / 128 mod q.
#pragma GCC unroll 8
  for (int base = 0; base < kN; base += 128) {
    int16x8_t v[16];
    LoadHalf(f, base, v);
#pragma GCC unroll 16
    for (int r = 0; r < 8; ++r) InverseWithinPair(v[2 * r], v[2 * r + 1], base / 16 + r);
    Across<1, true>(v, base);
    BarrettAll(v);
    Across<2, true>(v, base);
    Across<4, true>(v, base);
    Across<8, true>(v, base);
    BarrettAll(v);
    StoreHalf(v, base, f);
  }
  const int16x8_t z = vdupq_n_s16(Zeta(1).z), zq = vdupq_n_s16(Zeta(1).zq);
  for (int j = 0; j < 16; ++j) {
    int16x8_t lo = vld1q_s16(f.data() + 8 * j), hi = vld1q_s16(f.data() + 128 + 8 * j);
    InverseButterfly(lo, hi, z, zq);
    vst1q_s16(f.data() + 8 * j, FqMulScalar(lo, 1441));
    vst1q_s16(f.data() + 128 + 8 * j, FqMulScalar(hi, 1441));
  }
}

void MulAccumulate(MulAccumulator::Sums& acc, const Poly& a, const Poly& b, const Poly& b_twisted) {
  // vld2 splits sixteen coefficients into their eight even (x0) and eight odd (x1) members;
  // pair p's even sum gains a0·b0 + a1·b1γ and its odd sum a0·b1 + a1·b0, widened to 32 bits
  // by vmlal (pairs 0-3 from the low halves, 4-7 from the high ones).
  for (size_t i = 0; i < kN; i += 16) {
    const int16x8x2_t va = vld2q_s16(a.data() + i), vb = vld2q_s16(b.data() + i);
    const int16x8_t b1g = vld2q_s16(b_twisted.data() + i).val[1];
    int32x4x2_t lo = vld2q_s32(acc.data() + i), hi = vld2q_s32(acc.data() + i + 8);
    const int16x8_t a0 = va.val[0], a1 = va.val[1], b0 = vb.val[0], b1 = vb.val[1];
    lo.val[0] = vmlal_s16(vmlal_s16(lo.val[0], vget_low_s16(a0), vget_low_s16(b0)),
                          vget_low_s16(a1), vget_low_s16(b1g));
    lo.val[1] = vmlal_s16(vmlal_s16(lo.val[1], vget_low_s16(a0), vget_low_s16(b1)),
                          vget_low_s16(a1), vget_low_s16(b0));
    hi.val[0] = vmlal_high_s16(vmlal_high_s16(hi.val[0], a0, b0), a1, b1g);
    hi.val[1] = vmlal_high_s16(vmlal_high_s16(hi.val[1], a0, b1), a1, b0);
    vst2q_s32(acc.data() + i, lo);
    vst2q_s32(acc.data() + i + 8, hi);
  }
}

}  // namespace vigil::crypto::pq::mlkem::neon

#endif  // defined(__aarch64__)
