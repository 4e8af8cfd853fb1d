// Differential tests of the AVX2 ML-KEM arithmetic (ml_kem_avx2.h) against the portable code on
// random inputs across each function's documented input range, its edges included: every
// output must be identical. Run under both settings of VIGIL_PQ_PORTABLE by ctest; these call
// both paths directly either way. The vector path must exist where it is built: on x86-64 the
// test machine must have AVX2, or the test fails (the AVX2 code would go untested).
#include "pq/ml_kem_avx2.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <random>

#include "pq/ml_kem_differential.h"
#include "pq/vector_path.h"

namespace vigil::crypto::pq::mlkem {
namespace {

TEST(MlKemAvx2, RunsOnThisMachine) {
#if defined(__x86_64__)
  ASSERT_TRUE(internal::CpuHasAvx2()) << "the AVX2 ML-KEM code cannot be tested on this CPU";
#else
  EXPECT_FALSE(internal::CpuHasAvx2());  // the AVX2 code is not built here
#endif
  std::printf("ml-kem arithmetic path: %s\n", internal::UseAvx2() ? "AVX2" : "portable");
}

#if defined(__x86_64__)

TEST(MlKemAvx2, NttAndInverseMatchPortable) {
  differential::CheckNttAndInverse(avx2::Ntt, avx2::InvNttFromMontgomery, 20);
}

TEST(MlKemAvx2, AccumulatedProductsMatchPortable) {
  differential::CheckAccumulatedProducts(avx2::MulAccumulate, avx2::ReduceAccumulator, 21);
}

TEST(MlKemAvx2, RejectionSamplingMatchesPortable) {
  // Random bytes (about 19% of candidates rejected) and bytes biased towards rejection, from
  // every starting count, over lengths that do and do not leave a partial group.
  std::mt19937 rng(22);
  int cases = 0;
  for (int i = 0; i < 3000; ++i) {
    uint8_t buf[3 * 168];
    const bool biased = i % 3 == 0;
    for (auto& byte : buf) byte = static_cast<uint8_t>(biased ? (rng() | 0xc0) : rng());
    const size_t len = i % 2 == 0 ? sizeof buf : 168 - 3 * static_cast<size_t>(rng() % 8);
    const int start = static_cast<int>(rng() % (kN + 1));
    int16_t a[kN + 1], b[kN + 1];
    for (int j = 0; j < start; ++j) a[j] = b[j] = static_cast<int16_t>(j);
    const int na = RejectionSamplePortable(buf, len, a, start);
    int nb = start;
    const size_t used = avx2::RejectionSampleBulk(buf, len, b, nb);
    ASSERT_EQ(used % 24, 0u);
    nb = RejectionSamplePortable(buf + used, len - used, b, nb);
    ASSERT_EQ(na, nb) << "case " << i;
    ASSERT_EQ(0, std::memcmp(a, b, sizeof(int16_t) * static_cast<size_t>(na))) << "case " << i;
    ++cases;
  }
  std::printf("rejection sampling: %d buffers identical on both paths\n", cases);
}

TEST(MlKemAvx2, Cbd2MatchesPortable) {
  std::mt19937 rng(23);
  for (int i = 0; i < 2000; ++i) {
    uint8_t buf[128];
    for (auto& b : buf) b = static_cast<uint8_t>(i < 2 ? (i == 0 ? 0x00 : 0xff) : rng());
    Poly p, v;
    Cbd2Portable(buf, p);
    avx2::Cbd2(buf, v);
    ASSERT_EQ(p, v) << "case " << i;
  }
}

#endif  // defined(__x86_64__)

}  // namespace
}  // namespace vigil::crypto::pq::mlkem
