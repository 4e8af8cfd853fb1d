#include "vigil/crypto/mac.h"

#include <openssl/core_names.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>

#include <cstdlib>

#include "internal/openssl_util.h"

namespace vigil::crypto {

HmacSha256Tag HmacSha256(ByteView key, ByteView data) {
  HmacSha256Tag tag;
  unsigned int len = 0;
  static const uint8_t kEmpty = 0;
  // HMAC() rejects a null key pointer even with length 0.
  const uint8_t* k = key.empty() ? &kEmpty : key.data();
  if (HMAC(EVP_sha256(), k, static_cast<int>(key.size()), data.data(), data.size(), tag.data(),
           &len) == nullptr) {
    std::fprintf(stderr, "vigil: HMAC failed: %s\n", internal::DrainOpensslErrors().c_str());
    std::abort();
  }
  return tag;
}

Status VerifyHmacSha256(ByteView key, ByteView data, ByteView tag) {
  if (tag.size() < 16 || tag.size() > 32) {
    return InvalidArgumentError("hmac: tag must be 16..32 bytes, found " +
                                std::to_string(tag.size()));
  }
  HmacSha256Tag full = HmacSha256(key, data);
  if (!ConstantTimeEquals(ByteView(full.data(), tag.size()), tag)) {
    return UnauthenticatedError("hmac: tag does not match");
  }
  return OkStatus();
}

Result<SecretBytes> HkdfSha256(ByteView ikm, ByteView salt, ByteView info, size_t length) {
  if (length == 0 || length > 255 * 32) {
    return InvalidArgumentError("hkdf: output length must be 1..8160 bytes, found " +
                                std::to_string(length));
  }
  internal::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr));
  static const uint8_t kZero = 0;
  SecretBytes out(length);
  size_t out_len = length;
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_hkdf_md(ctx.get(), EVP_sha256()) != 1 ||
      EVP_PKEY_CTX_set1_hkdf_key(ctx.get(), ikm.empty() ? &kZero : ikm.data(),
                                 static_cast<int>(ikm.size())) != 1 ||
      (!salt.empty() &&
       EVP_PKEY_CTX_set1_hkdf_salt(ctx.get(), salt.data(), static_cast<int>(salt.size())) != 1) ||
      (!info.empty() &&
       EVP_PKEY_CTX_add1_hkdf_info(ctx.get(), info.data(), static_cast<int>(info.size())) != 1) ||
      EVP_PKEY_derive(ctx.get(), out.MutableReveal().data(), &out_len) != 1 ||
      out_len != length) {
    return internal::OpensslError("hkdf");
  }
  return out;
}

}  // namespace vigil::crypto
