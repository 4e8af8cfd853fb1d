#include "vigil/crypto/aead.h"

#include "internal/aead_cipher.h"

namespace vigil::crypto {

Aead::Aead(AlgorithmId alg, std::unique_ptr<internal::AeadCipher> cipher)
    : alg_(alg), cipher_(std::move(cipher)) {}
Aead::Aead(Aead&&) noexcept = default;
Aead& Aead::operator=(Aead&&) noexcept = default;
Aead::~Aead() = default;

Result<Aead> Aead::Create(AlgorithmId alg, const SecretBytes& key) {
  internal::AeadKind kind;
  switch (alg) {
    case AlgorithmId::kAes256Gcm: kind = internal::AeadKind::kAesGcm; break;
    case AlgorithmId::kChaCha20Poly1305: kind = internal::AeadKind::kChaCha20Poly1305; break;
    case AlgorithmId::kXChaCha20Poly1305: kind = internal::AeadKind::kXChaCha20Poly1305; break;
    default:
      return InvalidArgumentError("aead: algorithm id " + std::to_string(static_cast<int>(alg)) +
                                  " is not an AEAD");
  }
  if (key.size() != kKeySize) {
    return InvalidArgumentError("aead: expected a 32-byte key, found " +
                                std::to_string(key.size()) + " bytes");
  }
  VIGIL_ASSIGN_OR_RETURN(internal::AeadCipher cipher, internal::AeadCipher::Create(kind, key));
  return Aead(alg, std::make_unique<internal::AeadCipher>(std::move(cipher)));
}

size_t Aead::nonce_size() const { return alg_ == AlgorithmId::kXChaCha20Poly1305 ? 24 : 12; }

Result<Bytes> Aead::Seal(ByteView nonce, ByteView plaintext, ByteView aad) {
  if (nonce.size() != nonce_size()) {
    return InvalidArgumentError("aead: expected a " + std::to_string(nonce_size()) +
                                "-byte nonce, found " + std::to_string(nonce.size()));
  }
  return cipher_->Seal(nonce, plaintext, aad);
}

Status Aead::SealInto(ByteView nonce, ByteView plaintext, ByteView aad, std::span<uint8_t> out) {
  if (nonce.size() != nonce_size()) {
    return InvalidArgumentError("aead: expected a " + std::to_string(nonce_size()) +
                                "-byte nonce, found " + std::to_string(nonce.size()));
  }
  return cipher_->SealInto(nonce, plaintext, aad, out);
}

Result<Bytes> Aead::Open(ByteView nonce, ByteView ciphertext_and_tag, ByteView aad) {
  if (nonce.size() != nonce_size()) {
    return InvalidArgumentError("aead: expected a " + std::to_string(nonce_size()) +
                                "-byte nonce, found " + std::to_string(nonce.size()));
  }
  return cipher_->Open(nonce, ciphertext_and_tag, aad);
}

Result<Bytes> Aead::SealRandomNonce(Env& env, ByteView plaintext, ByteView aad) {
  VIGIL_ASSIGN_OR_RETURN(Bytes nonce, env.RandomBytes(nonce_size()));
  VIGIL_ASSIGN_OR_RETURN(Bytes sealed, cipher_->Seal(nonce, plaintext, aad));
  Bytes out = std::move(nonce);
  Append(out, sealed);
  return out;
}

Result<Bytes> Aead::OpenRandomNonce(ByteView sealed, ByteView aad) {
  if (sealed.size() < nonce_size() + kTagSize) {
    return UnauthenticatedError("aead: sealed record shorter than nonce and tag");
  }
  return cipher_->Open(sealed.first(nonce_size()), sealed.subspan(nonce_size()), aad);
}

}  // namespace vigil::crypto
