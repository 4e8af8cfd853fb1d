#include "pq/ml_dsa_avx2.h"

#if defined(__x86_64__)

#include <immintrin.h>

#include <cstring>

#include "pq/ct_declassify.h"
#include "pq/lane_compaction.h"

// Compiled for AVX2 function by function (the rest of the library stays baseline x86-64); the
// callers reach these only when vector_path.h says the CPU has AVX2.
#define VIGIL_AVX2 __attribute__((target("avx2")))

namespace vigil::crypto::pq::mldsa::avx2 {
namespace {

// The twiddles of one in-register layer (distance len ∈ {1, 2, 4}), one row per register: entry
// [r][p] belongs to coefficient 8r + p's butterfly.
struct LaneTwiddles {
  alignas(32) int32_t z[32][8];
  alignas(32) int32_t zq[32][8];
};
constexpr LaneTwiddles MakeLaneTwiddles(int len, bool inverse) {
  LaneTwiddles t{};
  for (int r = 0; r < 32; ++r) {
    for (int p = 0; p < 8; ++p) {
      const int group = (8 * r + p) / (2 * len);
      const int m = inverse ? 2 * (128 / len) - 1 - group : 128 / len + group;
      const Twiddle& tw = (inverse ? kTwiddles.inverse : kTwiddles.forward)[m];
      t.z[r][p] = tw.z;
      t.zq[r][p] = tw.zq;
    }
  }
  return t;
}
constexpr LaneTwiddles kForward4 = MakeLaneTwiddles(4, false);
constexpr LaneTwiddles kForward2 = MakeLaneTwiddles(2, false);
constexpr LaneTwiddles kForward1 = MakeLaneTwiddles(1, false);
constexpr LaneTwiddles kInverse4 = MakeLaneTwiddles(4, true);
constexpr LaneTwiddles kInverse2 = MakeLaneTwiddles(2, true);
constexpr LaneTwiddles kInverse1 = MakeLaneTwiddles(1, true);

// a · z · 2^-32 mod q per signed lane, in (-q, q), for |a · z| < q · 2^31 (z in Montgomery
// form, zq = z · q^-1 mod 2^32). vpmuldq multiplies the even lanes; the odd lanes are shifted
// down for a second pass. With t = a · zq mod 2^32, a · z - t · q is a multiple of 2^32, so its
// high half is the exact quotient.
VIGIL_AVX2 inline __m256i MontMul(__m256i a, __m256i z, __m256i zq) {
  const __m256i q = _mm256_set1_epi32(static_cast<int>(kQ));
  const __m256i a_odd = _mm256_srli_epi64(a, 32);
  const __m256i z_odd = _mm256_srli_epi64(z, 32), zq_odd = _mm256_srli_epi64(zq, 32);
  const __m256i even =
      _mm256_sub_epi64(_mm256_mul_epi32(a, z), _mm256_mul_epi32(_mm256_mul_epi32(a, zq), q));
  const __m256i odd = _mm256_sub_epi64(_mm256_mul_epi32(a_odd, z_odd),
                                       _mm256_mul_epi32(_mm256_mul_epi32(a_odd, zq_odd), q));
  return _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xaa);
}

// A representative of a mod q in (-0.75q, 0.75q), for |a| < 2^31 - 2^22.
VIGIL_AVX2 inline __m256i Reduce32(__m256i a) {
  const __m256i t = _mm256_srai_epi32(_mm256_add_epi32(a, _mm256_set1_epi32(1 << 22)), 23);
  return _mm256_sub_epi32(a, _mm256_mullo_epi32(t, _mm256_set1_epi32(static_cast<int>(kQ))));
}

// x + q where x is negative: (-q, q) → [0, q).
VIGIL_AVX2 inline __m256i AddQIfNegative(__m256i x) {
  const __m256i q = _mm256_set1_epi32(static_cast<int>(kQ));
  return _mm256_add_epi32(x, _mm256_and_si256(q, _mm256_srai_epi32(x, 31)));
}

VIGIL_AVX2 inline __m256i LoadAt(const Poly& w, size_t i) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w.data() + i));
}
VIGIL_AVX2 inline void StoreAt(Poly& w, size_t i, __m256i v) {
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(w.data() + i), v);
}

// A layer whose butterflies pair register j with register j + H (distance 8·H coefficients).
template <int H>
VIGIL_AVX2 inline void ForwardAcross(__m256i v[32], size_t& m) {
  for (int start = 0; start < 32; start += 2 * H) {
    const Twiddle& tw = kTwiddles.forward[++m];
    const __m256i z = _mm256_set1_epi32(tw.z), zq = _mm256_set1_epi32(tw.zq);
    for (int j = start; j < start + H; ++j) {
      const __m256i t = MontMul(v[j + H], z, zq);
      v[j + H] = _mm256_sub_epi32(v[j], t);
      v[j] = _mm256_add_epi32(v[j], t);
    }
  }
}

template <int H>
VIGIL_AVX2 inline void InverseAcross(__m256i v[32], size_t& m) {
  for (int start = 0; start < 32; start += 2 * H) {
    const Twiddle& tw = kTwiddles.inverse[--m];
    const __m256i z = _mm256_set1_epi32(tw.z), zq = _mm256_set1_epi32(tw.zq);
    for (int j = start; j < start + H; ++j) {
      const __m256i t = v[j], u = v[j + H];
      v[j] = _mm256_add_epi32(t, u);
      v[j + H] = MontMul(_mm256_sub_epi32(t, u), z, zq);
    }
  }
}

// Inside a register, coefficient p's partner is p ^ Len: Partner swaps each lane with it,
// TakeHigh takes the lanes with bit Len set (the upper members of their pairs) from b.
template <int Len>
VIGIL_AVX2 inline __m256i Partner(__m256i v) {
  if constexpr (Len == 4) return _mm256_permute4x64_epi64(v, 0x4e);
  if constexpr (Len == 2) return _mm256_shuffle_epi32(v, 0x4e);
  if constexpr (Len == 1) return _mm256_shuffle_epi32(v, 0xb1);
}

template <int Len>
VIGIL_AVX2 inline __m256i TakeHigh(__m256i a, __m256i b) {
  if constexpr (Len == 4) return _mm256_blend_epi32(a, b, 0xf0);
  if constexpr (Len == 2) return _mm256_blend_epi32(a, b, 0xcc);
  if constexpr (Len == 1) return _mm256_blend_epi32(a, b, 0xaa);
}

template <int Len>
VIGIL_AVX2 inline void ForwardWithin(__m256i v[32], const LaneTwiddles& tw) {
  const __m256i sign = TakeHigh<Len>(_mm256_set1_epi32(1), _mm256_set1_epi32(-1));
  for (int r = 0; r < 32; ++r) {
    const __m256i s = Partner<Len>(v[r]);
    const __m256i lo = TakeHigh<Len>(v[r], s), hi = TakeHigh<Len>(s, v[r]);
    const __m256i z = _mm256_load_si256(reinterpret_cast<const __m256i*>(tw.z[r]));
    const __m256i zq = _mm256_load_si256(reinterpret_cast<const __m256i*>(tw.zq[r]));
    v[r] = _mm256_add_epi32(lo, _mm256_sign_epi32(MontMul(hi, z, zq), sign));
  }
}

template <int Len>
VIGIL_AVX2 inline void InverseWithin(__m256i v[32], const LaneTwiddles& tw) {
  for (int r = 0; r < 32; ++r) {
    const __m256i s = Partner<Len>(v[r]);
    const __m256i lo = TakeHigh<Len>(v[r], s), hi = TakeHigh<Len>(s, v[r]);
    const __m256i z = _mm256_load_si256(reinterpret_cast<const __m256i*>(tw.z[r]));
    const __m256i zq = _mm256_load_si256(reinterpret_cast<const __m256i*>(tw.zq[r]));
    v[r] = TakeHigh<Len>(_mm256_add_epi32(lo, hi), MontMul(_mm256_sub_epi32(lo, hi), z, zq));
  }
}

using internal::kLaneCompaction;

// a · b mod q in [0, q) for canonical a, b: a · b · 2^-32, then times 2^64 · 2^-32.
VIGIL_AVX2 inline __m256i MulModQ(__m256i a, __m256i b) {
  constexpr Twiddle kR2 = MakeTwiddle(ToMontgomery(1));  // 2^64 mod q, ready for MontMul
  const __m256i bq = _mm256_mullo_epi32(b, _mm256_set1_epi32(static_cast<int>(kQInv)));
  const __m256i r = MontMul(a, b, bq);
  return AddQIfNegative(MontMul(r, _mm256_set1_epi32(kR2.z), _mm256_set1_epi32(kR2.zq)));
}

template <uint32_t kGamma2>
VIGIL_AVX2 void DecomposeWith(const Poly& r, Poly& r1, LowParts& r0) {
  // floor(r / 2γ2) = (r · m) >> 44 with m = ceil(2^44 / 2γ2): the rounding error m · 2γ2 - 2^44
  // is below 2γ2 < 2^19, so it adds less than r · 2^19 / 2^44 < 2^-2 / 2γ2 to r / 2γ2, never
  // enough to reach the next integer. m < 2^32, as vpmuludq needs.
  constexpr uint32_t kTwoG2 = 2 * kGamma2;
  constexpr uint64_t kM = ((uint64_t{1} << 44) + kTwoG2 - 1) / kTwoG2;
  static_assert(kM < (uint64_t{1} << 32));
  const __m256i m = _mm256_set1_epi64x(static_cast<long long>(kM));
  const __m256i two_g2 = _mm256_set1_epi32(static_cast<int>(kTwoG2));
  const __m256i g2 = _mm256_set1_epi32(static_cast<int>(kGamma2));
  const __m256i q_minus_1 = _mm256_set1_epi32(static_cast<int>(kQ - 1));
  for (size_t i = 0; i < kN; i += 8) {
    const __m256i x = LoadAt(r, i);
    const __m256i even = _mm256_srli_epi64(_mm256_mul_epu32(x, m), 44);
    const __m256i odd = _mm256_srli_epi64(_mm256_mul_epu32(_mm256_srli_epi64(x, 32), m), 44);
    const __m256i quotient = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xaa);
    const __m256i rem = _mm256_sub_epi32(x, _mm256_mullo_epi32(quotient, two_g2));
    // The portable steps: c = rem, or rem - 2γ2 above γ2 (then the high part is one more);
    // r - c = q - 1 wraps to r1 = 0, r0 = c - 1.
    const __m256i above = _mm256_cmpgt_epi32(rem, g2);
    const __m256i c = _mm256_sub_epi32(rem, _mm256_and_si256(two_g2, above));
    const __m256i high = _mm256_sub_epi32(quotient, above);
    const __m256i wrap = _mm256_cmpeq_epi32(_mm256_sub_epi32(x, c), q_minus_1);
    StoreAt(r1, i, _mm256_andnot_si256(wrap, high));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(r0.data() + i), _mm256_add_epi32(c, wrap));
  }
}

}  // namespace

VIGIL_AVX2 void DecomposePoly(uint32_t gamma2, const Poly& r, Poly& r1, LowParts& r0) {
  if (gamma2 == (kQ - 1) / 88) {  // the public parameter set
    DecomposeWith<(kQ - 1) / 88>(r, r1, r0);
  } else {
    DecomposeWith<(kQ - 1) / 32>(r, r1, r0);
  }
}

VIGIL_AVX2 void Ntt(Poly& w) {
  // Input in [0, q); each layer adds a product in (-q, q), so |v| < 9q before the final
  // reduction.
  __m256i v[32];
  for (size_t i = 0; i < 32; ++i) v[i] = LoadAt(w, 8 * i);
  size_t m = 0;
  ForwardAcross<16>(v, m);
  ForwardAcross<8>(v, m);
  ForwardAcross<4>(v, m);
  ForwardAcross<2>(v, m);
  ForwardAcross<1>(v, m);
  ForwardWithin<4>(v, kForward4);
  ForwardWithin<2>(v, kForward2);
  ForwardWithin<1>(v, kForward1);
  for (size_t i = 0; i < 32; ++i) StoreAt(w, 8 * i, AddQIfNegative(Reduce32(v[i])));
}

VIGIL_AVX2 void InvNtt(Poly& w) {
  // The sums double their bound per layer (q, 2q, ..., 16q after four layers): one reduction
  // then keeps the remaining four below 16 · 0.75q, far from 2^31.
  __m256i v[32];
  for (size_t i = 0; i < 32; ++i) v[i] = LoadAt(w, 8 * i);
  InverseWithin<1>(v, kInverse1);
  InverseWithin<2>(v, kInverse2);
  InverseWithin<4>(v, kInverse4);
  size_t m = 32;  // the three layers above used ζ indices 255 down to 32
  InverseAcross<1>(v, m);
  for (auto& x : v) x = Reduce32(x);
  InverseAcross<2>(v, m);
  InverseAcross<4>(v, m);
  InverseAcross<8>(v, m);
  InverseAcross<16>(v, m);
  constexpr Twiddle kScale = MakeTwiddle(8347681);  // 256^-1 mod q
  const __m256i z = _mm256_set1_epi32(kScale.z), zq = _mm256_set1_epi32(kScale.zq);
  for (size_t i = 0; i < 32; ++i) StoreAt(w, 8 * i, AddQIfNegative(MontMul(v[i], z, zq)));
}

VIGIL_AVX2 void PointwiseMul(const Poly& a, const Poly& b, Poly& out) {
  for (size_t i = 0; i < kN; i += 8) StoreAt(out, i, MulModQ(LoadAt(a, i), LoadAt(b, i)));
}

VIGIL_AVX2 void PointwiseMulAdd(const Poly& a, const Poly& b, Poly& acc) {
  const __m256i q = _mm256_set1_epi32(static_cast<int>(kQ));
  for (size_t i = 0; i < kN; i += 8) {
    const __m256i sum =
        _mm256_sub_epi32(_mm256_add_epi32(LoadAt(acc, i), MulModQ(LoadAt(a, i), LoadAt(b, i))), q);
    StoreAt(acc, i, AddQIfNegative(sum));
  }
}

VIGIL_AVX2 size_t RejectionSampleBulk(const uint8_t* buf, size_t len, Poly& a, int& n) {
  // 24 bytes hold 8 candidates of 3 bytes: bytes 0-11 to the low half, 12-23 to the high half
  // (which after the qword permutation [0, 1, 1, 2] starts at byte 8, hence the offset 4).
  const __m256i spread = _mm256_setr_epi8(0, 1, 2, -1, 3, 4, 5, -1, 6, 7, 8, -1, 9, 10, 11, -1,  //
                                          4, 5, 6, -1, 7, 8, 9, -1, 10, 11, 12, -1, 13, 14, 15, -1);
  const __m256i low23 = _mm256_set1_epi32(0x7fffff);
  const __m256i q = _mm256_set1_epi32(static_cast<int>(kQ));
  size_t b = 0;
  while (b + 32 <= len && n <= kN - 8) {
    __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(buf + b));
    x = _mm256_shuffle_epi8(_mm256_permute4x64_epi64(x, 0x94), spread);
    const __m256i c = _mm256_and_si256(x, low23);
    const auto mask =
        static_cast<uint32_t>(_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpgt_epi32(q, c))));
    const __m256i index =
        _mm256_load_si256(reinterpret_cast<const __m256i*>(kLaneCompaction.index[mask]));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(a.data() + n),
                        _mm256_permutevar8x32_epi32(c, index));
    n += kLaneCompaction.count[mask];
    b += 24;
  }
  return b;
}

VIGIL_AVX2 size_t BoundedSampleBulk(int eta, const uint8_t* buf, size_t len, Poly& a, int& n) {
  // Lane j holds half-byte j of the group: byte j / 2, shifted right by 4 for odd j.
  const __m256i shifts = _mm256_setr_epi32(0, 4, 0, 4, 0, 4, 0, 4);
  const __m256i fifteen = _mm256_set1_epi32(15);
  const __m256i bound = _mm256_set1_epi32(eta == 2 ? 15 : 9);
  const __m256i e = _mm256_set1_epi32(eta);
  const __m256i five = _mm256_set1_epi32(5), m205 = _mm256_set1_epi32(205);
  const __m256i q = _mm256_set1_epi32(static_cast<int>(kQ));
  size_t b = 0;
  while (b + 4 <= len && n <= kN - 8) {
    int32_t group;
    std::memcpy(&group, buf + b, 4);
    const __m128i bytes = _mm_cvtsi32_si128(group);
    const __m256i x = _mm256_cvtepu8_epi32(_mm_unpacklo_epi8(bytes, bytes));
    const __m256i z = _mm256_and_si256(_mm256_srlv_epi32(x, shifts), fifteen);
    // η = 2: z mod 5 = z - 5 · ⌊z · 205 / 1024⌋ for z < 15.
    __m256i r = z;
    if (eta == 2) {  // the public parameter set
      const __m256i quot = _mm256_srli_epi32(_mm256_mullo_epi32(z, m205), 10);
      r = _mm256_sub_epi32(z, _mm256_mullo_epi32(quot, five));
    }
    const __m256i v = _mm256_sub_epi32(e, r);  // in [-η, η]
    const __m256i c = _mm256_add_epi32(v, _mm256_and_si256(q, _mm256_srai_epi32(v, 31)));
    auto mask = static_cast<uint32_t>(
        _mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpgt_epi32(bound, z))));
    VIGIL_DECLASSIFY(&mask, sizeof mask);  // which were kept may leak; their values stay secret
    const __m256i index =
        _mm256_load_si256(reinterpret_cast<const __m256i*>(kLaneCompaction.index[mask]));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(a.data() + n),
                        _mm256_permutevar8x32_epi32(c, index));
    n += kLaneCompaction.count[mask];
    b += 4;
  }
  return b;
}

}  // namespace vigil::crypto::pq::mldsa::avx2

#endif  // defined(__x86_64__)
