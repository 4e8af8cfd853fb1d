// The certificate a TLS peer presented, read after the handshake by every Vigil listener that
// asks for one (the reference pump's management API names its caller by it; the fleet server's
// device listener takes the device's serial from it and verifies it again through identity), so
// that the reading is written once.
//
// Reading is not trusting: the handshake (tls_server.h, mutual TLS) has verified the chain to
// the client CA; what the certificate names, and whether it may do what it asks, is the
// caller's to check. The connection is OpenSSL's SSL, named here only by its opaque struct so
// that no OpenSSL header reaches a user; a cpp-httplib handler passes `req.ssl`.
//
// Thread-safety: a PeerCertificate is immutable; its methods may run on any thread. Read may
// run on the connection's thread while it is open.
#ifndef VIGIL_NET_PEER_CERTIFICATE_H_
#define VIGIL_NET_PEER_CERTIFICATE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "vigil/core/result.h"

struct ssl_st;   // OpenSSL's SSL
struct x509_st;  // OpenSSL's X509

namespace vigil::net {

class PeerCertificate {
 public:
  // The leaf certificate the peer of `ssl` presented. Unauthenticated "no client certificate"
  // when `ssl` is null (a connection without TLS) or the peer presented none.
  static Result<PeerCertificate> Read(const ssl_st* ssl);

  // The subject's commonName as UTF-8; empty when the subject has none or it cannot be decoded.
  std::string CommonName() const;
  // The SHA-256 of the certificate's DER encoding (32 raw bytes); empty if it cannot be encoded.
  std::string Sha256() const;
  // The end of its validity (notAfter) in unix seconds; 0 when it cannot be read.
  int64_t NotAfter() const;
  // The certificate as one PEM block; Internal if OpenSSL cannot encode it.
  Result<std::string> Pem() const;

 private:
  struct Free {
    void operator()(x509_st* cert) const;
  };
  explicit PeerCertificate(x509_st* cert) : cert_(cert) {}

  std::unique_ptr<x509_st, Free> cert_;
};

}  // namespace vigil::net

#endif  // VIGIL_NET_PEER_CERTIFICATE_H_
