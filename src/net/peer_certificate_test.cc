#include "vigil/net/peer_certificate.h"

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include "testing/tls_pki.h"
#include "vigil/core/encoding.h"
#include "vigil/crypto/hash.h"
#include "vigil/net/tls_server.h"

namespace vigil::net {
namespace {

using testing::CtxPtr;

class PeerCertificateTest : public ::testing::Test {
 protected:
  CtxPtr Server(bool mutual) {
    CtxPtr ctx(SSL_CTX_new(TLS_method()), SSL_CTX_free);
    EXPECT_TRUE(ConfigureTlsServer(*ctx, {pki_.Path("server.pem"), pki_.Path("server.key"),
                                          mutual ? pki_.Path("ca.pem") : ""}));
    return ctx;
  }
  std::string File(const std::string& name) {
    Result<Bytes> bytes = Env::Default()->ReadFile(pki_.Path(name));
    EXPECT_TRUE(bytes);
    return bytes ? std::string(AsStringView(*bytes)) : "";
  }

  testing::Pki pki_;
};

TEST_F(PeerCertificateTest, ReadsWhatTheClientPresented) {
  CtxPtr server = Server(/*mutual=*/true);
  testing::Connection c = testing::Handshake(server.get(), pki_.Client("client").get());
  ASSERT_TRUE(c.established);
  Result<PeerCertificate> cert = PeerCertificate::Read(c.server.get());
  ASSERT_TRUE(cert) << cert.error().message();
  EXPECT_EQ(cert->CommonName(), "clinician-1");
  EXPECT_EQ(cert->NotAfter(), pki_.now() + 86400);
  Result<std::string> pem = cert->Pem();
  ASSERT_TRUE(pem);
  EXPECT_EQ(*pem, File("client.pem"));
  // The fingerprint is the SHA-256 of the DER inside the PEM file, decoded here on another path.
  std::string body = File("client.pem");
  body = body.substr(body.find('\n') + 1);
  body = body.substr(0, body.find("-----END"));
  std::erase(body, '\n');
  Result<Bytes> der = Base64Decode(body);
  ASSERT_TRUE(der);
  const crypto::Sha256Digest digest = crypto::Sha256(*der);
  EXPECT_EQ(cert->Sha256(), std::string(digest.begin(), digest.end()));
}

TEST_F(PeerCertificateTest, TheClientReadsTheServersCertificate) {
  CtxPtr server = Server(/*mutual=*/false);
  testing::Connection c = testing::Handshake(server.get(), pki_.Client("").get());
  ASSERT_TRUE(c.established);
  Result<PeerCertificate> cert = PeerCertificate::Read(c.client.get());
  ASSERT_TRUE(cert) << cert.error().message();
  EXPECT_EQ(cert->CommonName(), "pump-SN1");
}

TEST_F(PeerCertificateTest, NoCertificateIsUnauthenticated) {
  CtxPtr server = Server(/*mutual=*/false);
  testing::Connection c = testing::Handshake(server.get(), pki_.Client("").get());
  ASSERT_TRUE(c.established);
  for (const ssl_st* ssl :
       {static_cast<const ssl_st*>(c.server.get()), static_cast<const ssl_st*>(nullptr)}) {
    Result<PeerCertificate> cert = PeerCertificate::Read(ssl);
    ASSERT_FALSE(cert);
    EXPECT_EQ(cert.error().code(), ErrorCode::kUnauthenticated);
    EXPECT_EQ(cert.error().message(), "no client certificate");
  }
}

}  // namespace
}  // namespace vigil::net
