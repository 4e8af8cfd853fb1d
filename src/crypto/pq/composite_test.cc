// Composite ML-DSA signatures: the draft's published M' example, round trips, and rejection
// when either component is swapped, stripped or tampered, or the label/context differs.
#include "vigil/crypto/pq/composite.h"

#include <gtest/gtest.h>

#include "vigil/core/encoding.h"
#include "vigil/crypto/pq/ml_dsa.h"

namespace vigil::crypto::pq {
namespace {

const AlgorithmId kAlgs[] = {AlgorithmId::kMlDsa65Ed25519, AlgorithmId::kMlDsa87EcdsaP384};

// The draft's "messageFormatSample_noctx" uses the label of id-MLDSA65-ECDSA-P256-SHA512, which
// we do not implement; the construction is the same, so check it with that label through the
// ML-DSA-65+Ed25519 layout: prefix, len(ctx), SHA-512 of 00..09.
TEST(Composite, MessageRepresentativeFollowsTheDraft) {
  auto m = CompositeMessagePrime(AlgorithmId::kMlDsa65Ed25519, *HexDecode("00010203040506070809"), {});
  ASSERT_TRUE(m.has_value());
  const std::string hex = HexEncode(*m);
  EXPECT_EQ(hex.substr(0, 64), "436f6d706f73697465416c676f726974686d5369676e61747572657332303235");
  EXPECT_EQ(hex.substr(64, 60), HexEncode(AsBytes("COMPSIG-MLDSA65-Ed25519-SHA512")));
  EXPECT_EQ(hex.substr(124, 2), "00");
  EXPECT_EQ(hex.substr(126),
            "0f89ee1fcb7b0a4f7809d1267a029719004c5a5e5ec323a7c3523a20974f9a3f"
            "202f56fadba4cd9e8d654ab9f2e96dc5c795ea176fa20ede8d854c342f903533");
  EXPECT_FALSE(CompositeMessagePrime(AlgorithmId::kMlDsa65Ed25519, {}, Bytes(256)).has_value());
}

TEST(Composite, BothComponentsMustVerify) {
  for (AlgorithmId alg : kAlgs) {
    auto key = GenerateSigningKey(alg);
    ASSERT_TRUE(key.has_value());
    auto pub = (*key)->PublicKey();
    auto sig = (*key)->Sign(ToBytes("update 4.2.0"));
    ASSERT_TRUE(sig.has_value());
    EXPECT_TRUE(pub->Verify(ToBytes("update 4.2.0"), *sig).has_value());
    EXPECT_FALSE(pub->Verify(ToBytes("update 4.2.1"), *sig).has_value());
    auto reparsed = ParseVerifyingKey(alg, pub->Encode());
    ASSERT_TRUE(reparsed.has_value());
    EXPECT_TRUE((*reparsed)->Verify(ToBytes("update 4.2.0"), *sig).has_value());

    const size_t split = alg == AlgorithmId::kMlDsa65Ed25519 ? 3309 : 4627;
    Bytes tampered_pq = *sig;
    tampered_pq[100] ^= 1;
    auto e1 = pub->Verify(ToBytes("update 4.2.0"), tampered_pq);
    ASSERT_FALSE(e1.has_value());
    EXPECT_NE(e1.error().message().find("ML-DSA component"), std::string::npos);
    Bytes tampered_trad = *sig;
    tampered_trad.back() ^= 1;
    auto e2 = pub->Verify(ToBytes("update 4.2.0"), tampered_trad);
    ASSERT_FALSE(e2.has_value());
    EXPECT_NE(e2.error().message().find("classical component"), std::string::npos);
    // Stripping either part, or a bare ML-DSA signature of the same message, is refused.
    EXPECT_FALSE(pub->Verify(ToBytes("update 4.2.0"), ByteView(*sig).first(split)).has_value());
    EXPECT_FALSE(pub->Verify(ToBytes("update 4.2.0"), ByteView(*sig).subspan(split)).has_value());
    // A second key's classical half spliced in fails.
    auto other = GenerateSigningKey(alg);
    auto other_sig = (*other)->Sign(ToBytes("update 4.2.0"));
    Bytes spliced(sig->begin(), sig->begin() + static_cast<std::ptrdiff_t>(split));
    spliced.insert(spliced.end(), other_sig->begin() + static_cast<std::ptrdiff_t>(split), other_sig->end());
    EXPECT_FALSE(pub->Verify(ToBytes("update 4.2.0"), spliced).has_value());
    // Context binds.
    auto ctx_sig = CompositeSign(**key, ToBytes("m"), ToBytes("vigil/update"));
    ASSERT_TRUE(ctx_sig.has_value());
    EXPECT_TRUE(CompositeVerify(*pub, ToBytes("m"), ToBytes("vigil/update"), *ctx_sig).has_value());
    EXPECT_FALSE(CompositeVerify(*pub, ToBytes("m"), ToBytes("vigil/audit"), *ctx_sig).has_value());
    EXPECT_FALSE(ParseVerifyingKey(alg, Bytes(100)).has_value());
  }
}

// The ML-DSA component is domain-separated by the label: it does not verify as plain ML-DSA.
TEST(Composite, MlDsaComponentIsBoundToTheLabel) {
  auto key = GenerateSigningKey(AlgorithmId::kMlDsa65Ed25519);
  auto sig = (*key)->Sign(ToBytes("m"));
  auto pub = (*key)->PublicKey();
  Bytes pk = pub->Encode();
  auto mldsa_pub = MlDsaPublicKey(AlgorithmId::kMlDsa65, ByteView(pk).first(1952));
  ASSERT_TRUE(mldsa_pub.has_value());
  EXPECT_FALSE((*mldsa_pub)->Verify(ToBytes("m"), ByteView(*sig).first(3309)).has_value());
  auto m_prime = CompositeMessagePrime(AlgorithmId::kMlDsa65Ed25519, ToBytes("m"), {});
  EXPECT_TRUE(MlDsaVerify(**mldsa_pub, *m_prime, AsBytes("COMPSIG-MLDSA65-Ed25519-SHA512"),
                          ByteView(*sig).first(3309)).has_value());
}

}  // namespace
}  // namespace vigil::crypto::pq
