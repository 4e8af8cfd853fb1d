#include "pq/ml_dsa_poly.h"

#include "pq/ml_dsa_avx2.h"
#include "pq/vector_path.h"

namespace vigil::crypto::pq::mldsa {

void Ntt(Poly& w) {
#if defined(__x86_64__)
  if (internal::UseAvx2()) return avx2::Ntt(w);
#endif
  NttPortable(w);
}

void InvNtt(Poly& w) {
#if defined(__x86_64__)
  if (internal::UseAvx2()) return avx2::InvNtt(w);
#endif
  InvNttPortable(w);
}

void PointwiseMul(const Poly& a, const Poly& b, Poly& out) {
#if defined(__x86_64__)
  if (internal::UseAvx2()) return avx2::PointwiseMul(a, b, out);
#endif
  PointwiseMulPortable(a, b, out);
}

void PointwiseMulAdd(const Poly& a, const Poly& b, Poly& acc) {
#if defined(__x86_64__)
  if (internal::UseAvx2()) return avx2::PointwiseMulAdd(a, b, acc);
#endif
  PointwiseMulAddPortable(a, b, acc);
}

void NttPortable(Poly& w) {
  int m = 0;
  for (int len = 128; len >= 1; len /= 2) {
    for (int start = 0; start < kN; start += 2 * len) {
      const uint32_t z = kZetas[static_cast<size_t>(++m)];
      for (int j = start; j < start + len; ++j) {
        const uint32_t t = Mul(z, w[j + len]);
        w[j + len] = Sub(w[j], t);
        w[j] = Add(w[j], t);
      }
    }
  }
}

void InvNttPortable(Poly& w) {
  int m = 256;
  for (int len = 1; len < kN; len *= 2) {
    for (int start = 0; start < kN; start += 2 * len) {
      const uint32_t z = kQ - kZetas[static_cast<size_t>(--m)];
      for (int j = start; j < start + len; ++j) {
        const uint32_t t = w[j];
        w[j] = Add(t, w[j + len]);
        w[j + len] = Mul(z, Sub(t, w[j + len]));
      }
    }
  }
  for (auto& c : w) c = Mul(c, 8347681);  // 256^-1 mod q
}

void PointwiseMulPortable(const Poly& a, const Poly& b, Poly& out) {
  for (size_t i = 0; i < kN; ++i) out[i] = Mul(a[i], b[i]);
}

void PointwiseMulAddPortable(const Poly& a, const Poly& b, Poly& acc) {
  for (size_t i = 0; i < kN; ++i) acc[i] = Add(acc[i], Mul(a[i], b[i]));
}

}  // namespace vigil::crypto::pq::mldsa
