// The ML-DSA public API: SigningKey/VerifyingKey, contexts, HashML-DSA, and key files checked
// against the PKCS#8 and SPKI encodings given in the Wycheproof files.
#include <gtest/gtest.h>

#include "testing/wycheproof.h"
#include "vigil/crypto/key_file.h"
#include "vigil/crypto/pq/ml_dsa.h"

namespace vigil::crypto::pq {
namespace {

using testing::ForEachWycheproofCase;
using testing::WycheproofCase;

const AlgorithmId kAlgs[] = {AlgorithmId::kMlDsa44, AlgorithmId::kMlDsa65, AlgorithmId::kMlDsa87};

TEST(MlDsaKeys, SignVerifyWithContextsAndTampering) {
  for (AlgorithmId alg : kAlgs) {
    auto key = GenerateSigningKey(alg);
    ASSERT_TRUE(key.has_value());
    auto pub = (*key)->PublicKey();
    auto sig = (*key)->Sign(ToBytes("firmware 3.0"));
    ASSERT_TRUE(sig.has_value());
    EXPECT_TRUE(pub->Verify(ToBytes("firmware 3.0"), *sig).has_value());
    EXPECT_FALSE(pub->Verify(ToBytes("firmware 3.1"), *sig).has_value());
    auto sig2 = (*key)->Sign(ToBytes("firmware 3.0"));
    EXPECT_NE(*sig, *sig2) << "hedged signing uses fresh randomness";
    auto ctx_sig = MlDsaSign(**key, ToBytes("m"), ToBytes("vigil-update"));
    ASSERT_TRUE(ctx_sig.has_value());
    EXPECT_TRUE(MlDsaVerify(*pub, ToBytes("m"), ToBytes("vigil-update"), *ctx_sig).has_value());
    EXPECT_FALSE(MlDsaVerify(*pub, ToBytes("m"), ToBytes("vigil-audit"), *ctx_sig).has_value());
    EXPECT_FALSE(pub->Verify(ToBytes("m"), *ctx_sig).has_value()) << "empty context differs";
    EXPECT_FALSE(MlDsaSign(**key, ToBytes("m"), Bytes(256)).has_value());
    for (AlgorithmId h : {AlgorithmId::kSha256, AlgorithmId::kSha512, AlgorithmId::kShake256}) {
      auto hs = HashMlDsaSign(**key, h, ToBytes("image"), {});
      ASSERT_TRUE(hs.has_value());
      EXPECT_TRUE(HashMlDsaVerify(*pub, h, ToBytes("image"), {}, *hs).has_value());
      EXPECT_FALSE(pub->Verify(ToBytes("image"), *hs).has_value())
          << "pre-hash is domain-separated";
      EXPECT_FALSE(HashMlDsaVerify(*pub, h, ToBytes("imagf"), {}, *hs).has_value());
    }
    Bytes bad = *sig;
    bad[bad.size() - 1] ^= 1;
    EXPECT_FALSE(pub->Verify(ToBytes("firmware 3.0"), bad).has_value());
    EXPECT_FALSE(pub->Verify(ToBytes("firmware 3.0"), Bytes(sig->size() - 1)).has_value());
    EXPECT_FALSE(MlDsaPublicKey(alg, Bytes(10)).has_value());
  }
}

// The PKCS#8 (seed) and SPKI DER that Wycheproof lists for its keys are exactly ours.
TEST(MlDsaKeys, KeyFilesMatchWycheproofDer) {
  int n = 0;
  for (const char* size : {"44", "65", "87"}) {
    ForEachWycheproofCase(
        std::string("mldsa_") + size + "_sign_seed_test.json", [&](const WycheproofCase& c) {
          if (!c.group.contains("privateKeyPkcs8") || !c.group["privateKeyPkcs8"].is_string())
            return;
          Bytes pkcs8 = c.GroupHex("privateKeyPkcs8");
          auto key = ParseMlDsaPkcs8(pkcs8);
          if (!key) {
            EXPECT_TRUE(c.invalid()) << c.Describe() << ": " << key.error().message();
            return;
          }
          EXPECT_EQ(*MlDsaPkcs8(**key), pkcs8);
          EXPECT_EQ((*key)->PublicKey()->Encode(), c.GroupHex("publicKey"));
          auto pem = EncodePrivateKeyPem(**key);
          ASSERT_TRUE(pem.has_value());
          auto back = ParsePrivateKeyPem(*pem, "k.pem");
          ASSERT_TRUE(back.has_value()) << back.error().message();
          EXPECT_EQ((*back)->PublicKey()->Encode(), (*key)->PublicKey()->Encode());
          ++n;
        });
    ForEachWycheproofCase(
        std::string("mldsa_") + size + "_verify_test.json", [&](const WycheproofCase& c) {
          if (!c.group.contains("publicKeyDer") || !c.group["publicKeyDer"].is_string()) return;
          auto pub = ParseMlDsaSpki(c.GroupHex("publicKeyDer"));
          if (!pub) return;  // groups with malformed keys
          EXPECT_EQ((*pub)->Encode(), c.GroupHex("publicKey"));
          EXPECT_EQ(*MlDsaSpki(**pub), c.GroupHex("publicKeyDer"));
          ++n;
        });
  }
  EXPECT_GT(n, 100);
}

}  // namespace
}  // namespace vigil::crypto::pq
