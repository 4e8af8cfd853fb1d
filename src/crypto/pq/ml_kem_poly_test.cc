// Unit tests of the ML-KEM polynomial arithmetic against straightforward definitions: the
// reductions over their whole documented input ranges, Compress/Decompress against exact
// rational rounding, and NTT-domain multiplication against schoolbook negacyclic products.
#include "pq/ml_kem_poly.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <random>

#include "pq/keccak.h"
#include "pq/vector_path.h"

namespace vigil::crypto::pq::mlkem {
namespace {

constexpr int32_t Q = kQ;

int32_t Mod(int64_t a) { return static_cast<int32_t>(((a % Q) + Q) % Q); }

TEST(MlKemPoly, BarrettAndCanonicalOverEveryInt16) {
  for (int32_t a = INT16_MIN; a <= INT16_MAX; ++a) {
    const int16_t r = BarrettReduce(static_cast<int16_t>(a));
    ASSERT_LE(r, (Q - 1) / 2) << a;
    ASSERT_GE(r, -(Q - 1) / 2) << a;
    ASSERT_EQ(Mod(r), Mod(a)) << a;
    const int16_t c = Canonical(static_cast<int16_t>(a));
    ASSERT_GE(c, 0) << a;
    ASSERT_LT(c, Q) << a;
    ASSERT_EQ(c, Mod(a)) << a;
  }
}

TEST(MlKemPoly, MontgomeryReduceMeetsItsBound) {
  const int64_t r_inv = 169;  // 2^-16 mod q
  ASSERT_EQ(Mod(r_inv * 65536), 1);
  std::mt19937_64 rng(1);
  const int32_t limit = (1 << 15) * Q - 1;
  std::uniform_int_distribution<int32_t> dist(-limit, limit);
  for (int32_t a : {-limit, limit, 0, 1, -1}) {
    const int16_t r = MontgomeryReduce(a);
    EXPECT_LT(r, Q);
    EXPECT_GT(r, -Q);
    EXPECT_EQ(Mod(r), Mod(a * r_inv));
  }
  for (int i = 0; i < 200000; ++i) {
    const int32_t a = dist(rng);
    const int16_t r = MontgomeryReduce(a);
    ASSERT_LT(r, Q) << a;
    ASSERT_GT(r, -Q) << a;
    ASSERT_EQ(Mod(r), Mod(a * r_inv)) << a;
  }
}

TEST(MlKemPoly, CompressAndDecompressMatchExactRounding) {
  for (int d : {1, 4, 5, 10, 11}) {
    for (int32_t x = 0; x < Q; ++x) {
      // round(2^d · x / q) with ties up, mod 2^d.
      const int64_t num = (int64_t{x} << d) * 2 + Q;
      const int64_t expected = (num / (2 * Q)) % (int64_t{1} << d);
      ASSERT_EQ(Compress(static_cast<int16_t>(x), d), expected) << "d=" << d << " x=" << x;
    }
    for (uint32_t y = 0; y < (1u << d); ++y) {
      const int64_t expected = (int64_t{Q} * y * 2 + (int64_t{1} << d)) / (int64_t{2} << d);
      ASSERT_EQ(Decompress(static_cast<uint16_t>(y), d), expected) << "d=" << d << " y=" << y;
    }
  }
}

Poly Schoolbook(const Poly& a, const Poly& b) {
  std::array<int64_t, kN> c{};
  for (int i = 0; i < kN; ++i) {
    for (int j = 0; j < kN; ++j) {
      const int64_t prod = int64_t{a[static_cast<size_t>(i)]} * b[static_cast<size_t>(j)];
      if (i + j < kN) {
        c[static_cast<size_t>(i + j)] += prod;
      } else {
        c[static_cast<size_t>(i + j - kN)] -= prod;  // X^256 = -1
      }
    }
  }
  Poly out;
  for (size_t i = 0; i < kN; ++i) out[i] = static_cast<int16_t>(Mod(c[i]));
  return out;
}

Poly RandomPoly(std::mt19937_64& rng, int32_t lo, int32_t hi) {
  std::uniform_int_distribution<int32_t> dist(lo, hi);
  Poly p;
  for (auto& c : p) c = static_cast<int16_t>(dist(rng));
  return p;
}

TEST(MlKemPoly, NttProductsMatchSchoolbookWithFourAccumulatedTerms) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 4; ++trial) {
    // Worst-case magnitudes within the documented preconditions: inputs in (-q, q).
    std::array<Poly, 4> a, b;
    Poly expected{};
    MulAccumulator acc;
    acc.Clear();
    for (size_t j = 0; j < 4; ++j) {
      a[j] = RandomPoly(rng, -(Q - 1), Q - 1);
      b[j] = RandomPoly(rng, -(Q - 1), Q - 1);
      const Poly prod = Schoolbook(a[j], b[j]);
      for (size_t i = 0; i < kN; ++i)
        expected[i] = static_cast<int16_t>((expected[i] + prod[i]) % Q);
      Poly an = a[j], bn = b[j], bt;
      Ntt(an);
      Ntt(bn);
      for (int16_t c : an) ASSERT_LE(std::abs(c), (Q - 1) / 2);
      MulAccumulator::Twist(bn, bt);
      acc.Add(an, bn, bt);
    }
    Poly got;
    acc.Reduce(got);
    for (int16_t c : got) ASSERT_LT(std::abs(c), Q);
    InvNttFromMontgomery(got);
    for (int16_t c : got) ASSERT_LT(std::abs(c), Q);
    ToCanonical(got);
    EXPECT_EQ(got, expected) << "trial " << trial;
  }
}

TEST(MlKemPoly, ToMontgomeryCancelsTheAccumulatorFactor) {
  std::mt19937_64 rng(3);
  Poly a = RandomPoly(rng, 0, Q - 1), b = RandomPoly(rng, 0, Q - 1), bt, got;
  MulAccumulator::Twist(b, bt);
  MulAccumulator acc;
  acc.Add(a, b, bt);
  acc.Reduce(got);
  ToMontgomery(got);
  ToCanonical(got);
  // Base-case product of the first pair, γ_0 = 17: a0·b0 + a1·b1·17 and a0·b1 + a1·b0.
  EXPECT_EQ(got[0], Mod(int64_t{a[0]} * b[0] + int64_t{a[1]} * b[1] * 17));
  EXPECT_EQ(got[1], Mod(int64_t{a[0]} * b[1] + int64_t{a[1]} * b[0]));
}

TEST(MlKemPoly, Decode12ReducesAndEncode12RoundTrips) {
  uint8_t all_ones[384];
  std::fill(std::begin(all_ones), std::end(all_ones), 0xff);
  Poly f;
  Decode12(all_ones, f);
  for (int16_t c : f) EXPECT_EQ(c, 4095 - Q);
  std::mt19937_64 rng(5);
  const Poly g = RandomPoly(rng, 0, Q - 1);
  uint8_t bytes[384];
  Encode12(g, bytes);
  Decode12(bytes, f);
  EXPECT_EQ(f, g);
}

TEST(MlKemPoly, NoiseStaysWithinEtaAndIsCentred) {
  uint8_t seed[32] = {9};
  for (int eta : {2, 3}) {
    int64_t sum = 0;
    int max_seen = 0;
    for (uint8_t nonce = 0; nonce < 16; ++nonce) {
      Poly f;
      SampleNoise(seed, nonce, eta, f);
      for (int16_t c : f) {
        ASSERT_LE(std::abs(c), eta);
        sum += c;
        max_seen = std::max(max_seen, std::abs(int{c}));
      }
    }
    EXPECT_EQ(max_seen, eta);            // the extremes occur in 4096 samples
    EXPECT_LT(std::abs(sum), 4096 / 4);  // and the mean is near zero
  }
}

TEST(MlKemPoly, BatchedNoiseEqualsOneAtATime) {
  // Every batch size ML-KEM uses (4 to 9) and the others, η mixed as in ML-KEM-512's encaps.
  uint8_t seed[32];
  for (int i = 0; i < 32; ++i) seed[i] = static_cast<uint8_t>(5 * i + 1);
  for (size_t count = 1; count <= 9; ++count) {
    Poly batched[9], single;
    NoiseRequest requests[9];
    for (size_t i = 0; i < count; ++i) {
      requests[i] = {static_cast<uint8_t>(i + 3 * count), i < count / 2 ? 3 : 2, &batched[i]};
    }
    SampleNoiseBatch(seed, requests, count);
    for (size_t i = 0; i < count; ++i) {
      SampleNoise(seed, requests[i].nonce, requests[i].eta, single);
      ASSERT_EQ(batched[i], single) << count << "/" << i;
    }
  }
}

TEST(MlKemPoly, UniformSamplesAreCanonical) {
  uint8_t rho[32] = {1, 2, 3};
  Poly f;
  SampleUniform(rho, 0, 1, f);
  int distinct_nonzero = 0;
  for (int16_t c : f) {
    ASSERT_GE(c, 0);
    ASSERT_LT(c, Q);
    distinct_nonzero += c != 0;
  }
  EXPECT_GT(distinct_nonzero, 200);
}

// Every four-way version the CPU can run (the one in use, portable, AVX2, AVX-512VL) gives the
// four single permutations' lanes, over several rounds from random states.
TEST(MlKemPoly, FourWayKeccakMatchesFourPermutations) {
  std::mt19937_64 rng(11);
  internal::KeccakX4 x4, portable, avx2, avx512;
  std::array<std::array<uint64_t, 25>, 4> one;
  for (size_t s = 0; s < 4; ++s) {
    for (size_t i = 0; i < 25; ++i) {
      one[s][i] = portable.lanes[i][s] = x4.lanes[i][s] = avx2.lanes[i][s] = avx512.lanes[i][s] =
          rng();
    }
  }
  bool ran_avx2 = false, ran_avx512 = false;
  for (int round = 0; round < 3; ++round) {
    internal::KeccakF1600x4(x4);
    internal::KeccakF1600x4Portable(portable);
    ran_avx2 = internal::KeccakF1600x4Variant(internal::KeccakX4Variant::kAvx2, avx2);
    ran_avx512 = internal::KeccakF1600x4Variant(internal::KeccakX4Variant::kAvx512, avx512);
    for (size_t s = 0; s < 4; ++s) {
      internal::KeccakF1600(one[s]);
      for (size_t i = 0; i < 25; ++i) {
        ASSERT_EQ(x4.lanes[i][s], one[s][i]) << s << "/" << i;
        ASSERT_EQ(portable.lanes[i][s], one[s][i]) << s << "/" << i;
        if (ran_avx2) {
          ASSERT_EQ(avx2.lanes[i][s], one[s][i]) << "AVX2 " << s << "/" << i;
        }
        if (ran_avx512) {
          ASSERT_EQ(avx512.lanes[i][s], one[s][i]) << "AVX-512 " << s << "/" << i;
        }
      }
    }
  }
  EXPECT_EQ(ran_avx2, internal::CpuHasAvx2());
  EXPECT_EQ(ran_avx512, internal::CpuHasAvx512());
  std::printf("keccak x4 in use: %s; compared: portable%s%s\n",
              internal::UseAvx512()          ? "AVX-512VL"
              : internal::KeccakX4HasAvx2() ? "AVX2"
                                            : "portable",
              ran_avx2 ? ", AVX2" : "", ran_avx512 ? ", AVX-512VL" : "");
}

TEST(MlKemPoly, FourWayUniformSamplingMatchesSingleSampling) {
  uint8_t rho[32];
  for (int i = 0; i < 32; ++i) rho[i] = static_cast<uint8_t>(i * 29 + 3);
  for (int batch = 0; batch < 4; ++batch) {
    uint8_t xy[4][2];
    std::array<Poly, 4> got;
    Poly* out[4];
    for (int s = 0; s < 4; ++s) {
      xy[s][0] = static_cast<uint8_t>(batch);
      xy[s][1] = static_cast<uint8_t>(s);
      out[s] = &got[static_cast<size_t>(s)];
    }
    SampleUniformX4(rho, xy, out);
    for (int s = 0; s < 4; ++s) {
      Poly want;
      SampleUniform(rho, xy[s][0], xy[s][1], want);
      EXPECT_EQ(got[static_cast<size_t>(s)], want) << batch << "/" << s;
    }
  }
}

}  // namespace
}  // namespace vigil::crypto::pq::mlkem
