// The AEAD engine behind vigil::crypto::Aead: AES-GCM with 128/192/256-bit keys and any nonce
// length OpenSSL accepts, ChaCha20-Poly1305 and XChaCha20-Poly1305 (HChaCha20 subkey, ours, then
// OpenSSL's ChaCha20-Poly1305). The public Aead restricts it to the approved configurations;
// the Wycheproof tests drive this engine directly so that every vector in the files applies.
//
// Thread-safety: not thread-safe (one cipher context per object).
#ifndef VIGIL_CRYPTO_INTERNAL_AEAD_CIPHER_H_
#define VIGIL_CRYPTO_INTERNAL_AEAD_CIPHER_H_

#include <memory>

#include "vigil/core/bytes.h"
#include "vigil/core/result.h"
#include "vigil/crypto/secret_bytes.h"

namespace vigil::crypto::internal {

enum class AeadKind { kAesGcm, kChaCha20Poly1305, kXChaCha20Poly1305 };

class AeadCipher {
 public:
  static constexpr size_t kTagSize = 16;

  // InvalidArgument for a key of the wrong size (AES-GCM 16/24/32, ChaCha 32).
  static Result<AeadCipher> Create(AeadKind kind, const SecretBytes& key);
  AeadCipher(AeadCipher&&) noexcept;
  AeadCipher& operator=(AeadCipher&&) noexcept;
  ~AeadCipher();

  // ciphertext || 16-byte tag. InvalidArgument for a nonce length the cipher does not take.
  Result<Bytes> Seal(ByteView nonce, ByteView plaintext, ByteView aad);
  // As Seal, into `out` (exactly plaintext.size() + 16 bytes): no allocation, for hot paths.
  Status SealInto(ByteView nonce, ByteView plaintext, ByteView aad, std::span<uint8_t> out);
  // plaintext, or Unauthenticated if the tag does not verify (nothing is released then).
  Result<Bytes> Open(ByteView nonce, ByteView ciphertext_and_tag, ByteView aad);

 private:
  struct Impl;
  explicit AeadCipher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// HChaCha20 (draft-irtf-cfrg-xchacha §2.2): 32-byte key, 16-byte input → 32-byte subkey.
void HChaCha20(const uint8_t key[32], const uint8_t input[16], uint8_t out[32]);

}  // namespace vigil::crypto::internal

#endif  // VIGIL_CRYPTO_INTERNAL_AEAD_CIPHER_H_
