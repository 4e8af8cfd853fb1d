// ML-DSA internal interfaces (FIPS 204 §6 "internal" functions) used by the public API in
// vigil/crypto/pq/ml_dsa.h and by the known-answer tests, which need precomputed μ and
// caller-supplied signing randomness.
#ifndef VIGIL_CRYPTO_PQ_ML_DSA_INTERNAL_H_
#define VIGIL_CRYPTO_PQ_ML_DSA_INTERNAL_H_

#include "vigil/core/bytes.h"
#include "vigil/core/result.h"
#include "vigil/crypto/registry.h"
#include "vigil/crypto/secret_bytes.h"

namespace vigil::crypto::pq::internal {

// ML-DSA.KeyGen_internal(ξ): public key and expanded private key.
Status MlDsaKeyGen(AlgorithmId alg, ByteView xi, Bytes& pk, SecretBytes& sk);
// Checks the expanded private key encoding (length, s1/s2 coefficient ranges).
Status MlDsaCheckPrivateKey(AlgorithmId alg, ByteView sk);
// μ = H(H(pk, 64) || M', 64).
Bytes MlDsaMu(ByteView pk, ByteView m_prime);
// μ from the tr stored in an expanded private key.
Bytes MlDsaMuFromPrivateKey(AlgorithmId alg, ByteView sk, ByteView m_prime);
// ML-DSA.Sign_internal from μ with 32-byte `rnd` (all zero = deterministic).
Result<Bytes> MlDsaSignMu(AlgorithmId alg, ByteView sk, ByteView mu, ByteView rnd);
// ML-DSA.Verify_internal from μ; false also for malformed lengths and hint encodings.
bool MlDsaVerifyMu(AlgorithmId alg, ByteView pk, ByteView mu, ByteView sig);
// M' for pure ML-DSA: 0 || |ctx| || ctx || M. InvalidArgument if |ctx| > 255.
Result<Bytes> MlDsaMessagePrime(ByteView message, ByteView context);

size_t MlDsaPublicKeySize(AlgorithmId alg);
size_t MlDsaPrivateKeySize(AlgorithmId alg);
size_t MlDsaSignatureSize(AlgorithmId alg);

}  // namespace vigil::crypto::pq::internal

#endif  // VIGIL_CRYPTO_PQ_ML_DSA_INTERNAL_H_
