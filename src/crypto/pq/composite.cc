#include "vigil/crypto/pq/composite.h"

#include <algorithm>
#include <optional>

#include "pq/ml_dsa_internal.h"
#include "vigil/crypto/ecdsa.h"
#include "vigil/crypto/ed25519.h"
#include "vigil/crypto/hash.h"
#include "vigil/crypto/pq/ml_dsa.h"
#include "vigil/crypto/registry.h"
#include "vigil/crypto/secret_bytes.h"

namespace vigil::crypto::pq {
namespace {

constexpr std::string_view kPrefix = "CompositeAlgorithmSignatures2025";

struct Combination {
  AlgorithmId id;
  AlgorithmId mldsa;
  AlgorithmId trad;
  std::string_view label;
  size_t trad_pk_size;
};

Result<Combination> CombinationOf(AlgorithmId alg) {
  switch (alg) {
    case AlgorithmId::kMlDsa65Ed25519:
      return Combination{alg, AlgorithmId::kMlDsa65, AlgorithmId::kEd25519,
                         "COMPSIG-MLDSA65-Ed25519-SHA512", 32};
    case AlgorithmId::kMlDsa87EcdsaP384:
      return Combination{alg, AlgorithmId::kMlDsa87, AlgorithmId::kEcdsaP384Sha384,
                         "COMPSIG-MLDSA87-ECDSA-P384-SHA512", 97};
    default:
      return InvalidArgumentError(
          "composite: algorithm is not ML-DSA-65+Ed25519 or "
          "ML-DSA-87+ECDSA-P384");
  }
}

class CompositeVerifyingKey final : public VerifyingKey {
 public:
  CompositeVerifyingKey(Combination c, std::unique_ptr<VerifyingKey> mldsa,
                        std::unique_ptr<VerifyingKey> trad)
      : c_(c), mldsa_(std::move(mldsa)), trad_(std::move(trad)) {}
  AlgorithmId algorithm() const override { return c_.id; }
  Status Verify(ByteView message, ByteView signature) const override {
    return CompositeVerify(*this, message, {}, signature);
  }
  Bytes Encode() const override {
    Bytes out = mldsa_->Encode();
    Append(out, trad_->Encode());
    return out;
  }
  const Combination& combination() const { return c_; }
  const VerifyingKey& mldsa() const { return *mldsa_; }
  const VerifyingKey& trad() const { return *trad_; }

 private:
  Combination c_;
  std::unique_ptr<VerifyingKey> mldsa_;
  std::unique_ptr<VerifyingKey> trad_;
};

class CompositeSigningKey final : public SigningKey {
 public:
  CompositeSigningKey(Combination c, std::unique_ptr<SigningKey> mldsa,
                      std::unique_ptr<SigningKey> trad)
      : c_(c), mldsa_(std::move(mldsa)), trad_(std::move(trad)) {}
  AlgorithmId algorithm() const override { return c_.id; }
  Result<Bytes> Sign(ByteView message) override { return CompositeSign(*this, message, {}); }
  std::unique_ptr<VerifyingKey> PublicKey() const override {
    return std::make_unique<CompositeVerifyingKey>(c_, mldsa_->PublicKey(), trad_->PublicKey());
  }
  const Combination& combination() const { return c_; }
  SigningKey& mldsa() const { return *mldsa_; }
  SigningKey& trad() const { return *trad_; }

 private:
  Combination c_;
  std::unique_ptr<SigningKey> mldsa_;
  std::unique_ptr<SigningKey> trad_;
};

// AlgorithmIdentifier { id-MLDSA65-Ed25519-SHA512 (1.3.6.1.5.5.7.6.48) } and
// { id-MLDSA87-ECDSA-P384-SHA512 (1.3.6.1.5.5.7.6.49) }, parameters absent.
constexpr uint8_t kMlDsa65Ed25519AlgId[] = {0x30, 0x0a, 0x06, 0x08, 0x2b, 0x06,
                                            0x01, 0x05, 0x05, 0x07, 0x06, 0x30};
constexpr uint8_t kMlDsa87EcdsaP384AlgId[] = {0x30, 0x0a, 0x06, 0x08, 0x2b, 0x06,
                                              0x01, 0x05, 0x05, 0x07, 0x06, 0x31};
constexpr size_t kAlgIdSize = sizeof kMlDsa65Ed25519AlgId;
static_assert(sizeof kMlDsa87EcdsaP384AlgId == kAlgIdSize);
constexpr size_t kSeedSize = 32;

ByteView AlgIdOf(AlgorithmId alg) {
  return alg == AlgorithmId::kMlDsa65Ed25519 ? ByteView(kMlDsa65Ed25519AlgId)
                                             : ByteView(kMlDsa87EcdsaP384AlgId);
}

// The registry's name ("ml-dsa-65+ed25519", "ml-dsa-87+ecdsa-p384") for error messages.
std::string NameOf(AlgorithmId alg) { return std::string(FindAlgorithm(alg).value().name); }

bool StartsWith(ByteView der, ByteView prefix) {
  return der.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), der.begin());
}

// The draft's private key (§5.2) is mldsaSeed || tradSK; tradSK is the 32-byte Ed25519 key or
// an RFC 5915 ECPrivateKey (curve OID as parameters, no public key). Both are fixed-size here.
size_t TradSecretSize(AlgorithmId alg) { return alg == AlgorithmId::kMlDsa65Ed25519 ? 32 : 64; }

// SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING (secret) } — the fixed header of
// the PKCS#8 encoding before the secret bytes (every length fits the DER short form).
Bytes Pkcs8Header(AlgorithmId alg) {
  const size_t secret = kSeedSize + TradSecretSize(alg);
  Bytes h = {0x30, static_cast<uint8_t>(3 + kAlgIdSize + 2 + secret), 0x02, 0x01, 0x00};
  Append(h, AlgIdOf(alg));
  h.insert(h.end(), {0x04, static_cast<uint8_t>(secret)});
  return h;
}

// Which composite a DER structure names: the AlgorithmIdentifier sits at `offset`.
std::optional<AlgorithmId> CompositeAt(ByteView der, size_t offset) {
  ByteView rest = der.subspan(std::min(der.size(), offset));
  for (AlgorithmId alg : {AlgorithmId::kMlDsa65Ed25519, AlgorithmId::kMlDsa87EcdsaP384}) {
    if (StartsWith(rest, AlgIdOf(alg))) return alg;
  }
  return std::nullopt;
}

Result<SecretBytes> TradSecret(const CompositeSigningKey& k) {
  if (k.algorithm() == AlgorithmId::kMlDsa65Ed25519) return Ed25519Seed(k.trad());
  return EcdsaPrivateKeyDer(k.trad());
}

Result<std::unique_ptr<SigningKey>> TradFromSecret(AlgorithmId alg, ByteView secret) {
  if (alg == AlgorithmId::kMlDsa65Ed25519) return Ed25519FromSeed(SecretBytes::CopyFrom(secret));
  return ParseEcdsaPrivateKeyDer(AlgorithmId::kEcdsaP384Sha384, secret);
}

}  // namespace

Result<Bytes> CompositePkcs8(const SigningKey& key) {
  const auto* k = dynamic_cast<const CompositeSigningKey*>(&key);
  if (k == nullptr) return InvalidArgumentError("composite key file: not a composite signing key");
  VIGIL_ASSIGN_OR_RETURN(SecretBytes mldsa, MlDsaSeed(k->mldsa()));
  VIGIL_ASSIGN_OR_RETURN(SecretBytes trad, TradSecret(*k));
  Bytes der = Pkcs8Header(k->algorithm());
  Append(der, mldsa.Reveal());
  Append(der, trad.Reveal());
  return der;
}

Result<std::unique_ptr<SigningKey>> ParseCompositePkcs8(ByteView der) {
  std::optional<AlgorithmId> alg = CompositeAt(der, 5);
  if (!alg) return NotFoundError("not a composite ML-DSA PKCS#8 key");
  const Bytes header = Pkcs8Header(*alg);
  const size_t trad_size = TradSecretSize(*alg);
  if (der.size() != header.size() + kSeedSize + trad_size || !StartsWith(der, header)) {
    return InvalidArgumentError(NameOf(*alg) + " PKCS#8: expected version 0 and a " +
                                std::to_string(kSeedSize + trad_size) +
                                "-byte private key (ML-DSA seed || traditional key), no "
                                "attributes or public key; found " +
                                std::to_string(der.size()) + " bytes of DER");
  }
  ByteView secret = der.subspan(header.size());
  VIGIL_ASSIGN_OR_RETURN(Combination c, CombinationOf(*alg));
  VIGIL_ASSIGN_OR_RETURN(auto mldsa,
                         MlDsaFromSeed(c.mldsa, SecretBytes::CopyFrom(secret.first(kSeedSize))));
  auto trad = TradFromSecret(*alg, secret.subspan(kSeedSize));
  if (!trad) return trad.error().WithContext(NameOf(*alg) + " PKCS#8 traditional key");
  return std::unique_ptr<SigningKey>(
      new CompositeSigningKey(c, std::move(mldsa), std::move(*trad)));
}

Result<Bytes> CompositeSpki(const VerifyingKey& key) {
  if (key.algorithm() != AlgorithmId::kMlDsa65Ed25519 &&
      key.algorithm() != AlgorithmId::kMlDsa87EcdsaP384) {
    return InvalidArgumentError("composite key file: not a composite public key");
  }
  ByteView alg_id = AlgIdOf(key.algorithm());
  Bytes pk = key.Encode();
  const size_t bits = pk.size() + 1;
  const size_t inner = alg_id.size() + 4 + bits;
  Bytes der = {0x30, 0x82, static_cast<uint8_t>(inner >> 8), static_cast<uint8_t>(inner)};
  Append(der, alg_id);
  der.insert(der.end(),
             {0x03, 0x82, static_cast<uint8_t>(bits >> 8), static_cast<uint8_t>(bits), 0x00});
  Append(der, pk);
  return der;
}

Result<std::unique_ptr<VerifyingKey>> ParseCompositeSpki(ByteView der) {
  std::optional<AlgorithmId> alg = CompositeAt(der, 4);
  if (!alg) return NotFoundError("not a composite ML-DSA SubjectPublicKeyInfo");
  const size_t header = 4 + kAlgIdSize + 5;
  if (der.size() < header) return InvalidArgumentError(NameOf(*alg) + " SPKI: truncated");
  auto key = CompositePublicKey(*alg, der.subspan(header));
  if (!key) return key.error().WithContext(NameOf(*alg) + " SPKI");
  VIGIL_ASSIGN_OR_RETURN(Bytes again, CompositeSpki(**key));
  if (again.size() != der.size() || !StartsWith(der, again)) {
    return InvalidArgumentError(NameOf(*alg) + " SPKI: not the canonical DER encoding");
  }
  return std::move(*key);
}

Result<std::string_view> CompositeLabel(AlgorithmId alg) {
  VIGIL_ASSIGN_OR_RETURN(Combination c, CombinationOf(alg));
  return c.label;
}

Result<Bytes> CompositeMessagePrime(AlgorithmId alg, ByteView message, ByteView context) {
  VIGIL_ASSIGN_OR_RETURN(Combination c, CombinationOf(alg));
  if (context.size() > 255) {
    return InvalidArgumentError("composite: context must be at most 255 bytes, found " +
                                std::to_string(context.size()));
  }
  Bytes m = ToBytes(kPrefix);
  Append(m, AsBytes(c.label));
  m.push_back(static_cast<uint8_t>(context.size()));
  Append(m, context);
  VIGIL_ASSIGN_OR_RETURN(Bytes ph, Digest(AlgorithmId::kSha512, message));
  Append(m, ph);
  return m;
}

Result<std::unique_ptr<SigningKey>> GenerateComposite(AlgorithmId alg) {
  VIGIL_ASSIGN_OR_RETURN(Combination c, CombinationOf(alg));
  VIGIL_ASSIGN_OR_RETURN(auto mldsa, GenerateMlDsa(c.mldsa));
  VIGIL_ASSIGN_OR_RETURN(auto trad, GenerateSigningKey(c.trad));
  return std::unique_ptr<SigningKey>(new CompositeSigningKey(c, std::move(mldsa), std::move(trad)));
}

Result<std::unique_ptr<VerifyingKey>> CompositePublicKey(AlgorithmId alg, ByteView encoded) {
  VIGIL_ASSIGN_OR_RETURN(Combination c, CombinationOf(alg));
  const size_t mldsa_size = internal::MlDsaPublicKeySize(c.mldsa);
  if (encoded.size() != mldsa_size + c.trad_pk_size) {
    return InvalidArgumentError("composite: public key must be " +
                                std::to_string(mldsa_size + c.trad_pk_size) + " bytes, found " +
                                std::to_string(encoded.size()));
  }
  VIGIL_ASSIGN_OR_RETURN(auto mldsa, MlDsaPublicKey(c.mldsa, encoded.first(mldsa_size)));
  VIGIL_ASSIGN_OR_RETURN(auto trad, ParseVerifyingKey(c.trad, encoded.subspan(mldsa_size)));
  return std::unique_ptr<VerifyingKey>(
      new CompositeVerifyingKey(c, std::move(mldsa), std::move(trad)));
}

Result<Bytes> CompositeSign(const SigningKey& key, ByteView message, ByteView context) {
  const auto* k = dynamic_cast<const CompositeSigningKey*>(&key);
  if (k == nullptr) return InvalidArgumentError("composite: not a composite signing key");
  const Combination& c = k->combination();
  VIGIL_ASSIGN_OR_RETURN(Bytes m_prime, CompositeMessagePrime(c.id, message, context));
  VIGIL_ASSIGN_OR_RETURN(Bytes sig, MlDsaSign(k->mldsa(), m_prime, AsBytes(c.label)));
  VIGIL_ASSIGN_OR_RETURN(Bytes trad_sig, k->trad().Sign(m_prime));
  Append(sig, trad_sig);
  return sig;
}

Status CompositeVerify(const VerifyingKey& key, ByteView message, ByteView context, ByteView sig) {
  const auto* k = dynamic_cast<const CompositeVerifyingKey*>(&key);
  if (k == nullptr) return InvalidArgumentError("composite: not a composite verifying key");
  const Combination& c = k->combination();
  const size_t mldsa_sig = internal::MlDsaSignatureSize(c.mldsa);
  if (sig.size() <= mldsa_sig) {
    return UnauthenticatedError("composite: signature shorter than its ML-DSA component");
  }
  auto m_prime = CompositeMessagePrime(c.id, message, context);
  if (!m_prime) return UnauthenticatedError(m_prime.error().message());
  // Both components must verify; evaluate both so the failing one is not revealed by timing.
  Status pq = MlDsaVerify(k->mldsa(), *m_prime, AsBytes(c.label), sig.first(mldsa_sig));
  Status classical = k->trad().Verify(*m_prime, sig.subspan(mldsa_sig));
  if (!pq) return UnauthenticatedError("composite: ML-DSA component does not verify");
  if (!classical) return UnauthenticatedError("composite: classical component does not verify");
  return OkStatus();
}

}  // namespace vigil::crypto::pq
