// ML-DSA-65+Ed25519 key files: PKCS#8 / SPKI round trips through the PEM key-file functions,
// the exact DER layout (OID 1.3.6.1.5.5.7.6.48, seed || Ed25519 key), and refusal of damaged
// or non-canonical encodings.
#include <gtest/gtest.h>

#include "vigil/core/encoding.h"
#include "vigil/crypto/ed25519.h"
#include "vigil/crypto/key_file.h"
#include "vigil/crypto/pq/composite.h"
#include "vigil/crypto/pq/ml_dsa.h"

namespace vigil::crypto::pq {
namespace {

TEST(CompositeKeys, PemRoundTripSignsAndVerifiesTheSame) {
  auto key = GenerateComposite(AlgorithmId::kMlDsa65Ed25519).value();
  std::string priv = EncodePrivateKeyPem(*key).value();
  std::string pub = EncodePublicKeyPem(*key->PublicKey()).value();
  auto key2 = ParsePrivateKeyPem(priv, "k.pem");
  ASSERT_TRUE(key2.has_value()) << key2.error().ToString();
  EXPECT_EQ((*key2)->algorithm(), AlgorithmId::kMlDsa65Ed25519);
  EXPECT_EQ((*key2)->PublicKey()->Encode(), key->PublicKey()->Encode());
  auto pub2 = ParsePublicKeyPem(pub, "k.pem.pub");
  ASSERT_TRUE(pub2.has_value()) << pub2.error().ToString();
  Bytes sig = (*key2)->Sign(AsBytes("update 2.1")).value();
  EXPECT_TRUE((*pub2)->Verify(AsBytes("update 2.1"), sig).has_value());
  EXPECT_TRUE(key->PublicKey()->Verify(AsBytes("update 2.1"), sig).has_value());
}

TEST(CompositeKeys, DerLayout) {
  auto key = GenerateComposite(AlgorithmId::kMlDsa65Ed25519).value();
  Bytes der = CompositePkcs8(*key).value();
  ASSERT_EQ(der.size(), 83u);
  EXPECT_EQ(HexEncode(ByteView(der).first(19)),
            "305102010030"
            "0a06082b0601050507063004"
            "40");
  // privateKey = ML-DSA seed || Ed25519 private key: each half regenerates its public half.
  Bytes pk = key->PublicKey()->Encode();
  auto mldsa =
      MlDsaFromSeed(AlgorithmId::kMlDsa65, SecretBytes::CopyFrom(ByteView(der).subspan(19, 32)))
          .value();
  auto ed = Ed25519FromSeed(SecretBytes::CopyFrom(ByteView(der).subspan(51, 32))).value();
  EXPECT_EQ(mldsa->PublicKey()->Encode(), Bytes(pk.begin(), pk.end() - 32));
  EXPECT_EQ(ed->PublicKey()->Encode(), Bytes(pk.end() - 32, pk.end()));
  Bytes spki = CompositeSpki(*key->PublicKey()).value();
  EXPECT_EQ(spki.size(), 4u + 12 + 5 + 1952 + 32);
  EXPECT_EQ(HexEncode(ByteView(spki).first(21)),
            "308207d1300a06082b060105050706300382"
            "07c100");
  EXPECT_FALSE(CompositePkcs8(*GenerateSigningKey(AlgorithmId::kEd25519).value()).has_value());
  EXPECT_FALSE(
      CompositeSpki(*GenerateSigningKey(AlgorithmId::kEd25519).value()->PublicKey()).has_value());
}

TEST(CompositeKeys, DamagedEncodingsAreRefused) {
  auto key = GenerateComposite(AlgorithmId::kMlDsa65Ed25519).value();
  Bytes der = CompositePkcs8(*key).value();
  Bytes spki = CompositeSpki(*key->PublicKey()).value();
  EXPECT_EQ(ParseCompositePkcs8(AsBytes("x")).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(ParseCompositeSpki(AsBytes("x")).error().code(), ErrorCode::kNotFound);
  Bytes short_key(der.begin(), der.end() - 1);
  EXPECT_EQ(ParseCompositePkcs8(short_key).error().code(), ErrorCode::kInvalidArgument);
  Bytes bad_version = der;
  bad_version[4] = 1;
  EXPECT_EQ(ParseCompositePkcs8(bad_version).error().code(), ErrorCode::kInvalidArgument);
  Bytes long_spki = spki;
  long_spki.push_back(0);
  EXPECT_EQ(ParseCompositeSpki(long_spki).error().code(), ErrorCode::kInvalidArgument);
  Bytes bad_bits = spki;
  bad_bits[20] = 1;  // unused-bits octet
  EXPECT_EQ(ParseCompositeSpki(bad_bits).error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace vigil::crypto::pq
