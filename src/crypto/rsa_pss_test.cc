// RSASSA-PSS-SHA256 verification against signatures made by OpenSSL's own signer (an
// implementation independent of the verifier's set-up), with both salt lengths TUF signers use.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "vigil/crypto/key_file.h"
#include "vigil/crypto/signature.h"

namespace vigil::crypto {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

Pkey NewRsa(int bits) {
  return Pkey(EVP_RSA_gen(static_cast<unsigned>(bits)));
}

Bytes Spki(EVP_PKEY* k) {
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(k, &der);
  Bytes out(der, der + len);
  OPENSSL_free(der);
  return out;
}

Bytes SignPss(EVP_PKEY* k, ByteView msg, int salt) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  size_t len = 0;
  Bytes sig;
  if (EVP_DigestSignInit(ctx, &pctx, EVP_sha256(), nullptr, k) == 1 &&
      EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
      EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) == 1 &&
      EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, salt) == 1 &&
      EVP_DigestSign(ctx, nullptr, &len, msg.data(), msg.size()) == 1) {
    sig.resize(len);
    if (EVP_DigestSign(ctx, sig.data(), &len, msg.data(), msg.size()) != 1) sig.clear();
    sig.resize(len);
  }
  EVP_MD_CTX_free(ctx);
  return sig;
}

Bytes Msg(std::string_view s) { return Bytes(s.begin(), s.end()); }

TEST(RsaPss, VerifiesOpensslSignaturesWithEitherSaltLength) {
  Pkey k = NewRsa(2048);
  ASSERT_TRUE(k);
  auto pub = ParseVerifyingKey(AlgorithmId::kRsaPssSha256, Spki(k.get()));
  ASSERT_TRUE(pub) << pub.error().ToString();
  EXPECT_EQ((*pub)->algorithm(), AlgorithmId::kRsaPssSha256);
  EXPECT_EQ((*pub)->Encode(), Spki(k.get()));
  for (int salt : {RSA_PSS_SALTLEN_DIGEST, RSA_PSS_SALTLEN_MAX}) {
    Bytes sig = SignPss(k.get(), Msg("targets.json v7"), salt);
    ASSERT_FALSE(sig.empty());
    EXPECT_TRUE((*pub)->Verify(Msg("targets.json v7"), sig)) << "salt " << salt;
    EXPECT_EQ((*pub)->Verify(Msg("targets.json v8"), sig).error().code(),
              ErrorCode::kUnauthenticated);
    Bytes bad = sig;
    bad[bad.size() / 2] ^= 0x01;
    EXPECT_FALSE((*pub)->Verify(Msg("targets.json v7"), bad));
    bad = sig;
    bad.pop_back();
    EXPECT_FALSE((*pub)->Verify(Msg("targets.json v7"), bad));
    EXPECT_FALSE((*pub)->Verify(Msg("targets.json v7"), Bytes()));
  }
}

TEST(RsaPss, AnotherKeysSignatureIsRefused) {
  Pkey a = NewRsa(2048), b = NewRsa(2048);
  auto pub = ParseVerifyingKey(AlgorithmId::kRsaPssSha256, Spki(a.get()));
  ASSERT_TRUE(pub);
  EXPECT_FALSE((*pub)->Verify(Msg("m"), SignPss(b.get(), Msg("m"), RSA_PSS_SALTLEN_DIGEST)));
}

TEST(RsaPss, ShortModulusAndOtherKeyTypesAreRefused) {
  Pkey small = NewRsa(1024);
  auto pub = ParseVerifyingKey(AlgorithmId::kRsaPssSha256, Spki(small.get()));
  ASSERT_FALSE(pub);
  EXPECT_EQ(pub.error().message(),
            "rsassa-pss-sha256: expected an RSA modulus of at least 2048 bits, found 1024");
  auto ed = GenerateSigningKey(AlgorithmId::kEd25519);
  ASSERT_TRUE(ed);
  auto pem = EncodePublicKeyPem(*(*ed)->PublicKey());
  ASSERT_TRUE(pem);
  EXPECT_FALSE(ParseVerifyingKey(AlgorithmId::kRsaPssSha256, Bytes(pem->begin(), pem->end())));
  Bytes trailing = Spki(NewRsa(2048).get());
  trailing.push_back(0);
  EXPECT_FALSE(ParseVerifyingKey(AlgorithmId::kRsaPssSha256, trailing));
}

TEST(RsaPss, IsVerifyOnly) {
  auto key = GenerateSigningKey(AlgorithmId::kRsaPssSha256);
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().code(), ErrorCode::kFailedPrecondition);
}

TEST(RsaPss, PemPublicKeyIsReadAsRsaPss) {
  Pkey k = NewRsa(3072);
  BIO* bio = BIO_new(BIO_s_mem());
  ASSERT_EQ(PEM_write_bio_PUBKEY(bio, k.get()), 1);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(n));
  BIO_free(bio);
  auto pub = ParsePublicKeyPem(pem, "repo.pem");
  ASSERT_TRUE(pub) << pub.error().ToString();
  EXPECT_EQ((*pub)->algorithm(), AlgorithmId::kRsaPssSha256);
  Bytes sig = SignPss(k.get(), Msg("root.json"), RSA_PSS_SALTLEN_MAX);
  EXPECT_TRUE((*pub)->Verify(Msg("root.json"), sig));
}

}  // namespace
}  // namespace vigil::crypto
