// Small RAII holders and error capture for OpenSSL objects, shared inside the crypto module.
#ifndef VIGIL_CRYPTO_INTERNAL_OPENSSL_UTIL_H_
#define VIGIL_CRYPTO_INTERNAL_OPENSSL_UTIL_H_

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <memory>
#include <string>

#include "vigil/core/error.h"

namespace vigil::crypto::internal {

struct EvpPkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct EvpPkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct EvpMdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct EvpCipherCtxFree {
  void operator()(EVP_CIPHER_CTX* p) const { EVP_CIPHER_CTX_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyFree>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, EvpPkeyCtxFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, EvpMdCtxFree>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, EvpCipherCtxFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;

// The queued errors as one string, "" when there were none (the queue is left empty).
std::string DrainOpensslErrors();

// An Internal error for an OpenSSL call that should not fail.
inline Error OpensslError(const std::string& what) {
  std::string detail = DrainOpensslErrors();
  return InternalError(what + (detail.empty() ? "" : ": " + detail));
}

}  // namespace vigil::crypto::internal

#endif  // VIGIL_CRYPTO_INTERNAL_OPENSSL_UTIL_H_
