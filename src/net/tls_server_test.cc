#include "vigil/net/tls_server.h"

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "testing/tls_pki.h"

namespace vigil::net {
namespace {

using testing::CtxPtr;
using testing::Pki;

class TlsServerTest : public ::testing::Test {
 protected:
  TlsServerFiles Files(bool mutual) const {
    return {pki_.Path("server.pem"), pki_.Path("server.key"), mutual ? pki_.Path("ca.pem") : ""};
  }

  CtxPtr Server(const TlsServerFiles& files) {
    CtxPtr ctx(SSL_CTX_new(TLS_method()), SSL_CTX_free);
    Status configured = ConfigureTlsServer(*ctx, files);
    EXPECT_TRUE(configured) << configured.error().message();
    return ctx;
  }

  CtxPtr Client(const std::string& cert, int max_version = 0) {
    return pki_.Client(cert, max_version);
  }

  // Runs a handshake in memory; true when the server completed it. The negotiated version and
  // whether the server holds a client certificate are kept.
  bool Handshake(SSL_CTX* server_ctx, SSL_CTX* client_ctx) {
    testing::Connection c = testing::Handshake(server_ctx, client_ctx);
    version_ = SSL_version(c.server.get());
    client_cert_seen_ = SSL_get0_peer_certificate(c.server.get()) != nullptr;
    return c.established;
  }

  Pki pki_;
  int version_ = 0;
  bool client_cert_seen_ = false;
};

TEST_F(TlsServerTest, MutualTls13WithACertificateOfTheCa) {
  CtxPtr server = Server(Files(/*mutual=*/true));
  ASSERT_TRUE(Handshake(server.get(), Client("client").get()));
  EXPECT_EQ(version_, TLS1_3_VERSION);
  EXPECT_TRUE(client_cert_seen_);
}

TEST_F(TlsServerTest, MutualTlsRefusesNoCertificateAndAForeignOne) {
  CtxPtr server = Server(Files(/*mutual=*/true));
  EXPECT_FALSE(Handshake(server.get(), Client("").get()));
  EXPECT_FALSE(Handshake(server.get(), Client("foreign").get()));
}

TEST_F(TlsServerTest, RefusesTls12EvenWithAGoodCertificate) {
  CtxPtr server = Server(Files(/*mutual=*/true));
  EXPECT_FALSE(Handshake(server.get(), Client("client", TLS1_2_VERSION).get()));
  CtxPtr plain = Server(Files(/*mutual=*/false));
  EXPECT_FALSE(Handshake(plain.get(), Client("", TLS1_2_VERSION).get()));
}

TEST_F(TlsServerTest, WithoutAClientCaAsksForNoCertificate) {
  CtxPtr server = Server(Files(/*mutual=*/false));
  ASSERT_TRUE(Handshake(server.get(), Client("").get()));
  EXPECT_EQ(version_, TLS1_3_VERSION);
  EXPECT_FALSE(client_cert_seen_);
}

TEST_F(TlsServerTest, TurnsOffTicketsAndCompression) {
  CtxPtr server = Server(Files(/*mutual=*/true));
  const uint64_t options = SSL_CTX_get_options(server.get());
  EXPECT_NE(options & SSL_OP_NO_TICKET, 0u);
  EXPECT_NE(options & SSL_OP_NO_COMPRESSION, 0u);
  EXPECT_EQ(SSL_CTX_get_min_proto_version(server.get()), TLS1_3_VERSION);
}

TEST_F(TlsServerTest, EachBadFileIsNamed) {
  struct Case {
    TlsServerFiles files;
    std::string expected;
  };
  const std::string dir = pki_.Path("");
  const Case cases[] = {
      {{"", dir + "server.key", ""}, "TLS server: a certificate file and a key file are required"},
      {{dir + "absent.pem", dir + "server.key", ""},
       dir + "absent.pem: expected a readable PEM certificate chain ("},
      {{dir + "server.key", dir + "server.key", ""},
       dir + "server.key: expected a readable PEM certificate chain ("},
      {{dir + "server.pem", dir + "absent.key", ""},
       dir + "absent.key: expected a readable PEM private key of the certificate in " + dir +
           "server.pem ("},
      {{dir + "server.pem", dir + "client.key", ""},
       dir + "client.key: expected a readable PEM private key of the certificate in " + dir +
           "server.pem (error:"},
      {{dir + "server.pem", dir + "server.key", dir + "absent.pem"},
       dir + "absent.pem: expected a readable PEM CA certificate ("},
  };
  for (const Case& c : cases) {
    CtxPtr ctx(SSL_CTX_new(TLS_method()), SSL_CTX_free);
    Status configured = ConfigureTlsServer(*ctx, c.files);
    ASSERT_FALSE(configured) << c.expected;
    EXPECT_EQ(configured.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(configured.error().message().substr(0, c.expected.size()), c.expected);
    EXPECT_EQ(ERR_peek_error(), 0u) << c.expected;  // the queue was drained into the message
  }
}

}  // namespace
}  // namespace vigil::net
