// Ed25519 (RFC 8032) over OpenSSL 3.0: 32-byte seeds and public keys, 64-byte signatures.
// Verification rejects non-canonical S (S >= L) and malformed points, as OpenSSL does.
//
// Thread-safety: see vigil/crypto/signature.h.
#ifndef VIGIL_CRYPTO_ED25519_H_
#define VIGIL_CRYPTO_ED25519_H_

#include <memory>

#include "vigil/crypto/secret_bytes.h"
#include "vigil/crypto/signature.h"

namespace vigil::crypto {

// A fresh key from the OS CSPRNG.
Result<std::unique_ptr<SigningKey>> GenerateEd25519();
// The key for a 32-byte seed (RFC 8032 private key). InvalidArgument for another length.
Result<std::unique_ptr<SigningKey>> Ed25519FromSeed(const SecretBytes& seed);
// The seed of an Ed25519 signing key (for key files); InvalidArgument for other keys.
Result<SecretBytes> Ed25519Seed(const SigningKey& key);
// A public key from its 32 raw bytes. InvalidArgument for another length or a bad point.
Result<std::unique_ptr<VerifyingKey>> Ed25519PublicKey(ByteView raw);

}  // namespace vigil::crypto

#endif  // VIGIL_CRYPTO_ED25519_H_
