// ML-KEM (FIPS 203): module-lattice key encapsulation, parameter sets ML-KEM-512, -768 and
// -1024. Our own portable implementation (OpenSSL 3.0 has none), validated against Wycheproof,
// the ACVP vectors and the FIPS 203 accumulated tests.
//
// Keys: the encapsulation key ek (384k + 32 bytes), the decapsulation key dk in the expanded
// FIPS 203 form (768k + 96 bytes) or as the 64-byte seed (d || z) it is generated from.
// FIPS 203 §7 input checks are applied on parse: the encapsulation-key modulus check (every
// coefficient < q) and the decapsulation-key hash check (H(ek) stored in dk matches).
// Decapsulation uses implicit rejection: a ciphertext that does not re-encrypt yields a
// pseudorandom key, so a chosen-ciphertext attacker learns nothing; selection is constant time.
//
// Thread-safety: key objects are immutable; all methods are thread-safe.
#ifndef VIGIL_CRYPTO_PQ_ML_KEM_H_
#define VIGIL_CRYPTO_PQ_ML_KEM_H_

#include <memory>

#include "vigil/core/bytes.h"
#include "vigil/core/env.h"
#include "vigil/core/result.h"
#include "vigil/crypto/registry.h"
#include "vigil/crypto/secret_bytes.h"

namespace vigil::crypto::pq {

struct MlKemEncapsulation {
  Bytes ciphertext;
  SecretBytes shared_secret;  // 32 bytes
};

class MlKemPublicKey {
 public:
  // `alg` is kMlKem512/768/1024. InvalidArgument for a wrong length or a coefficient >= q.
  static Result<MlKemPublicKey> Parse(AlgorithmId alg, ByteView ek);
  AlgorithmId algorithm() const { return alg_; }
  const Bytes& Encode() const { return ek_; }
  // Encapsulates with fresh randomness from `env`.
  Result<MlKemEncapsulation> Encapsulate(Env& env) const;
  // ML-KEM.Encaps_internal with caller-chosen 32-byte m (tests, known-answer vectors).
  Result<MlKemEncapsulation> EncapsulateDeterministic(ByteView m) const;

 private:
  friend class MlKemPrivateKey;
  MlKemPublicKey(AlgorithmId alg, Bytes ek) : alg_(alg), ek_(std::move(ek)) {}
  AlgorithmId alg_;
  Bytes ek_;
};

class MlKemPrivateKey {
 public:
  // A fresh key pair from `env`'s CSPRNG.
  static Result<MlKemPrivateKey> Generate(AlgorithmId alg, Env& env);
  // ML-KEM.KeyGen_internal(d, z): `seed` is d || z (64 bytes).
  static Result<MlKemPrivateKey> FromSeed(AlgorithmId alg, const SecretBytes& seed);
  // The expanded decapsulation key; InvalidArgument for a wrong length or a failed hash check.
  static Result<MlKemPrivateKey> ParseExpanded(AlgorithmId alg, const SecretBytes& dk);

  AlgorithmId algorithm() const { return alg_; }
  const SecretBytes& ExpandedKey() const { return dk_; }
  MlKemPublicKey PublicKey() const;
  // The 32-byte shared secret. InvalidArgument only for a ciphertext of the wrong length;
  // any other ciphertext yields a key (the implicit-rejection key if it is not genuine).
  Result<SecretBytes> Decapsulate(ByteView ciphertext) const;

 private:
  MlKemPrivateKey(AlgorithmId alg, SecretBytes dk) : alg_(alg), dk_(std::move(dk)) {}
  AlgorithmId alg_;
  SecretBytes dk_;
};

// Sizes for a parameter set (0 for a non-ML-KEM id).
size_t MlKemPublicKeySize(AlgorithmId alg);
size_t MlKemPrivateKeySize(AlgorithmId alg);
size_t MlKemCiphertextSize(AlgorithmId alg);

}  // namespace vigil::crypto::pq

#endif  // VIGIL_CRYPTO_PQ_ML_KEM_H_
