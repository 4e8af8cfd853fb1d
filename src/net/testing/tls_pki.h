// For the net module's tests: a manufacturer CA with a server and a client certificate, a
// client certificate of a foreign CA, and a TLS handshake run in memory (a BIO pair), so that a
// test sees both ends of a connection without a socket.
#ifndef VIGIL_NET_TESTING_TLS_PKI_H_
#define VIGIL_NET_TESTING_TLS_PKI_H_

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "vigil/core/env.h"
#include "vigil/crypto/key_file.h"
#include "vigil/crypto/signature.h"
#include "vigil/identity/device_cert.h"

namespace vigil::net::testing {

using CtxPtr = std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)>;
using SslPtr = std::unique_ptr<SSL, decltype(&SSL_free)>;

// In a fresh folder, as PEM files: ca.pem ("Example Medical Manufacturing CA"), server.pem/key
// ("pump-SN1") and client.pem/key ("clinician-1") from it, foreign.pem/key ("intruder") from
// foreign-ca.pem. Every certificate is valid from now() - 60 to now() + 86400.
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
  int64_t now() const { return now_; }

  // A client that checks the server against ca.pem, presents `cert` (none if empty) and speaks
  // at most `max_version` (0: any).
  CtxPtr Client(const std::string& cert, int max_version = 0) const {
    CtxPtr ctx(SSL_CTX_new(TLS_client_method()), SSL_CTX_free);
    SSL_CTX_set_max_proto_version(ctx.get(), max_version);
    SSL_CTX_load_verify_locations(ctx.get(), Path("ca.pem").c_str(), nullptr);
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
    if (!cert.empty()) {
      EXPECT_EQ(
          SSL_CTX_use_certificate_file(ctx.get(), Path(cert + ".pem").c_str(), SSL_FILETYPE_PEM),
          1);
      EXPECT_EQ(
          SSL_CTX_use_PrivateKey_file(ctx.get(), Path(cert + ".key").c_str(), SSL_FILETYPE_PEM), 1);
    }
    return ctx;
  }

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

// Both ends of a handshake run over a pair of memory BIOs.
struct Connection {
  SslPtr server{nullptr, SSL_free}, client{nullptr, SSL_free};
  bool established = false;  // the server completed the handshake
};

inline Connection Handshake(SSL_CTX* server_ctx, SSL_CTX* client_ctx) {
  Connection c{SslPtr(SSL_new(server_ctx), SSL_free), SslPtr(SSL_new(client_ctx), SSL_free)};
  BIO *server_bio = nullptr, *client_bio = nullptr;
  BIO_new_bio_pair(&server_bio, 0, &client_bio, 0);
  SSL_set_bio(c.server.get(), server_bio, server_bio);
  SSL_set_bio(c.client.get(), client_bio, client_bio);
  SSL_set_accept_state(c.server.get());
  SSL_set_connect_state(c.client.get());
  for (int round = 0; round < 20 && !c.established; ++round) {
    (void)SSL_do_handshake(c.client.get());
    const int rc = SSL_do_handshake(c.server.get());
    if (rc == 1) {
      c.established = true;
      break;
    }
    const int e = SSL_get_error(c.server.get(), rc);
    if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) break;
  }
  ERR_clear_error();
  return c;
}

}  // namespace vigil::net::testing

#endif  // VIGIL_NET_TESTING_TLS_PKI_H_
