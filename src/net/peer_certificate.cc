#include "vigil/net/peer_certificate.h"

#include <openssl/asn1.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <time.h>

#include "vigil/crypto/hash.h"
#include "vigil/crypto/openssl_errors.h"

namespace vigil::net {

void PeerCertificate::Free::operator()(x509_st* cert) const { X509_free(cert); }

Result<PeerCertificate> PeerCertificate::Read(const ssl_st* ssl) {
  X509* cert = ssl == nullptr ? nullptr : SSL_get1_peer_certificate(ssl);
  if (cert == nullptr) return UnauthenticatedError("no client certificate");
  return PeerCertificate(cert);
}

std::string PeerCertificate::CommonName() const {
  const X509_NAME* subject = X509_get_subject_name(cert_.get());
  const int at = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (at < 0) return "";
  unsigned char* utf8 = nullptr;
  const int n =
      ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, at)));
  if (n < 0) return "";
  std::string name(reinterpret_cast<const char*>(utf8), static_cast<size_t>(n));
  OPENSSL_free(utf8);
  return name;
}

std::string PeerCertificate::Sha256() const {
  unsigned char* der = nullptr;
  const int n = i2d_X509(cert_.get(), &der);
  if (n <= 0) return "";
  const crypto::Sha256Digest digest = crypto::Sha256(ByteView(der, static_cast<size_t>(n)));
  OPENSSL_free(der);
  return std::string(digest.begin(), digest.end());
}

int64_t PeerCertificate::NotAfter() const {
  struct tm t = {};
  const ASN1_TIME* at = X509_get0_notAfter(cert_.get());
  if (at == nullptr || ASN1_TIME_to_tm(at, &t) != 1) return 0;
  return static_cast<int64_t>(timegm(&t));
}

Result<std::string> PeerCertificate::Pem() const {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (bio == nullptr || PEM_write_bio_X509(bio.get(), cert_.get()) != 1) {
    return InternalError("peer certificate: cannot encode it as PEM (" +
                         crypto::DrainOpenSslErrors() + ")");
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len > 0 ? len : 0));
}

}  // namespace vigil::net
