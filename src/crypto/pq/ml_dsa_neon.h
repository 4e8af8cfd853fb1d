// NEON (AArch64 Advanced SIMD) versions of ML-DSA's NTT, inverse NTT and NTT-domain products
// (aarch64 only; vector_path.h says when they run). Each gives exactly the canonical values of
// its portable twin in ml_dsa_poly.h: Ntt ↔ NttPortable, InvNtt ↔ InvNttPortable,
// PointwiseMul ↔ PointwiseMulPortable, PointwiseMulAdd ↔ PointwiseMulAddPortable.
//
// Technique (Becker, Hwang, Kannwischer, Yang, Yang, "Neon NTT", TCHES 2022): four int32
// coefficients per register; a signed Montgomery product (R = 2^32) by a twiddle z is sqdmulh by
// z, mul by z·q^-1, sqdmulh of that by q and a halving subtraction, four instructions for four
// lanes where the AVX2 code needs two vpmuldq passes for its eight. Coefficients stay unreduced
// (|x| < 9q forward; one Barrett-style reduction midway through the inverse) and are brought
// to [0, q) once at the end. The 256 coefficients fill 64 registers, twice what the machine has,
// so the first three layers run on eight registers at a time (every eighth register) and the
// other five on blocks of sixteen; the two layers inside a register (distance 2 and 1) run on
// register pairs transposed with trn1/trn2.
//
// Where it pays (instructions executed per call under qemu-aarch64 -d in_asm,exec,nochain, GCC 12
// -O2, against the portable code): Ntt 3,021 against 24,945, InvNtt 3,560 against 29,027,
// PointwiseMul 1,175 against 3,345, PointwiseMulAdd 1,559 against 4,627 (the portable code's
// 64-bit remainders by q are scalar multiply-high sequences).
//
// Constant time: no branch or memory index depends on coefficient values.
// Thread-safety: pure functions on caller-owned data.
#ifndef VIGIL_CRYPTO_PQ_ML_DSA_NEON_H_
#define VIGIL_CRYPTO_PQ_ML_DSA_NEON_H_

#include "pq/ml_dsa_poly.h"

#if defined(__aarch64__)

namespace vigil::crypto::pq::mldsa::neon {

// Inputs are canonical, as for the portable functions; outputs are canonical.
void Ntt(Poly& w);
void InvNtt(Poly& w);
void PointwiseMul(const Poly& a, const Poly& b, Poly& out);
void PointwiseMulAdd(const Poly& a, const Poly& b, Poly& acc);

}  // namespace vigil::crypto::pq::mldsa::neon

#endif  // defined(__aarch64__)

#endif  // VIGIL_CRYPTO_PQ_ML_DSA_NEON_H_
