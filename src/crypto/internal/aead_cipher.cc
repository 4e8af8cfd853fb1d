#include "internal/aead_cipher.h"

#include <openssl/evp.h>

#include <cstring>

#include "internal/gcm_long_iv.h"
#include "internal/openssl_util.h"

namespace vigil::crypto::internal {
namespace {

uint32_t Rotl(uint32_t v, int n) { return (v << n) | (v >> (32 - n)); }

void QuarterRound(uint32_t* x, int a, int b, int c, int d) {
  x[a] += x[b]; x[d] = Rotl(x[d] ^ x[a], 16);
  x[c] += x[d]; x[b] = Rotl(x[b] ^ x[c], 12);
  x[a] += x[b]; x[d] = Rotl(x[d] ^ x[a], 8);
  x[c] += x[d]; x[b] = Rotl(x[b] ^ x[c], 7);
}

uint32_t Load32(const uint8_t* p) {
  return uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
}

void Store32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

const EVP_CIPHER* FetchCipher(AeadKind kind, size_t key_size) {
  static const EVP_CIPHER* gcm128 = EVP_CIPHER_fetch(nullptr, "AES-128-GCM", nullptr);
  static const EVP_CIPHER* gcm192 = EVP_CIPHER_fetch(nullptr, "AES-192-GCM", nullptr);
  static const EVP_CIPHER* gcm256 = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  static const EVP_CIPHER* chacha = EVP_CIPHER_fetch(nullptr, "ChaCha20-Poly1305", nullptr);
  if (kind != AeadKind::kAesGcm) return key_size == 32 ? chacha : nullptr;
  switch (key_size) {
    case 16: return gcm128;
    case 24: return gcm192;
    case 32: return gcm256;
    default: return nullptr;
  }
}

}  // namespace

void HChaCha20(const uint8_t key[32], const uint8_t input[16], uint8_t out[32]) {
  uint32_t x[16] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};
  for (int i = 0; i < 8; ++i) x[4 + i] = Load32(key + 4 * i);
  for (int i = 0; i < 4; ++i) x[12 + i] = Load32(input + 4 * i);
  for (int round = 0; round < 10; ++round) {
    QuarterRound(x, 0, 4, 8, 12);
    QuarterRound(x, 1, 5, 9, 13);
    QuarterRound(x, 2, 6, 10, 14);
    QuarterRound(x, 3, 7, 11, 15);
    QuarterRound(x, 0, 5, 10, 15);
    QuarterRound(x, 1, 6, 11, 12);
    QuarterRound(x, 2, 7, 8, 13);
    QuarterRound(x, 3, 4, 9, 14);
  }
  for (int i = 0; i < 4; ++i) Store32(out + 4 * i, x[i]);
  for (int i = 0; i < 4; ++i) Store32(out + 16 + 4 * i, x[12 + i]);
  SecureZero({reinterpret_cast<uint8_t*>(x), sizeof x});  // NOLINT: wipe the state words
}

struct AeadCipher::Impl {
  AeadKind kind;
  SecretBytes key;
  const EVP_CIPHER* cipher;
  CipherCtxPtr ctx{EVP_CIPHER_CTX_new()};
  bool bound = false;   // cipher set on ctx
  size_t iv_len = 12;   // the nonce length ctx is configured for

  // Sets key and nonce for one message. XChaCha20 derives the subkey and the 12-byte nonce
  // (4 zero bytes || nonce[16..24)); the others use the key as is, without copying it.
  Status Start(bool encrypt, ByteView nonce) {
    if (kind == AeadKind::kXChaCha20Poly1305) {
      if (nonce.size() != 24) {
        return InvalidArgumentError("xchacha20-poly1305: nonce must be 24 bytes, found " +
                                    std::to_string(nonce.size()));
      }
      SecretBytes sub(32);
      HChaCha20(key.Reveal().data(), nonce.data(), sub.MutableReveal().data());
      uint8_t n[12] = {0};
      std::memcpy(n + 4, nonce.data() + 16, 8);
      return Init(encrypt, sub.Reveal(), n);
    }
    if (kind == AeadKind::kChaCha20Poly1305 && nonce.size() != 12) {
      return InvalidArgumentError("chacha20-poly1305: nonce must be 12 bytes, found " +
                                  std::to_string(nonce.size()));
    }
    if (nonce.empty()) return InvalidArgumentError("aes-gcm: nonce must not be empty");
    return Init(encrypt, key.Reveal(), nonce);
  }

  Status Init(bool encrypt, ByteView k, ByteView nonce) {
    EVP_CIPHER_CTX* c = ctx.get();
    // The cipher is bound once; only a non-default nonce length needs the extra control call.
    if (EVP_CipherInit_ex(c, bound ? nullptr : cipher, nullptr, nullptr, nullptr,
                          encrypt ? 1 : 0) != 1) {
      return OpensslError("aead: init");
    }
    bound = true;
    if (nonce.size() != iv_len) {
      if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(nonce.size()),
                              nullptr) != 1) {
        DrainOpensslErrors();
        return InvalidArgumentError("aead: nonce length " + std::to_string(nonce.size()) +
                                    " not supported");
      }
      iv_len = nonce.size();
    }
    if (EVP_CipherInit_ex(c, nullptr, nullptr, k.data(), nonce.data(), encrypt ? 1 : 0) != 1) {
      return OpensslError("aead: key/nonce set-up");
    }
    return OkStatus();
  }

  Status Aad(ByteView aad) {
    int len = 0;
    if (!aad.empty() &&
        EVP_CipherUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1) {
      return OpensslError("aead: associated data");
    }
    return OkStatus();
  }
};

AeadCipher::AeadCipher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AeadCipher::AeadCipher(AeadCipher&&) noexcept = default;
AeadCipher& AeadCipher::operator=(AeadCipher&&) noexcept = default;
AeadCipher::~AeadCipher() = default;

Result<AeadCipher> AeadCipher::Create(AeadKind kind, const SecretBytes& key) {
  const EVP_CIPHER* cipher = FetchCipher(kind, key.size());
  if (cipher == nullptr) {
    return InvalidArgumentError(std::string(kind == AeadKind::kAesGcm ? "aes-gcm" : "chacha20") +
                                ": unsupported key size " + std::to_string(key.size()) + " bytes");
  }
  auto impl = std::make_unique<Impl>();
  impl->kind = kind;
  impl->key = key;
  impl->cipher = cipher;
  if (!impl->ctx) return OpensslError("EVP_CIPHER_CTX_new");
  return AeadCipher(std::move(impl));
}

// OpenSSL 3.0 caps GCM IVs at 128 bytes; longer ones are valid SP 800-38D input.
constexpr size_t kOpensslMaxGcmIv = 128;

Result<Bytes> AeadCipher::Seal(ByteView nonce, ByteView plaintext, ByteView aad) {
  if (impl_->kind == AeadKind::kAesGcm && nonce.size() > kOpensslMaxGcmIv) {
    return GcmLongIvSeal(impl_->key, nonce, plaintext, aad);
  }
  Bytes out(plaintext.size() + kTagSize);
  VIGIL_RETURN_IF_ERROR(SealInto(nonce, plaintext, aad, out));
  return out;
}

Status AeadCipher::SealInto(ByteView nonce, ByteView plaintext, ByteView aad,
                            std::span<uint8_t> out) {
  if (out.size() != plaintext.size() + kTagSize) {
    return InvalidArgumentError("aead: output buffer must be plaintext size + 16 bytes");
  }
  if (impl_->kind == AeadKind::kAesGcm && nonce.size() > kOpensslMaxGcmIv) {
    VIGIL_ASSIGN_OR_RETURN(Bytes sealed, GcmLongIvSeal(impl_->key, nonce, plaintext, aad));
    std::copy(sealed.begin(), sealed.end(), out.begin());
    return OkStatus();
  }
  VIGIL_RETURN_IF_ERROR(impl_->Start(true, nonce));
  VIGIL_RETURN_IF_ERROR(impl_->Aad(aad));
  int len = 0;
  int fin = 0;
  if ((!plaintext.empty() &&
       EVP_CipherUpdate(impl_->ctx.get(), out.data(), &len, plaintext.data(),
                        static_cast<int>(plaintext.size())) != 1) ||
      EVP_CipherFinal_ex(impl_->ctx.get(), out.data() + len, &fin) != 1 ||
      EVP_CIPHER_CTX_ctrl(impl_->ctx.get(), EVP_CTRL_AEAD_GET_TAG, kTagSize,
                          out.data() + plaintext.size()) != 1) {
    return OpensslError("aead: seal");
  }
  return OkStatus();
}

Result<Bytes> AeadCipher::Open(ByteView nonce, ByteView ciphertext_and_tag, ByteView aad) {
  if (ciphertext_and_tag.size() < kTagSize) {
    return UnauthenticatedError("aead: ciphertext shorter than the 16-byte tag");
  }
  if (impl_->kind == AeadKind::kAesGcm && nonce.size() > kOpensslMaxGcmIv) {
    return GcmLongIvOpen(impl_->key, nonce, ciphertext_and_tag, aad);
  }
  VIGIL_RETURN_IF_ERROR(impl_->Start(false, nonce));
  VIGIL_RETURN_IF_ERROR(impl_->Aad(aad));
  const size_t ct_len = ciphertext_and_tag.size() - kTagSize;
  Bytes tag(ciphertext_and_tag.begin() + static_cast<std::ptrdiff_t>(ct_len),
            ciphertext_and_tag.end());
  Bytes out(ct_len);
  int len = 0;
  int fin = 0;
  if (ct_len > 0 && EVP_CipherUpdate(impl_->ctx.get(), out.data(), &len, ciphertext_and_tag.data(),
                                     static_cast<int>(ct_len)) != 1) {
    return OpensslError("aead: open");
  }
  if (EVP_CIPHER_CTX_ctrl(impl_->ctx.get(), EVP_CTRL_AEAD_SET_TAG, kTagSize, tag.data()) != 1) {
    return OpensslError("aead: set tag");
  }
  if (EVP_CipherFinal_ex(impl_->ctx.get(), out.data() + len, &fin) != 1) {
    DrainOpensslErrors();
    SecureZero(out);  // never release unauthenticated plaintext
    return UnauthenticatedError("aead: authentication tag does not verify");
  }
  return out;
}

}  // namespace vigil::crypto::internal
