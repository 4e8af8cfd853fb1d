// AVX2 versions of ML-DSA's NTT and NTT-domain products (x86-64 only; vector_path.h says when
// they run). Each gives exactly the canonical values of its portable twin in ml_dsa_poly.h.
//
// Technique (from the published AVX2 Dilithium work and Seiler's paper on AVX2 NTTs): eight
// int32 coefficients per register; signed Montgomery products (R = 2^32) from vpmuldq on the
// even and the odd lanes, with the twiddle's q^-1 multiple precomputed; coefficients kept
// unreduced (|x| < 9q forward; a Barrett-style reduction midway through the inverse) and
// brought back to [0, q) once at the end. The five layers whose butterflies span registers use
// a broadcast twiddle; the three inside a register (distance 4, 2, 1) pair each coefficient with
// its partner by one shuffle and blend the halves back.
//
// Constant time: no branch or memory index depends on coefficient values.
// Thread-safety: pure functions on caller-owned data.
#ifndef VIGIL_CRYPTO_PQ_ML_DSA_AVX2_H_
#define VIGIL_CRYPTO_PQ_ML_DSA_AVX2_H_

#include "pq/ml_dsa_poly.h"

#if defined(__x86_64__)

namespace vigil::crypto::pq::mldsa::avx2 {

// Precondition for every function here: the CPU has AVX2 (internal::CpuHasAvx2()). Inputs are
// canonical, as for the portable functions.
void Ntt(Poly& w);
void InvNtt(Poly& w);
void PointwiseMul(const Poly& a, const Poly& b, Poly& out);
void PointwiseMulAdd(const Poly& a, const Poly& b, Poly& acc);

// DecomposePolyPortable on eight lanes at a time: the quotient by 2γ2 from a 64-bit product
// with a reciprocal (exact for every r < q, checked exhaustively by the test).
void DecomposePoly(uint32_t gamma2, const Poly& r, Poly& r1, LowParts& r0);

// Samples whole 24-byte groups of buf (8 candidates each) into a[n..] while at least 32 bytes
// remain and n ≤ kN - 8, advancing n; returns the bytes consumed. The caller finishes with
// RejectionSamplePortable from buf + the returned count. The compaction table is indexed by
// which candidates were accepted: public data (the seed ρ) only.
size_t RejectionSampleBulk(const uint8_t* buf, size_t len, Poly& a, int& n);

// BoundedSamplePortable on whole 4-byte groups of buf (8 half-byte candidates each) while at
// least 4 bytes remain and n ≤ kN - 8, advancing n; returns the bytes consumed. The caller
// finishes with BoundedSamplePortable. Candidates are compared and mapped without branches;
// the compaction table is indexed by which were accepted, which is independent of the accepted
// values (ml_dsa_poly.h).
size_t BoundedSampleBulk(int eta, const uint8_t* buf, size_t len, Poly& a, int& n);

}  // namespace vigil::crypto::pq::mldsa::avx2

#endif  // defined(__x86_64__)

#endif  // VIGIL_CRYPTO_PQ_ML_DSA_AVX2_H_
