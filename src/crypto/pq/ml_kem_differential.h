// Differential checks of a vector implementation of ML-KEM's arithmetic (ml_kem_avx2.h,
// ml_kem_neon.h) against the portable code in ml_kem_poly.h, for those implementations' tests:
// random inputs across each function's documented input range, its edges planted, and every
// output compared for equality with gtest assertions. Test-only (header-only, gtest).
#ifndef VIGIL_CRYPTO_PQ_ML_KEM_DIFFERENTIAL_H_
#define VIGIL_CRYPTO_PQ_ML_KEM_DIFFERENTIAL_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <random>

#include "pq/ml_kem_poly.h"

namespace vigil::crypto::pq::mlkem::differential {

// Coefficients uniform in (-bound, bound), with the extremes planted at a few positions.
inline Poly RandomPoly(std::mt19937& rng, int bound) {
  std::uniform_int_distribution<int> d(-bound + 1, bound - 1);
  Poly f;
  for (auto& c : f) c = static_cast<int16_t>(d(rng));
  f[0] = static_cast<int16_t>(bound - 1);
  f[255] = static_cast<int16_t>(-bound + 1);
  f[static_cast<size_t>(rng() % 256)] = static_cast<int16_t>(bound - 1);
  return f;
}

using Transform = void (*)(Poly&);

// 2,000 random polynomials through each transform, then all coefficients at q - 1 and at
// -(q - 1) (the largest sums every layer can reach).
inline void CheckNttAndInverse(Transform ntt, Transform inv_ntt, uint32_t seed) {
  std::mt19937 rng(seed);
  for (int i = 0; i < 2000; ++i) {
    Poly f = RandomPoly(rng, kQ);
    Poly g = f;
    NttPortable(f);
    ntt(g);
    ASSERT_EQ(f, g) << "ntt, case " << i;
    Poly h = RandomPoly(rng, kQ);
    Poly k = h;
    InvNttFromMontgomeryPortable(h);
    inv_ntt(k);
    ASSERT_EQ(h, k) << "inverse ntt, case " << i;
  }
  for (const int c : {kQ - 1, -kQ + 1}) {
    Poly f;
    f.fill(static_cast<int16_t>(c));
    Poly g = f, h = f, k = f;
    NttPortable(f);
    ntt(g);
    EXPECT_EQ(f, g) << "ntt of all " << c;
    InvNttFromMontgomeryPortable(h);
    inv_ntt(k);
    EXPECT_EQ(h, k) << "inverse ntt of all " << c;
  }
}

using Accumulate = void (*)(MulAccumulator::Sums&, const Poly&, const Poly&, const Poly&);
using Reduce = void (*)(const MulAccumulator::Sums&, Poly&);

// 1,000 accumulations of four products (the accumulator's documented maximum), compared after
// each product and after the final reduction.
inline void CheckAccumulatedProducts(Accumulate accumulate, Reduce reduce, uint32_t seed) {
  std::mt19937 rng(seed);
  for (int i = 0; i < 1000; ++i) {
    MulAccumulator::Sums portable{}, vector{};
    for (int term = 0; term < 4; ++term) {
      const Poly a = RandomPoly(rng, kQ), b = RandomPoly(rng, kQ);
      Poly bt{};
      MulAccumulator::Twist(b, bt);
      MulAccumulator::AddPortable(portable, a, b, bt);
      accumulate(vector, a, b, bt);
      ASSERT_EQ(portable, vector) << "case " << i << ", term " << term;
    }
    Poly p, v;
    MulAccumulator::ReducePortable(portable, p);
    reduce(vector, v);
    ASSERT_EQ(p, v) << "case " << i;
  }
}

}  // namespace vigil::crypto::pq::mlkem::differential

#endif  // VIGIL_CRYPTO_PQ_ML_KEM_DIFFERENTIAL_H_
