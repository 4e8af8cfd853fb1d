// ML-DSA per FIPS 204. Algorithm numbers refer to the standard. Coefficients are uint32 in
// [0, q); products reduce through a 64-bit remainder by the constant q (compiled to
// multiplications). Signing branches only on the rejection conditions, which FIPS 204 allows
// (they reveal the iteration count and nothing else).
#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

#include "pq/bit_packing.h"
#include "pq/ct_declassify.h"
#include "pq/keccak.h"
#include "pq/ml_dsa_internal.h"
#include "pq/ml_dsa_poly.h"

namespace vigil::crypto::pq::internal {
namespace {

using mldsa::Add;
using mldsa::DecomposePoly;
using mldsa::InvNtt;
using mldsa::kN;
using mldsa::kQ;
using mldsa::LowParts;
using mldsa::NegMask;
using mldsa::Ntt;
using mldsa::PointwiseMul;
using mldsa::PointwiseMulAdd;
using mldsa::Poly;
using mldsa::RejectionSample;
using mldsa::Sub;

constexpr int kD = 13;
using PolyVec = std::vector<Poly>;

struct Params {
  int k, l, eta, tau, beta;
  uint32_t gamma1, gamma2;
  int omega, lambda;
  int Gamma1Bits() const { return gamma1 == (1u << 17) ? 18 : 20; }
  int EtaBits() const { return eta == 2 ? 3 : 4; }
  int W1Bits() const { return gamma2 == (kQ - 1) / 88 ? 6 : 4; }
  size_t CTildeBytes() const { return static_cast<size_t>(lambda / 4); }
  size_t PkBytes() const { return 32 + 320 * static_cast<size_t>(k); }
  size_t SkBytes() const { return 128 + 32 * static_cast<size_t>((k + l) * EtaBits() + kD * k); }
  size_t SigBytes() const {
    return CTildeBytes() + 32 * static_cast<size_t>(l * Gamma1Bits()) +
           static_cast<size_t>(omega + k);
  }
};

Result<Params> ParamsFor(AlgorithmId alg) {
  switch (alg) {
    case AlgorithmId::kMlDsa44:
      return Params{4, 4, 2, 39, 78, 1u << 17, (kQ - 1) / 88, 80, 128};
    case AlgorithmId::kMlDsa65:
      return Params{6, 5, 4, 49, 196, 1u << 19, (kQ - 1) / 32, 55, 192};
    case AlgorithmId::kMlDsa87:
      return Params{8, 7, 2, 60, 120, 1u << 19, (kQ - 1) / 32, 75, 256};
    default:
      return InvalidArgumentError("ml-dsa: algorithm is not ML-DSA-44, -65 or -87");
  }
}

// The representative of x mod q in (-q/2, q/2].
inline int32_t Centered(uint32_t x) {
  int32_t v = static_cast<int32_t>(x);
  return v - static_cast<int32_t>(kQ & NegMask((kQ - 1) / 2 - x));
}
inline uint32_t FromSigned(int32_t v) {
  return static_cast<uint32_t>(v) + (kQ & NegMask(static_cast<uint32_t>(v)));
}

void AddTo(Poly& a, const Poly& b) {
  for (int i = 0; i < kN; ++i) a[i] = Add(a[i], b[i]);
}

// Algorithm 30 RejNTTPoly(ρ || s || r), four at a time: four SHAKE128 streams squeezed together
// (AVX2 four-way Keccak where the CPU has it). A 168-byte block holds exactly 56 candidates, so
// each block is sampled on its own; five blocks usually suffice (280 candidates for 256).
// Rejection depends on public data only (the matrix).
void RejNttPolyX4(const uint8_t rho[32], const uint8_t sr[4][2], Poly* const out[4]) {
  uint8_t in[4][34];
  const uint8_t* ins[4];
  for (size_t i = 0; i < 4; ++i) {
    std::memcpy(in[i], rho, 32);
    in[i][32] = sr[i][0];
    in[i][33] = sr[i][1];
    ins[i] = in[i];
  }
  Shake128x4 xof(ins, 34);
  constexpr size_t kFirst = 5;
  uint8_t buf[4][kFirst * Shake128x4::kRate];
  uint8_t* const bufs[4] = {buf[0], buf[1], buf[2], buf[3]};
  xof.SqueezeBlocks(bufs, kFirst);
  int n[4];
  for (size_t i = 0; i < 4; ++i) n[i] = RejectionSample(buf[i], sizeof buf[i], *out[i], 0);
  while (n[0] < kN || n[1] < kN || n[2] < kN || n[3] < kN) {
    xof.SqueezeBlocks(bufs, 1);
    for (size_t i = 0; i < 4; ++i) {
      n[i] = RejectionSample(buf[i], Shake128x4::kRate, *out[i], n[i]);
    }
  }
}

std::vector<PolyVec> ExpandA(const Params& p, const uint8_t rho[32]) {  // Algorithm 32
  std::vector<PolyVec> a(static_cast<size_t>(p.k), PolyVec(static_cast<size_t>(p.l)));
  const int total = p.k * p.l;
  Poly spare;  // a lane past the last entry (k·l = 30 for ML-DSA-65) is sampled and dropped
  for (int first = 0; first < total; first += 4) {
    uint8_t sr[4][2];
    Poly* out[4];
    for (int i = 0; i < 4; ++i) {
      const int e = std::min(first + i, total - 1);
      const int r = e / p.l, s = e % p.l;
      sr[i][0] = static_cast<uint8_t>(s);
      sr[i][1] = static_cast<uint8_t>(r);
      out[i] = first + i < total ? &a[static_cast<size_t>(r)][static_cast<size_t>(s)] : &spare;
    }
    RejNttPolyX4(rho, sr, out);
  }
  return a;
}

int BoundedFromBytes(const Params& p, const uint8_t* buf, size_t len, Poly& a, int n) {
  return mldsa::BoundedSample(p.eta, buf, len, a, n);
}

// The two bytes of a 16-bit index, little-endian, after a 64-byte seed (the SHAKE256 input of
// RejBoundedPoly and ExpandMask).
void SeedAndIndex(const uint8_t seed[64], uint32_t index, uint8_t out[66]) {
  std::memcpy(out, seed, 64);
  out[64] = static_cast<uint8_t>(index);
  out[65] = static_cast<uint8_t>(index >> 8);
}

// Algorithm 31 RejBoundedPoly(ρ' || r), squeezing block by block until 256 coefficients.
Poly RejBoundedPoly(const Params& p, const uint8_t rho[64], uint16_t r) {
  Sponge xof = Sponge::Shake256();
  uint8_t in[66];
  SeedAndIndex(rho, r, in);
  xof.Absorb({in, sizeof in});
  Poly a{};
  int n = 0;
  uint8_t buf[136];
  while (n < kN) {
    xof.Squeeze(buf);
    n = BoundedFromBytes(p, buf, sizeof buf, a, n);
  }
  SecureZero(buf);
  return a;
}

// Algorithm 33 ExpandS: s1 (r = 0..l-1) and s2 (r = l..l+k-1), the SHAKE256 streams computed
// together (Shake256Batch). Each stream's first blocks (two for η = 2, three for η = 4) almost
// always hold 256 accepted half-bytes; a polynomial that needs more is sampled again by the
// block-by-block RejBoundedPoly, which gives the same coefficients.
void ExpandS(const Params& p, const uint8_t rho[64], PolyVec& s1, PolyVec& s2) {
  if (!KeccakX4HasAvx2()) {
    // Without the vector Keccak nothing is gained by batching, and streaming squeezes no
    // block beyond the last one needed.
    s1.clear();
    s2.clear();
    for (int r = 0; r < p.l + p.k; ++r) {
      (r < p.l ? s1 : s2).push_back(RejBoundedPoly(p, rho, static_cast<uint16_t>(r)));
    }
    return;
  }
  constexpr int kMax = 15;  // k + l of ML-DSA-87
  const size_t len = (p.eta == 2 ? 2 : 3) * Shake256x4::kRate;
  const int total = p.l + p.k;
  uint8_t in[kMax][66];
  uint8_t out[kMax][3 * Shake256x4::kRate];
  ByteView ins[kMax];
  std::span<uint8_t> outs[kMax];
  for (int r = 0; r < total; ++r) {
    SeedAndIndex(rho, static_cast<uint32_t>(r), in[r]);
    ins[r] = {in[r], 66};
    outs[r] = {out[r], len};
  }
  Shake256Batch({ins, static_cast<size_t>(total)}, {outs, static_cast<size_t>(total)});
  s1.assign(static_cast<size_t>(p.l), Poly{});
  s2.assign(static_cast<size_t>(p.k), Poly{});
  for (int r = 0; r < total; ++r) {
    Poly& a = r < p.l ? s1[static_cast<size_t>(r)] : s2[static_cast<size_t>(r - p.l)];
    bool short_stream = BoundedFromBytes(p, out[r], len, a, 0) < kN;
    VIGIL_DECLASSIFY(&short_stream, sizeof short_stream);  // the rejection count may leak
    if (short_stream) a = RejBoundedPoly(p, rho, static_cast<uint16_t>(r));
  }
  SecureZero({&out[0][0], sizeof out});
}

// Values v[0, count) with `bits` bits each (count a multiple of 8; bits one of ML-DSA's
// widths), packed little-endian into count · bits / 8 bytes.
void PackBits(const uint32_t* v, int count, int bits, uint8_t* out) {
  switch (bits) {  // the public parameter set
    case 3:
      return PackGroups<3>(v, count, out);
    case 4:
      return PackGroups<4>(v, count, out);
    case 6:
      return PackGroups<6>(v, count, out);
    case 10:
      return PackGroups<10>(v, count, out);
    case 13:
      return PackGroups<13>(v, count, out);
    case 18:
      return PackGroups<18>(v, count, out);
    default:
      return PackGroups<20>(v, count, out);
  }
}

void UnpackBits(const uint8_t* in, int count, int bits, uint32_t* v) {
  switch (bits) {
    case 3:
      return UnpackGroups<3>(in, count, v);
    case 4:
      return UnpackGroups<4>(in, count, v);
    case 6:
      return UnpackGroups<6>(in, count, v);
    case 10:
      return UnpackGroups<10>(in, count, v);
    case 13:
      return UnpackGroups<13>(in, count, v);
    case 18:
      return UnpackGroups<18>(in, count, v);
    default:
      return UnpackGroups<20>(in, count, v);
  }
}

// BitPack(w, a, b): stores b - w_i (w_i in [-a, b]).
void BitPack(const Poly& w, uint32_t b, int bits, uint8_t* out) {
  uint32_t t[kN];
  for (int i = 0; i < kN; ++i)
    t[i] = static_cast<uint32_t>(static_cast<int32_t>(b) - Centered(w[i]));
  PackBits(t, kN, bits, out);
}
Poly BitUnpack(const uint8_t* in, uint32_t b, int bits) {
  uint32_t t[kN];
  UnpackBits(in, kN, bits, t);
  Poly w;
  for (int i = 0; i < kN; ++i)
    w[i] = FromSigned(static_cast<int32_t>(b) - static_cast<int32_t>(t[i]));
  return w;
}

// Algorithm 34 ExpandMask(ρ'', κ): y_r from SHAKE256(ρ'' || κ + r), all l streams together.
PolyVec ExpandMask(const Params& p, const uint8_t rho2[64], uint32_t kappa) {
  constexpr int kMaxL = 7;
  const int gb = p.Gamma1Bits();
  uint8_t in[kMaxL][66];
  uint8_t out[kMaxL][32 * 20];
  ByteView ins[kMaxL];
  std::span<uint8_t> outs[kMaxL];
  for (int r = 0; r < p.l; ++r) {
    SeedAndIndex(rho2, kappa + static_cast<uint32_t>(r), in[r]);
    ins[r] = {in[r], 66};
    outs[r] = {out[r], 32 * static_cast<size_t>(gb)};
  }
  const auto l = static_cast<size_t>(p.l);
  Shake256Batch({ins, l}, {outs, l});
  PolyVec y(l);
  for (size_t r = 0; r < l; ++r) y[r] = BitUnpack(out[r], p.gamma1, gb);
  SecureZero({&out[0][0], sizeof out});
  SecureZero({&in[0][0], sizeof in});
  return y;
}

// Algorithm 40 UseHint on every coefficient of r (verification: public data, so branches).
void UseHint(const Params& p, const std::array<uint8_t, kN>& h, const Poly& r, Poly& w1) {
  const uint32_t m = (kQ - 1) / (2 * p.gamma2);
  LowParts r0;
  DecomposePoly(p.gamma2, r, w1, r0);
  for (size_t c = 0; c < kN; ++c) {
    if (h[c] != 0) w1[c] = r0[c] > 0 ? (w1[c] + 1) % m : (w1[c] + m - 1) % m;
  }
}

int32_t InfNorm(const Poly& w) {
  int32_t m = 0;
  for (uint32_t c : w) {
    int32_t v = Centered(c);
    v = v < 0 ? -v : v;
    m = v > m ? v : m;
  }
  return m;
}

// Algorithm 29 SampleInBall(c̃).
Poly SampleInBall(const Params& p, ByteView c_tilde) {
  Sponge xof = Sponge::Shake256();
  xof.Absorb(c_tilde);
  uint8_t s[8];
  xof.Squeeze(s);
  uint64_t signs = 0;
  for (int i = 0; i < 8; ++i) signs |= uint64_t{s[i]} << (8 * i);
  Poly c{};
  for (int i = kN - p.tau; i < kN; ++i) {
    uint8_t j = 0;
    do {
      xof.Squeeze({&j, 1});
    } while (j > i);
    c[i] = c[j];
    c[j] = (signs & 1) != 0 ? kQ - 1 : 1;
    signs >>= 1;
  }
  return c;
}

void Shake256Out(std::initializer_list<ByteView> parts, std::span<uint8_t> out) {
  Sponge h = Sponge::Shake256();
  for (ByteView part : parts) h.Absorb(part);
  h.Squeeze(out);
}

// Algorithm 28 w1Encode.
Bytes W1Encode(const Params& p, const PolyVec& w1) {
  const int bits = p.W1Bits();
  Bytes out(static_cast<size_t>(32 * bits) * w1.size());
  for (size_t i = 0; i < w1.size(); ++i) {
    PackBits(w1[i].data(), kN, bits, out.data() + static_cast<size_t>(32 * bits) * i);
  }
  return out;
}

struct DecodedSk {
  const uint8_t* rho;
  const uint8_t* key;
  const uint8_t* tr;
  PolyVec s1, s2, t0;
};

Result<DecodedSk> DecodeSk(const Params& p, ByteView sk) {  // Algorithm 25 + range checks
  if (sk.size() != p.SkBytes()) {
    return InvalidArgumentError("ml-dsa: private key must be " + std::to_string(p.SkBytes()) +
                                " bytes, found " + std::to_string(sk.size()));
  }
  DecodedSk d;
  d.rho = sk.data();
  d.key = sk.data() + 32;
  d.tr = sk.data() + 64;
  const uint8_t* q = sk.data() + 128;
  const int eb = p.EtaBits();
  for (int i = 0; i < p.l + p.k; ++i) {
    uint32_t t[kN];
    UnpackBits(q, kN, eb, t);
    uint32_t bad = 0;
    for (uint32_t v : t) bad |= static_cast<uint32_t>(v > 2u * static_cast<uint32_t>(p.eta));
    // Whether a stored key is well formed is not secret; its coefficients are.
    VIGIL_DECLASSIFY(&bad, sizeof bad);
    if (bad != 0) {
      return InvalidArgumentError("ml-dsa: private key " + std::string(i < p.l ? "s1" : "s2") +
                                  " coefficient outside [-eta, eta]");
    }
    (i < p.l ? d.s1 : d.s2).push_back(BitUnpack(q, static_cast<uint32_t>(p.eta), eb));
    q += 32 * eb;
  }
  for (int i = 0; i < p.k; ++i) {
    d.t0.push_back(BitUnpack(q, 1u << (kD - 1), kD));
    q += 32 * kD;
  }
  return d;
}

}  // namespace

size_t MlDsaPublicKeySize(AlgorithmId alg) {
  auto p = ParamsFor(alg);
  return p ? p->PkBytes() : 0;
}
size_t MlDsaPrivateKeySize(AlgorithmId alg) {
  auto p = ParamsFor(alg);
  return p ? p->SkBytes() : 0;
}
size_t MlDsaSignatureSize(AlgorithmId alg) {
  auto p = ParamsFor(alg);
  return p ? p->SigBytes() : 0;
}

Status MlDsaKeyGen(AlgorithmId alg, ByteView xi, Bytes& pk, SecretBytes& sk) {  // Algorithm 6
  VIGIL_ASSIGN_OR_RETURN(Params p, ParamsFor(alg));
  if (xi.size() != 32) {
    return InvalidArgumentError("ml-dsa: seed must be 32 bytes, found " +
                                std::to_string(xi.size()));
  }
  uint8_t kl[2] = {static_cast<uint8_t>(p.k), static_cast<uint8_t>(p.l)};
  SecretBytes expanded(128);
  Shake256Out({xi, {kl, 2}}, expanded.MutableReveal());
  VIGIL_DECLASSIFY(expanded.MutableReveal().data(), 32);  // ρ: part of the public key
  const uint8_t* rho = expanded.Reveal().data();
  const uint8_t* rho_prime = rho + 32;
  const uint8_t* key = rho + 96;
  auto a = ExpandA(p, rho);
  PolyVec s1, s2;
  ExpandS(p, rho_prime, s1, s2);
  PolyVec s1_hat = s1;
  for (auto& x : s1_hat) Ntt(x);
  pk.assign(p.PkBytes(), 0);
  std::memcpy(pk.data(), rho, 32);
  PolyVec t0(static_cast<size_t>(p.k));
  for (int i = 0; i < p.k; ++i) {
    Poly t{};
    for (int j = 0; j < p.l; ++j) PointwiseMulAdd(a[i][j], s1_hat[j], t);
    InvNtt(t);
    AddTo(t, s2[i]);
    Poly t1;
    for (int c = 0; c < kN; ++c) {  // Algorithm 35 Power2Round
      uint32_t r = t[c];
      uint32_t r0 = r & ((1u << kD) - 1);
      int32_t c0 =
          static_cast<int32_t>(r0) -
          static_cast<int32_t>((1u << kD) & (0u - static_cast<uint32_t>(r0 > (1u << (kD - 1)))));
      t1[c] = static_cast<uint32_t>((static_cast<int32_t>(r) - c0) >> kD);
      t0[i][c] = FromSigned(c0);
    }
    VIGIL_DECLASSIFY(t1.data(), sizeof t1);  // t1: the public key
    PackBits(t1.data(), kN, 10, pk.data() + 32 + 320 * i);
  }
  uint8_t tr[64];
  Shake256Out({pk}, tr);
  sk = SecretBytes(p.SkBytes());
  uint8_t* o = sk.MutableReveal().data();
  std::memcpy(o, rho, 32);
  std::memcpy(o + 32, key, 32);
  std::memcpy(o + 64, tr, 64);
  o += 128;
  const int eb = p.EtaBits();
  for (const auto& s : s1) {
    BitPack(s, static_cast<uint32_t>(p.eta), eb, o);
    o += 32 * eb;
  }
  for (const auto& s : s2) {
    BitPack(s, static_cast<uint32_t>(p.eta), eb, o);
    o += 32 * eb;
  }
  for (const auto& t : t0) {
    BitPack(t, 1u << (kD - 1), kD, o);
    o += 32 * kD;
  }
  return OkStatus();
}

Status MlDsaCheckPrivateKey(AlgorithmId alg, ByteView sk) {
  VIGIL_ASSIGN_OR_RETURN(Params p, ParamsFor(alg));
  VIGIL_ASSIGN_OR_RETURN(DecodedSk d, DecodeSk(p, sk));
  (void)d;
  return OkStatus();
}

Bytes MlDsaMu(ByteView pk, ByteView m_prime) {
  uint8_t tr[64];
  Shake256Out({pk}, tr);
  Bytes mu(64);
  Shake256Out({{tr, 64}, m_prime}, mu);
  return mu;
}

Bytes MlDsaMuFromPrivateKey(AlgorithmId, ByteView sk, ByteView m_prime) {
  Bytes mu(64);
  Shake256Out({sk.subspan(64, 64), m_prime}, mu);
  return mu;
}

Result<Bytes> MlDsaSignMu(AlgorithmId alg, ByteView sk, ByteView mu, ByteView rnd) {  // Alg. 7
  VIGIL_ASSIGN_OR_RETURN(Params p, ParamsFor(alg));
  if (mu.size() != 64 || rnd.size() != 32) {
    return InvalidArgumentError("ml-dsa: mu must be 64 bytes and rnd 32 bytes");
  }
  VIGIL_ASSIGN_OR_RETURN(DecodedSk d, DecodeSk(p, sk));
  for (auto& x : d.s1) Ntt(x);
  for (auto& x : d.s2) Ntt(x);
  for (auto& x : d.t0) Ntt(x);
  auto a = ExpandA(p, d.rho);
  uint8_t rho2[64];
  Shake256Out({{d.key, 32}, rnd, mu}, rho2);
  const int gb = p.Gamma1Bits();
  for (uint32_t kappa = 0;; kappa += static_cast<uint32_t>(p.l)) {
    PolyVec y = ExpandMask(p, rho2, kappa);
    PolyVec y_hat = y;
    for (auto& x : y_hat) Ntt(x);
    PolyVec w(static_cast<size_t>(p.k)), w1(static_cast<size_t>(p.k));
    for (int i = 0; i < p.k; ++i) {
      Poly acc{};
      for (int j = 0; j < p.l; ++j) PointwiseMulAdd(a[i][j], y_hat[j], acc);
      InvNtt(acc);
      w[i] = acc;
      LowParts unused;
      DecomposePoly(p.gamma2, acc, w1[i], unused);
    }
    Bytes c_tilde(p.CTildeBytes());
    Bytes w1e = W1Encode(p, w1);
    Shake256Out({mu, w1e}, c_tilde);
    VIGIL_DECLASSIFY(c_tilde.data(), c_tilde.size());  // becomes part of the signature
    Poly c_hat = SampleInBall(p, c_tilde);
    Ntt(c_hat);
    PolyVec z(static_cast<size_t>(p.l));
    bool reject = false;
    for (int j = 0; j < p.l && !reject; ++j) {
      Poly cs1;
      PointwiseMul(c_hat, d.s1[j], cs1);
      InvNtt(cs1);
      z[j] = y[j];
      AddTo(z[j], cs1);
      reject = InfNorm(z[j]) >= static_cast<int32_t>(p.gamma1) - p.beta;
      VIGIL_DECLASSIFY(&reject, sizeof reject);  // the FIPS 204 rejection may leak
    }
    if (reject) continue;
    std::vector<std::array<uint8_t, kN>> h(static_cast<size_t>(p.k));
    int ones = 0;
    for (int i = 0; i < p.k && !reject; ++i) {
      Poly cs2;
      PointwiseMul(c_hat, d.s2[i], cs2);
      InvNtt(cs2);
      Poly r = w[i];
      for (int c = 0; c < kN; ++c) r[c] = Sub(r[c], cs2[c]);
      Poly r_high;
      LowParts r_low;
      DecomposePoly(p.gamma2, r, r_high, r_low);
      int32_t r0max = 0;
      for (int32_t v : r_low) {
        v = v < 0 ? -v : v;
        r0max = v > r0max ? v : r0max;
      }
      bool r0_bad = r0max >= static_cast<int32_t>(p.gamma2) - p.beta;
      VIGIL_DECLASSIFY(&r0_bad, sizeof r0_bad);
      if (r0_bad) {
        reject = true;
        break;
      }
      Poly ct0;
      PointwiseMul(c_hat, d.t0[i], ct0);
      InvNtt(ct0);
      bool ct0_bad = InfNorm(ct0) >= static_cast<int32_t>(p.gamma2);
      VIGIL_DECLASSIFY(&ct0_bad, sizeof ct0_bad);
      if (ct0_bad) {
        reject = true;
        break;
      }
      // MakeHint(-ct0, w - cs2 + ct0): whether adding ct0 to r = w - cs2 moves its high bits.
      Poly rr, rr_high;
      for (int c = 0; c < kN; ++c) rr[c] = Add(r[c], ct0[c]);
      DecomposePoly(p.gamma2, rr, rr_high, r_low);
      for (int c = 0; c < kN; ++c) {
        // Arithmetic, not a conditional: hints of rejected candidates are never published.
        const auto hint = static_cast<uint8_t>(rr_high[c] != r_high[c]);
        h[i][c] = hint;
        ones += hint;
      }
    }
    VIGIL_DECLASSIFY(&ones, sizeof ones);
    if (reject || ones > p.omega) continue;
    // The hints and z are the signature: public from here on.
    for (auto& hi : h) VIGIL_DECLASSIFY(hi.data(), hi.size());
    for (auto& zj : z) VIGIL_DECLASSIFY(zj.data(), sizeof zj);
    Bytes sig(p.SigBytes(), 0);  // Algorithm 26 sigEncode
    std::memcpy(sig.data(), c_tilde.data(), c_tilde.size());
    uint8_t* o = sig.data() + c_tilde.size();
    for (const auto& zj : z) {
      BitPack(zj, p.gamma1, gb, o);
      o += 32 * gb;
    }
    int index = 0;
    for (int i = 0; i < p.k; ++i) {
      for (int c = 0; c < kN; ++c) {
        if (h[i][c] != 0) o[index++] = static_cast<uint8_t>(c);
      }
      o[p.omega + i] = static_cast<uint8_t>(index);
    }
    SecureZero(rho2);
    return sig;
  }
}

bool MlDsaVerifyMu(AlgorithmId alg, ByteView pk, ByteView mu, ByteView sig) {  // Algorithm 8
  auto pr = ParamsFor(alg);
  if (!pr || pk.size() != pr->PkBytes() || sig.size() != pr->SigBytes() || mu.size() != 64) {
    return false;
  }
  const Params& p = *pr;
  const int gb = p.Gamma1Bits();
  ByteView c_tilde = sig.first(p.CTildeBytes());
  const uint8_t* zp = sig.data() + c_tilde.size();
  PolyVec z(static_cast<size_t>(p.l));
  for (int j = 0; j < p.l; ++j) {
    z[j] = BitUnpack(zp + 32 * gb * j, p.gamma1, gb);
    if (InfNorm(z[j]) >= static_cast<int32_t>(p.gamma1) - p.beta) return false;
  }
  // Algorithm 21 HintBitUnpack with its strictness checks.
  const uint8_t* y = zp + 32 * gb * p.l;
  std::vector<std::array<uint8_t, kN>> h(static_cast<size_t>(p.k), std::array<uint8_t, kN>{});
  int index = 0;
  for (int i = 0; i < p.k; ++i) {
    const int end = y[p.omega + i];
    if (end < index || end > p.omega) return false;
    const int first = index;
    while (index < end) {
      if (index > first && y[index - 1] >= y[index]) return false;
      h[i][y[index]] = 1;
      ++index;
    }
  }
  for (int i = index; i < p.omega; ++i) {
    if (y[i] != 0) return false;
  }
  auto a = ExpandA(p, pk.data());
  Poly c_hat = SampleInBall(p, c_tilde);
  Ntt(c_hat);
  for (auto& x : z) Ntt(x);
  PolyVec w1(static_cast<size_t>(p.k));
  for (int i = 0; i < p.k; ++i) {
    Poly t1;
    UnpackBits(pk.data() + 32 + 320 * i, kN, 10, t1.data());
    for (auto& c : t1) c <<= kD;  // t1 < 2^10, so t1 · 2^d ≤ (2^10 - 1) · 2^13 = q - 1
    Ntt(t1);
    Poly acc{};
    for (int j = 0; j < p.l; ++j) PointwiseMulAdd(a[i][j], z[j], acc);
    Poly ct1;
    PointwiseMul(c_hat, t1, ct1);
    for (int c = 0; c < kN; ++c) acc[c] = Sub(acc[c], ct1[c]);
    InvNtt(acc);
    UseHint(p, h[static_cast<size_t>(i)], acc, w1[static_cast<size_t>(i)]);
  }
  Bytes c2(p.CTildeBytes());
  Bytes w1e = W1Encode(p, w1);
  Shake256Out({mu, w1e}, c2);
  return std::equal(c2.begin(), c2.end(), c_tilde.begin());
}

Result<Bytes> MlDsaMessagePrime(ByteView message, ByteView context) {
  if (context.size() > 255) {
    return InvalidArgumentError("ml-dsa: context must be at most 255 bytes, found " +
                                std::to_string(context.size()));
  }
  Bytes m{0, static_cast<uint8_t>(context.size())};
  Append(m, context);
  Append(m, message);
  return m;
}

}  // namespace vigil::crypto::pq::internal
