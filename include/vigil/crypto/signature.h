// One interface for every signature algorithm Vigil has — classical (Ed25519, ECDSA P-256/P-384
// over OpenSSL), post-quantum (ML-DSA, HSS/LMS, our own in crypto/pq) and composite hybrids —
// so that audit checkpoints, update metadata and the CLI are written once and stay agile.
//
// Signatures and public keys use each algorithm's standard raw encoding:
//   Ed25519: RFC 8032 (32-byte key, 64-byte signature);
//   ECDSA:   SEC1 uncompressed point; signature DER (X9.62) — fixed-width r||s via the *P1363
//            helpers in vigil/crypto/ecdsa.h;
//   ML-DSA:  FIPS 204 pk / sig; HSS: RFC 8554 §6; composites: the composite draft's encodings.
//
// Thread-safety: VerifyingKey is immutable and thread-safe. SigningKey is not thread-safe for
// stateful algorithms (HSS): use one thread, or external locking.
#ifndef VIGIL_CRYPTO_SIGNATURE_H_
#define VIGIL_CRYPTO_SIGNATURE_H_

#include <memory>

#include "vigil/core/bytes.h"
#include "vigil/core/result.h"
#include "vigil/crypto/registry.h"

namespace vigil::crypto {

class VerifyingKey {
 public:
  virtual ~VerifyingKey() = default;
  virtual AlgorithmId algorithm() const = 0;
  // OK if `signature` is a valid signature of `message` under this key; Unauthenticated
  // otherwise (including malformed signatures of any length). Never crashes on any input.
  virtual Status Verify(ByteView message, ByteView signature) const = 0;
  // The standard raw public key encoding.
  virtual Bytes Encode() const = 0;
};

class SigningKey {
 public:
  virtual ~SigningKey() = default;
  virtual AlgorithmId algorithm() const = 0;
  // Signs `message`. Stateful schemes persist their state before returning a signature and
  // fail with ResourceExhausted once exhausted.
  virtual Result<Bytes> Sign(ByteView message) = 0;
  virtual std::unique_ptr<VerifyingKey> PublicKey() const = 0;
};

// Fresh key for a stateless signature algorithm (randomness from the OS CSPRNG).
// InvalidArgument for a non-signature algorithm; FailedPrecondition for stateful HSS, whose
// keys are made through vigil/crypto/pq/hss.h with a state file.
Result<std::unique_ptr<SigningKey>> GenerateSigningKey(AlgorithmId alg);

// A public key from its raw encoding; InvalidArgument naming the algorithm, the expected and
// the found length or the rule broken.
Result<std::unique_ptr<VerifyingKey>> ParseVerifyingKey(AlgorithmId alg, ByteView encoded);

}  // namespace vigil::crypto

#endif  // VIGIL_CRYPTO_SIGNATURE_H_
