// ML-KEM per FIPS 203. Algorithm numbers in comments refer to the standard. Coefficients are
// kept fully reduced in [0, q) as uint16; products are reduced with a Barrett step on 32-bit
// values, so no branch or table index depends on secret data.
#include "vigil/crypto/pq/ml_kem.h"

#include <array>
#include <cstring>

#include "crypto/pq/keccak.h"

namespace vigil::crypto::pq {
namespace {

using internal::Sponge;

constexpr int kN = 256;
constexpr uint32_t kQ = 3329;
using Poly = std::array<uint16_t, kN>;

struct Params {
  int k, eta1, eta2, du, dv;
};

Result<Params> ParamsFor(AlgorithmId alg) {
  switch (alg) {
    case AlgorithmId::kMlKem512: return Params{2, 3, 2, 10, 4};
    case AlgorithmId::kMlKem768: return Params{3, 2, 2, 10, 4};
    case AlgorithmId::kMlKem1024: return Params{4, 2, 2, 11, 5};
    default: return InvalidArgumentError("ml-kem: algorithm is not ML-KEM-512, -768 or -1024");
  }
}

// x mod q for x < 2^32 (Barrett with floor(2^32 / q)), constant time.
inline uint16_t Reduce(uint32_t x) {
  uint32_t t = static_cast<uint32_t>((uint64_t{x} * 1290167) >> 32);
  uint32_t r = x - t * kQ;                   // in [0, 2q)
  r -= kQ & (0u - static_cast<uint32_t>(r >= kQ));
  return static_cast<uint16_t>(r);
}
inline uint16_t Add(uint16_t a, uint16_t b) { return Reduce(uint32_t{a} + b); }
inline uint16_t Sub(uint16_t a, uint16_t b) { return Reduce(uint32_t{a} + kQ - b); }
inline uint16_t Mul(uint16_t a, uint16_t b) { return Reduce(uint32_t{a} * b); }

// ζ^BitRev7(i) and ζ^(2·BitRev7(i)+1), ζ = 17, computed once.
struct Tables {
  std::array<uint16_t, 128> zetas;
  std::array<uint16_t, 128> gammas;
  Tables() {
    auto pow = [](uint32_t e) {
      uint32_t r = 1;
      for (uint32_t i = 0; i < e; ++i) r = r * 17 % kQ;
      return static_cast<uint16_t>(r);
    };
    for (uint32_t i = 0; i < 128; ++i) {
      uint32_t br = 0;
      for (int b = 0; b < 7; ++b) br |= ((i >> b) & 1) << (6 - b);
      zetas[i] = pow(br);
      gammas[i] = pow(2 * br + 1);
    }
  }
};
const Tables& T() {
  static const Tables t;
  return t;
}

void Ntt(Poly& f) {  // Algorithm 9
  int i = 1;
  for (int len = 128; len >= 2; len /= 2) {
    for (int start = 0; start < kN; start += 2 * len) {
      uint16_t zeta = T().zetas[i++];
      for (int j = start; j < start + len; ++j) {
        uint16_t t = Mul(zeta, f[j + len]);
        f[j + len] = Sub(f[j], t);
        f[j] = Add(f[j], t);
      }
    }
  }
}

void InvNtt(Poly& f) {  // Algorithm 10
  int i = 127;
  for (int len = 2; len <= 128; len *= 2) {
    for (int start = 0; start < kN; start += 2 * len) {
      uint16_t zeta = T().zetas[i--];
      for (int j = start; j < start + len; ++j) {
        uint16_t t = f[j];
        f[j] = Add(t, f[j + len]);
        f[j + len] = Mul(zeta, Sub(f[j + len], t));
      }
    }
  }
  for (auto& c : f) c = Mul(c, 3303);  // 128^-1 mod q
}

// acc += f ∘ g in the NTT domain (Algorithms 11 and 12).
void MulAcc(Poly& acc, const Poly& f, const Poly& g) {
  for (int i = 0; i < 128; ++i) {
    uint32_t a0 = f[2 * i], a1 = f[2 * i + 1], b0 = g[2 * i], b1 = g[2 * i + 1];
    uint16_t c0 = Add(Mul(static_cast<uint16_t>(a0), static_cast<uint16_t>(b0)),
                      Mul(Mul(static_cast<uint16_t>(a1), static_cast<uint16_t>(b1)), T().gammas[i]));
    uint16_t c1 = Reduce(a0 * b1 + a1 * b0);
    acc[2 * i] = Add(acc[2 * i], c0);
    acc[2 * i + 1] = Add(acc[2 * i + 1], c1);
  }
}

// Algorithm 7: a uniform NTT-domain polynomial from SHAKE128(rho || j || i).
Poly SampleNtt(const uint8_t rho[32], uint8_t j, uint8_t i) {
  Sponge xof = Sponge::Shake128();
  xof.Absorb({rho, 32});
  uint8_t ji[2] = {j, i};
  xof.Absorb({ji, 2});
  Poly a{};
  int n = 0;
  uint8_t buf[168];
  while (n < kN) {
    xof.Squeeze(buf);
    for (int b = 0; b + 3 <= 168 && n < kN; b += 3) {
      uint16_t d1 = static_cast<uint16_t>(buf[b] | ((buf[b + 1] & 0x0f) << 8));
      uint16_t d2 = static_cast<uint16_t>((buf[b + 1] >> 4) | (buf[b + 2] << 4));
      if (d1 < kQ) a[n++] = d1;             // rejection on public data (the matrix A)
      if (d2 < kQ && n < kN) a[n++] = d2;
    }
  }
  return a;
}

// Algorithm 8 with PRF_eta(s, b) = SHAKE256(s || b, 64·eta).
Poly SampleCbd(const uint8_t s[32], uint8_t b, int eta) {
  uint8_t in[33];
  std::memcpy(in, s, 32);
  in[32] = b;
  uint8_t buf[64 * 3];
  const size_t len = 64 * static_cast<size_t>(eta);
  internal::Shake256({in, 33}, {buf, len});
  Poly f{};
  for (int i = 0; i < kN; ++i) {
    uint32_t x = 0, y = 0;
    for (int j = 0; j < eta; ++j) {
      int bx = 2 * i * eta + j;
      int by = 2 * i * eta + eta + j;
      x += (buf[bx / 8] >> (bx % 8)) & 1;
      y += (buf[by / 8] >> (by % 8)) & 1;
    }
    f[i] = Reduce(x + kQ - y);
  }
  SecureZero(buf);
  return f;
}

// Algorithm 5: ByteEncode_d (d ≤ 12), little-endian bit packing.
void ByteEncode(const Poly& f, int d, uint8_t* out) {
  uint32_t acc = 0;
  int bits = 0;
  size_t o = 0;
  for (int i = 0; i < kN; ++i) {
    acc |= uint32_t{f[i]} << bits;
    bits += d;
    while (bits >= 8) {
      out[o++] = static_cast<uint8_t>(acc);
      acc >>= 8;
      bits -= 8;
    }
  }
}

// Algorithm 6: ByteDecode_d; for d = 12 the values are reduced mod q.
Poly ByteDecode(const uint8_t* in, int d) {
  Poly f{};
  uint32_t acc = 0;
  int bits = 0;
  size_t o = 0;
  const uint32_t mask = (1u << d) - 1;
  for (int i = 0; i < kN; ++i) {
    while (bits < d) {
      acc |= uint32_t{in[o++]} << bits;
      bits += 8;
    }
    uint32_t v = acc & mask;
    acc >>= d;
    bits -= d;
    f[i] = d == 12 ? Reduce(v) : static_cast<uint16_t>(v);
  }
  return f;
}

// Compress_d(x) = round(2^d · x / q) mod 2^d, with the division by the constant q done by
// the compiler as a multiplication (no data-dependent timing).
inline uint16_t Compress(uint16_t x, int d) {
  uint64_t num = (uint64_t{x} << d) + kQ / 2;
  return static_cast<uint16_t>((num / kQ) & ((1u << d) - 1));
}
inline uint16_t Decompress(uint16_t y, int d) {
  return static_cast<uint16_t>((uint32_t{y} * kQ + (1u << (d - 1))) >> d);
}

using PolyVec = std::vector<Poly>;

// The matrix Â (Algorithm 13 line 3 / Algorithm 14 line 4): Â[i][j] = SampleNTT(ρ || j || i).
std::vector<PolyVec> ExpandA(const uint8_t rho[32], int k) {
  std::vector<PolyVec> a(static_cast<size_t>(k), PolyVec(static_cast<size_t>(k)));
  for (int i = 0; i < k; ++i) {
    for (int j = 0; j < k; ++j) {
      a[i][j] = SampleNtt(rho, static_cast<uint8_t>(j), static_cast<uint8_t>(i));
    }
  }
  return a;
}

// Algorithm 13: K-PKE.KeyGen(d) → (ek, dk_pke).
void PkeKeyGen(const Params& p, const uint8_t d[32], Bytes& ek, Bytes& dk_pke) {
  uint8_t in[33];
  std::memcpy(in, d, 32);
  in[32] = static_cast<uint8_t>(p.k);
  uint8_t g[64];
  internal::Sha3_512({in, 33}, g);
  const uint8_t* rho = g;
  const uint8_t* sigma = g + 32;
  auto a = ExpandA(rho, p.k);
  uint8_t n = 0;
  PolyVec s(static_cast<size_t>(p.k)), e(static_cast<size_t>(p.k));
  for (auto& si : s) si = SampleCbd(sigma, n++, p.eta1);
  for (auto& ei : e) ei = SampleCbd(sigma, n++, p.eta1);
  for (auto& si : s) Ntt(si);
  for (auto& ei : e) Ntt(ei);
  const size_t k = static_cast<size_t>(p.k);
  ek.assign(384 * k + 32, 0);
  dk_pke.assign(384 * k, 0);
  for (size_t i = 0; i < k; ++i) {
    Poly t = e[i];
    for (size_t j = 0; j < k; ++j) MulAcc(t, a[i][j], s[j]);
    ByteEncode(t, 12, ek.data() + 384 * i);
    ByteEncode(s[i], 12, dk_pke.data() + 384 * i);
  }
  std::memcpy(ek.data() + 384 * k, rho, 32);
  for (auto& si : s) SecureZero({reinterpret_cast<uint8_t*>(si.data()), sizeof si});  // NOLINT
  SecureZero(g);
}

// Algorithm 14: K-PKE.Encrypt(ek, m, r).
Bytes PkeEncrypt(const Params& p, ByteView ek, const uint8_t m[32], const uint8_t r[32]) {
  const size_t k = static_cast<size_t>(p.k);
  PolyVec t(k);
  for (size_t i = 0; i < k; ++i) t[i] = ByteDecode(ek.data() + 384 * i, 12);
  auto a = ExpandA(ek.data() + 384 * k, p.k);
  uint8_t n = 0;
  PolyVec y(k), e1(k);
  for (auto& yi : y) yi = SampleCbd(r, n++, p.eta1);
  for (auto& ei : e1) ei = SampleCbd(r, n++, p.eta2);
  Poly e2 = SampleCbd(r, n, p.eta2);
  for (auto& yi : y) Ntt(yi);
  const size_t c1_len = 32 * static_cast<size_t>(p.du) * k;
  Bytes c(c1_len + 32 * static_cast<size_t>(p.dv), 0);
  for (size_t i = 0; i < k; ++i) {
    Poly u{};
    for (size_t j = 0; j < k; ++j) MulAcc(u, a[j][i], y[j]);  // Âᵀ ∘ ŷ
    InvNtt(u);
    for (int x = 0; x < kN; ++x) u[x] = Compress(Add(u[x], e1[i][x]), p.du);
    ByteEncode(u, p.du, c.data() + 32 * static_cast<size_t>(p.du) * i);
  }
  Poly v{};
  for (size_t j = 0; j < k; ++j) MulAcc(v, t[j], y[j]);
  InvNtt(v);
  Poly mu = ByteDecode(m, 1);
  for (int x = 0; x < kN; ++x) {
    uint16_t mx = Decompress(mu[x], 1);
    v[x] = Compress(Add(Add(v[x], e2[x]), mx), p.dv);
  }
  ByteEncode(v, p.dv, c.data() + c1_len);
  return c;
}

// Algorithm 15: K-PKE.Decrypt(dk_pke, c) → m.
void PkeDecrypt(const Params& p, ByteView dk_pke, ByteView c, uint8_t m[32]) {
  const size_t k = static_cast<size_t>(p.k);
  const size_t c1_len = 32 * static_cast<size_t>(p.du) * k;
  Poly w{};
  for (size_t i = 0; i < k; ++i) {
    Poly u = ByteDecode(c.data() + 32 * static_cast<size_t>(p.du) * i, p.du);
    for (auto& x : u) x = Decompress(x, p.du);
    Ntt(u);
    Poly s = ByteDecode(dk_pke.data() + 384 * i, 12);
    MulAcc(w, s, u);
    SecureZero({reinterpret_cast<uint8_t*>(s.data()), sizeof s});  // NOLINT
  }
  InvNtt(w);
  Poly v = ByteDecode(c.data() + c1_len, p.dv);
  for (int x = 0; x < kN; ++x) w[x] = Compress(Sub(Decompress(v[x], p.dv), w[x]), 1);
  std::memset(m, 0, 32);
  ByteEncode(w, 1, m);
}

}  // namespace

size_t MlKemPublicKeySize(AlgorithmId alg) {
  auto p = ParamsFor(alg);
  return p ? 384 * static_cast<size_t>(p->k) + 32 : 0;
}
size_t MlKemPrivateKeySize(AlgorithmId alg) {
  auto p = ParamsFor(alg);
  return p ? 768 * static_cast<size_t>(p->k) + 96 : 0;
}
size_t MlKemCiphertextSize(AlgorithmId alg) {
  auto p = ParamsFor(alg);
  return p ? 32 * static_cast<size_t>(p->du * p->k + p->dv) : 0;
}

Result<MlKemPublicKey> MlKemPublicKey::Parse(AlgorithmId alg, ByteView ek) {
  VIGIL_ASSIGN_OR_RETURN(Params p, ParamsFor(alg));
  const size_t k = static_cast<size_t>(p.k);
  if (ek.size() != 384 * k + 32) {
    return InvalidArgumentError("ml-kem: encapsulation key must be " + std::to_string(384 * k + 32) +
                                " bytes, found " + std::to_string(ek.size()));
  }
  // FIPS 203 §7.2 modulus check: every 12-bit coefficient must already be below q.
  for (size_t i = 0; i < 384 * k; i += 3) {
    uint16_t d1 = static_cast<uint16_t>(ek[i] | ((ek[i + 1] & 0x0f) << 8));
    uint16_t d2 = static_cast<uint16_t>((ek[i + 1] >> 4) | (ek[i + 2] << 4));
    if (d1 >= kQ || d2 >= kQ) {
      return InvalidArgumentError("ml-kem: encapsulation key coefficient " +
                                  std::to_string((i / 3) * 2 + (d1 >= kQ ? 0 : 1)) +
                                  " is not reduced modulo q (modulus check failed)");
    }
  }
  return MlKemPublicKey(alg, Bytes(ek.begin(), ek.end()));
}

Result<MlKemEncapsulation> MlKemPublicKey::Encapsulate(Env& env) const {
  SecretBytes m(32);
  VIGIL_RETURN_IF_ERROR(env.FillRandom(m.MutableReveal()));
  return EncapsulateDeterministic(m.Reveal());
}

Result<MlKemEncapsulation> MlKemPublicKey::EncapsulateDeterministic(ByteView m) const {
  if (m.size() != 32) return InvalidArgumentError("ml-kem: m must be 32 bytes");
  VIGIL_ASSIGN_OR_RETURN(Params p, ParamsFor(alg_));
  uint8_t in[64];  // m || H(ek)      (Algorithm 17)
  std::memcpy(in, m.data(), 32);
  internal::Sha3_256(ek_, in + 32);
  uint8_t kr[64];
  internal::Sha3_512({in, 64}, kr);
  MlKemEncapsulation out;
  out.ciphertext = PkeEncrypt(p, ek_, m.data(), kr + 32);
  out.shared_secret = SecretBytes::CopyFrom({kr, 32});
  SecureZero(kr);
  SecureZero(in);
  return out;
}

Result<MlKemPrivateKey> MlKemPrivateKey::Generate(AlgorithmId alg, Env& env) {
  SecretBytes seed(64);
  VIGIL_RETURN_IF_ERROR(env.FillRandom(seed.MutableReveal()));
  return FromSeed(alg, seed);
}

Result<MlKemPrivateKey> MlKemPrivateKey::FromSeed(AlgorithmId alg, const SecretBytes& seed) {
  VIGIL_ASSIGN_OR_RETURN(Params p, ParamsFor(alg));
  if (seed.size() != 64) {
    return InvalidArgumentError("ml-kem: seed (d || z) must be 64 bytes, found " +
                                std::to_string(seed.size()));
  }
  Bytes ek, dk_pke;  // Algorithm 16
  PkeKeyGen(p, seed.Reveal().data(), ek, dk_pke);
  SecretBytes dk(dk_pke.size() + ek.size() + 64);
  auto out = dk.MutableReveal();
  std::memcpy(out.data(), dk_pke.data(), dk_pke.size());
  std::memcpy(out.data() + dk_pke.size(), ek.data(), ek.size());
  internal::Sha3_256(ek, out.data() + dk_pke.size() + ek.size());
  std::memcpy(out.data() + dk_pke.size() + ek.size() + 32, seed.Reveal().data() + 32, 32);
  SecureZero(dk_pke);
  return MlKemPrivateKey(alg, std::move(dk));
}

Result<MlKemPrivateKey> MlKemPrivateKey::ParseExpanded(AlgorithmId alg, const SecretBytes& dk) {
  VIGIL_ASSIGN_OR_RETURN(Params p, ParamsFor(alg));
  const size_t k = static_cast<size_t>(p.k);
  if (dk.size() != 768 * k + 96) {
    return InvalidArgumentError("ml-kem: decapsulation key must be " +
                                std::to_string(768 * k + 96) + " bytes, found " +
                                std::to_string(dk.size()));
  }
  // FIPS 203 §7.3 hash check: H(ek) stored in dk must match the ek stored in dk.
  ByteView all = dk.Reveal();
  uint8_t h[32];
  internal::Sha3_256(all.subspan(384 * k, 384 * k + 32), h);
  if (!ConstantTimeEquals({h, 32}, all.subspan(768 * k + 32, 32))) {
    return InvalidArgumentError("ml-kem: decapsulation key hash check failed (H(ek) mismatch)");
  }
  return MlKemPrivateKey(alg, dk);
}

MlKemPublicKey MlKemPrivateKey::PublicKey() const {
  const size_t k = MlKemPublicKeySize(alg_) / 384;
  ByteView ek = dk_.Reveal().subspan(384 * k, 384 * k + 32);
  return MlKemPublicKey(alg_, Bytes(ek.begin(), ek.end()));
}

Result<SecretBytes> MlKemPrivateKey::Decapsulate(ByteView c) const {
  VIGIL_ASSIGN_OR_RETURN(Params p, ParamsFor(alg_));
  if (c.size() != MlKemCiphertextSize(alg_)) {
    return InvalidArgumentError("ml-kem: ciphertext must be " +
                                std::to_string(MlKemCiphertextSize(alg_)) + " bytes, found " +
                                std::to_string(c.size()));
  }
  const size_t k = static_cast<size_t>(p.k);
  ByteView dk = dk_.Reveal();
  ByteView dk_pke = dk.first(384 * k);
  ByteView ek = dk.subspan(384 * k, 384 * k + 32);
  ByteView h = dk.subspan(768 * k + 32, 32);
  ByteView z = dk.subspan(768 * k + 64, 32);
  uint8_t in[64];  // Algorithm 18
  PkeDecrypt(p, dk_pke, c, in);
  std::memcpy(in + 32, h.data(), 32);
  uint8_t kr[64];
  internal::Sha3_512({in, 64}, kr);
  uint8_t k_bar[32];  // J(z || c)
  Sponge j = Sponge::Shake256();
  j.Absorb(z);
  j.Absorb(c);
  j.Squeeze(k_bar);
  Bytes c2 = PkeEncrypt(p, ek, in, kr + 32);
  // Constant-time select: K' if the ciphertext re-encrypts, else the rejection key.
  uint8_t diff = 0;
  for (size_t i = 0; i < c.size(); ++i) diff |= static_cast<uint8_t>(c[i] ^ c2[i]);
  const uint32_t d = diff;
  const auto mask = static_cast<uint8_t>(0u - ((d | (0u - d)) >> 31));  // 0xff iff c != c'
  SecretBytes key(32);
  for (int i = 0; i < 32; ++i) {
    key.MutableReveal()[i] = static_cast<uint8_t>((kr[i] & ~mask) | (k_bar[i] & mask));
  }
  SecureZero(kr);
  SecureZero(in);
  SecureZero(k_bar);
  return key;
}

}  // namespace vigil::crypto::pq
