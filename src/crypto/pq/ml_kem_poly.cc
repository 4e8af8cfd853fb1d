#include "pq/ml_kem_poly.h"

#include <algorithm>
#include <cstring>
#include <span>

#include "pq/bit_packing.h"
#include "pq/keccak.h"
#include "pq/ml_kem_avx2.h"
#include "pq/ml_kem_neon.h"
#include "pq/vector_path.h"
#include "vigil/crypto/secret_bytes.h"

namespace vigil::crypto::pq::mlkem {
namespace {

// a · b · R^-1 mod q in (-q, q), for |a · b| < 2^15 · q.
inline int16_t FqMul(int16_t a, int16_t b) { return MontgomeryReduce(int32_t{a} * b); }

void BarrettAll(Poly& f) {
  for (auto& c : f) c = BarrettReduce(c);
}

inline uint32_t Load32(const uint8_t* p) {
  return uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
}
inline uint32_t Load24(const uint8_t* p) {
  return uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16);
}

// CBD_3: each coefficient takes 6 bits, x = b0 + b1 + b2 and y = b3 + b4 + b5; 4 per 3 bytes.
void Cbd3(const uint8_t buf[192], Poly& out) {
  for (int w = 0; w < kN / 4; ++w) {
    const uint32_t t = Load24(buf + 3 * w);
    const uint32_t d = (t & 0x249249u) + ((t >> 1) & 0x249249u) + ((t >> 2) & 0x249249u);
    for (int i = 0; i < 4; ++i) {
      const auto x = static_cast<int16_t>((d >> (6 * i)) & 7);
      const auto y = static_cast<int16_t>((d >> (6 * i + 3)) & 7);
      out[static_cast<size_t>(4 * w + i)] = static_cast<int16_t>(x - y);
    }
  }
}

// One Cooley-Tukey (forward) or Gentleman-Sande (inverse) butterfly group over lo[0, Len) and
// hi[0, Len). The trip count is a constant and the halves are declared disjoint, so the compiler
// vectorises the groups with Len >= 8.
template <int Len>
inline void ForwardButterflies(int16_t* __restrict lo, int16_t* __restrict hi, int16_t zeta) {
  for (int j = 0; j < Len; ++j) {
    const int16_t t = FqMul(zeta, hi[j]);
    hi[j] = static_cast<int16_t>(lo[j] - t);
    lo[j] = static_cast<int16_t>(lo[j] + t);
  }
}

template <int Len>
inline void InverseButterflies(int16_t* __restrict lo, int16_t* __restrict hi, int16_t zeta) {
  for (int j = 0; j < Len; ++j) {
    const int16_t t = lo[j];
    const int16_t u = hi[j];
    lo[j] = static_cast<int16_t>(t + u);
    hi[j] = FqMul(zeta, static_cast<int16_t>(u - t));
  }
}

template <int Len>
void ForwardLayer(Poly& f, size_t& k) {
  for (int start = 0; start < kN; start += 2 * Len) {
    ForwardButterflies<Len>(f.data() + start, f.data() + start + Len, kTwiddles.zetas[k++]);
  }
}

template <int Len>
void InverseLayer(Poly& f, size_t& k) {
  for (int start = 0; start < kN; start += 2 * Len) {
    InverseButterflies<Len>(f.data() + start, f.data() + start + Len, kTwiddles.zetas[k--]);
  }
}

}  // namespace

void ToCanonical(Poly& f) {
  for (auto& c : f) c = Canonical(c);
}

int RejectionSamplePortable(const uint8_t* buf, size_t len, int16_t* tmp, int n) {
  // Each candidate is stored first and kept by advancing n, so the loop has no data-dependent
  // branch (the data is public anyway; this is for speed, as about one candidate in five is
  // rejected).
  for (size_t b = 0; b + 3 <= len && n < kN; b += 3) {
    const auto d1 = static_cast<uint16_t>(buf[b] | ((buf[b + 1] & 0x0f) << 8));
    const auto d2 = static_cast<uint16_t>((buf[b + 1] >> 4) | (buf[b + 2] << 4));
    tmp[n] = static_cast<int16_t>(d1);
    n += static_cast<int>(d1 < kQ);
    tmp[n] = static_cast<int16_t>(d2);
    n += static_cast<int>(d2 < kQ) & static_cast<int>(n < kN);
  }
  return n;
}

int RejectionSample(const uint8_t* buf, size_t len, int16_t* tmp, int n) {
#if defined(__x86_64__)
  if (internal::UseAvx2()) {
    const size_t used = avx2::RejectionSampleBulk(buf, len, tmp, n);
    buf += used;
    len -= used;
  }
#endif
  return RejectionSamplePortable(buf, len, tmp, n);
}

void Ntt(Poly& f) {
#if defined(__x86_64__)
  if (internal::UseAvx2()) return avx2::Ntt(f);
#elif defined(__aarch64__)
  if (internal::UseNeon()) return neon::Ntt(f);
#endif
  NttPortable(f);
}

void NttPortable(Poly& f) {
  // Each layer adds a product of magnitude < q, so after 7 layers |f_i| < 8q < 2^15: no
  // reduction is needed until the end.
  size_t k = 1;
  ForwardLayer<128>(f, k);
  ForwardLayer<64>(f, k);
  ForwardLayer<32>(f, k);
  ForwardLayer<16>(f, k);
  ForwardLayer<8>(f, k);
  ForwardLayer<4>(f, k);
  ForwardLayer<2>(f, k);
  BarrettAll(f);
}

void InvNttFromMontgomery(Poly& f) {
#if defined(__x86_64__)
  if (internal::UseAvx2()) return avx2::InvNttFromMontgomery(f);
#elif defined(__aarch64__)
  if (internal::UseNeon()) return neon::InvNttFromMontgomery(f);
#endif
  InvNttFromMontgomeryPortable(f);
}

void InvNttFromMontgomeryPortable(Poly& f) {
  // The sums double their bound at each layer (q, 2q, 4q, 8q): reduce after the layers of
  // length 8 and 64, so no value reaches 16q > 2^15.
  size_t k = 127;
  InverseLayer<2>(f, k);
  InverseLayer<4>(f, k);
  InverseLayer<8>(f, k);
  BarrettAll(f);
  InverseLayer<16>(f, k);
  InverseLayer<32>(f, k);
  InverseLayer<64>(f, k);
  BarrettAll(f);
  InverseLayer<128>(f, k);
  // 1441 = R^2 / 128 mod q: divides by 128 (Algorithm 10 line 14) and multiplies by R.
  for (auto& c : f) c = FqMul(c, 1441);
}

void ToMontgomery(Poly& f) {
  for (auto& c : f) c = FqMul(c, 1353);  // 1353 = R^2 mod q
}

void AddTo(Poly& f, const Poly& g) {
  for (size_t i = 0; i < kN; ++i) f[i] = static_cast<int16_t>(f[i] + g[i]);
}

void MulAccumulator::Twist(const Poly& b, Poly& b_twisted) {
  for (size_t i = 0; i < kN / 2; ++i) {
    b_twisted[2 * i] = 0;
    b_twisted[2 * i + 1] = FqMul(b[2 * i + 1], kTwiddles.gammas[i]);
  }
}

void MulAccumulator::Add(const Poly& a, const Poly& b, const Poly& b_twisted) {
#if defined(__x86_64__)
  if (internal::UseAvx2()) return avx2::MulAccumulate(acc_, a, b, b_twisted);
#elif defined(__aarch64__)
  if (internal::UseNeon()) return neon::MulAccumulate(acc_, a, b, b_twisted);
#endif
  AddPortable(acc_, a, b, b_twisted);
}

void MulAccumulator::Reduce(Poly& out) const {
#if defined(__x86_64__)
  if (internal::UseAvx2()) return avx2::ReduceAccumulator(acc_, out);
#endif
  ReducePortable(acc_, out);
}

void MulAccumulator::AddPortable(Sums& acc, const Poly& a, const Poly& b, const Poly& b_twisted) {
  // Algorithm 12: (a0 + a1·X)(b0 + b1·X) mod (X^2 − γ) = a0·b0 + a1·b1·γ + (a0·b1 + a1·b0)·X.
  for (size_t i = 0; i < kN; i += 2) {
    const int32_t a0 = a[i], a1 = a[i + 1], b0 = b[i], b1 = b[i + 1], b1g = b_twisted[i + 1];
    acc[i] += a0 * b0 + a1 * b1g;
    acc[i + 1] += a0 * b1 + a1 * b0;
  }
}

void MulAccumulator::ReducePortable(const Sums& acc, Poly& out) {
  for (size_t i = 0; i < kN; ++i) out[i] = MontgomeryReduce(acc[i]);
}

void SampleUniform(const uint8_t rho[32], uint8_t x, uint8_t y, Poly& out) {
  internal::Sponge xof = internal::Sponge::Shake128();
  uint8_t in[34];
  std::memcpy(in, rho, 32);
  in[32] = x;
  in[33] = y;
  xof.Absorb({in, sizeof in});
  // Three blocks give 336 candidates, enough for 256 accepted ones in about 99% of cases; then
  // one block at a time.
  uint8_t buf[3 * 168];
  xof.Squeeze(buf);
  int16_t tmp[kN + 1];
  int n = RejectionSample(buf, sizeof buf, tmp, 0);
  while (n < kN) {
    xof.Squeeze({buf, 168});
    n = RejectionSample(buf, 168, tmp, n);
  }
  std::memcpy(out.data(), tmp, sizeof out);
}

void SampleUniformX4(const uint8_t rho[32], const uint8_t xy[4][2], Poly* const out[4]) {
  uint8_t in[4][34];
  const uint8_t* ins[4];
  for (size_t s = 0; s < 4; ++s) {
    std::memcpy(in[s], rho, 32);
    in[s][32] = xy[s][0];
    in[s][33] = xy[s][1];
    ins[s] = in[s];
  }
  internal::Shake128x4 xof(ins, 34);
  uint8_t buf[4][3 * 168];
  uint8_t* const bufs[4] = {buf[0], buf[1], buf[2], buf[3]};
  xof.SqueezeBlocks(bufs, 3);
  int16_t tmp[4][kN + 1];
  int n[4];
  for (size_t s = 0; s < 4; ++s) n[s] = RejectionSample(buf[s], sizeof buf[s], tmp[s], 0);
  while (n[0] < kN || n[1] < kN || n[2] < kN || n[3] < kN) {
    xof.SqueezeBlocks(bufs, 1);
    for (size_t s = 0; s < 4; ++s) n[s] = RejectionSample(buf[s], 168, tmp[s], n[s]);
  }
  for (size_t s = 0; s < 4; ++s) std::memcpy(out[s]->data(), tmp[s], sizeof(Poly));
}

void Cbd2(const uint8_t buf[128], Poly& out) {
#if defined(__x86_64__)
  if (internal::UseAvx2()) return avx2::Cbd2(buf, out);
#endif
  Cbd2Portable(buf, out);
}

// Each coefficient takes 4 bits, x = b0 + b1 and y = b2 + b3; 8 coefficients per word.
void Cbd2Portable(const uint8_t buf[128], Poly& out) {
  for (int w = 0; w < kN / 8; ++w) {
    const uint32_t t = Load32(buf + 4 * w);
    const uint32_t d = (t & 0x55555555u) + ((t >> 1) & 0x55555555u);
    for (int i = 0; i < 8; ++i) {
      const auto x = static_cast<int16_t>((d >> (4 * i)) & 3);
      const auto y = static_cast<int16_t>((d >> (4 * i + 2)) & 3);
      out[static_cast<size_t>(8 * w + i)] = static_cast<int16_t>(x - y);
    }
  }
}

void SampleNoise(const uint8_t s[32], uint8_t nonce, int eta, Poly& out) {
  uint8_t in[33];
  std::memcpy(in, s, 32);
  in[32] = nonce;
  uint8_t buf[64 * 3];
  const size_t len = 64 * static_cast<size_t>(eta);
  internal::Shake256({in, sizeof in}, {buf, len});
  if (eta == 2) {
    Cbd2(buf, out);
  } else {
    Cbd3(buf, out);
  }
  SecureZero(buf);
  SecureZero(in);
}

void SampleNoiseBatch(const uint8_t s[32], const NoiseRequest* requests, size_t count) {
  // Chunks of eight keep the buffers on the stack; ML-KEM asks for at most 2k + 1 = 9.
  constexpr size_t kChunk = 8;
  for (size_t first = 0; first < count; first += kChunk) {
    const size_t n = std::min(kChunk, count - first);
    uint8_t in[kChunk][33];
    uint8_t prf[kChunk][64 * 3];
    ByteView ins[kChunk];
    std::span<uint8_t> outs[kChunk];
    for (size_t i = 0; i < n; ++i) {
      const NoiseRequest& r = requests[first + i];
      std::memcpy(in[i], s, 32);
      in[i][32] = r.nonce;
      ins[i] = {in[i], 33};
      outs[i] = {prf[i], 64 * static_cast<size_t>(r.eta)};
    }
    internal::Shake256Batch({ins, n}, {outs, n});
    for (size_t i = 0; i < n; ++i) {
      const NoiseRequest& r = requests[first + i];
      if (r.eta == 2) {  // the public parameter set
        Cbd2(prf[i], *r.out);
      } else {
        Cbd3(prf[i], *r.out);
      }
    }
    SecureZero({&prf[0][0], sizeof prf});
    SecureZero({&in[0][0], sizeof in});
  }
}

void Encode12(const Poly& f, uint8_t out[384]) {
  for (size_t i = 0; i < kN / 2; ++i) {
    const auto a = static_cast<uint16_t>(f[2 * i]);
    const auto b = static_cast<uint16_t>(f[2 * i + 1]);
    out[3 * i] = static_cast<uint8_t>(a);
    out[3 * i + 1] = static_cast<uint8_t>((a >> 8) | (b << 4));
    out[3 * i + 2] = static_cast<uint8_t>(b >> 4);
  }
}

void Decode12(const uint8_t in[384], Poly& f) {
  for (size_t i = 0; i < kN / 2; ++i) {
    const auto a = static_cast<int16_t>(in[3 * i] | ((in[3 * i + 1] & 0x0f) << 8));
    const auto b = static_cast<int16_t>((in[3 * i + 1] >> 4) | (in[3 * i + 2] << 4));
    // Values are below 2^12 < 2q: one constant-time conditional subtraction reduces them.
    const auto ra = static_cast<int16_t>(a - kQ);
    const auto rb = static_cast<int16_t>(b - kQ);
    f[2 * i] = static_cast<int16_t>(ra + (kQ & (ra >> 15)));
    f[2 * i + 1] = static_cast<int16_t>(rb + (kQ & (rb >> 15)));
  }
}

namespace {

template <int D>
void CompressEncodeWith(const Poly& f, uint8_t* out) {
  uint16_t c[kN];
  for (size_t i = 0; i < kN; ++i) c[i] = Compress(f[i], D);
  internal::PackGroups<D>(c, kN, out);
}

template <int D>
void DecodeDecompressWith(const uint8_t* in, Poly& f) {
  uint16_t c[kN];
  internal::UnpackGroups<D>(in, kN, c);
  for (size_t i = 0; i < kN; ++i) f[i] = Decompress(c[i], D);
}

}  // namespace

void CompressEncode(const Poly& f, int d, uint8_t* out) {
  switch (d) {  // the public parameter set (or 1 for the message)
    case 1:
      return CompressEncodeWith<1>(f, out);
    case 4:
      return CompressEncodeWith<4>(f, out);
    case 5:
      return CompressEncodeWith<5>(f, out);
    case 10:
      return CompressEncodeWith<10>(f, out);
    default:
      return CompressEncodeWith<11>(f, out);
  }
}

void DecodeDecompress(const uint8_t* in, int d, Poly& f) {
  switch (d) {
    case 1:
      return DecodeDecompressWith<1>(in, f);
    case 4:
      return DecodeDecompressWith<4>(in, f);
    case 5:
      return DecodeDecompressWith<5>(in, f);
    case 10:
      return DecodeDecompressWith<10>(in, f);
    default:
      return DecodeDecompressWith<11>(in, f);
  }
}

void Wipe(Poly& f) {
  SecureZero({reinterpret_cast<uint8_t*>(f.data()), sizeof f});  // NOLINT: byte view of a POD
}

}  // namespace vigil::crypto::pq::mlkem
