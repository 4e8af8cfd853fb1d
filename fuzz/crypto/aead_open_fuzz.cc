// AEAD open on arbitrary ciphertexts: never a crash, never plaintext from a forged record.
#include <cstdlib>

#include "vigil/crypto/aead.h"

namespace crypto = vigil::crypto;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static auto gcm = crypto::Aead::Create(crypto::AlgorithmId::kAes256Gcm, crypto::SecretBytes(32));
  static auto x = crypto::Aead::Create(crypto::AlgorithmId::kXChaCha20Poly1305, crypto::SecretBytes(32));
  vigil::ByteView in(data, size);
  if (gcm->OpenRandomNonce(in, {}).has_value()) std::abort();
  if (x->OpenRandomNonce(in, {}).has_value()) std::abort();
  return 0;
}
