// OpenSSL's error queue as text (vigil/crypto/openssl_errors.h, internal/openssl_util.h).
#include "vigil/crypto/openssl_errors.h"

#include <openssl/err.h>

#include "internal/openssl_util.h"

namespace vigil::crypto {

namespace internal {

std::string DrainOpensslErrors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

}  // namespace internal

std::string DrainOpenSslErrors() {
  std::string errors = internal::DrainOpensslErrors();
  return errors.empty() ? "no OpenSSL error recorded" : errors;
}

}  // namespace vigil::crypto
