#include "pq/ml_kem_avx2.h"

#if defined(__x86_64__)

#include <immintrin.h>

#include "pq/lane_compaction.h"

// Compiled for AVX2 function by function (the rest of the library stays baseline x86-64); the
// callers reach these only when vector_path.h says the CPU has AVX2.
#define VIGIL_AVX2 __attribute__((target("avx2")))

namespace vigil::crypto::pq::mlkem::avx2 {
namespace {

// Twiddles of one in-register layer (butterfly distance len ∈ {2, 4, 8}), one row per register:
// entry [r][p] is the twiddle of coefficient 16r + p's butterfly, in the order the portable
// ForwardLayer / InverseLayer consume kTwiddles.zetas.
struct LaneTwiddles {
  alignas(32) int16_t z[16][16];
  alignas(32) int16_t zq[16][16];
};

constexpr LaneTwiddles MakeLaneTwiddles(int len, bool inverse) {
  LaneTwiddles t{};
  for (int r = 0; r < 16; ++r) {
    for (int p = 0; p < 16; ++p) {
      const int group = (16 * r + p) / (2 * len);
      const int k = inverse ? 2 * (128 / len) - 1 - group : 128 / len + group;
      t.z[r][p] = kTwiddles.zetas[static_cast<size_t>(k)];
      t.zq[r][p] = TimesQInv(t.z[r][p]);
    }
  }
  return t;
}

constexpr LaneTwiddles kForward8 = MakeLaneTwiddles(8, false);
constexpr LaneTwiddles kForward4 = MakeLaneTwiddles(4, false);
constexpr LaneTwiddles kForward2 = MakeLaneTwiddles(2, false);
constexpr LaneTwiddles kInverse8 = MakeLaneTwiddles(8, true);
constexpr LaneTwiddles kInverse4 = MakeLaneTwiddles(4, true);
constexpr LaneTwiddles kInverse2 = MakeLaneTwiddles(2, true);

// The pshufb controls of the rejection sampler: lane-compaction indexes (lane_compaction.h)
// turned into byte pairs of int16 lanes, unused bytes zeroed.
struct Compaction {
  alignas(16) uint8_t shuffle[256][16];
};

constexpr Compaction MakeCompaction() {
  Compaction c{};
  for (int m = 0; m < 256; ++m) {
    const int n = internal::kLaneCompaction.count[m];
    for (int i = 0; i < 8; ++i) {
      const int lane = internal::kLaneCompaction.index[m][i];
      c.shuffle[m][2 * i] = i < n ? static_cast<uint8_t>(2 * lane) : 0x80;
      c.shuffle[m][2 * i + 1] = i < n ? static_cast<uint8_t>(2 * lane + 1) : 0x80;
    }
  }
  return c;
}

constexpr Compaction kCompaction = MakeCompaction();

// a · z · R^-1 mod q per lane, in (-q, q), exactly as the scalar FqMul: the low half of a · zq
// is t = a · z · q^-1 mod 2^16, and the high halves of a · z and t · q differ by
// (a · z - t · q) / 2^16, their low halves being equal.
VIGIL_AVX2 inline __m256i FqMul(__m256i a, __m256i z, __m256i zq) {
  const __m256i t = _mm256_mullo_epi16(a, zq);
  return _mm256_sub_epi16(_mm256_mulhi_epi16(a, z), _mm256_mulhi_epi16(t, _mm256_set1_epi16(kQ)));
}

// The scalar BarrettReduce per lane: ((20159 · a) >> 16 + 2^9) >> 10 equals
// (20159 · a + 2^25) >> 26, as nested floors of a division by powers of two compose.
VIGIL_AVX2 inline __m256i Barrett(__m256i a) {
  __m256i t = _mm256_mulhi_epi16(a, _mm256_set1_epi16(20159));
  t = _mm256_srai_epi16(_mm256_add_epi16(t, _mm256_set1_epi16(512)), 10);
  return _mm256_sub_epi16(a, _mm256_mullo_epi16(t, _mm256_set1_epi16(kQ)));
}

VIGIL_AVX2 inline void Load(const Poly& f, __m256i v[16]) {
  for (int i = 0; i < 16; ++i) {
    v[i] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(f.data() + 16 * i));
  }
}

VIGIL_AVX2 inline void Store(const __m256i v[16], Poly& f) {
  for (int i = 0; i < 16; ++i) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(f.data() + 16 * i), v[i]);
  }
}

VIGIL_AVX2 inline void BarrettAll(__m256i v[16]) {
  for (int i = 0; i < 16; ++i) v[i] = Barrett(v[i]);
}

// A layer whose butterflies pair register j with register j + H (distance 16·H coefficients).
template <int H>
VIGIL_AVX2 inline void ForwardAcross(__m256i v[16], size_t& k) {
  for (int start = 0; start < 16; start += 2 * H) {
    const int16_t zeta = kTwiddles.zetas[k++];
    const __m256i z = _mm256_set1_epi16(zeta), zq = _mm256_set1_epi16(TimesQInv(zeta));
    for (int j = start; j < start + H; ++j) {
      const __m256i t = FqMul(v[j + H], z, zq);
      v[j + H] = _mm256_sub_epi16(v[j], t);
      v[j] = _mm256_add_epi16(v[j], t);
    }
  }
}

template <int H>
VIGIL_AVX2 inline void InverseAcross(__m256i v[16], size_t& k) {
  for (int start = 0; start < 16; start += 2 * H) {
    const int16_t zeta = kTwiddles.zetas[k--];
    const __m256i z = _mm256_set1_epi16(zeta), zq = _mm256_set1_epi16(TimesQInv(zeta));
    for (int j = start; j < start + H; ++j) {
      const __m256i t = v[j], u = v[j + H];
      v[j] = _mm256_add_epi16(t, u);
      v[j + H] = FqMul(_mm256_sub_epi16(u, t), z, zq);
    }
  }
}

// Inside a register, coefficient p's butterfly partner is p ^ Len: Partner swaps each lane with
// it, TakeHigh takes the lanes with bit Len set from b (the upper members of their pairs).
template <int Len>
VIGIL_AVX2 inline __m256i Partner(__m256i v) {
  if constexpr (Len == 8) return _mm256_permute4x64_epi64(v, 0x4e);
  if constexpr (Len == 4) return _mm256_shuffle_epi32(v, 0x4e);
  if constexpr (Len == 2) return _mm256_shuffle_epi32(v, 0xb1);
}

template <int Len>
VIGIL_AVX2 inline __m256i TakeHigh(__m256i a, __m256i b) {
  if constexpr (Len == 8) return _mm256_blend_epi32(a, b, 0xf0);
  if constexpr (Len == 4) return _mm256_blend_epi16(a, b, 0xf0);
  if constexpr (Len == 2) return _mm256_blend_epi16(a, b, 0xcc);
}

// Each pair's product is computed in both of its lanes (one multiplication too many for the
// lower lane), which keeps every layer one shuffle and two blends per register.
template <int Len>
VIGIL_AVX2 inline void ForwardWithin(__m256i v[16], const LaneTwiddles& tw) {
  const __m256i sign = TakeHigh<Len>(_mm256_set1_epi16(1), _mm256_set1_epi16(-1));
  for (int r = 0; r < 16; ++r) {
    const __m256i s = Partner<Len>(v[r]);
    const __m256i lo = TakeHigh<Len>(v[r], s), hi = TakeHigh<Len>(s, v[r]);
    const __m256i z = _mm256_load_si256(reinterpret_cast<const __m256i*>(tw.z[r]));
    const __m256i zq = _mm256_load_si256(reinterpret_cast<const __m256i*>(tw.zq[r]));
    v[r] = _mm256_add_epi16(lo, _mm256_sign_epi16(FqMul(hi, z, zq), sign));
  }
}

template <int Len>
VIGIL_AVX2 inline void InverseWithin(__m256i v[16], const LaneTwiddles& tw) {
  for (int r = 0; r < 16; ++r) {
    const __m256i s = Partner<Len>(v[r]);
    const __m256i lo = TakeHigh<Len>(v[r], s), hi = TakeHigh<Len>(s, v[r]);
    const __m256i z = _mm256_load_si256(reinterpret_cast<const __m256i*>(tw.z[r]));
    const __m256i zq = _mm256_load_si256(reinterpret_cast<const __m256i*>(tw.zq[r]));
    v[r] = TakeHigh<Len>(_mm256_add_epi16(lo, hi), FqMul(_mm256_sub_epi16(hi, lo), z, zq));
  }
}

// The scalar MontgomeryReduce on eight int32 lanes.
VIGIL_AVX2 inline __m256i MontgomeryReduce32(__m256i a) {
  const __m256i m = _mm256_mullo_epi32(a, _mm256_set1_epi32(62209));
  const __m256i t = _mm256_srai_epi32(_mm256_slli_epi32(m, 16), 16);
  return _mm256_srai_epi32(_mm256_sub_epi32(a, _mm256_mullo_epi32(t, _mm256_set1_epi32(kQ))), 16);
}

}  // namespace

VIGIL_AVX2 void Ntt(Poly& f) {
  // The same layers, twiddles and bounds as NttPortable.
  __m256i v[16];
  Load(f, v);
  size_t k = 1;
  ForwardAcross<8>(v, k);
  ForwardAcross<4>(v, k);
  ForwardAcross<2>(v, k);
  ForwardAcross<1>(v, k);
  ForwardWithin<8>(v, kForward8);
  ForwardWithin<4>(v, kForward4);
  ForwardWithin<2>(v, kForward2);
  BarrettAll(v);
  Store(v, f);
}

VIGIL_AVX2 void InvNttFromMontgomery(Poly& f) {
  // The same layers, reductions and final scaling as InvNttFromMontgomeryPortable.
  __m256i v[16];
  Load(f, v);
  InverseWithin<2>(v, kInverse2);
  InverseWithin<4>(v, kInverse4);
  InverseWithin<8>(v, kInverse8);
  BarrettAll(v);
  size_t k = 15;
  InverseAcross<1>(v, k);
  InverseAcross<2>(v, k);
  InverseAcross<4>(v, k);
  BarrettAll(v);
  InverseAcross<8>(v, k);
  const __m256i z = _mm256_set1_epi16(1441), zq = _mm256_set1_epi16(TimesQInv(1441));
  for (int i = 0; i < 16; ++i) v[i] = FqMul(v[i], z, zq);
  Store(v, f);
}

VIGIL_AVX2 void MulAccumulate(MulAccumulator::Sums& acc, const Poly& a, const Poly& b,
                              const Poly& b_twisted) {
  // Per pair (a0, a1), (b0, b1): pmaddwd of a with (b0, b1·γ) gives the even sum and with
  // (b1, b0) the odd one; interleaving the two restores the coefficient order.
  for (size_t i = 0; i < kN; i += 16) {
    const __m256i va = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a.data() + i));
    const __m256i vb = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.data() + i));
    const __m256i vt = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b_twisted.data() + i));
    const __m256i even = _mm256_madd_epi16(va, _mm256_blend_epi16(vb, vt, 0xaa));
    const __m256i swapped = _mm256_or_si256(_mm256_slli_epi32(vb, 16), _mm256_srli_epi32(vb, 16));
    const __m256i odd = _mm256_madd_epi16(va, swapped);
    const __m256i lo = _mm256_unpacklo_epi32(even, odd), hi = _mm256_unpackhi_epi32(even, odd);
    auto* out = reinterpret_cast<__m256i*>(acc.data() + i);
    _mm256_storeu_si256(
        out, _mm256_add_epi32(_mm256_loadu_si256(out), _mm256_permute2x128_si256(lo, hi, 0x20)));
    _mm256_storeu_si256(out + 1, _mm256_add_epi32(_mm256_loadu_si256(out + 1),
                                                  _mm256_permute2x128_si256(lo, hi, 0x31)));
  }
}

VIGIL_AVX2 void ReduceAccumulator(const MulAccumulator::Sums& acc, Poly& out) {
  for (size_t i = 0; i < kN; i += 16) {
    const auto* in = reinterpret_cast<const __m256i*>(acc.data() + i);
    const __m256i r0 = MontgomeryReduce32(_mm256_loadu_si256(in));
    const __m256i r1 = MontgomeryReduce32(_mm256_loadu_si256(in + 1));
    // packs works per 128-bit half; the qword permutation puts r0's eight values first.
    const __m256i packed = _mm256_permute4x64_epi64(_mm256_packs_epi32(r0, r1), 0xd8);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out.data() + i), packed);
  }
}

VIGIL_AVX2 void Cbd2(const uint8_t buf[128], Poly& out) {
  // Per byte: d = the four bit-pair sums (x0, y0, x1, y1); the coefficients are x0 - y0 (low
  // nibble first) and x1 - y1. 16-bit shifts pull a neighbour's bits into the top of a byte;
  // the masks drop them.
  const __m128i m55 = _mm_set1_epi8(0x55), m3 = _mm_set1_epi8(3);
  for (size_t i = 0; i < 8; ++i) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 16 * i));
    const __m128i d = _mm_add_epi8(_mm_and_si128(x, m55), _mm_and_si128(_mm_srli_epi16(x, 1), m55));
    const __m128i lo = _mm_sub_epi8(_mm_and_si128(d, m3), _mm_and_si128(_mm_srli_epi16(d, 2), m3));
    const __m128i hi = _mm_sub_epi8(_mm_and_si128(_mm_srli_epi16(d, 4), m3),
                                    _mm_and_si128(_mm_srli_epi16(d, 6), m3));
    auto* o = reinterpret_cast<__m256i*>(out.data() + 32 * i);
    _mm256_storeu_si256(o, _mm256_cvtepi8_epi16(_mm_unpacklo_epi8(lo, hi)));
    _mm256_storeu_si256(o + 1, _mm256_cvtepi8_epi16(_mm_unpackhi_epi8(lo, hi)));
  }
}

VIGIL_AVX2 size_t RejectionSampleBulk(const uint8_t* buf, size_t len, int16_t* tmp, int& n) {
  // 24 bytes hold 16 candidates; bytes 0-11 go to the low half, 12-23 to the high half (which
  // after the qword permutation [0, 1, 1, 2] starts at byte 8, hence the offset 4 below). Word
  // 2i takes bytes 3i, 3i+1 (low 12 bits kept), word 2i+1 bytes 3i+1, 3i+2 (shifted by 4).
  const __m256i spread = _mm256_setr_epi8(0, 1, 1, 2, 3, 4, 4, 5, 6, 7, 7, 8, 9, 10, 10, 11,  //
                                          4, 5, 5, 6, 7, 8, 8, 9, 10, 11, 11, 12, 13, 14, 14, 15);
  const __m256i low12 = _mm256_set1_epi16(0x0fff), q = _mm256_set1_epi16(kQ);
  size_t b = 0;
  while (b + 32 <= len && n <= kN - 16) {
    __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(buf + b));
    x = _mm256_shuffle_epi8(_mm256_permute4x64_epi64(x, 0x94), spread);
    const __m256i c = _mm256_blend_epi16(_mm256_and_si256(x, low12), _mm256_srli_epi16(x, 4), 0xaa);
    const __m256i good = _mm256_cmpgt_epi16(q, c);
    const auto mask = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_packs_epi16(good, good)));
    const uint32_t m0 = mask & 0xff, m1 = (mask >> 16) & 0xff;
    const __m128i c0 = _mm256_castsi256_si128(c), c1 = _mm256_extracti128_si256(c, 1);
    const auto* s0 = reinterpret_cast<const __m128i*>(kCompaction.shuffle[m0]);
    const auto* s1 = reinterpret_cast<const __m128i*>(kCompaction.shuffle[m1]);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(tmp + n), _mm_shuffle_epi8(c0, _mm_load_si128(s0)));
    n += internal::kLaneCompaction.count[m0];
    _mm_storeu_si128(reinterpret_cast<__m128i*>(tmp + n), _mm_shuffle_epi8(c1, _mm_load_si128(s1)));
    n += internal::kLaneCompaction.count[m1];
    b += 24;
  }
  return b;
}

}  // namespace vigil::crypto::pq::mlkem::avx2

#endif  // defined(__x86_64__)
