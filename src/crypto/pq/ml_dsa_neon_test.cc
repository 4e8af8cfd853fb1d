// Differential tests of the NEON ML-DSA arithmetic (ml_dsa_neon.h) against the portable code on
// random canonical inputs with the extremes 0 and q - 1 planted: every output must be identical.
// ctest runs it under both settings of VIGIL_PQ_PORTABLE; it calls both paths directly either
// way. The NEON code is built on aarch64 only (make arm64 runs this test under qemu-user);
// elsewhere the test checks that the NEON path is never selected.
#include "pq/ml_dsa_neon.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "pq/ml_dsa_differential.h"
#include "pq/vector_path.h"

namespace vigil::crypto::pq::mldsa {
namespace {

TEST(MlDsaNeon, SelectedOnlyOnAarch64) {
#if defined(__aarch64__)
  EXPECT_FALSE(internal::CpuHasAvx2());  // so the NEON path is the only vector one
#else
  EXPECT_FALSE(internal::UseNeon());  // the NEON code is not built here
#endif
  std::printf("ml-dsa arithmetic path: %s\n", internal::UseNeon()   ? "NEON"
                                              : internal::UseAvx2() ? "AVX2"
                                                                    : "portable");
}

#if defined(__aarch64__)

TEST(MlDsaNeon, NttAndInverseMatchPortable) {
  differential::CheckNttAndInverse(neon::Ntt, neon::InvNtt, 130);
}

TEST(MlDsaNeon, PointwiseProductsMatchPortable) {
  differential::CheckPointwiseProducts(neon::PointwiseMul, neon::PointwiseMulAdd, 131);
}

#endif  // defined(__aarch64__)

}  // namespace
}  // namespace vigil::crypto::pq::mldsa
