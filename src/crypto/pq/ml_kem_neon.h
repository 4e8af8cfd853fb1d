// NEON (AArch64 Advanced SIMD) versions of ML-KEM's NTT and inverse NTT (with their Barrett and
// Montgomery reductions) and base-case products (aarch64 only; vector_path.h says when they run).
// Each gives exactly the values of its portable counterpart in ml_kem_poly.h, with the same input
// and output bounds, so callers need no other change:
//   Ntt, InvNttFromMontgomery         ↔ NttPortable, InvNttFromMontgomeryPortable
//   MulAccumulate                     ↔ MulAccumulator::AddPortable
// MulAccumulator::ReducePortable has no NEON twin: GCC 12 at -O2 already vectorises its loop
// into as many instructions as hand-written NEON takes (333 against 335 per polynomial, counted
// under qemu-user).
//
// Technique (Becker, Hwang, Kannwischer, Yang, Yang, "Neon NTT: Faster Dilithium, Kyber, and
// Saber on Cortex-A72 and Apple M1", TCHES 2022): eight int16 coefficients per register.
// sqdmulh returns the high half of a doubled product, so a Montgomery product by a twiddle z is
// four instructions (sqdmulh by z, mul by z·q^-1, sqdmulh of that by q, halving subtract) and a
// Barrett reduction three (sqdmulh, rounding shift, multiply-subtract). The layers whose
// butterflies span registers use a scalar twiddle; the two inside a register (distance 4 and 2)
// run on register pairs transposed with trn1/trn2 so that both halves of every butterfly are in
// separate registers. The 256 coefficients take 32 registers, as many as the machine has, so the
// first layer runs on its own and the other six on each half of the polynomial (16 registers).
//
// Where it pays (instructions executed per call under qemu-aarch64 -d in_asm,exec,nochain, GCC 12
// -O2, against the portable code as the same compiler vectorises it): Ntt 1,266 against 2,609,
// InvNttFromMontgomery 1,564 against 5,867, MulAccumulate 510 against 2,321. Instruction counts
// are not cycles (no timing is possible under emulation); the ratio is the argument.
//
// Constant time as the portable code: no branch or memory index depends on coefficient values.
// Thread-safety: pure functions on caller-owned data.
#ifndef VIGIL_CRYPTO_PQ_ML_KEM_NEON_H_
#define VIGIL_CRYPTO_PQ_ML_KEM_NEON_H_

#include "pq/ml_kem_poly.h"

#if defined(__aarch64__)

namespace vigil::crypto::pq::mlkem::neon {

void Ntt(Poly& f);
void InvNttFromMontgomery(Poly& f);
void MulAccumulate(MulAccumulator::Sums& acc, const Poly& a, const Poly& b, const Poly& b_twisted);

}  // namespace vigil::crypto::pq::mlkem::neon

#endif  // defined(__aarch64__)

#endif  // VIGIL_CRYPTO_PQ_ML_KEM_NEON_H_
