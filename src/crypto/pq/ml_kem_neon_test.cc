// Differential tests of the NEON ML-KEM arithmetic (ml_kem_neon.h) against the portable code on
// random inputs across each function's documented input range, its edges included: every
// output must be identical. Run under both settings of VIGIL_PQ_PORTABLE by ctest; these call
// both paths directly either way. The NEON code is built on aarch64 only (make arm64 runs this
// test under qemu-user); elsewhere the test checks that the NEON path is never selected.
#include "pq/ml_kem_neon.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "pq/ml_kem_differential.h"
#include "pq/vector_path.h"

namespace vigil::crypto::pq::mlkem {
namespace {

TEST(MlKemNeon, SelectedOnlyOnAarch64) {
#if defined(__aarch64__)
  EXPECT_FALSE(internal::CpuHasAvx2());  // so the NEON path is the only vector one
#else
  EXPECT_FALSE(internal::UseNeon());  // the NEON code is not built here
#endif
  std::printf("ml-kem arithmetic path: %s\n", internal::UseNeon()   ? "NEON"
                                              : internal::UseAvx2() ? "AVX2"
                                                                    : "portable");
}

#if defined(__aarch64__)

TEST(MlKemNeon, NttAndInverseMatchPortable) {
  differential::CheckNttAndInverse(neon::Ntt, neon::InvNttFromMontgomery, 120);
}

TEST(MlKemNeon, AccumulatedProductsMatchPortable) {
  differential::CheckAccumulatedProducts(neon::MulAccumulate, MulAccumulator::ReducePortable, 121);
}

#endif  // defined(__aarch64__)

}  // namespace
}  // namespace vigil::crypto::pq::mlkem
