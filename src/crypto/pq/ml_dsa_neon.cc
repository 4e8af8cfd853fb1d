#include "pq/ml_dsa_neon.h"

#if defined(__aarch64__)

#include <arm_neon.h>

#include "pq/neon_pairs.h"

namespace vigil::crypto::pq::mldsa::neon {
namespace {

// The in-register layers' twiddles per register pair (32 pairs of four lanes, neon_pairs.h),
// the ζ index as the portable NTTs take it for the group.
constexpr Twiddle ZetaAt(int len, int group, bool inverse) {
  return inverse ? kTwiddles.inverse[256 / len - 1 - group] : kTwiddles.forward[128 / len + group];
}
constexpr auto kForwardPairs = internal::neon::MakePairTwiddles<int32_t, 32, 4>(
    [](int len, int group) { return ZetaAt(len, group, false); });
constexpr auto kInversePairs = internal::neon::MakePairTwiddles<int32_t, 32, 4>(
    [](int len, int group) { return ZetaAt(len, group, true); });

// a · z · 2^-32 mod q per signed lane, in (-q, q), for |a · z| < q · 2^31 (z in Montgomery
// form, zq = z · q^-1 mod 2^32). sqdmulh gives ⌊2·a·z / 2^32⌋ and ⌊2·t·q / 2^32⌋ with
// t = a · zq mod 2^32; the two doubled products agree modulo 2^33, so the high halves differ by
// exactly 2·(a·z - t·q) / 2^32 and the halving subtraction leaves the Montgomery reduction.
// Nothing saturates: only -2^31 · -2^31 would.
inline int32x4_t MontMul(int32x4_t a, int32x4_t z, int32x4_t zq) {
  const int32x4_t t = vmulq_s32(a, zq);
  return vhsubq_s32(vqdmulhq_s32(a, z), vqdmulhq_n_s32(t, static_cast<int32_t>(kQ)));
}

inline int32x4_t MontMulBy(int32x4_t a, const Twiddle& tw) {
  return MontMul(a, vdupq_n_s32(tw.z), vdupq_n_s32(tw.zq));
}

// A representative of a mod q in (-0.75q, 0.75q), for |a| < 2^31 - 2^22: the rounding shift
// is ⌊(a + 2^22) / 2^23⌋, computed without overflow.
inline int32x4_t Reduce32(int32x4_t a) {
  return vmlsq_n_s32(a, vrshrq_n_s32(a, 23), static_cast<int32_t>(kQ));
}

// x + q where x is negative: (-q, q) → [0, q).
inline int32x4_t AddQIfNegative(int32x4_t x) {
  return vaddq_s32(x, vandq_s32(vshrq_n_s32(x, 31), vdupq_n_s32(static_cast<int32_t>(kQ))));
}

inline int32x4_t LoadAt(const Poly& w, size_t i) {
  return vreinterpretq_s32_u32(vld1q_u32(w.data() + i));
}
inline void StoreAt(Poly& w, size_t i, int32x4_t v) {
  vst1q_u32(w.data() + i, vreinterpretq_u32_s32(v));
}

inline void ForwardButterfly(int32x4_t& lo, int32x4_t& hi, int32x4_t z, int32x4_t zq) {
  const int32x4_t t = MontMul(hi, z, zq);
  hi = vsubq_s32(lo, t);
  lo = vaddq_s32(lo, t);
}

inline void InverseButterfly(int32x4_t& lo, int32x4_t& hi, int32x4_t z, int32x4_t zq) {
  const int32x4_t t = lo;
  lo = vaddq_s32(t, hi);
  hi = MontMul(vsubq_s32(t, hi), z, zq);
}

// One layer on n registers, register i holding coefficients base + step·i onwards: the
// butterflies pair register j with j + H (distance step·H), twiddles as the portable NTTs index
// them.
template <int H, bool kInverse>
inline void Across(int32x4_t* v, int n, int base, int step) {
  const int len = step * H;
#pragma GCC unroll 16
  for (int start = 0; start < n; start += 2 * H) {
    const Twiddle tw = ZetaAt(len, (base + step * start) / (2 * len), kInverse);
    const int32x4_t z = vdupq_n_s32(tw.z), zq = vdupq_n_s32(tw.zq);
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

// The layers of distance 2 then 1 on register pair r (coefficients 8r .. 8r + 7 in a and b);
// neon_pairs.h says which lanes the transposes pair.
inline void ForwardWithinPair(int32x4_t& a, int32x4_t& b, int r) {
  internal::neon::ForwardLayersInPair(a, b, vld1q_s32_x4(kForwardPairs.v[r][0]).val,
                                      ForwardButterfly);
}

inline void InverseWithinPair(int32x4_t& a, int32x4_t& b, int r) {
  internal::neon::InverseLayersInPair(a, b, vld1q_s32_x4(kInversePairs.v[r][0]).val,
                                      InverseButterfly);
}

// The eight registers 4j + 32i (i = 0..7) and the sixteen of block 64b .. 64b + 63.
inline void LoadStrided(const Poly& w, int j, int32x4_t v[8]) {
#pragma GCC unroll 16
  for (int i = 0; i < 8; ++i) v[i] = LoadAt(w, static_cast<size_t>(4 * j + 32 * i));
}
inline void StoreStrided(const int32x4_t v[8], int j, Poly& w) {
#pragma GCC unroll 16
  for (int i = 0; i < 8; ++i) StoreAt(w, static_cast<size_t>(4 * j + 32 * i), v[i]);
}
inline void LoadBlock(const Poly& w, int base, int32x4_t v[16]) {
#pragma GCC unroll 16
  for (int i = 0; i < 16; ++i) v[i] = LoadAt(w, static_cast<size_t>(base + 4 * i));
}

// a · b mod q in [0, q) for canonical a, b: a · b · 2^-32, then times 2^64 · 2^-32.
inline int32x4_t MulModQ(int32x4_t a, int32x4_t b) {
  constexpr Twiddle kR2 = MakeTwiddle(ToMontgomery(1));  // 2^64 mod q, ready for MontMul
  const int32x4_t bq = vmulq_n_s32(b, static_cast<int32_t>(kQInv));
  return AddQIfNegative(MontMulBy(MontMul(a, b, bq), kR2));
}

}  // namespace

void Ntt(Poly& w) {
  // Input in [0, q); each layer adds a product in (-q, q), so |v| < 9q before the final
  // reduction. Distances 128, 64 and 32 on every eighth register, then the other five layers on
  // each block of 64 coefficients.
  for (int j = 0; j < 8; ++j) {
    int32x4_t v[8];
    LoadStrided(w, j, v);
    Across<4, false>(v, 8, 4 * j, 32);
    Across<2, false>(v, 8, 4 * j, 32);
    Across<1, false>(v, 8, 4 * j, 32);
    StoreStrided(v, j, w);
  }
  for (int base = 0; base < kN; base += 64) {
    int32x4_t v[16];
    LoadBlock(w, base, v);
    Across<4, false>(v, 16, base, 4);
    Across<2, false>(v, 16, base, 4);
    Across<1, false>(v, 16, base, 4);
#pragma GCC unroll 16
    for (int r = 0; r < 8; ++r) ForwardWithinPair(v[2 * r], v[2 * r + 1], base / 8 + r);
#pragma GCC unroll 16
    for (int i = 0; i < 16; ++i) {
      StoreAt(w, static_cast<size_t>(base + 4 * i), AddQIfNegative(Reduce32(v[i])));
    }
  }
}

void InvNtt(Poly& w) {
  // The sums double their bound per layer (2q, 4q, 8q, 16q after distances 1, 2, 4, 8): one
  // reduction then keeps the remaining four below 16 · 0.75q, far from 2^31.
  for (int base = 0; base < kN; base += 64) {
    int32x4_t v[16];
    LoadBlock(w, base, v);
#pragma GCC unroll 16
    for (int r = 0; r < 8; ++r) InverseWithinPair(v[2 * r], v[2 * r + 1], base / 8 + r);
    Across<1, true>(v, 16, base, 4);
    Across<2, true>(v, 16, base, 4);
#pragma GCC unroll 16
    for (auto& x : v) x = Reduce32(x);
    Across<4, true>(v, 16, base, 4);
#pragma GCC unroll 16
    for (int i = 0; i < 16; ++i) StoreAt(w, static_cast<size_t>(base + 4 * i), v[i]);
  }
  constexpr Twiddle kScale = MakeTwiddle(8347681);  // 256^-1 mod q
  for (int j = 0; j < 8; ++j) {
    int32x4_t v[8];
    LoadStrided(w, j, v);
    Across<1, true>(v, 8, 4 * j, 32);
    Across<2, true>(v, 8, 4 * j, 32);
    Across<4, true>(v, 8, 4 * j, 32);
#pragma GCC unroll 16
    for (auto& x : v) x = AddQIfNegative(MontMulBy(x, kScale));
    StoreStrided(v, j, w);
  }
}

void PointwiseMul(const Poly& a, const Poly& b, Poly& out) {
  for (size_t i = 0; i < kN; i += 4) StoreAt(out, i, MulModQ(LoadAt(a, i), LoadAt(b, i)));
}

void PointwiseMulAdd(const Poly& a, const Poly& b, Poly& acc) {
  const int32x4_t q = vdupq_n_s32(static_cast<int32_t>(kQ));
  for (size_t i = 0; i < kN; i += 4) {
    const int32x4_t sum =
        vsubq_s32(vaddq_s32(LoadAt(acc, i), MulModQ(LoadAt(a, i), LoadAt(b, i))), q);
    StoreAt(acc, i, AddQIfNegative(sum));
  }
}

}  // namespace vigil::crypto::pq::mldsa::neon

#endif  // defined(__aarch64__)
