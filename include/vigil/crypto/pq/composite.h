// Composite (hybrid) signatures per draft-ietf-lamps-pq-composite-sigs: ML-DSA-65 + Ed25519
// (id-MLDSA65-Ed25519-SHA512) and ML-DSA-87 + ECDSA P-384 (id-MLDSA87-ECDSA-P384-SHA512).
// Both components sign the message representative
//   M' = "CompositeAlgorithmSignatures2025" || Label || len(ctx) || ctx || SHA-512(M)
// (the ML-DSA component with its context set to Label), and both must verify: the signature
// stays secure while either algorithm is unbroken — what a device in service until 2040 needs.
// Encodings are the draft's raw concatenations: public key mldsaPK || tradPK, signature
// mldsaSig || tradSig.
//
// Thread-safety: see vigil/crypto/signature.h.
#ifndef VIGIL_CRYPTO_PQ_COMPOSITE_H_
#define VIGIL_CRYPTO_PQ_COMPOSITE_H_

#include <memory>
#include <string_view>

#include "vigil/crypto/signature.h"

namespace vigil::crypto::pq {

// `alg` is kMlDsa65Ed25519 or kMlDsa87EcdsaP384 (InvalidArgument otherwise).
Result<std::unique_ptr<SigningKey>> GenerateComposite(AlgorithmId alg);
Result<std::unique_ptr<VerifyingKey>> CompositePublicKey(AlgorithmId alg, ByteView encoded);

// Signing and verification with an application context (≤ 255 bytes).
Result<Bytes> CompositeSign(const SigningKey& key, ByteView message, ByteView context);
Status CompositeVerify(const VerifyingKey& key, ByteView message, ByteView context, ByteView sig);

// Key files for ML-DSA-65+Ed25519 (id-MLDSA65-Ed25519-SHA512, 1.3.6.1.5.5.7.6.48) and
// ML-DSA-87+ECDSA-P384 (id-MLDSA87-ECDSA-P384-SHA512, 1.3.6.1.5.5.7.6.49): PKCS#8
// OneAsymmetricKey whose privateKey is the draft's raw concatenation mldsaSeed (32) || tradSK —
// the 32-byte Ed25519 private key, or an RFC 5915 ECPrivateKey with the curve OID and without
// the public key (64 bytes for P-384) — and SubjectPublicKeyInfo with the raw composite public
// key (mldsaPK || Ed25519 key or uncompressed P-384 point); no parameters, no attributes.
// Encoding fails with InvalidArgument for other keys. Parsing returns NotFound when the DER is
// not this structure (so key_file.cc can try others), InvalidArgument when it is but is
// malformed or not canonical.
Result<Bytes> CompositePkcs8(const SigningKey& key);
Result<Bytes> CompositeSpki(const VerifyingKey& key);
Result<std::unique_ptr<SigningKey>> ParseCompositePkcs8(ByteView der);
Result<std::unique_ptr<VerifyingKey>> ParseCompositeSpki(ByteView der);

// The draft's label ("COMPSIG-MLDSA65-Ed25519-SHA512", "COMPSIG-MLDSA87-ECDSA-P384-SHA512") and M'.
Result<std::string_view> CompositeLabel(AlgorithmId alg);
Result<Bytes> CompositeMessagePrime(AlgorithmId alg, ByteView message, ByteView context);

}  // namespace vigil::crypto::pq

#endif  // VIGIL_CRYPTO_PQ_COMPOSITE_H_
