// ML-DSA (FIPS 204) signatures, ML-DSA-44/65/87: our own portable implementation (OpenSSL 3.0
// has none), validated against every Wycheproof ML-DSA file and the CCTV accumulated tests.
//
// Keys are kept as the 32-byte seed ξ (the form FIPS 204 and the IETF LAMPS profile recommend
// storing) plus the expanded key derived from it. Signing is hedged (fresh randomness mixed
// with the key) by default; SigningKey::Sign signs pure ML-DSA with an empty context.
// Key files: PKCS#8 with the seed ([0] IMPLICIT OCTET STRING) and SubjectPublicKeyInfo, with
// the NIST OIDs 2.16.840.1.101.3.4.3.17/18/19, as OpenSSL 3.5 writes them.
//
// Thread-safety: see vigil/crypto/signature.h (ML-DSA keys are stateless and immutable).
#ifndef VIGIL_CRYPTO_PQ_ML_DSA_H_
#define VIGIL_CRYPTO_PQ_ML_DSA_H_

#include <memory>

#include "vigil/crypto/secret_bytes.h"
#include "vigil/crypto/signature.h"

namespace vigil::crypto::pq {

// `alg` is kMlDsa44, kMlDsa65 or kMlDsa87 (InvalidArgument otherwise).
Result<std::unique_ptr<SigningKey>> GenerateMlDsa(AlgorithmId alg);
Result<std::unique_ptr<SigningKey>> MlDsaFromSeed(AlgorithmId alg, const SecretBytes& seed);
// The seed of an ML-DSA signing key; InvalidArgument for other keys.
Result<SecretBytes> MlDsaSeed(const SigningKey& key);
// A public key from its FIPS 204 encoding (length checked).
Result<std::unique_ptr<VerifyingKey>> MlDsaPublicKey(AlgorithmId alg, ByteView pk);

// Pure ML-DSA with a context string (at most 255 bytes: InvalidArgument otherwise).
Result<Bytes> MlDsaSign(const SigningKey& key, ByteView message, ByteView context);
Status MlDsaVerify(const VerifyingKey& key, ByteView message, ByteView context, ByteView sig);

// HashML-DSA (FIPS 204 §5.4): the message is pre-hashed with `hash` (kSha256, kSha512 or
// kShake256) and the hash's OID is bound into the signature.
Result<Bytes> HashMlDsaSign(const SigningKey& key, AlgorithmId hash, ByteView message,
                            ByteView context);
Status HashMlDsaVerify(const VerifyingKey& key, AlgorithmId hash, ByteView message,
                       ByteView context, ByteView sig);

// DER encodings for key files: PKCS#8 PrivateKeyInfo (seed form) and SubjectPublicKeyInfo.
Result<Bytes> MlDsaPkcs8(const SigningKey& key);
Result<Bytes> MlDsaSpki(const VerifyingKey& key);
// Parse them; NotFound when the DER is not an ML-DSA structure (so callers can try others),
// InvalidArgument when it is ML-DSA but malformed.
Result<std::unique_ptr<SigningKey>> ParseMlDsaPkcs8(ByteView der);
Result<std::unique_ptr<VerifyingKey>> ParseMlDsaSpki(ByteView der);

}  // namespace vigil::crypto::pq

#endif  // VIGIL_CRYPTO_PQ_ML_DSA_H_
