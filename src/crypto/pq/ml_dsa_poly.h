// Polynomial arithmetic of ML-DSA (FIPS 204) in the ring Z_q[X]/(X^256 + 1), q = 8380417:
// modular add/subtract/multiply, the NTT (Algorithms 41 and 42) and NTT-domain products.
// Internal to the ML-DSA implementation (ml_dsa.cc) and its tests.
//
// Representation: coefficients are uint32 in [0, q) ("canonical") at every interface. The
// functions with a Portable twin run AVX2 or NEON code where vector_path.h says so
// (ml_dsa_avx2.h, ml_dsa_neon.h); all give the same canonical values.
//
// Constant time: no branch or memory index depends on coefficient values.
// Thread-safety: pure functions on caller-owned data.
#ifndef VIGIL_CRYPTO_PQ_ML_DSA_POLY_H_
#define VIGIL_CRYPTO_PQ_ML_DSA_POLY_H_

#include <array>
#include <cstddef>
#include <cstdint>

namespace vigil::crypto::pq::mldsa {

constexpr int kN = 256;
constexpr uint32_t kQ = 8380417;
using Poly = std::array<uint32_t, kN>;

// Masks come from sign bits (x >> 31) rather than comparisons: compilers turn comparisons into
// conditional moves or jumps (clang did), which the constant-time check rightly reports.
inline uint32_t NegMask(uint32_t x) { return 0u - (x >> 31); }  // all ones iff bit 31 set

// a + b, a - b and a · b mod q for canonical a, b; canonical results.
inline uint32_t Add(uint32_t a, uint32_t b) {
  uint32_t r = a + b - kQ;  // wraps below zero when a + b < q
  return r + (kQ & NegMask(r));
}
inline uint32_t Sub(uint32_t a, uint32_t b) { return Add(a, kQ - b); }
// The 64-bit remainder by the constant q compiles to multiplications.
inline uint32_t Mul(uint32_t a, uint32_t b) { return static_cast<uint32_t>(uint64_t{a} * b % kQ); }

// Algorithm 36 Decompose: r = r1·2γ2 + r0, branch-free. γ2 is a template constant so the
// divisions compile to multiplications (a hardware divide by a variable takes data-dependent time).
template <uint32_t kGamma2>
inline void DecomposeWith(uint32_t r, uint32_t& r1, int32_t& r0) {
  constexpr uint32_t kTwoG2 = 2 * kGamma2;
  const uint32_t rem = r % kTwoG2;
  const int32_t c =
      static_cast<int32_t>(rem) - static_cast<int32_t>(kTwoG2 & NegMask(kGamma2 - rem));
  const uint32_t hi = (r - static_cast<uint32_t>(c)) / kTwoG2;  // r - r0 as an integer in [0, q]
  const uint32_t d = (r - static_cast<uint32_t>(c)) ^ (kQ - 1);
  const uint32_t wrap = ~NegMask(d | (0u - d));  // all ones iff r - r0 == q - 1
  r1 = hi & ~wrap;
  r0 = c - static_cast<int32_t>(wrap & 1u);
}

// Low parts r0 of a polynomial's Decompose, as signed values.
using LowParts = std::array<int32_t, kN>;

// Algorithm 36 on every coefficient: r1 = HighBits, r0 = LowBits, for γ2 ∈ {(q-1)/88,
// (q-1)/32} (any other value is taken as (q-1)/32).
void DecomposePoly(uint32_t gamma2, const Poly& r, Poly& r1, LowParts& r0);
void DecomposePolyPortable(uint32_t gamma2, const Poly& r, Poly& r1, LowParts& r0);

// zetas[i] = ζ^BitRev8(i) mod q, ζ = 1753 (FIPS 204 Appendix B), computed at compile time.
constexpr std::array<uint32_t, kN> MakeZetas() {
  std::array<uint32_t, kN> z{};
  for (uint32_t i = 0; i < kN; ++i) {
    uint32_t e = 0;
    for (int b = 0; b < 8; ++b) e |= ((i >> b) & 1) << (7 - b);
    uint64_t r = 1, base = 1753;
    for (; e != 0; e >>= 1) {
      if (e & 1) r = r * base % kQ;
      base = base * base % kQ;
    }
    z[i] = static_cast<uint32_t>(r);
  }
  return z;
}
inline constexpr std::array<uint32_t, kN> kZetas = MakeZetas();

// Montgomery arithmetic of the vector paths (ml_dsa_avx2.h, ml_dsa_neon.h), R = 2^32: a product
// a · z · R^-1 mod q is computed from a · z and t · q, t = a · (z · q^-1) mod 2^32.
constexpr uint32_t kQInv = 58728449;  // q^-1 mod 2^32
static_assert(kQ * kQInv == 1u, "q · q^-1 must be 1 mod 2^32");

// x · 2^32 mod q: the Montgomery form, so that a Montgomery product by it multiplies by x.
constexpr uint32_t ToMontgomery(uint32_t x) {
  return static_cast<uint32_t>((uint64_t{x} << 32) % kQ);
}

// A twiddle ready for a Montgomery product: its Montgomery form and that times q^-1 mod 2^32.
struct Twiddle {
  int32_t z, zq;
};
constexpr Twiddle MakeTwiddle(uint32_t x) {
  const uint32_t z = ToMontgomery(x);
  return {static_cast<int32_t>(z), static_cast<int32_t>(z * kQInv)};
}

// Twiddles in the order the portable NTTs take them: forward[m] = ζ^BitRev8(m), and
// inverse[m] = -ζ^BitRev8(m).
struct Twiddles {
  Twiddle forward[kN], inverse[kN];
};
constexpr Twiddles MakeTwiddles() {
  Twiddles t{};
  for (size_t m = 0; m < kN; ++m) {
    t.forward[m] = MakeTwiddle(kZetas[m]);
    t.inverse[m] = MakeTwiddle(kQ - kZetas[m]);
  }
  return t;
}
inline constexpr Twiddles kTwiddles = MakeTwiddles();

// Algorithm 41 NTT and Algorithm 42 NTT^-1 (which includes the scaling by 256^-1), in place.
void Ntt(Poly& w);
void NttPortable(Poly& w);
void InvNtt(Poly& w);
void InvNttPortable(Poly& w);

// out = a ∘ b (NTT-domain product); out may alias a or b.
void PointwiseMul(const Poly& a, const Poly& b, Poly& out);
void PointwiseMulPortable(const Poly& a, const Poly& b, Poly& out);

// acc = acc + a ∘ b, the inner step of the matrix-vector products.
void PointwiseMulAdd(const Poly& a, const Poly& b, Poly& acc);
void PointwiseMulAddPortable(const Poly& a, const Poly& b, Poly& acc);

// Algorithm 30's inner loop (RejNTTPoly): appends the 23-bit candidates of buf[0, len) that are
// below q to a[n..] in order, stopping at 256; returns the new count. Runs on public data
// only (the seed ρ). RejectionSample lets the AVX2 code take the bulk where it runs.
int RejectionSample(const uint8_t* buf, size_t len, Poly& a, int n);
int RejectionSamplePortable(const uint8_t* buf, size_t len, Poly& a, int n);

// Algorithm 31's loop (RejBoundedPoly, η = 2 or 4): appends the coefficients in [-η, η] that the
// half-bytes of buf[0, len) give (low half first; accepted below 15 for η = 2, below 9 for
// η = 4) to a[n..] in order, canonical, stopping at 256; returns the new count. The seed ρ' is
// secret: no branch tests a candidate's value, and which candidates were rejected — data FIPS
// 204 lets leak, independent of the accepted values — is the only thing positions depend on.
// BoundedSample lets the AVX2 code take the bulk where it runs.
int BoundedSample(int eta, const uint8_t* buf, size_t len, Poly& a, int n);
int BoundedSamplePortable(int eta, const uint8_t* buf, size_t len, Poly& a, int n);

}  // namespace vigil::crypto::pq::mldsa

#endif  // VIGIL_CRYPTO_PQ_ML_DSA_POLY_H_
