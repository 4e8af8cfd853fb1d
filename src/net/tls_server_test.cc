#include "vigil/net/tls_server.h"

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cstdlib>
#include <memory>

#include "vigil/crypto/key_file.h"
#include "vigil/crypto/signature.h"
#include "vigil/identity/device_cert.h"

namespace vigil::net {
namespace {

using CtxPtr = std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)>;
using SslPtr = std::unique_ptr<SSL, decltype(&SSL_free)>;

// A manufacturer CA, a server certificate, a client certificate from it and one from a foreign
// CA, as PEM files in a fresh folder.
class Pki {
 public:
  Pki() {
    char tmpl[] = "/tmp/vigil-net-tls-XXXXXX";
    dir_ = mkdtemp(tmpl);
    now_ = Env::Default()->NowUnixMicros() / 1'000'000;
    ca_ = Ca("Example Medical Manufacturing CA", "ca");
    Issue(ca_, "pump-SN1", "server");
    Issue(ca_, "clinician-1", "client");
    Issue(Ca("Someone Else's CA", "foreign-ca"), "intruder", "foreign");
  }
  ~Pki() { std::system(("rm -rf " + dir_).c_str()); }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

 private:
  struct Authority {
    std::unique_ptr<crypto::SigningKey> key;
    std::string pem;
  };

  std::unique_ptr<crypto::SigningKey> NewKey() {
    return std::move(*crypto::GenerateSigningKey(crypto::AlgorithmId::kEcdsaP256Sha256));
  }
  void Write(const std::string& name, const std::string& text) {
    EXPECT_TRUE(Env::Default()->WriteFileAtomic(Path(name), AsBytes(text)));
  }
  Authority Ca(const std::string& name, const std::string& file) {
    Authority a{NewKey(), ""};
    a.pem =
        *identity::CreateCaCertificate(*a.key, name, {now_ - 60, now_ + 86400}, *Env::Default());
    Write(file + ".pem", a.pem);
    return a;
  }
  void Issue(const Authority& ca, const std::string& id, const std::string& file) {
    std::unique_ptr<crypto::SigningKey> key = NewKey();
    Write(file + ".pem",
          *identity::IssueDeviceCertificate(*ca.key, ca.pem, *key->PublicKey(), id,
                                            {now_ - 60, now_ + 86400}, *Env::Default()));
    EXPECT_TRUE(crypto::WritePrivateKeyFile(*Env::Default(), Path(file + ".key"), *key));
  }

  std::string dir_;
  int64_t now_ = 0;
  Authority ca_;
};

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

  // A client that checks the server against the CA, presents `cert` (none if empty) and speaks
  // at most `max_version`.
  CtxPtr Client(const std::string& cert, int max_version = 0) {
    CtxPtr ctx(SSL_CTX_new(TLS_client_method()), SSL_CTX_free);
    SSL_CTX_set_max_proto_version(ctx.get(), max_version);
    SSL_CTX_load_verify_locations(ctx.get(), pki_.Path("ca.pem").c_str(), nullptr);
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
    if (!cert.empty()) {
      EXPECT_EQ(SSL_CTX_use_certificate_file(ctx.get(), pki_.Path(cert + ".pem").c_str(),
                                             SSL_FILETYPE_PEM),
                1);
      EXPECT_EQ(SSL_CTX_use_PrivateKey_file(ctx.get(), pki_.Path(cert + ".key").c_str(),
                                            SSL_FILETYPE_PEM),
                1);
    }
    return ctx;
  }

  // Runs a handshake over a pair of memory BIOs; true when the server completed it. The
  // negotiated version and whether the server holds a client certificate are kept.
  bool Handshake(SSL_CTX* server_ctx, SSL_CTX* client_ctx) {
    SslPtr server(SSL_new(server_ctx), SSL_free), client(SSL_new(client_ctx), SSL_free);
    BIO *server_bio = nullptr, *client_bio = nullptr;
    BIO_new_bio_pair(&server_bio, 0, &client_bio, 0);
    SSL_set_bio(server.get(), server_bio, server_bio);
    SSL_set_bio(client.get(), client_bio, client_bio);
    SSL_set_accept_state(server.get());
    SSL_set_connect_state(client.get());
    bool done = false;
    for (int round = 0; round < 20 && !done; ++round) {
      (void)SSL_do_handshake(client.get());
      const int rc = SSL_do_handshake(server.get());
      if (rc == 1) {
        done = true;
        break;
      }
      const int e = SSL_get_error(server.get(), rc);
      if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) break;
    }
    ERR_clear_error();
    version_ = SSL_version(server.get());
    X509* peer = SSL_get0_peer_certificate(server.get());
    client_cert_seen_ = peer != nullptr;
    return done;
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
