// OpenSSL's error queue as text, for the modules that hold OpenSSL objects outside crypto: TLS
// in audit's syslog forwarder and X.509 in identity's device certificates. One implementation
// (crypto's), so every message that quotes OpenSSL reads alike. No OpenSSL type appears here.
//
// Thread-safety: OpenSSL's error queue is per thread; this drains the calling thread's.
#ifndef VIGIL_CRYPTO_OPENSSL_ERRORS_H_
#define VIGIL_CRYPTO_OPENSSL_ERRORS_H_

#include <string>

namespace vigil::crypto {

// Every error queued on this thread, oldest first, joined with "; ", and the queue left empty
// (so a stale error never leaks into a later call's message). "no OpenSSL error recorded" when
// the queue was empty.
std::string DrainOpenSslErrors();

}  // namespace vigil::crypto

#endif  // VIGIL_CRYPTO_OPENSSL_ERRORS_H_
