// The TLS settings of every Vigil listener (the reference pump's management API, the fleet
// server's operator and device listeners), in one place so that they cannot drift apart:
//
//  - TLS 1.3 only: AEAD suites with forward secrecy and nothing to misconfigure (FDA premarket
//    guidance AUTH-1/CONF-1; NIST SP 800-52r2 allows 1.3 alone);
//  - no session tickets (no stateless resumption that outlives the server's view of a session)
//    and no TLS compression;
//  - the certificate chain and private key from PEM files, the key checked against the
//    certificate;
//  - with a client CA: mutual TLS. A client must present a certificate chaining to that CA, or
//    the handshake fails (SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT); who the
//    certificate names is the application's to check after the handshake.
//
// The context is OpenSSL's SSL_CTX, named here only by its opaque struct so that no OpenSSL
// header reaches a user; a program that serves with cpp-httplib passes ConfigureTlsServer to
// httplib::SSLServer's context-setup constructor.
//
// Thread-safety: ConfigureTlsServer may run on any thread, on a context no other thread uses yet.
#ifndef VIGIL_NET_TLS_SERVER_H_
#define VIGIL_NET_TLS_SERVER_H_

#include <string>

#include "vigil/core/result.h"

struct ssl_ctx_st;  // OpenSSL's SSL_CTX

namespace vigil::net {

struct TlsServerFiles {
  std::string cert_file;       // PEM: the server's certificate, then any intermediates
  std::string key_file;        // PEM: its private key
  std::string client_ca_file;  // PEM: the CA client certificates must chain to; empty: none asked
};

// Sets up `ctx` (a fresh server or generic context) as above. InvalidArgument naming the file
// and OpenSSL's reason when a file is missing, unreadable or not the PEM expected, or when the
// key does not match the certificate; Internal when OpenSSL refuses a setting.
Status ConfigureTlsServer(ssl_ctx_st& ctx, const TlsServerFiles& files);

}  // namespace vigil::net

#endif  // VIGIL_NET_TLS_SERVER_H_
