#include "vigil/crypto/ed25519.h"

#include "internal/evp_keys.h"

namespace vigil::crypto {

using internal::EvpSigningKey;
using internal::EvpVerifyingKey;
using internal::PkeyPtr;

Result<std::unique_ptr<SigningKey>> GenerateEd25519() {
  PkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!pkey) return internal::OpensslError("Ed25519 keygen");
  return std::unique_ptr<SigningKey>(new EvpSigningKey(AlgorithmId::kEd25519, std::move(pkey)));
}

Result<std::unique_ptr<SigningKey>> Ed25519FromSeed(const SecretBytes& seed) {
  if (seed.size() != 32) {
    return InvalidArgumentError("ed25519: expected a 32-byte private key, found " +
                                std::to_string(seed.size()) + " bytes");
  }
  PkeyPtr pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.Reveal().data(), 32));
  if (!pkey) return internal::OpensslError("Ed25519 private key");
  return std::unique_ptr<SigningKey>(new EvpSigningKey(AlgorithmId::kEd25519, std::move(pkey)));
}

Result<SecretBytes> Ed25519Seed(const SigningKey& key) {
  const auto* evp = dynamic_cast<const EvpSigningKey*>(&key);
  if (evp == nullptr || key.algorithm() != AlgorithmId::kEd25519) {
    return InvalidArgumentError("ed25519: not an Ed25519 signing key");
  }
  SecretBytes seed(32);
  size_t len = 32;
  if (EVP_PKEY_get_raw_private_key(evp->pkey(), seed.MutableReveal().data(), &len) != 1) {
    return internal::OpensslError("Ed25519 private key export");
  }
  return seed;
}

Result<std::unique_ptr<VerifyingKey>> Ed25519PublicKey(ByteView raw) {
  if (raw.size() != 32) {
    return InvalidArgumentError("ed25519: expected a 32-byte public key, found " +
                                std::to_string(raw.size()) + " bytes");
  }
  PkeyPtr pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, raw.data(), raw.size()));
  if (!pkey) return internal::OpensslError("Ed25519 public key");
  return std::unique_ptr<VerifyingKey>(new EvpVerifyingKey(AlgorithmId::kEd25519, std::move(pkey)));
}

}  // namespace vigil::crypto
