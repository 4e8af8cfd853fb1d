// Authenticated encryption with associated data: AES-256-GCM (SP 800-38D), ChaCha20-Poly1305
// (RFC 8439) and XChaCha20-Poly1305 (24-byte nonces, safe to choose at random).
//
// Output of Seal is ciphertext || 16-byte tag. Open releases plaintext only if the tag verifies
// (Unauthenticated otherwise). Nonces must never repeat under one key: use SealRandomNonce, or
// a counter you persist.
//
// Thread-safety: an Aead holds one cipher context; use one object per thread.
#ifndef VIGIL_CRYPTO_AEAD_H_
#define VIGIL_CRYPTO_AEAD_H_

#include <memory>

#include "vigil/core/bytes.h"
#include "vigil/core/env.h"
#include "vigil/core/result.h"
#include "vigil/crypto/registry.h"
#include "vigil/crypto/secret_bytes.h"

namespace vigil::crypto {

namespace internal {
class AeadCipher;
}

class Aead {
 public:
  static constexpr size_t kKeySize = 32;
  static constexpr size_t kTagSize = 16;

  // kAes256Gcm, kChaCha20Poly1305 (12-byte nonces) or kXChaCha20Poly1305 (24-byte nonces), all
  // with 32-byte keys. InvalidArgument for any other algorithm or key size.
  static Result<Aead> Create(AlgorithmId alg, const SecretBytes& key);
  Aead(Aead&&) noexcept;
  Aead& operator=(Aead&&) noexcept;
  ~Aead();

  AlgorithmId algorithm() const { return alg_; }
  size_t nonce_size() const;

  // InvalidArgument if `nonce` is not nonce_size() bytes.
  Result<Bytes> Seal(ByteView nonce, ByteView plaintext, ByteView aad);
  Result<Bytes> Open(ByteView nonce, ByteView ciphertext_and_tag, ByteView aad);
  // Seal into a caller buffer of exactly plaintext.size() + kTagSize bytes (no allocation).
  Status SealInto(ByteView nonce, ByteView plaintext, ByteView aad, std::span<uint8_t> out);

  // nonce || ciphertext || tag with a fresh random nonce from `env`, and its inverse.
  Result<Bytes> SealRandomNonce(Env& env, ByteView plaintext, ByteView aad);
  Result<Bytes> OpenRandomNonce(ByteView sealed, ByteView aad);

 private:
  Aead(AlgorithmId alg, std::unique_ptr<internal::AeadCipher> cipher);
  AlgorithmId alg_;
  std::unique_ptr<internal::AeadCipher> cipher_;
};

}  // namespace vigil::crypto

#endif  // VIGIL_CRYPTO_AEAD_H_
