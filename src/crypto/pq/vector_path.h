// Which arithmetic the post-quantum code runs: the AVX2 paths (x86-64 CPUs that have AVX2), the
// NEON paths (every aarch64 CPU) or the portable C++ kept for every other machine. ML-KEM's NTT,
// basemul and uniform sampling, ML-DSA's NTT and pointwise products and the four-way Keccak each
// have an AVX2 version; the NTTs and NTT-domain products of both schemes have a NEON one. A
// vector version gives the same bytes as the portable one for every input (the differential
// tests check it).
//
// The choice is made once per process: AVX2 when cpuid reports it, unless the environment
// variable VIGIL_PQ_PORTABLE is "1", which forces the portable path (the pq tests run once with
// it set, so both paths pass every vector). On other architectures the AVX2 code is not
// compiled and the answer is always false.
//
// On aarch64, Advanced SIMD (NEON) is part of the ARMv8-A base architecture, so no run-time
// check is needed: ML-KEM's NTT, inverse NTT and base-case products and ML-DSA's NTT, inverse
// NTT and pointwise products run their NEON versions unless VIGIL_PQ_PORTABLE is "1".
//
// On CPUs that also have AVX-512F and AVX-512VL, the four-way Keccak uses their three-input
// logic (vpternlogq) and rotates (vprolq) on the same 256-bit registers: 1.6x the AVX2 version
// (751 against 1,202 TSC cycles for four permutations on this project's AMD EPYC build machine).
// VIGIL_PQ_NO_AVX512=1 keeps it on AVX2. Valgrind does not emulate AVX-512 and hides it from
// cpuid, so the constant-time harnesses run the AVX2 Keccak; the AVX-512 one has the same
// data-independent instruction stream (no branch, no table, no secret-dependent address).
//
// Thread-safety: safe to call from any thread (a function-local static).
#ifndef VIGIL_CRYPTO_PQ_VECTOR_PATH_H_
#define VIGIL_CRYPTO_PQ_VECTOR_PATH_H_

namespace vigil::crypto::pq::internal {

// True when the AVX2 implementations run.
bool UseAvx2();

// True when the CPU has AVX2, whatever VIGIL_PQ_PORTABLE says (the differential tests call
// both paths directly and need to know whether the AVX2 one can run at all).
bool CpuHasAvx2();

// True when the NEON implementations run: on aarch64, unless VIGIL_PQ_PORTABLE is "1". Always
// false on other architectures, where the NEON code is not compiled.
bool UseNeon();

// True when the four-way Keccak runs its AVX-512VL version: AVX2 in use, the CPU (and the OS,
// which must save the AVX-512 state) supports AVX-512F and AVX-512VL, and VIGIL_PQ_NO_AVX512 is
// not "1".
bool UseAvx512();

// True when the CPU has AVX-512F and AVX-512VL, whatever the environment says.
bool CpuHasAvx512();

}  // namespace vigil::crypto::pq::internal

#endif  // VIGIL_CRYPTO_PQ_VECTOR_PATH_H_
