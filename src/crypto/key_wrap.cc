#include "vigil/crypto/key_wrap.h"

#include <openssl/evp.h>

#include "internal/openssl_util.h"

namespace vigil::crypto {
namespace {

// KWP (RFC 5649) through OpenSSL's AES-WRAP-PAD cipher; KW is AesKeyWrapper
// (aes_key_wrapper.cc).
const EVP_CIPHER* WrapPadCipher(size_t kek_size) {
  static const EVP_CIPHER* kwp[3] = {EVP_CIPHER_fetch(nullptr, "AES-128-WRAP-PAD", nullptr),
                                     EVP_CIPHER_fetch(nullptr, "AES-192-WRAP-PAD", nullptr),
                                     EVP_CIPHER_fetch(nullptr, "AES-256-WRAP-PAD", nullptr)};
  int i = kek_size == 16 ? 0 : kek_size == 24 ? 1 : kek_size == 32 ? 2 : -1;
  return i < 0 ? nullptr : kwp[i];
}

// One pass of EVP over `in`. For unwrap, a failure is an integrity failure.
Result<Bytes> Run(const SecretBytes& kek, ByteView in, bool wrap) {
  const char* name = "aes-kwp";
  const EVP_CIPHER* cipher = WrapPadCipher(kek.size());
  if (cipher == nullptr) {
    return InvalidArgumentError(std::string(name) + ": key-encryption key must be 16, 24 or 32 "
                                "bytes, found " + std::to_string(kek.size()));
  }
  internal::CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx || EVP_CipherInit_ex(ctx.get(), cipher, nullptr, kek.Reveal().data(), nullptr,
                                wrap ? 1 : 0) != 1) {
    return internal::OpensslError(std::string(name) + ": init");
  }
  Bytes out(in.size() + 16);
  int len = 0;
  int fin = 0;
  if (EVP_CipherUpdate(ctx.get(), out.data(), &len, in.data(), static_cast<int>(in.size())) != 1 ||
      EVP_CipherFinal_ex(ctx.get(), out.data() + len, &fin) != 1) {
    internal::DrainOpensslErrors();
    SecureZero(out);
    if (wrap) return InvalidArgumentError(std::string(name) + ": cannot wrap a key of this length");
    return UnauthenticatedError(std::string(name) + ": integrity check failed");
  }
  out.resize(static_cast<size_t>(len + fin));
  return out;
}

Result<SecretBytes> UnwrapPad(const SecretBytes& kek, ByteView wrapped) {
  if (wrapped.size() < 16 || wrapped.size() % 8 != 0) {
    return InvalidArgumentError("aes-kwp: wrapped key must be a multiple of 8 bytes and at least "
                                "16, found " + std::to_string(wrapped.size()));
  }
  VIGIL_ASSIGN_OR_RETURN(Bytes key, Run(kek, wrapped, false));
  SecretBytes out = SecretBytes::CopyFrom(key);
  SecureZero(key);
  return out;
}

}  // namespace

Result<Bytes> AesKeyWrap(const SecretBytes& kek, const SecretBytes& key) {
  VIGIL_ASSIGN_OR_RETURN(AesKeyWrapper wrapper, AesKeyWrapper::Create(kek));
  return wrapper.Wrap(key.Reveal());
}

Result<SecretBytes> AesKeyUnwrap(const SecretBytes& kek, ByteView wrapped) {
  VIGIL_ASSIGN_OR_RETURN(AesKeyWrapper wrapper, AesKeyWrapper::Create(kek));
  return wrapper.Unwrap(wrapped);
}

Result<Bytes> AesKeyWrapPad(const SecretBytes& kek, const SecretBytes& key) {
  if (key.empty()) return InvalidArgumentError("aes-kwp: key to wrap is empty");
  return Run(kek, key.Reveal(), true);
}

Result<SecretBytes> AesKeyUnwrapPad(const SecretBytes& kek, ByteView wrapped) {
  return UnwrapPad(kek, wrapped);
}

}  // namespace vigil::crypto
