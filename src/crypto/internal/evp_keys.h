// SigningKey / VerifyingKey over an OpenSSL EVP_PKEY: Ed25519 (no pre-hash) and ECDSA with
// SHA-256 / SHA-384. Internal: key files and the algorithm factories build these.
#ifndef VIGIL_CRYPTO_INTERNAL_EVP_KEYS_H_
#define VIGIL_CRYPTO_INTERNAL_EVP_KEYS_H_

#include <memory>

#include "internal/openssl_util.h"
#include "vigil/crypto/signature.h"

namespace vigil::crypto::internal {

class EvpVerifyingKey final : public VerifyingKey {
 public:
  EvpVerifyingKey(AlgorithmId alg, PkeyPtr pkey) : alg_(alg), pkey_(std::move(pkey)) {}
  AlgorithmId algorithm() const override { return alg_; }
  Status Verify(ByteView message, ByteView signature) const override;
  Bytes Encode() const override;
  EVP_PKEY* pkey() const { return pkey_.get(); }

 private:
  AlgorithmId alg_;
  PkeyPtr pkey_;
};

class EvpSigningKey final : public SigningKey {
 public:
  EvpSigningKey(AlgorithmId alg, PkeyPtr pkey) : alg_(alg), pkey_(std::move(pkey)) {}
  AlgorithmId algorithm() const override { return alg_; }
  Result<Bytes> Sign(ByteView message) override;
  std::unique_ptr<VerifyingKey> PublicKey() const override;
  EVP_PKEY* pkey() const { return pkey_.get(); }

 private:
  AlgorithmId alg_;
  PkeyPtr pkey_;
};

// The message digest an algorithm signs with (nullptr for Ed25519, which hashes internally).
const EVP_MD* SignatureDigest(AlgorithmId alg);
// The OpenSSL group name for an ECDSA algorithm ("P-256", "P-384"), or nullptr.
const char* EcGroupName(AlgorithmId alg);
// Coordinate size in bytes for an ECDSA algorithm (32 or 48), 0 otherwise.
size_t EcCoordinateSize(AlgorithmId alg);

// RSASSA-PSS with SHA-256 and MGF1-SHA-256 (RFC 8017 §8.1), verify-only: from a DER
// SubjectPublicKeyInfo holding an RSA key of at least kMinRsaBits (NIST SP 800-131A), in
// canonical DER. The salt length is taken from the signature (TUF signers use both the digest
// length and the maximum). InvalidArgument naming what is wrong otherwise.
inline constexpr int kMinRsaBits = 2048;
Result<std::unique_ptr<VerifyingKey>> RsaPssPublicKey(ByteView spki_der);

// Identifies the algorithm of a parsed EVP_PKEY (Ed25519, ECDSA P-256 or P-384);
// InvalidArgument naming the key type otherwise.
Result<AlgorithmId> AlgorithmOfPkey(EVP_PKEY* pkey);

}  // namespace vigil::crypto::internal

#endif  // VIGIL_CRYPTO_INTERNAL_EVP_KEYS_H_
