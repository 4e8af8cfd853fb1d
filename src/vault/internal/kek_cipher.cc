#include "internal/kek_cipher.h"

#include <openssl/evp.h>

#include <array>
#include <cstring>

namespace vigil::vault::internal {

namespace {

constexpr uint8_t kIcv = 0xA6;  // RFC 3394 §2.2.3.1 default initial value, A6A6A6A6A6A6A6A6

struct CtxDeleter {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CtxDeleter>;

Result<CtxPtr> EcbContext(const crypto::SecretBytes& kek, bool encrypt) {
  CtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx ||
      EVP_CipherInit_ex(ctx.get(), EVP_aes_256_ecb(), nullptr, kek.Reveal().data(), nullptr,
                        encrypt ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1) {
    return InternalError("vault KEK: OpenSSL refused the AES-256-ECB key set-up");
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

struct KekCipher::Contexts {
  CtxPtr encrypt;
  CtxPtr decrypt;
};

KekCipher::KekCipher(std::unique_ptr<Contexts> ctx) : ctx_(std::move(ctx)) {}
KekCipher::KekCipher(KekCipher&&) noexcept = default;
KekCipher& KekCipher::operator=(KekCipher&&) noexcept = default;
KekCipher::~KekCipher() = default;

Result<KekCipher> KekCipher::Create(const crypto::SecretBytes& kek) {
  if (kek.size() != 32) {
    return InvalidArgumentError("vault KEK: expected 32 bytes, got " + std::to_string(kek.size()));
  }
  auto ctx = std::make_unique<Contexts>();
  VIGIL_ASSIGN_OR_RETURN(ctx->encrypt, EcbContext(kek, true));
  VIGIL_ASSIGN_OR_RETURN(ctx->decrypt, EcbContext(kek, false));
  return KekCipher(std::move(ctx));
}

Result<Bytes> KekCipher::Wrap(ByteView key) const {
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
  crypto::SecureZero(b);
  return out;
}

Result<crypto::SecretBytes> KekCipher::Unwrap(ByteView wrapped) const {
  if (wrapped.size() < 24 || wrapped.size() % 8 != 0) {
    return DataLossError("aes-kw: a wrapped key is a multiple of 8 bytes and at least 24, got " +
                         std::to_string(wrapped.size()));
  }
  const size_t n = wrapped.size() / 8 - 1;
  std::array<uint8_t, 8> a{};
  std::memcpy(a.data(), wrapped.data(), 8);
  crypto::SecretBytes r = crypto::SecretBytes::CopyFrom(wrapped.subspan(8));
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
  crypto::SecureZero(b);
  static constexpr std::array<uint8_t, 8> kExpected = {kIcv, kIcv, kIcv, kIcv,
                                                       kIcv, kIcv, kIcv, kIcv};
  if (!crypto::ConstantTimeEquals(a, kExpected)) {
    return UnauthenticatedError("aes-kw: integrity check failed (wrong KEK or altered key)");
  }
  return r;
}

}  // namespace vigil::vault::internal
