// Polynomial arithmetic for ML-KEM (FIPS 203): the ring Z_q[X]/(X^256 + 1), q = 3329, its NTT,
// sampling and byte encodings. Internal to the ML-KEM implementation (ml_kem.cc) and its tests.
//
// Representation: coefficients are int16_t and are NOT kept fully reduced. Products use
// Montgomery reduction (R = 2^16) and sums are reduced lazily with a Barrett step only where the
// int16 range would otherwise overflow. Each function documents the coefficient bound it needs
// and the bound it guarantees; "canonical" means in [0, q). Functions that cross the encoding
// boundary (Encode*, Compress*) take canonical input; call ToCanonical first.
//
// Montgomery bookkeeping: Ntt and InvNtt use twiddles in Montgomery form, so they do not change
// the scale of the values. A product accumulated through MulAccumulator carries a factor R^-1;
// InvNttFromMontgomery removes it, and ToMontgomery multiplies by R (used by key generation,
// which stays in the NTT domain).
//
// Constant time: no branch or memory index depends on coefficient values, except in
// SampleUniform, whose rejection sampling runs on the public seed ρ (FIPS 203 allows it).
//
// Thread-safety: all functions are pure, on caller-owned data.
#ifndef VIGIL_CRYPTO_PQ_ML_KEM_POLY_H_
#define VIGIL_CRYPTO_PQ_ML_KEM_POLY_H_

#include <array>
#include <cstddef>
#include <cstdint>

namespace vigil::crypto::pq::mlkem {

constexpr int kN = 256;
constexpr int16_t kQ = 3329;

using Poly = std::array<int16_t, kN>;

// Twiddle factors in Montgomery form (x · 2^16 mod q), centred in [-(q-1)/2, (q-1)/2]:
// zetas[i] = ζ^BitRev7(i) and gammas[i] = ζ^(2·BitRev7(i)+1), ζ = 17. Computed at compile time;
// shared by the portable and the AVX2 (ml_kem_avx2.h) arithmetic.
struct Twiddles {
  std::array<int16_t, 128> zetas{};
  std::array<int16_t, 128> gammas{};
};

constexpr int32_t PowModQ(int32_t base, int e) {
  int32_t r = 1;
  for (int i = 0; i < e; ++i) r = r * base % kQ;
  return r;
}

constexpr int16_t CentredMontgomery(int32_t x) {
  int32_t m = static_cast<int32_t>((int64_t{x} << 16) % kQ);
  if (m > kQ / 2) m -= kQ;
  return static_cast<int16_t>(m);
}

constexpr Twiddles MakeTwiddles() {
  Twiddles t;
  for (int i = 0; i < 128; ++i) {
    int br = 0;
    for (int b = 0; b < 7; ++b) br |= ((i >> b) & 1) << (6 - b);
    t.zetas[static_cast<size_t>(i)] = CentredMontgomery(PowModQ(17, br));
    t.gammas[static_cast<size_t>(i)] = CentredMontgomery(PowModQ(17, 2 * br + 1));
  }
  return t;
}

inline constexpr Twiddles kTwiddles = MakeTwiddles();

// z · q^-1 mod 2^16 as a signed value (q^-1 = 62209): the second operand of a vector Montgomery
// product by the constant z (ml_kem_avx2.h, ml_kem_neon.h).
constexpr int16_t TimesQInv(int16_t z) {
  return static_cast<int16_t>(static_cast<uint16_t>(static_cast<uint16_t>(z) * 62209u));
}

// a · R^-1 mod q, for |a| < 2^15 · q; the result is in (-q, q).
inline int16_t MontgomeryReduce(int32_t a) {
  // t = a · q^-1 mod 2^16 (q^-1 = 62209), taken as a signed 16-bit value.
  const auto t = static_cast<int16_t>(static_cast<uint16_t>(static_cast<uint32_t>(a) * 62209u));
  return static_cast<int16_t>((a - int32_t{t} * kQ) >> 16);
}

// a mod q as the representative in [-(q-1)/2, (q-1)/2], for any int16 a.
inline int16_t BarrettReduce(int16_t a) {
  // 20159 = round(2^26 / q).
  const int32_t t = (int32_t{20159} * a + (1 << 25)) >> 26;
  return static_cast<int16_t>(a - t * kQ);
}

// a mod q in [0, q), for any int16 a.
inline int16_t Canonical(int16_t a) {
  int16_t r = BarrettReduce(a);
  r = static_cast<int16_t>(r + (kQ & (r >> 15)));
  return r;
}

// Reduces every coefficient to [0, q).
void ToCanonical(Poly& f);

// Forward NTT (FIPS 203 Algorithm 9). Input |f_i| < q; output |f_i| ≤ (q-1)/2.
// AVX2 or portable as vector_path.h decides; both give the same values (as do the pairs below).
void Ntt(Poly& f);
void NttPortable(Poly& f);

// Inverse NTT (Algorithm 10) that also multiplies by R, cancelling the R^-1 carried by a
// MulAccumulator result. Input |f_i| < q; output |f_i| < q.
void InvNttFromMontgomery(Poly& f);
void InvNttFromMontgomeryPortable(Poly& f);

// f ← f · R mod q (cancels a MulAccumulator's R^-1 without leaving the NTT domain).
// Input |f_i| < q; output |f_i| < q.
void ToMontgomery(Poly& f);

// f ← f + g, coefficient-wise, without reduction (the caller keeps the sum within int16).
void AddTo(Poly& f, const Poly& g);

// Accumulates Σ_j a_j ∘ b_j (NTT-domain products, Algorithms 11 and 12) in 32-bit sums and
// reduces once at the end. Preconditions for each Add: |a_i| < q, |b_i| < q and
// `b_twisted` = Twist(b); at most 4 Adds between Clear and Reduce (each 32-bit sum then stays
// below 8q² < 2^15 · q, the Montgomery reduction's input bound).
class MulAccumulator {
 public:
  // b_twisted[2i+1] = b[2i+1] · γ_i (γ_i = ζ^(2·BitRev7(i)+1)), the odd coefficients of b
  // premultiplied by the base-case modulus so that each product needs no intermediate reduction.
  // Only odd entries are written. Output odd entries are in (-q, q).
  static void Twist(const Poly& b, Poly& b_twisted);

  using Sums = std::array<int32_t, kN>;

  void Clear() { acc_.fill(0); }
  void Add(const Poly& a, const Poly& b, const Poly& b_twisted);
  // out = Σ a_j ∘ b_j · R^-1, |out_i| < q.
  void Reduce(Poly& out) const;

  // The portable bodies of Add and Reduce on raw sums (the AVX2 ones are in ml_kem_avx2.h).
  static void AddPortable(Sums& acc, const Poly& a, const Poly& b, const Poly& b_twisted);
  static void ReducePortable(const Sums& acc, Poly& out);

 private:
  Sums acc_{};
};

// Algorithm 7 lines 4 to 13: rejection-samples 12-bit candidates from buf[0, len) into
// tmp[n..] and returns the new count (at most kN). tmp has room for kN + 1 entries. Runs on
// public data only. RejectionSamplePortable is the scalar loop; RejectionSample lets the AVX2
// code take the bulk first where it runs, with the same result.
int RejectionSample(const uint8_t* buf, size_t len, int16_t* tmp, int n);
int RejectionSamplePortable(const uint8_t* buf, size_t len, int16_t* tmp, int n);

// Algorithm 7: the NTT-domain polynomial sampled from SHAKE128(ρ || x || y), canonical.
// Variable time in the public ρ only.
void SampleUniform(const uint8_t rho[32], uint8_t x, uint8_t y, Poly& out);

// Four SampleUniform calls at once (SHAKE128 four-way, see Shake128x4): out[s] is sampled from
// ρ || xy[s][0] || xy[s][1].
void SampleUniformX4(const uint8_t rho[32], const uint8_t xy[4][2], Poly* const out[4]);

// Algorithm 8 (SamplePolyCBD) with η = 2 on 128 PRF bytes: |out_i| ≤ 2.
void Cbd2(const uint8_t buf[128], Poly& out);
void Cbd2Portable(const uint8_t buf[128], Poly& out);

// Algorithm 8 on PRF_η(s, nonce) = SHAKE256(s || nonce, 64η), η ∈ {2, 3}; |out_i| ≤ η.
void SampleNoise(const uint8_t s[32], uint8_t nonce, int eta, Poly& out);

// One noise polynomial to sample: PRF_eta(s, nonce) into *out.
struct NoiseRequest {
  uint8_t nonce;
  int eta;
  Poly* out;
};
// SampleNoise for every request, the PRFs computed together by internal::Shake256Batch (four
// at a time through the four-way Keccak).
void SampleNoiseBatch(const uint8_t s[32], const NoiseRequest* requests, size_t count);

// ByteEncode_12 of a canonical polynomial (384 bytes).
void Encode12(const Poly& f, uint8_t out[384]);
// ByteDecode_12 (384 bytes), each value reduced mod q: canonical output.
void Decode12(const uint8_t in[384], Poly& f);

// ByteEncode_d(Compress_d(f)) of a canonical polynomial, d ∈ {1, 4, 5, 10, 11}: 32·d bytes.
void CompressEncode(const Poly& f, int d, uint8_t* out);
// Decompress_d(ByteDecode_d(in)), d ∈ {1, 4, 5, 10, 11}: canonical output.
void DecodeDecompress(const uint8_t* in, int d, Poly& f);

// Compress_d(x) = round(2^d · x / q) mod 2^d for canonical x, d ≤ 11, constant time.
inline uint16_t Compress(int16_t x, int d) {
  // floor(n / q) = (n · 20642679) >> 36 for every n < 2^24 (checked exhaustively in the test).
  const uint32_t n = (static_cast<uint32_t>(x) << d) + static_cast<uint32_t>(kQ / 2);
  const auto quotient = static_cast<uint32_t>((uint64_t{n} * 20642679u) >> 36);
  return static_cast<uint16_t>(quotient & ((1u << d) - 1));
}
// Decompress_d(y) = round(q · y / 2^d), in [0, q).
inline int16_t Decompress(uint16_t y, int d) {
  return static_cast<int16_t>((uint32_t{y} * static_cast<uint32_t>(kQ) + (1u << (d - 1))) >> d);
}

// Overwrites a polynomial that held secret data.
void Wipe(Poly& f);

}  // namespace vigil::crypto::pq::mlkem

#endif  // VIGIL_CRYPTO_PQ_ML_KEM_POLY_H_
