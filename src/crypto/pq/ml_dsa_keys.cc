// ML-DSA keys behind the SigningKey / VerifyingKey interfaces, pure and pre-hash signing with a
// context, and the PKCS#8 / SPKI encodings.
#include <cstring>

#include "pq/ml_dsa_internal.h"
#include "vigil/core/env.h"
#include "vigil/crypto/hash.h"
#include "vigil/crypto/pq/ml_dsa.h"

namespace vigil::crypto::pq {
namespace {

using internal::MlDsaPublicKeySize;

Status CheckAlg(AlgorithmId alg) {
  if (alg != AlgorithmId::kMlDsa44 && alg != AlgorithmId::kMlDsa65 &&
      alg != AlgorithmId::kMlDsa87) {
    return InvalidArgumentError("ml-dsa: algorithm is not ML-DSA-44, -65 or -87");
  }
  return OkStatus();
}

uint8_t OidLastByte(AlgorithmId alg) {
  return alg == AlgorithmId::kMlDsa44 ? 0x11 : alg == AlgorithmId::kMlDsa65 ? 0x12 : 0x13;
}

// AlgorithmIdentifier { id-ml-dsa-NN } with absent parameters.
Bytes AlgorithmIdentifier(AlgorithmId alg) {
  return {0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, OidLastByte(alg)};
}

class MlDsaVerifyingKey final : public VerifyingKey {
 public:
  MlDsaVerifyingKey(AlgorithmId alg, Bytes pk) : alg_(alg), pk_(std::move(pk)) {}
  AlgorithmId algorithm() const override { return alg_; }
  Status Verify(ByteView message, ByteView signature) const override {
    return MlDsaVerify(*this, message, {}, signature);
  }
  Bytes Encode() const override { return pk_; }

 private:
  AlgorithmId alg_;
  Bytes pk_;
};

class MlDsaSigningKey final : public SigningKey {
 public:
  MlDsaSigningKey(AlgorithmId alg, SecretBytes seed, Bytes pk, SecretBytes sk)
      : alg_(alg), seed_(std::move(seed)), pk_(std::move(pk)), sk_(std::move(sk)) {}
  AlgorithmId algorithm() const override { return alg_; }
  Result<Bytes> Sign(ByteView message) override { return MlDsaSign(*this, message, {}); }
  std::unique_ptr<VerifyingKey> PublicKey() const override {
    return std::make_unique<MlDsaVerifyingKey>(alg_, pk_);
  }
  const SecretBytes& seed() const { return seed_; }
  const Bytes& pk() const { return pk_; }
  const SecretBytes& sk() const { return sk_; }

 private:
  AlgorithmId alg_;
  SecretBytes seed_;
  Bytes pk_;
  SecretBytes sk_;
};

Result<const MlDsaSigningKey*> AsMlDsa(const SigningKey& key) {
  const auto* k = dynamic_cast<const MlDsaSigningKey*>(&key);
  if (k == nullptr) return InvalidArgumentError("ml-dsa: not an ML-DSA signing key");
  return k;
}

Result<Bytes> SignWithPrime(const SigningKey& key, ByteView m_prime) {
  VIGIL_ASSIGN_OR_RETURN(const MlDsaSigningKey* k, AsMlDsa(key));
  uint8_t rnd[32];
  VIGIL_RETURN_IF_ERROR(Env::Default()->FillRandom(rnd));  // hedged signing
  Bytes mu = internal::MlDsaMuFromPrivateKey(k->algorithm(), k->sk().Reveal(), m_prime);
  return internal::MlDsaSignMu(k->algorithm(), k->sk().Reveal(), mu, {rnd, 32});
}

Status VerifyWithPrime(const VerifyingKey& key, ByteView m_prime, ByteView sig) {
  VIGIL_RETURN_IF_ERROR(CheckAlg(key.algorithm()));
  Bytes pk = key.Encode();
  if (!internal::MlDsaVerifyMu(key.algorithm(), pk, internal::MlDsaMu(pk, m_prime), sig)) {
    return UnauthenticatedError("ml-dsa: signature does not verify");
  }
  return OkStatus();
}

// M' = 1 || |ctx| || ctx || OID(PH) || PH(M)   (FIPS 204 Algorithm 4)
Result<Bytes> PrehashPrime(AlgorithmId hash, ByteView message, ByteView context) {
  if (context.size() > 255) return InvalidArgumentError("ml-dsa: context longer than 255 bytes");
  Bytes oid = {0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x00};
  Bytes digest;
  switch (hash) {
    case AlgorithmId::kSha256:
      oid.back() = 0x01;
      digest = *Digest(hash, message);
      break;
    case AlgorithmId::kSha512:
      oid.back() = 0x03;
      digest = *Digest(hash, message);
      break;
    case AlgorithmId::kShake256:
      oid.back() = 0x0c;
      digest = *Shake(hash, message, 64);
      break;
    default:
      return InvalidArgumentError("HashML-DSA: pre-hash must be SHA-256, SHA-512 or SHAKE256");
  }
  Bytes m{1, static_cast<uint8_t>(context.size())};
  Append(m, context);
  Append(m, oid);
  Append(m, digest);
  return m;
}

}  // namespace

Result<std::unique_ptr<SigningKey>> MlDsaFromSeed(AlgorithmId alg, const SecretBytes& seed) {
  VIGIL_RETURN_IF_ERROR(CheckAlg(alg));
  Bytes pk;
  SecretBytes sk;
  VIGIL_RETURN_IF_ERROR(internal::MlDsaKeyGen(alg, seed.Reveal(), pk, sk));
  return std::unique_ptr<SigningKey>(new MlDsaSigningKey(alg, seed, std::move(pk), std::move(sk)));
}

Result<std::unique_ptr<SigningKey>> GenerateMlDsa(AlgorithmId alg) {
  SecretBytes seed(32);
  VIGIL_RETURN_IF_ERROR(Env::Default()->FillRandom(seed.MutableReveal()));
  return MlDsaFromSeed(alg, seed);
}

Result<SecretBytes> MlDsaSeed(const SigningKey& key) {
  VIGIL_ASSIGN_OR_RETURN(const MlDsaSigningKey* k, AsMlDsa(key));
  return k->seed();
}

Result<std::unique_ptr<VerifyingKey>> MlDsaPublicKey(AlgorithmId alg, ByteView pk) {
  VIGIL_RETURN_IF_ERROR(CheckAlg(alg));
  if (pk.size() != MlDsaPublicKeySize(alg)) {
    return InvalidArgumentError("ml-dsa: public key must be " +
                                std::to_string(MlDsaPublicKeySize(alg)) + " bytes, found " +
                                std::to_string(pk.size()));
  }
  return std::unique_ptr<VerifyingKey>(new MlDsaVerifyingKey(alg, Bytes(pk.begin(), pk.end())));
}

Result<Bytes> MlDsaSign(const SigningKey& key, ByteView message, ByteView context) {
  VIGIL_ASSIGN_OR_RETURN(Bytes m_prime, internal::MlDsaMessagePrime(message, context));
  return SignWithPrime(key, m_prime);
}

Status MlDsaVerify(const VerifyingKey& key, ByteView message, ByteView context, ByteView sig) {
  auto m_prime = internal::MlDsaMessagePrime(message, context);
  if (!m_prime) return UnauthenticatedError("ml-dsa: " + m_prime.error().message());
  return VerifyWithPrime(key, *m_prime, sig);
}

Result<Bytes> HashMlDsaSign(const SigningKey& key, AlgorithmId hash, ByteView message,
                            ByteView context) {
  VIGIL_ASSIGN_OR_RETURN(Bytes m_prime, PrehashPrime(hash, message, context));
  return SignWithPrime(key, m_prime);
}

Status HashMlDsaVerify(const VerifyingKey& key, AlgorithmId hash, ByteView message,
                       ByteView context, ByteView sig) {
  auto m_prime = PrehashPrime(hash, message, context);
  if (!m_prime) return UnauthenticatedError("HashML-DSA: " + m_prime.error().message());
  return VerifyWithPrime(key, *m_prime, sig);
}

Result<Bytes> MlDsaPkcs8(const SigningKey& key) {
  VIGIL_ASSIGN_OR_RETURN(const MlDsaSigningKey* k, AsMlDsa(key));
  Bytes der = {0x30, 0x34, 0x02, 0x01, 0x00};
  Append(der, AlgorithmIdentifier(k->algorithm()));
  Append(der, Bytes{0x04, 0x22, 0x80, 0x20});
  Append(der, k->seed().Reveal());
  return der;
}

Result<Bytes> MlDsaSpki(const VerifyingKey& key) {
  VIGIL_RETURN_IF_ERROR(CheckAlg(key.algorithm()));
  Bytes pk = key.Encode();
  const size_t bits_len = pk.size() + 1;
  const size_t inner = 13 + 4 + bits_len;
  Bytes der = {0x30, 0x82, static_cast<uint8_t>(inner >> 8), static_cast<uint8_t>(inner)};
  Append(der, AlgorithmIdentifier(key.algorithm()));
  Append(der, Bytes{0x03, 0x82, static_cast<uint8_t>(bits_len >> 8), static_cast<uint8_t>(bits_len),
                    0x00});
  Append(der, pk);
  return der;
}

Result<std::unique_ptr<SigningKey>> ParseMlDsaPkcs8(ByteView der) {
  for (AlgorithmId alg : {AlgorithmId::kMlDsa44, AlgorithmId::kMlDsa65, AlgorithmId::kMlDsa87}) {
    Bytes prefix = {0x30, 0x34, 0x02, 0x01, 0x00};
    Append(prefix, AlgorithmIdentifier(alg));
    if (der.size() < prefix.size() || !std::equal(prefix.begin(), prefix.end(), der.begin()))
      continue;
    ByteView rest = der.subspan(prefix.size());
    if (rest.size() != 36 || rest[0] != 0x04 || rest[1] != 0x22 || rest[2] != 0x80 ||
        rest[3] != 0x20) {
      return InvalidArgumentError("ml-dsa PKCS#8: only the 32-byte seed form is accepted");
    }
    return MlDsaFromSeed(alg, SecretBytes::CopyFrom(rest.subspan(4)));
  }
  return NotFoundError("not an ML-DSA PKCS#8 key");
}

Result<std::unique_ptr<VerifyingKey>> ParseMlDsaSpki(ByteView der) {
  for (AlgorithmId alg : {AlgorithmId::kMlDsa44, AlgorithmId::kMlDsa65, AlgorithmId::kMlDsa87}) {
    Bytes alg_id = AlgorithmIdentifier(alg);
    if (der.size() < 4 + alg_id.size() ||
        !std::equal(alg_id.begin(), alg_id.end(), der.begin() + 4)) {
      continue;
    }
    const size_t pk_len = MlDsaPublicKeySize(alg);
    if (der.size() != 4 + alg_id.size() + 5 + pk_len) {
      return InvalidArgumentError("ml-dsa SPKI: expected " +
                                  std::to_string(4 + alg_id.size() + 5 + pk_len) +
                                  " bytes, found " + std::to_string(der.size()));
    }
    VIGIL_ASSIGN_OR_RETURN(auto key, MlDsaPublicKey(alg, der.subspan(4 + alg_id.size() + 5)));
    VIGIL_ASSIGN_OR_RETURN(Bytes again, MlDsaSpki(*key));
    if (!std::equal(again.begin(), again.end(), der.begin())) {
      return InvalidArgumentError("ml-dsa SPKI: not the canonical DER encoding");
    }
    return key;
  }
  return NotFoundError("not an ML-DSA SubjectPublicKeyInfo");
}

}  // namespace vigil::crypto::pq
