// Composite key files: PKCS#8 / SPKI round trips through the PEM key-file functions for
// ML-DSA-65+Ed25519 and ML-DSA-87+ECDSA-P384, the exact DER layouts (OIDs
// 1.3.6.1.5.5.7.6.48 / .49; seed || Ed25519 key, seed || RFC 5915 ECPrivateKey), and refusal of
// damaged or non-canonical encodings.
#include <gtest/gtest.h>

#include "vigil/core/encoding.h"
#include "vigil/crypto/ecdsa.h"
#include "vigil/crypto/ed25519.h"
#include "vigil/crypto/key_file.h"
#include "vigil/crypto/pq/composite.h"
#include "vigil/crypto/pq/ml_dsa.h"

namespace vigil::crypto::pq {
namespace {

TEST(CompositeKeys, PemRoundTripSignsAndVerifiesTheSame) {
  for (AlgorithmId alg : {AlgorithmId::kMlDsa65Ed25519, AlgorithmId::kMlDsa87EcdsaP384}) {
    auto key = GenerateComposite(alg).value();
    std::string priv = EncodePrivateKeyPem(*key).value();
    std::string pub = EncodePublicKeyPem(*key->PublicKey()).value();
    auto key2 = ParsePrivateKeyPem(priv, "k.pem");
    ASSERT_TRUE(key2.has_value()) << key2.error().ToString();
    EXPECT_EQ((*key2)->algorithm(), alg);
    EXPECT_EQ((*key2)->PublicKey()->Encode(), key->PublicKey()->Encode());
    EXPECT_EQ(EncodePrivateKeyPem(**key2).value(), priv);  // one encoding per key
    auto pub2 = ParsePublicKeyPem(pub, "k.pem.pub");
    ASSERT_TRUE(pub2.has_value()) << pub2.error().ToString();
    EXPECT_EQ((*pub2)->algorithm(), alg);
    Bytes sig = (*key2)->Sign(AsBytes("update 2.1")).value();
    EXPECT_TRUE((*pub2)->Verify(AsBytes("update 2.1"), sig).has_value());
    EXPECT_TRUE(key->PublicKey()->Verify(AsBytes("update 2.1"), sig).has_value());
    EXPECT_FALSE((*pub2)->Verify(AsBytes("update 2.2"), sig).has_value());
  }
}

TEST(CompositeKeys, MlDsa87EcdsaP384DerLayout) {
  auto key = GenerateComposite(AlgorithmId::kMlDsa87EcdsaP384).value();
  Bytes der = CompositePkcs8(*key).value();
  ASSERT_EQ(der.size(), 115u);
  // PKCS#8 v0, id-MLDSA87-ECDSA-P384-SHA512 (1.3.6.1.5.5.7.6.49), a 96-byte OCTET STRING.
  EXPECT_EQ(HexEncode(ByteView(der).first(19)),
            "307102010030"
            "0a06082b0601050507063104"
            "60");
  // seed (32) || ECPrivateKey { 1, OCTET STRING (48), [0] secp384r1 } without a public key.
  ByteView ec = ByteView(der).subspan(51);
  EXPECT_EQ(HexEncode(ec.first(7)),
            "303e020101"
            "0430");
  EXPECT_EQ(HexEncode(ec.last(9)),
            "a007"
            "06052b81040022");
  Bytes pk = key->PublicKey()->Encode();
  ASSERT_EQ(pk.size(), 2592u + 97);
  EXPECT_EQ(pk[2592], 0x04);  // uncompressed X9.62 point
  auto mldsa =
      MlDsaFromSeed(AlgorithmId::kMlDsa87, SecretBytes::CopyFrom(ByteView(der).subspan(19, 32)))
          .value();
  auto p384 = ParseEcdsaPrivateKeyDer(AlgorithmId::kEcdsaP384Sha384, ec).value();
  EXPECT_EQ(mldsa->PublicKey()->Encode(), Bytes(pk.begin(), pk.begin() + 2592));
  EXPECT_EQ(p384->PublicKey()->Encode(), Bytes(pk.begin() + 2592, pk.end()));
  Bytes spki = CompositeSpki(*key->PublicKey()).value();
  EXPECT_EQ(spki.size(), 4u + 12 + 5 + 2592 + 97);
  EXPECT_EQ(HexEncode(ByteView(spki).first(21)),
            "30820a92300a06082b060105050706310382"
            "0a8200");
}

// The ECPrivateKey inside a composite key: one DER form, scalars outside [1, n-1] refused.
TEST(CompositeKeys, EcPrivateKeyIsStrict) {
  for (AlgorithmId alg : {AlgorithmId::kEcdsaP256Sha256, AlgorithmId::kEcdsaP384Sha384}) {
    auto key = GenerateSigningKey(alg).value();
    SecretBytes der = EcdsaPrivateKeyDer(*key).value();
    auto back = ParseEcdsaPrivateKeyDer(alg, der.Reveal());
    ASSERT_TRUE(back.has_value()) << back.error().ToString();
    EXPECT_EQ((*back)->PublicKey()->Encode(), key->PublicKey()->Encode());
    Bytes sig = (*back)->Sign(AsBytes("m")).value();
    EXPECT_TRUE(key->PublicKey()->Verify(AsBytes("m"), sig).has_value());
    const AlgorithmId other = alg == AlgorithmId::kEcdsaP256Sha256 ? AlgorithmId::kEcdsaP384Sha384
                                                                   : AlgorithmId::kEcdsaP256Sha256;
    EXPECT_FALSE(ParseEcdsaPrivateKeyDer(other, der.Reveal()).has_value());
    const size_t n = alg == AlgorithmId::kEcdsaP256Sha256 ? 32 : 48;
    Bytes zero(der.Reveal().begin(), der.Reveal().end());
    std::fill(zero.begin() + 7, zero.begin() + 7 + static_cast<long>(n), 0);
    auto e = ParseEcdsaPrivateKeyDer(alg, zero);
    ASSERT_FALSE(e.has_value());
    EXPECT_EQ(e.error().code(), ErrorCode::kInvalidArgument);
    Bytes huge = zero;
    std::fill(huge.begin() + 7, huge.begin() + 7 + static_cast<long>(n), 0xff);  // > n
    EXPECT_FALSE(ParseEcdsaPrivateKeyDer(alg, huge).has_value());
    Bytes truncated(der.Reveal().begin(), der.Reveal().end() - 1);
    e = ParseEcdsaPrivateKeyDer(alg, truncated);
    ASSERT_FALSE(e.has_value());
    EXPECT_NE(e.error().message().find("no public key"), std::string::npos) << e.error().message();
    EXPECT_NE(e.error().message().find("found " + std::to_string(der.size() - 1) + " bytes"),
              std::string::npos)
        << e.error().message();
    EXPECT_FALSE(ParseEcdsaPrivateKeyDer(AlgorithmId::kEd25519, der.Reveal()).has_value());
  }
  EXPECT_FALSE(EcdsaPrivateKeyDer(*GenerateSigningKey(AlgorithmId::kEd25519).value()).has_value());
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

  auto p384 = GenerateComposite(AlgorithmId::kMlDsa87EcdsaP384).value();
  Bytes p384_der = CompositePkcs8(*p384).value();
  Bytes zero_scalar = p384_der;  // the ECDSA scalar (after seed and ECPrivateKey header) = 0
  std::fill(zero_scalar.begin() + 19 + 32 + 7, zero_scalar.begin() + 19 + 32 + 7 + 48, 0);
  auto e = ParseCompositePkcs8(zero_scalar);
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(e.error().message().find("ml-dsa-87+ecdsa-p384"), std::string::npos);
  Bytes with_pub = p384_der;  // a trailing [1] publicKey is not the draft's form
  with_pub.insert(with_pub.end(), {0xa1, 0x00});
  EXPECT_EQ(ParseCompositePkcs8(with_pub).error().code(), ErrorCode::kInvalidArgument);
  // The OIDs are not interchangeable: ML-DSA-65+Ed25519 content under the .49 OID is refused.
  Bytes swapped = der;
  swapped[5 + 11] = 0x31;
  EXPECT_EQ(ParseCompositePkcs8(swapped).error().code(), ErrorCode::kInvalidArgument);
  Bytes p384_spki = CompositeSpki(*p384->PublicKey()).value();
  Bytes off_curve = p384_spki;
  off_curve.back() ^= 1;
  EXPECT_EQ(ParseCompositeSpki(off_curve).error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace vigil::crypto::pq
