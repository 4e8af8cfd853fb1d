// PEM public keys as TUF repositories write them (SubjectPublicKeyInfo), read by vigil::crypto:
// RSA keys for the "rsassa-pss-sha256" scheme (crypto's verify-only kRsaPssSha256: RSASSA-PSS,
// SHA-256, MGF1-SHA-256, RFC 8017 §8.1, modulus of at least 2048 bits) and P-256 keys as raw
// points.
//
// Thread-safety: a checker is immutable; Verify is thread-safe.
#ifndef VIGIL_SRC_UPDATE_PEM_PUBLIC_KEY_H_
#define VIGIL_SRC_UPDATE_PEM_PUBLIC_KEY_H_

#include <memory>
#include <string_view>

#include "vigil/crypto/signature.h"
#include "vigil/update/tuf_key.h"

namespace vigil::update::internal {

// A TUF key check over a vigil::crypto verifying key.
class CryptoChecker : public SignatureChecker {
 public:
  explicit CryptoChecker(std::unique_ptr<crypto::VerifyingKey> key) : key_(std::move(key)) {}
  Status Verify(ByteView message, ByteView signature) const override {
    return key_->Verify(message, signature);
  }

 private:
  std::unique_ptr<crypto::VerifyingKey> key_;
};


// A checker for a PEM "PUBLIC KEY" (SubjectPublicKeyInfo) RSA key. InvalidArgument if the PEM
// does not parse, is not RSA, or the modulus is below 2048 bits. The salt length is taken from
// the signature (securesystemslib has signed with both digest-length and maximum salts).
Result<std::unique_ptr<SignatureChecker>> ParseRsaPssPublicKey(std::string_view pem);

// The uncompressed SEC1 point of a PEM P-256 public key. InvalidArgument if it is not one.
Result<Bytes> PemP256ToPoint(std::string_view pem);

}  // namespace vigil::update::internal

#endif  // VIGIL_SRC_UPDATE_PEM_PUBLIC_KEY_H_
