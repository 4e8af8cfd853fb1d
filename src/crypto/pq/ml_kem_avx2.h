// AVX2 versions of ML-KEM's hot polynomial arithmetic (x86-64 only; see vector_path.h for when
// they run). Each gives exactly the values of its portable counterpart in ml_kem_poly.h, with the
// same input and output bounds, so callers need no other change:
//   Ntt, InvNttFromMontgomery         ↔ NttPortable, InvNttFromMontgomeryPortable
//   MulAccumulate, ReduceAccumulator  ↔ MulAccumulator::AddPortable, ReducePortable
//   RejectionSampleBulk + the scalar tail ↔ RejectionSamplePortable
//   Cbd2                              ↔ Cbd2Portable
//
// Technique (from the published AVX2 work on Kyber and Seiler's "Faster AVX2 optimized NTT
// multiplication for Ring-LWE lattice cryptography"): sixteen int16 coefficients per register;
// Montgomery products from the low and high halves of 16×16-bit products, with the twiddle's
// q^-1 multiple precomputed; the NTT layers whose butterflies span registers use a broadcast
// twiddle, the three layers inside a register (distance 8, 4, 2) pair each coefficient with its
// partner by one in-register shuffle and blend the two halves back.
//
// Constant time as the portable code: no branch or memory index depends on coefficient values;
// RejectionSampleBulk indexes a table by which candidates were accepted, which depends on the
// public seed ρ only.
//
// Thread-safety: pure functions on caller-owned data.
#ifndef VIGIL_CRYPTO_PQ_ML_KEM_AVX2_H_
#define VIGIL_CRYPTO_PQ_ML_KEM_AVX2_H_

#include "pq/ml_kem_poly.h"

#if defined(__x86_64__)

namespace vigil::crypto::pq::mlkem::avx2 {

// Precondition for every function here: the CPU has AVX2 (internal::CpuHasAvx2()).
void Ntt(Poly& f);
void InvNttFromMontgomery(Poly& f);
void MulAccumulate(MulAccumulator::Sums& acc, const Poly& a, const Poly& b, const Poly& b_twisted);
void ReduceAccumulator(const MulAccumulator::Sums& acc, Poly& out);

// Cbd2 (η = 2): two bit-pair sums per nibble, sixteen bytes (32 coefficients) at a time.
void Cbd2(const uint8_t buf[128], Poly& out);

// Samples whole 24-byte groups of buf (16 candidates each) into tmp[n..] while at least 32
// bytes remain and n ≤ kN - 16, advancing n; returns the bytes consumed. The caller finishes
// the rest with RejectionSamplePortable from buf + the returned count.
size_t RejectionSampleBulk(const uint8_t* buf, size_t len, int16_t* tmp, int& n);

}  // namespace vigil::crypto::pq::mlkem::avx2

#endif  // defined(__x86_64__)

#endif  // VIGIL_CRYPTO_PQ_ML_KEM_AVX2_H_
