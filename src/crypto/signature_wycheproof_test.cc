// Wycheproof signature vectors: ECDSA P-256/SHA-256 (DER and P1363), ECDSA P-384/SHA-384 (DER)
// and Ed25519. Valid signatures verify; every invalid one (BER encodings, wrong r/s, edge-case
// points, modified messages) is rejected.
#include <gtest/gtest.h>

#include "testing/wycheproof.h"
#include "vigil/crypto/ecdsa.h"
#include "vigil/crypto/ed25519.h"
#include "vigil/core/encoding.h"

namespace vigil::crypto {
namespace {

using testing::ForEachWycheproofCase;
using testing::WycheproofCase;

Bytes GroupKeyHex(const WycheproofCase& c, const char* field) {
  return *HexDecode(c.group.at("publicKey").at(field).get<std::string>());
}

void RunEcdsaFile(const std::string& file, AlgorithmId alg, bool p1363) {
  ForEachWycheproofCase(file, [&](const WycheproofCase& c) {
    auto key = EcdsaPublicKey(alg, GroupKeyHex(c, "uncompressed"));
    ASSERT_TRUE(key.has_value()) << file << " " << c.Describe() << ": " << key.error().message();
    Bytes msg = c.Hex("msg"), sig = c.Hex("sig");
    Status s = p1363 ? VerifyEcdsaP1363(**key, msg, sig) : (*key)->Verify(msg, sig);
    if (c.valid()) {
      EXPECT_TRUE(s.has_value()) << file << " " << c.Describe();
    } else if (c.invalid()) {
      EXPECT_FALSE(s.has_value()) << file << " " << c.Describe() << ": accepted";
    }
  });
}

TEST(SignatureWycheproof, EcdsaP256Der) {
  RunEcdsaFile("ecdsa_secp256r1_sha256_test.json", AlgorithmId::kEcdsaP256Sha256, false);
}
TEST(SignatureWycheproof, EcdsaP256P1363) {
  RunEcdsaFile("ecdsa_secp256r1_sha256_p1363_test.json", AlgorithmId::kEcdsaP256Sha256, true);
}
TEST(SignatureWycheproof, EcdsaP384Der) {
  RunEcdsaFile("ecdsa_secp384r1_sha384_test.json", AlgorithmId::kEcdsaP384Sha384, false);
}

TEST(SignatureWycheproof, Ed25519) {
  ForEachWycheproofCase("ed25519_test.json", [](const WycheproofCase& c) {
    auto key = Ed25519PublicKey(GroupKeyHex(c, "pk"));
    ASSERT_TRUE(key.has_value()) << c.Describe();
    Status s = (*key)->Verify(c.Hex("msg"), c.Hex("sig"));
    if (c.valid()) {
      EXPECT_TRUE(s.has_value()) << c.Describe();
    } else {
      EXPECT_FALSE(s.has_value()) << c.Describe() << ": accepted";
    }
  });
}

TEST(Signature, RoundTripsAndTampering) {
  for (auto make : {+[] { return GenerateEd25519(); },
                    +[] { return GenerateEcdsa(AlgorithmId::kEcdsaP256Sha256); },
                    +[] { return GenerateEcdsa(AlgorithmId::kEcdsaP384Sha384); }}) {
    auto key = make();
    ASSERT_TRUE(key.has_value());
    auto sig = (*key)->Sign(ToBytes("firmware 2.1.0"));
    ASSERT_TRUE(sig.has_value());
    auto pub = (*key)->PublicKey();
    EXPECT_TRUE(pub->Verify(ToBytes("firmware 2.1.0"), *sig).has_value());
    EXPECT_EQ(pub->Verify(ToBytes("firmware 2.1.1"), *sig).error().code(),
              ErrorCode::kUnauthenticated);
    Bytes bad = *sig;
    bad[bad.size() / 2] ^= 0x40;
    EXPECT_FALSE(pub->Verify(ToBytes("firmware 2.1.0"), bad).has_value());
    EXPECT_FALSE(pub->Verify(ToBytes("firmware 2.1.0"), {}).has_value());
  }
}

TEST(Signature, P1363ConversionsAreStrict) {
  auto key = GenerateEcdsa(AlgorithmId::kEcdsaP256Sha256);
  ASSERT_TRUE(key.has_value());
  auto p = SignEcdsaP1363(**key, ToBytes("m"));
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->size(), 64U);
  EXPECT_TRUE(VerifyEcdsaP1363(*(*key)->PublicKey(), ToBytes("m"), *p).has_value());
  EXPECT_FALSE(EcdsaP1363ToDer(AlgorithmId::kEcdsaP256Sha256, Bytes(63)).has_value());
  auto der = EcdsaP1363ToDer(AlgorithmId::kEcdsaP256Sha256, *p);
  ASSERT_TRUE(der.has_value());
  Bytes trailing = *der;
  trailing.push_back(0);
  EXPECT_FALSE(EcdsaDerToP1363(AlgorithmId::kEcdsaP256Sha256, trailing).has_value());
  EXPECT_FALSE(EcdsaPublicKey(AlgorithmId::kEcdsaP256Sha256, Bytes(65, 4)).has_value());
  EXPECT_FALSE(Ed25519PublicKey(Bytes(31)).has_value());
  EXPECT_FALSE(Ed25519FromSeed(SecretBytes(31)).has_value());
}

TEST(Signature, Ed25519SeedRoundTrip) {
  // RFC 8032 §7.1 TEST 1.
  SecretBytes seed = SecretBytes::CopyFrom(
      *HexDecode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  auto key = Ed25519FromSeed(seed);
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(HexEncode((*key)->PublicKey()->Encode()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  EXPECT_EQ(HexEncode(*(*key)->Sign({})),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
            "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_TRUE(Ed25519Seed(**key)->Equals(seed));
}

}  // namespace
}  // namespace vigil::crypto
