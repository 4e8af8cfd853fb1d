// The arithmetic path follows the CPU and VIGIL_PQ_PORTABLE (ctest runs the pq tests under both
// settings of the variable; this checks that the setting is what decides).
#include "pq/vector_path.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

#include "pq/keccak.h"

namespace vigil::crypto::pq::internal {
namespace {

TEST(VectorPath, FollowsTheCpuAndTheEnvironment) {
  const char* forced = std::getenv("VIGIL_PQ_PORTABLE");
  const bool portable = forced != nullptr && std::strcmp(forced, "1") == 0;
  EXPECT_EQ(UseAvx2(), CpuHasAvx2() && !portable);
  EXPECT_EQ(KeccakX4HasAvx2(), UseAvx2());  // the four-way Keccak follows the same switch
  const bool no_avx512 = [] {
    const char* v = std::getenv("VIGIL_PQ_NO_AVX512");
    return v != nullptr && std::strcmp(v, "1") == 0;
  }();
  EXPECT_EQ(UseAvx512(), UseAvx2() && CpuHasAvx512() && !no_avx512);
  EXPECT_TRUE(!CpuHasAvx512() || CpuHasAvx2());
#if !defined(__x86_64__)
  EXPECT_FALSE(CpuHasAvx2());
  EXPECT_FALSE(CpuHasAvx512());
#endif
#if defined(__aarch64__)
  EXPECT_EQ(UseNeon(), !portable);  // NEON is mandatory on ARMv8-A: only the variable decides
#else
  EXPECT_FALSE(UseNeon());
#endif
}

}  // namespace
}  // namespace vigil::crypto::pq::internal
