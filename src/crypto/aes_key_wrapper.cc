#include "vigil/crypto/key_wrap.h"

#include <openssl/evp.h>

#include <array>
#include <cstring>

#include "internal/openssl_util.h"

namespace vigil::crypto {

namespace {

constexpr uint8_t kIcv = 0xA6;  // RFC 3394 §2.2.3.1 default initial value, A6A6A6A6A6A6A6A6

using internal::CipherCtxPtr;

const EVP_CIPHER* EcbCipher(size_t kek_size) {
  switch (kek_size) {
    case 16:
      return EVP_aes_128_ecb();
    case 24:
      return EVP_aes_192_ecb();
    case 32:
      return EVP_aes_256_ecb();
    default:
      return nullptr;
  }
}

Result<CipherCtxPtr> EcbContext(const SecretBytes& kek, bool encrypt) {
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx ||
      EVP_CipherInit_ex(ctx.get(), EcbCipher(kek.size()), nullptr, kek.Reveal().data(), nullptr,
                        encrypt ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1) {
    return internal::OpensslError("aes-kw: AES-ECB key set-up");
  }
  return ctx;
}

// One AES block operation in place.
bool Block(EVP_CIPHER_CTX* ctx, uint8_t block[16]) {
  int len = 0;
  return EVP_CipherUpdate(ctx, block, &len, block, 16) == 1 && len == 16;
}

// A ^= t, t as a 64-bit big-endian integer (RFC 3394 §2.2.1).
void XorCounter(uint8_t a[8], uint64_t t) {
  for (int i = 7; i >= 0; --i, t >>= 8) a[i] ^= static_cast<uint8_t>(t);
}

}  // namespace

struct AesKeyWrapper::Contexts {
  CipherCtxPtr encrypt;
  CipherCtxPtr decrypt;
};

AesKeyWrapper::AesKeyWrapper(std::unique_ptr<Contexts> ctx) : ctx_(std::move(ctx)) {}
AesKeyWrapper::AesKeyWrapper(AesKeyWrapper&&) noexcept = default;
AesKeyWrapper& AesKeyWrapper::operator=(AesKeyWrapper&&) noexcept = default;
AesKeyWrapper::~AesKeyWrapper() = default;

Result<AesKeyWrapper> AesKeyWrapper::Create(const SecretBytes& kek) {
  if (EcbCipher(kek.size()) == nullptr) {
    return InvalidArgumentError("aes-kw: key-encryption key must be 16, 24 or 32 bytes, found " +
                                std::to_string(kek.size()));
  }
  auto ctx = std::make_unique<Contexts>();
  VIGIL_ASSIGN_OR_RETURN(ctx->encrypt, EcbContext(kek, true));
  VIGIL_ASSIGN_OR_RETURN(ctx->decrypt, EcbContext(kek, false));
  return AesKeyWrapper(std::move(ctx));
}

Result<Bytes> AesKeyWrapper::Wrap(ByteView key) const {
  if (key.size() < 16 || key.size() % 8 != 0) {
    return InvalidArgumentError(
        "aes-kw: the key to wrap must be a multiple of 8 bytes and at "
        "least 16, got " +
        std::to_string(key.size()));
  }
  const size_t n = key.size() / 8;
  Bytes out(8 + key.size());
  std::memset(out.data(), kIcv, 8);
  std::memcpy(out.data() + 8, key.data(), key.size());
  std::array<uint8_t, 16> b{};
  for (uint64_t j = 0; j < 6; ++j) {
    for (size_t i = 1; i <= n; ++i) {
      std::memcpy(b.data(), out.data(), 8);
      std::memcpy(b.data() + 8, out.data() + 8 * i, 8);
      if (!Block(ctx_->encrypt.get(), b.data())) return InternalError("aes-kw: AES failed");
      XorCounter(b.data(), n * j + i);
      std::memcpy(out.data(), b.data(), 8);
      std::memcpy(out.data() + 8 * i, b.data() + 8, 8);
    }
  }
  SecureZero(b);
  return out;
}

Result<SecretBytes> AesKeyWrapper::Unwrap(ByteView wrapped) const {
  if (wrapped.size() < 24 || wrapped.size() % 8 != 0) {
    return InvalidArgumentError(
        "aes-kw: wrapped key must be a multiple of 8 bytes and at least 24, found " +
        std::to_string(wrapped.size()));
  }
  const size_t n = wrapped.size() / 8 - 1;
  std::array<uint8_t, 8> a{};
  std::memcpy(a.data(), wrapped.data(), 8);
  SecretBytes r = SecretBytes::CopyFrom(wrapped.subspan(8));
  uint8_t* rp = r.MutableReveal().data();
  std::array<uint8_t, 16> b{};
  for (uint64_t j = 6; j-- > 0;) {
    for (size_t i = n; i >= 1; --i) {
      std::memcpy(b.data(), a.data(), 8);
      XorCounter(b.data(), n * j + i);
      std::memcpy(b.data() + 8, rp + 8 * (i - 1), 8);
      if (!Block(ctx_->decrypt.get(), b.data())) return InternalError("aes-kw: AES failed");
      std::memcpy(a.data(), b.data(), 8);
      std::memcpy(rp + 8 * (i - 1), b.data() + 8, 8);
    }
  }
  SecureZero(b);
  static constexpr std::array<uint8_t, 8> kExpected = {kIcv, kIcv, kIcv, kIcv,
                                                       kIcv, kIcv, kIcv, kIcv};
  if (!ConstantTimeEquals(a, kExpected)) {
    return UnauthenticatedError("aes-kw: integrity check failed (wrong KEK or altered key)");
  }
  return r;
}

}  // namespace vigil::crypto
