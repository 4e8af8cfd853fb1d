#include "vigil/crypto/key_file.h"

#include <gtest/gtest.h>

#include "vigil/core/fault_env.h"
#include "vigil/crypto/ecdsa.h"
#include "vigil/crypto/ed25519.h"

namespace vigil::crypto {
namespace {

TEST(KeyFile, RoundTripEveryClassicalSignatureAlgorithm) {
  for (AlgorithmId alg : {AlgorithmId::kEd25519, AlgorithmId::kEcdsaP256Sha256,
                          AlgorithmId::kEcdsaP384Sha384}) {
    auto key = GenerateSigningKey(alg);
    ASSERT_TRUE(key.has_value());
    auto pem = EncodePrivateKeyPem(**key);
    ASSERT_TRUE(pem.has_value());
    EXPECT_EQ(pem->rfind("-----BEGIN PRIVATE KEY-----\n", 0), 0U);
    auto back = ParsePrivateKeyPem(*pem, "k.pem");
    ASSERT_TRUE(back.has_value()) << back.error().message();
    EXPECT_EQ((*back)->algorithm(), alg);
    auto pub_pem = EncodePublicKeyPem(*(*key)->PublicKey());
    ASSERT_TRUE(pub_pem.has_value());
    auto pub = ParsePublicKeyPem(*pub_pem, "k.pub");
    ASSERT_TRUE(pub.has_value()) << pub.error().message();
    auto sig = (*back)->Sign(ToBytes("m"));
    ASSERT_TRUE(sig.has_value());
    EXPECT_TRUE((*pub)->Verify(ToBytes("m"), *sig).has_value());
  }
}

TEST(KeyFile, OpensslCanReadWhatWeWrite) {
  auto key = GenerateEd25519();
  ASSERT_TRUE(key.has_value());
  const std::string path = ::testing::TempDir() + "/vigil-key.pem";
  ASSERT_TRUE(WritePrivateKeyFile(*Env::Default(), path, **key).has_value());
  EXPECT_EQ(system(("openssl pkey -in " + path + " -noout 2>/dev/null").c_str()), 0);
  auto back = ReadPrivateKeyFile(*Env::Default(), path);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ((*back)->PublicKey()->Encode(), (*key)->PublicKey()->Encode());
}

TEST(KeyFile, StrictErrorsNameTheSourceAndTheProblem) {
  auto e1 = ParsePrivateKeyPem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "k.pem");
  ASSERT_FALSE(e1.has_value());
  EXPECT_EQ(e1.error().message(), "k.pem: expected a PEM 'PRIVATE KEY' block, found 'CERTIFICATE'");
  EXPECT_NE(ParsePrivateKeyPem("", "k.pem").error().message().find("no PEM block"),
            std::string::npos);
  EXPECT_NE(ParsePrivateKeyPem("-----BEGIN PRIVATE KEY-----\nAAAA\n", "k.pem").error().message().find("missing"),
            std::string::npos);
  EXPECT_NE(ParsePrivateKeyPem("-----BEGIN PRIVATE KEY-----\nAAA=\n-----END PRIVATE KEY-----\n",
                               "k.pem").error().message().find("PKCS#8"),
            std::string::npos);
  EXPECT_NE(ParsePrivateKeyPem("-----BEGIN PRIVATE KEY-----\nAA A\n-----END PRIVATE KEY-----\n",
                               "k.pem").error().message().find("base64"),
            std::string::npos);
  auto key = GenerateEd25519();
  auto pem = EncodePrivateKeyPem(**key);
  EXPECT_NE(ParsePrivateKeyPem(*pem + *pem, "two.pem").error().message().find("one key per file"),
            std::string::npos);
  EXPECT_FALSE(ParsePrivateKeyPem("junk\n" + *pem, "k.pem").has_value());
  EXPECT_EQ(ReadPrivateKeyFile(*Env::Default(), "/nonexistent/k.pem").error().code(),
            ErrorCode::kNotFound);
}

TEST(KeyFile, RejectsUnsupportedKeyTypes) {
  // An RSA key made by openssl: refused with the type named.
  const std::string path = ::testing::TempDir() + "/vigil-rsa.pem";
  ASSERT_EQ(system(("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out " + path +
                    " 2>/dev/null").c_str()), 0);
  auto r = ReadPrivateKeyFile(*Env::Default(), path);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("RSA"), std::string::npos) << r.error().message();
}

}  // namespace
}  // namespace vigil::crypto
