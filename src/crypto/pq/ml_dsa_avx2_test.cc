// Differential tests of the AVX2 ML-DSA arithmetic (ml_dsa_avx2.h) against the portable code on
// random canonical inputs with the extremes 0 and q - 1 planted: every output must be identical.
// ctest runs it under both settings of VIGIL_PQ_PORTABLE; it calls both paths directly either
// way. On x86-64 the test machine must have AVX2, or the test fails (the code would go untested).
#include "pq/ml_dsa_avx2.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>

#include "pq/ml_dsa_differential.h"
#include "pq/vector_path.h"

namespace vigil::crypto::pq::mldsa {
namespace {

TEST(MlDsaAvx2, RunsOnThisMachine) {
#if defined(__x86_64__)
  ASSERT_TRUE(internal::CpuHasAvx2()) << "the AVX2 ML-DSA code cannot be tested on this CPU";
#else
  EXPECT_FALSE(internal::CpuHasAvx2());  // the AVX2 code is not built here
#endif
  std::printf("ml-dsa arithmetic path: %s\n", internal::UseAvx2() ? "AVX2" : "portable");
}

#if defined(__x86_64__)

TEST(MlDsaAvx2, NttAndInverseMatchPortable) {
  differential::CheckNttAndInverse(avx2::Ntt, avx2::InvNtt, 30);
}

TEST(MlDsaAvx2, PointwiseProductsMatchPortable) {
  differential::CheckPointwiseProducts(avx2::PointwiseMul, avx2::PointwiseMulAdd, 31);
}

TEST(MlDsaAvx2, RejectionSamplingMatchesPortable) {
  // Random bytes (q is just below 2^23: almost every candidate is kept) and bytes biased to
  // rejection, from every starting count, over lengths with and without a partial group.
  std::mt19937 rng(32);
  for (int i = 0; i < 3000; ++i) {
    uint8_t buf[5 * 168];
    const bool biased = i % 3 == 0;
    for (size_t j = 0; j < sizeof buf; ++j) {
      buf[j] = static_cast<uint8_t>(biased && j % 3 == 2 ? (rng() | 0x7f) : rng());
    }
    const size_t len = i % 2 == 0 ? sizeof buf : 168 - 3 * static_cast<size_t>(rng() % 8);
    const int start = static_cast<int>(rng() % (kN + 1));
    Poly p{}, v{};
    for (int j = 0; j < start; ++j) p[static_cast<size_t>(j)] = v[static_cast<size_t>(j)] = 1;
    const int np = RejectionSamplePortable(buf, len, p, start);
    int nv = start;
    const size_t used = avx2::RejectionSampleBulk(buf, len, v, nv);
    ASSERT_EQ(used % 24, 0u);
    nv = RejectionSamplePortable(buf + used, len - used, v, nv);
    ASSERT_EQ(np, nv) << "case " << i;
    ASSERT_TRUE(std::equal(p.begin(), p.begin() + np, v.begin())) << "case " << i;
  }
}

TEST(MlDsaAvx2, BoundedSamplingMatchesPortable) {
  // Both η, random bytes and bytes biased to rejected half-bytes, from every starting count and
  // over lengths that end inside a 4-byte group.
  std::mt19937 rng(31);
  for (int eta : {2, 4}) {
    for (int i = 0; i < 3000; ++i) {
      uint8_t buf[2 * 136];
      const bool biased = i % 3 == 0;
      for (size_t j = 0; j < sizeof buf; ++j) {
        buf[j] = static_cast<uint8_t>(biased ? (rng() | 0x88) : rng());
      }
      const size_t len = i % 2 == 0 ? sizeof buf : 136 - rng() % 8;
      const int start = static_cast<int>(rng() % (kN + 1));
      Poly p{}, v{};
      for (int j = 0; j < start; ++j) p[static_cast<size_t>(j)] = v[static_cast<size_t>(j)] = 1;
      const int np = BoundedSamplePortable(eta, buf, len, p, start);
      int nv = start;
      const size_t used = avx2::BoundedSampleBulk(eta, buf, len, v, nv);
      ASSERT_EQ(used % 4, 0u);
      nv = BoundedSamplePortable(eta, buf + used, len - used, v, nv);
      ASSERT_EQ(np, nv) << "eta " << eta << ", case " << i;
      ASSERT_TRUE(std::equal(p.begin(), p.begin() + np, v.begin())) << "eta " << eta << ", case " << i;
    }
  }
  // Every half-byte maps as Algorithm 31 says: η - (z mod 5) for η = 2, η - z for η = 4.
  for (int eta : {2, 4}) {
    uint8_t all[8];
    for (int z = 0; z < 16; z += 2) all[z / 2] = static_cast<uint8_t>(z | ((z + 1) << 4));
    Poly v{};
    int n = 0;
    const size_t used = avx2::BoundedSampleBulk(eta, all, sizeof all, v, n);
    ASSERT_EQ(used, sizeof all);
    ASSERT_EQ(n, eta == 2 ? 15 : 9);
    for (int z = 0; z < n; ++z) {
      const int32_t want = eta - (eta == 2 ? z % 5 : z);
      EXPECT_EQ(v[static_cast<size_t>(z)], want < 0 ? kQ + want : static_cast<uint32_t>(want))
          << "eta " << eta << ", z " << z;
    }
  }
}

TEST(MlDsaAvx2, DecomposeMatchesPortableForEveryCoefficient) {
  // Every r in [0, q), for both γ2: 2 · 32,737 polynomials.
  for (uint32_t gamma2 : {(kQ - 1) / 88, (kQ - 1) / 32}) {
    for (uint32_t first = 0; first < kQ; first += kN) {
      Poly r, p1, v1;
      LowParts p0, v0;
      for (uint32_t i = 0; i < kN; ++i) r[i] = first + i < kQ ? first + i : kQ - 1;
      DecomposePolyPortable(gamma2, r, p1, p0);
      avx2::DecomposePoly(gamma2, r, v1, v0);
      ASSERT_EQ(p1, v1) << "gamma2 " << gamma2 << ", r from " << first;
      ASSERT_EQ(p0, v0) << "gamma2 " << gamma2 << ", r from " << first;
    }
  }
}

#endif  // defined(__x86_64__)

}  // namespace
}  // namespace vigil::crypto::pq::mldsa
