// ML-KEM per FIPS 203. Algorithm numbers in comments refer to the standard. The polynomial
// arithmetic (Montgomery products, lazy reduction, NTT, sampling, encodings) lives in
// ml_kem_poly.{h,cc}; no branch or table index depends on secret data.
#include "vigil/crypto/pq/ml_kem.h"

#include <array>
#include <cstring>

#include "pq/keccak.h"
#include "pq/ml_kem_poly.h"

namespace vigil::crypto::pq {
namespace {

using internal::Sponge;
using mlkem::AddTo;
using mlkem::CompressEncode;
using mlkem::Decode12;
using mlkem::DecodeDecompress;
using mlkem::Encode12;
using mlkem::InvNttFromMontgomery;
using mlkem::kQ;
using mlkem::MulAccumulator;
using mlkem::NoiseRequest;
using mlkem::Ntt;
using mlkem::Poly;
using mlkem::SampleNoiseBatch;
using mlkem::SampleUniform;
using mlkem::SampleUniformX4;
using mlkem::ToCanonical;
using mlkem::ToMontgomery;

struct Params {
  int k, eta1, eta2, du, dv;
};

Result<Params> ParamsFor(AlgorithmId alg) {
  switch (alg) {
    case AlgorithmId::kMlKem512:
      return Params{2, 3, 2, 10, 4};
    case AlgorithmId::kMlKem768:
      return Params{3, 2, 2, 10, 4};
    case AlgorithmId::kMlKem1024:
      return Params{4, 2, 2, 11, 5};
    default:
      return InvalidArgumentError("ml-kem: algorithm is not ML-KEM-512, -768 or -1024");
  }
}

constexpr int kMaxK = 4;
using PolyVec = std::array<Poly, kMaxK>;

// NTT-domain vectors with their MulAccumulator twists, for the right-hand operand of Â ∘ v.
struct NttVec {
  PolyVec v;
  PolyVec twisted;
  void Twist(int k) {
    for (int i = 0; i < k; ++i) MulAccumulator::Twist(v[i], twisted[i]);
  }
  void Wipe(int k) {
    for (int i = 0; i < k; ++i) {
      mlkem::Wipe(v[i]);
      mlkem::Wipe(twisted[i]);
    }
  }
};

using Matrix = std::array<PolyVec, kMaxK>;

// The matrix Â (Algorithm 13 line 3 / Algorithm 14 line 4), Â[i][j] = SampleNTT(ρ || j || i),
// or its transpose, sampled four entries at a time (four-way SHAKE128) and the rest singly.
void ExpandMatrix(const uint8_t rho[32], int k, bool transposed, Matrix& a) {
  const int total = k * k;
  auto seed_bytes = [&](int e, uint8_t xy[2]) {
    const int i = e / k, j = e % k;  // entry (i, j) of the matrix returned
    xy[0] = static_cast<uint8_t>(transposed ? i : j);
    xy[1] = static_cast<uint8_t>(transposed ? j : i);
    return &a[static_cast<size_t>(i)][static_cast<size_t>(j)];
  };
  int e = 0;
  for (; e + 4 <= total; e += 4) {
    uint8_t xy[4][2];
    Poly* out[4];
    for (int s = 0; s < 4; ++s) out[s] = seed_bytes(e + s, xy[s]);
    SampleUniformX4(rho, xy, out);
  }
  for (; e < total; ++e) {
    uint8_t xy[2];
    Poly* out = seed_bytes(e, xy);
    SampleUniform(rho, xy[0], xy[1], *out);
  }
}

// Row `row` of a ∘ b̂, times R^-1.
void MatrixRowTimes(const Matrix& a, int k, int row, const NttVec& b, Poly& out) {
  MulAccumulator acc;
  for (int j = 0; j < k; ++j)
    acc.Add(a[static_cast<size_t>(row)][static_cast<size_t>(j)], b.v[j], b.twisted[j]);
  acc.Reduce(out);
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
  const int k = p.k;
  NttVec s;
  PolyVec e;
  NoiseRequest noise[2 * kMaxK];
  for (int i = 0; i < k; ++i) {
    noise[i] = {static_cast<uint8_t>(i), p.eta1, &s.v[static_cast<size_t>(i)]};
    noise[k + i] = {static_cast<uint8_t>(k + i), p.eta1, &e[static_cast<size_t>(i)]};
  }
  SampleNoiseBatch(sigma, noise, static_cast<size_t>(2 * k));
  for (int i = 0; i < k; ++i) Ntt(s.v[i]);
  s.Twist(k);
  const auto uk = static_cast<size_t>(k);
  ek.assign(384 * uk + 32, 0);
  dk_pke.assign(384 * uk, 0);
  Matrix a;
  ExpandMatrix(rho, k, /*transposed=*/false, a);
  Poly t;
  for (int i = 0; i < k; ++i) {
    MatrixRowTimes(a, k, i, s, t);
    ToMontgomery(t);  // cancel the accumulator's R^-1: t̂ stays in the NTT domain
    Ntt(e[static_cast<size_t>(i)]);
    AddTo(t, e[static_cast<size_t>(i)]);
    ToCanonical(t);
    Encode12(t, ek.data() + 384 * static_cast<size_t>(i));
    ToCanonical(s.v[i]);
    Encode12(s.v[i], dk_pke.data() + 384 * static_cast<size_t>(i));
  }
  std::memcpy(ek.data() + 384 * uk, rho, 32);
  s.Wipe(k);
  for (auto& ei : e) mlkem::Wipe(ei);
  SecureZero(g);
  SecureZero(in);
}

// Algorithm 14: K-PKE.Encrypt(ek, m, r), writing the ciphertext to c.
void PkeEncrypt(const Params& p, ByteView ek, const uint8_t m[32], const uint8_t r[32],
                uint8_t* c) {
  const int k = p.k;
  const auto uk = static_cast<size_t>(k);
  const uint8_t* rho = ek.data() + 384 * uk;
  NttVec y;
  PolyVec e1;
  Poly e2;
  NoiseRequest noise[2 * kMaxK + 1];
  for (int i = 0; i < k; ++i) {
    noise[i] = {static_cast<uint8_t>(i), p.eta1, &y.v[static_cast<size_t>(i)]};
    noise[k + i] = {static_cast<uint8_t>(k + i), p.eta2, &e1[static_cast<size_t>(i)]};
  }
  noise[2 * k] = {static_cast<uint8_t>(2 * k), p.eta2, &e2};
  SampleNoiseBatch(r, noise, static_cast<size_t>(2 * k + 1));
  for (int i = 0; i < k; ++i) Ntt(y.v[i]);
  y.Twist(k);
  const size_t poly_bytes_u = 32 * static_cast<size_t>(p.du);
  Matrix a;
  ExpandMatrix(rho, k, /*transposed=*/true, a);
  Poly u;
  for (int i = 0; i < k; ++i) {
    MatrixRowTimes(a, k, i, y, u);  // Âᵀ ∘ ŷ
    InvNttFromMontgomery(u);
    AddTo(u, e1[static_cast<size_t>(i)]);
    ToCanonical(u);
    CompressEncode(u, p.du, c + poly_bytes_u * static_cast<size_t>(i));
  }
  MulAccumulator acc;
  Poly t;
  for (int j = 0; j < k; ++j) {
    Decode12(ek.data() + 384 * static_cast<size_t>(j), t);
    acc.Add(t, y.v[j], y.twisted[j]);
  }
  Poly v;
  acc.Reduce(v);
  InvNttFromMontgomery(v);
  AddTo(v, e2);
  Poly mu;
  DecodeDecompress(m, 1, mu);
  AddTo(v, mu);
  ToCanonical(v);
  CompressEncode(v, p.dv, c + poly_bytes_u * uk);
  y.Wipe(k);
  mlkem::Wipe(u);
  for (auto& ei : e1) mlkem::Wipe(ei);
  mlkem::Wipe(e2);
  mlkem::Wipe(v);
  mlkem::Wipe(mu);
}

// Algorithm 15: K-PKE.Decrypt(dk_pke, c) → m.
void PkeDecrypt(const Params& p, ByteView dk_pke, ByteView c, uint8_t m[32]) {
  const int k = p.k;
  const size_t poly_bytes_u = 32 * static_cast<size_t>(p.du);
  MulAccumulator acc;
  Poly u, u_twisted, s;
  for (int i = 0; i < k; ++i) {
    DecodeDecompress(c.data() + poly_bytes_u * static_cast<size_t>(i), p.du, u);
    Ntt(u);
    MulAccumulator::Twist(u, u_twisted);
    Decode12(dk_pke.data() + 384 * static_cast<size_t>(i), s);
    acc.Add(s, u, u_twisted);
  }
  Poly w;
  acc.Reduce(w);
  InvNttFromMontgomery(w);
  Poly v;
  DecodeDecompress(c.data() + poly_bytes_u * static_cast<size_t>(k), p.dv, v);
  for (size_t x = 0; x < mlkem::kN; ++x) w[x] = static_cast<int16_t>(v[x] - w[x]);
  ToCanonical(w);
  std::memset(m, 0, 32);
  CompressEncode(w, 1, m);
  mlkem::Wipe(s);
  mlkem::Wipe(w);
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
    return InvalidArgumentError("ml-kem: encapsulation key must be " +
                                std::to_string(384 * k + 32) + " bytes, found " +
                                std::to_string(ek.size()));
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
  out.ciphertext.assign(MlKemCiphertextSize(alg_), 0);
  PkeEncrypt(p, ek_, m.data(), kr + 32, out.ciphertext.data());
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
  uint8_t c2[32 * (11 * kMaxK + 5)];  // the largest ciphertext (ML-KEM-1024)
  PkeEncrypt(p, ek, in, kr + 32, c2);
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
