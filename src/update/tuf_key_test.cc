#include "vigil/update/tuf_key.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "testing/nlohmann_bridge.h"
#include "vigil/core/encoding.h"

namespace vigil::update {
namespace {

using nlohmann::json;

struct RsaKey {
  std::string pem;
  EVP_PKEY* pkey = nullptr;
  ~RsaKey() { EVP_PKEY_free(pkey); }
};

void MakeRsa(int bits, RsaKey& out) {
  out.pkey = EVP_RSA_gen(static_cast<unsigned>(bits));
  ASSERT_NE(out.pkey, nullptr);
  BIO* bio = BIO_new(BIO_s_mem());
  ASSERT_EQ(PEM_write_bio_PUBKEY(bio, out.pkey), 1);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  out.pem.assign(data, static_cast<size_t>(n));
  BIO_free(bio);
}

std::string RsaPssSign(EVP_PKEY* key, std::string_view msg, int salt_len) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  EXPECT_EQ(EVP_DigestSignInit(ctx, &pctx, EVP_sha256(), nullptr, key), 1);
  EXPECT_EQ(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING), 1);
  EXPECT_EQ(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, salt_len), 1);
  size_t len = 0;
  EVP_DigestSign(ctx, nullptr, &len, AsBytes(msg).data(), msg.size());
  Bytes sig(len);
  EXPECT_EQ(EVP_DigestSign(ctx, sig.data(), &len, AsBytes(msg).data(), msg.size()), 1);
  sig.resize(len);
  EVP_MD_CTX_free(ctx);
  return HexEncode(sig);
}

TEST(TufKey, RsassaPssSha256VerifiesDigestAndMaxLengthSalts) {
  RsaKey rsa;
  MakeRsa(2048, rsa);
  json j = {{"keytype", "rsa"}, {"scheme", "rsassa-pss-sha256"}, {"keyval", {{"public", rsa.pem}}}};
  auto key = TufKey::Parse(vigil::json::Node(testing::FromNlohmann(j), "k"));
  ASSERT_TRUE(key.has_value()) << key.error().message();
  for (int salt : {RSA_PSS_SALTLEN_DIGEST, RSA_PSS_SALTLEN_MAX}) {
    std::string sig = RsaPssSign(rsa.pkey, "signed bytes", salt);
    EXPECT_TRUE(key->Verify(AsBytes("signed bytes"), sig).has_value());
    EXPECT_FALSE(key->Verify(AsBytes("signed bytez"), sig).has_value());
  }
  EXPECT_FALSE(key->Verify(AsBytes("signed bytes"), "").has_value());
  EXPECT_FALSE(key->Verify(AsBytes("signed bytes"), "zz").has_value());
}

TEST(TufKey, RejectsShortRsaWrongCurveAndUnknownSchemes) {
  RsaKey small;
  MakeRsa(1024, small);
  json j = {
      {"keytype", "rsa"}, {"scheme", "rsassa-pss-sha256"}, {"keyval", {{"public", small.pem}}}};
  vigil::json::Value keys = vigil::json::Value::MakeObject();
  keys.Set("ab", testing::FromNlohmann(j));
  auto k = TufKey::Parse(vigil::json::Node(keys, "root.json", "$.signed.keys").Get("ab"));
  ASSERT_FALSE(k.has_value());
  EXPECT_NE(k.error().message().find("root.json: $.signed.keys.ab.keyval.public"),
            std::string::npos)
      << k.error().message();
  EXPECT_NE(k.error().message().find("at least 2048 bits, found 1024"), std::string::npos);
  // An RSA key offered as ECDSA.
  RsaKey big;
  MakeRsa(2048, big);
  j = {{"keytype", "ecdsa"}, {"scheme", "ecdsa-sha2-nistp256"}, {"keyval", {{"public", big.pem}}}};
  EXPECT_FALSE(TufKey::Parse(vigil::json::Node(testing::FromNlohmann(j), "k")).has_value());
  j = {{"keytype", "rsa"}, {"scheme", "rsa-pkcs1v15-sha256"}, {"keyval", {{"public", big.pem}}}};
  auto unknown = TufKey::Parse(vigil::json::Node(testing::FromNlohmann(j), "k"));
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.error().message().find("unsupported keytype/scheme"), std::string::npos);
  j = {{"keytype", "ed25519"}, {"scheme", "ed25519"}, {"keyval", {{"public", "abcd"}}}};
  EXPECT_FALSE(TufKey::Parse(vigil::json::Node(testing::FromNlohmann(j), "k")).has_value());
  j = {{"keytype", "ed25519"}, {"scheme", "ed25519"}, {"keyval", {}}};
  EXPECT_NE(TufKey::Parse(vigil::json::Node(testing::FromNlohmann(j), "k")).error().message().find("k: $.keyval.public: required field missing"),
            std::string::npos);
}

TEST(TufKey, PostQuantumKeysRoundTripThroughJson) {
  for (auto alg : {crypto::AlgorithmId::kEd25519, crypto::AlgorithmId::kMlDsa65,
                   crypto::AlgorithmId::kMlDsa65Ed25519}) {
    auto sk = crypto::GenerateSigningKey(alg);
    ASSERT_TRUE(sk.has_value());
    auto j = TufKey::ToJson(*(*sk)->PublicKey());
    ASSERT_TRUE(j.has_value());
    auto key = TufKey::Parse(vigil::json::Node(*j, "k"));
    ASSERT_TRUE(key.has_value()) << key.error().message();
    Bytes sig = (*sk)->Sign(AsBytes("m")).value();
    EXPECT_TRUE(key->Verify(AsBytes("m"), HexEncode(sig)).has_value());
    sig[0] ^= 1;
    EXPECT_FALSE(key->Verify(AsBytes("m"), HexEncode(sig)).has_value());
  }
}

}  // namespace
}  // namespace vigil::update
