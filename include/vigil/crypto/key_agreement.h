// Key agreement: X25519 (RFC 7748) and ECDH on P-256 (SP 800-56A) over OpenSSL 3.0. The raw
// shared secret is never used as a key directly: feed it to HKDF (vigil/crypto/mac.h).
//
// Peer keys are validated: X25519 results that are all zero (a low-order peer point) are
// refused (RFC 7748 §6.1); P-256 peer points must be on the curve and not the identity.
//
// Thread-safety: objects are immutable after creation; thread-safe.
#ifndef VIGIL_CRYPTO_KEY_AGREEMENT_H_
#define VIGIL_CRYPTO_KEY_AGREEMENT_H_

#include <memory>

#include "vigil/core/bytes.h"
#include "vigil/core/result.h"
#include "vigil/crypto/registry.h"
#include "vigil/crypto/secret_bytes.h"

namespace vigil::crypto {

class KeyAgreementKey {
 public:
  // `alg` is kX25519 or kEcdhP256.
  static Result<KeyAgreementKey> Generate(AlgorithmId alg);
  // X25519: the 32-byte scalar (clamped by the algorithm); P-256: the 32-byte big-endian
  // scalar, 1 <= d < n. InvalidArgument otherwise.
  static Result<KeyAgreementKey> FromPrivateBytes(AlgorithmId alg, const SecretBytes& priv);
  KeyAgreementKey(KeyAgreementKey&&) noexcept;
  KeyAgreementKey& operator=(KeyAgreementKey&&) noexcept;
  ~KeyAgreementKey();

  AlgorithmId algorithm() const { return alg_; }
  // X25519: 32 bytes; P-256: uncompressed SEC1 point (65 bytes).
  Bytes PublicKey() const;
  // The shared secret with `peer_public` (X25519: 32 raw bytes; P-256: a SEC1 point, or a DER
  // SubjectPublicKeyInfo). InvalidArgument for a malformed or invalid peer key.
  Result<SecretBytes> Agree(ByteView peer_public) const;

 private:
  struct Impl;
  KeyAgreementKey(AlgorithmId alg, std::unique_ptr<Impl> impl);
  AlgorithmId alg_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::crypto

#endif  // VIGIL_CRYPTO_KEY_AGREEMENT_H_
