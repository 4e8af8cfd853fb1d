// Differential checks of a vector implementation of ML-DSA's NTT and NTT-domain products
// (ml_dsa_avx2.h, ml_dsa_neon.h) against the portable code in ml_dsa_poly.h, for those
// implementations' tests: random canonical inputs with the extremes 0 and q - 1 planted, every
// output compared for equality with gtest assertions. Test-only (header-only, gtest).
#ifndef VIGIL_CRYPTO_PQ_ML_DSA_DIFFERENTIAL_H_
#define VIGIL_CRYPTO_PQ_ML_DSA_DIFFERENTIAL_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <random>

#include "pq/ml_dsa_poly.h"

namespace vigil::crypto::pq::mldsa::differential {

inline Poly RandomPoly(std::mt19937& rng) {
  std::uniform_int_distribution<uint32_t> d(0, kQ - 1);
  Poly f;
  for (auto& c : f) c = d(rng);
  f[0] = kQ - 1;
  f[255] = kQ - 1;
  f[rng() % 256] = 0;
  f[rng() % 256] = kQ - 1;
  return f;
}

using Transform = void (*)(Poly&);

// All coefficients q - 1, then 1,999 random polynomials: forward, inverse, and the round trip.
inline void CheckNttAndInverse(Transform ntt, Transform inv_ntt, uint32_t seed) {
  std::mt19937 rng(seed);
  Poly all_max;
  all_max.fill(kQ - 1);
  for (int i = 0; i < 2000; ++i) {
    const Poly f = i == 0 ? all_max : RandomPoly(rng);
    Poly p = f, v = f;
    NttPortable(p);
    ntt(v);
    ASSERT_EQ(p, v) << "ntt, case " << i;
    InvNttPortable(p);
    inv_ntt(v);
    ASSERT_EQ(p, v) << "inverse ntt, case " << i;
    ASSERT_EQ(p, f) << "the inverse undoes the forward transform, case " << i;
  }
}

using Product = void (*)(const Poly&, const Poly&, Poly&);

// 2,000 random products and accumulated products.
inline void CheckPointwiseProducts(Product mul, Product mul_add, uint32_t seed) {
  std::mt19937 rng(seed);
  for (int i = 0; i < 2000; ++i) {
    const Poly a = RandomPoly(rng), b = RandomPoly(rng);
    Poly p, v;
    PointwiseMulPortable(a, b, p);
    mul(a, b, v);
    ASSERT_EQ(p, v) << "product, case " << i;
    Poly acc_p = RandomPoly(rng);
    Poly acc_v = acc_p;
    PointwiseMulAddPortable(a, b, acc_p);
    mul_add(a, b, acc_v);
    ASSERT_EQ(acc_p, acc_v) << "accumulated product, case " << i;
  }
}

}  // namespace vigil::crypto::pq::mldsa::differential

#endif  // VIGIL_CRYPTO_PQ_ML_DSA_DIFFERENTIAL_H_
