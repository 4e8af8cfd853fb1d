// PEM public keys as TUF repositories write them (SubjectPublicKeyInfo), read through OpenSSL 3.0:
// RSA keys for the "rsassa-pss-sha256" scheme (RSASSA-PSS, SHA-256, MGF1-SHA-256, RFC 8017 §8.1;
// not in the crypto registry because Vigil never signs with RSA, so it lives here, verify-only),
// and P-256 keys handed on to vigil::crypto as raw points.
//
// Thread-safety: a checker is immutable; Verify is thread-safe.
#ifndef VIGIL_SRC_UPDATE_PEM_PUBLIC_KEY_H_
#define VIGIL_SRC_UPDATE_PEM_PUBLIC_KEY_H_

#include <memory>
#include <string_view>

#include "vigil/update/tuf_key.h"

namespace vigil::update::internal {

// Minimum modulus accepted (NIST SP 800-131A).
inline constexpr int kMinRsaBits = 2048;

// A checker for a PEM "PUBLIC KEY" (SubjectPublicKeyInfo) RSA key. InvalidArgument if the PEM
// does not parse, is not RSA, or the modulus is below kMinRsaBits. The salt length is taken from
// the signature (securesystemslib has signed with both digest-length and maximum salts).
Result<std::unique_ptr<SignatureChecker>> ParseRsaPssPublicKey(std::string_view pem);

// The uncompressed SEC1 point of a PEM P-256 public key. InvalidArgument if it is not one.
Result<Bytes> PemP256ToPoint(std::string_view pem);

}  // namespace vigil::update::internal

#endif  // VIGIL_SRC_UPDATE_PEM_PUBLIC_KEY_H_
