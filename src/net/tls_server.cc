#include "vigil/net/tls_server.h"

#include <openssl/ssl.h>

#include "vigil/crypto/openssl_errors.h"

namespace vigil::net {
namespace {

Error FileError(const std::string& file, std::string_view expected) {
  return InvalidArgumentError(file + ": expected " + std::string(expected) + " (" +
                              crypto::DrainOpenSslErrors() + ")");
}

Status LoadIdentity(SSL_CTX& ctx, const TlsServerFiles& f) {
  if (f.cert_file.empty() || f.key_file.empty()) {
    return InvalidArgumentError("TLS server: a certificate file and a key file are required");
  }
  if (SSL_CTX_use_certificate_chain_file(&ctx, f.cert_file.c_str()) != 1) {
    return FileError(f.cert_file, "a readable PEM certificate chain");
  }
  // OpenSSL compares the key with the certificate as it loads it ("key values mismatch").
  if (SSL_CTX_use_PrivateKey_file(&ctx, f.key_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(&ctx) != 1) {
    return FileError(f.key_file, "a readable PEM private key of the certificate in " + f.cert_file);
  }
  return OkStatus();
}

// Mutual TLS: the CA verifies the chain, and its name goes in the CertificateRequest so that a
// client holding several certificates picks the right one.
Status RequireClientCertificates(SSL_CTX& ctx, const std::string& ca_file) {
  if (SSL_CTX_load_verify_locations(&ctx, ca_file.c_str(), nullptr) != 1) {
    return FileError(ca_file, "a readable PEM CA certificate");
  }
  STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(ca_file.c_str());
  if (names == nullptr) return FileError(ca_file, "a PEM CA certificate with a subject name");
  SSL_CTX_set_client_CA_list(&ctx, names);  // takes ownership
  SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  return OkStatus();
}

}  // namespace

Status ConfigureTlsServer(SSL_CTX& ctx, const TlsServerFiles& files) {
  if (SSL_CTX_set_min_proto_version(&ctx, TLS1_3_VERSION) != 1) {
    return InternalError("TLS server: OpenSSL cannot require TLS 1.3 (" +
                         crypto::DrainOpenSslErrors() + ")");
  }
  SSL_CTX_set_options(&ctx, SSL_OP_NO_TICKET | SSL_OP_NO_COMPRESSION);
  VIGIL_RETURN_IF_ERROR(LoadIdentity(ctx, files));
  if (files.client_ca_file.empty()) {
    SSL_CTX_set_verify(&ctx, SSL_VERIFY_NONE, nullptr);
    return OkStatus();
  }
  return RequireClientCertificates(ctx, files.client_ca_file);
}

}  // namespace vigil::net
