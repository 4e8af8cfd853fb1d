#include "pq/ml_dsa_poly.h"

#include "pq/ct_declassify.h"
#include "pq/ml_dsa_avx2.h"
#include "pq/ml_dsa_neon.h"
#include "pq/vector_path.h"

namespace vigil::crypto::pq::mldsa {

void Ntt(Poly& w) {
#if defined(__x86_64__)
  if (internal::UseAvx2()) return avx2::Ntt(w);
#elif defined(__aarch64__)
  if (internal::UseNeon()) return neon::Ntt(w);
#endif
  NttPortable(w);
}

void InvNtt(Poly& w) {
#if defined(__x86_64__)
  if (internal::UseAvx2()) return avx2::InvNtt(w);
#elif defined(__aarch64__)
  if (internal::UseNeon()) return neon::InvNtt(w);
#endif
  InvNttPortable(w);
}

void PointwiseMul(const Poly& a, const Poly& b, Poly& out) {
#if defined(__x86_64__)
  if (internal::UseAvx2()) return avx2::PointwiseMul(a, b, out);
#elif defined(__aarch64__)
  if (internal::UseNeon()) return neon::PointwiseMul(a, b, out);
#endif
  PointwiseMulPortable(a, b, out);
}

void PointwiseMulAdd(const Poly& a, const Poly& b, Poly& acc) {
#if defined(__x86_64__)
  if (internal::UseAvx2()) return avx2::PointwiseMulAdd(a, b, acc);
#elif defined(__aarch64__)
  if (internal::UseNeon()) return neon::PointwiseMulAdd(a, b, acc);
#endif
  PointwiseMulAddPortable(a, b, acc);
}

void DecomposePoly(uint32_t gamma2, const Poly& r, Poly& r1, LowParts& r0) {
#if defined(__x86_64__)
  if (internal::UseAvx2()) return avx2::DecomposePoly(gamma2, r, r1, r0);
#endif
  DecomposePolyPortable(gamma2, r, r1, r0);
}

void DecomposePolyPortable(uint32_t gamma2, const Poly& r, Poly& r1, LowParts& r0) {
  for (size_t i = 0; i < kN; ++i) {
    if (gamma2 == (kQ - 1) / 88) {  // the public parameter set
      DecomposeWith<(kQ - 1) / 88>(r[i], r1[i], r0[i]);
    } else {
      DecomposeWith<(kQ - 1) / 32>(r[i], r1[i], r0[i]);
    }
  }
}

int RejectionSample(const uint8_t* buf, size_t len, Poly& a, int n) {
#if defined(__x86_64__)
  if (internal::UseAvx2()) {
    const size_t used = avx2::RejectionSampleBulk(buf, len, a, n);
    buf += used;
    len -= used;
  }
#endif
  return RejectionSamplePortable(buf, len, a, n);
}

namespace {

// Algorithm 31's loop for one η: each candidate is stored and kept by advancing n, so no branch
// tests its value.
template <int Eta>
int BoundedSampleWith(const uint8_t* buf, size_t len, Poly& a, int n) {
  constexpr uint32_t kBound = Eta == 2 ? 15 : 9;  // accepted half-bytes: z < kBound
  auto value = [](uint32_t z) {
    const int32_t v = Eta - static_cast<int32_t>(Eta == 2 ? z % 5 : z);
    return static_cast<uint32_t>(v) + (kQ & NegMask(static_cast<uint32_t>(v)));
  };
  for (size_t i = 0; i < len && n < kN; ++i) {
    const uint32_t lo = buf[i] & 15u, hi = buf[i] >> 4;
    // Whether each is kept may leak (ml_dsa_poly.h); the values stay secret.
    uint32_t keep_lo = (lo - kBound) >> 31, keep_hi = (hi - kBound) >> 31;
    VIGIL_DECLASSIFY(&keep_lo, sizeof keep_lo);
    VIGIL_DECLASSIFY(&keep_hi, sizeof keep_hi);
    a[static_cast<size_t>(n)] = value(lo);
    n += static_cast<int>(keep_lo);
    if (n == kN) break;
    a[static_cast<size_t>(n)] = value(hi);
    n += static_cast<int>(keep_hi);
  }
  return n;
}

}  // namespace

int BoundedSample(int eta, const uint8_t* buf, size_t len, Poly& a, int n) {
#if defined(__x86_64__)
  if (internal::UseAvx2()) {
    const size_t used = avx2::BoundedSampleBulk(eta, buf, len, a, n);
    buf += used;
    len -= used;
  }
#endif
  return BoundedSamplePortable(eta, buf, len, a, n);
}

int BoundedSamplePortable(int eta, const uint8_t* buf, size_t len, Poly& a, int n) {
  return eta == 2 ? BoundedSampleWith<2>(buf, len, a, n)  // the public parameter set
                  : BoundedSampleWith<4>(buf, len, a, n);
}

int RejectionSamplePortable(const uint8_t* buf, size_t len, Poly& a, int n) {
  for (size_t b = 0; b + 3 <= len && n < kN; b += 3) {
    const uint32_t c =
        buf[b] | (uint32_t{buf[b + 1]} << 8) | (static_cast<uint32_t>(buf[b + 2] & 0x7f) << 16);
    if (c < kQ) a[static_cast<size_t>(n++)] = c;
  }
  return n;
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
