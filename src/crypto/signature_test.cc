// The signature dispatch: every signature algorithm in the registry that has a generic key
// generator makes keys, signs and verifies through GenerateSigningKey / ParseVerifyingKey.
#include "vigil/crypto/signature.h"

#include <gtest/gtest.h>

#include "vigil/crypto/registry.h"

namespace vigil::crypto {
namespace {

Bytes Msg(std::string_view s) { return Bytes(s.begin(), s.end()); }

TEST(SignatureDispatch, EveryRegisteredSignatureAlgorithmRoundTrips) {
  int checked = 0;
  for (const AlgorithmInfo& a : AllAlgorithms()) {
    // HSS keys need a state file; RSA-PSS is verify-only (RsaPss tests below).
    if (a.kind != AlgorithmKind::kSignature || a.id == AlgorithmId::kHssLms ||
        a.id == AlgorithmId::kRsaPssSha256) {
      continue;
    }
    auto key = GenerateSigningKey(a.id);
    ASSERT_TRUE(key.has_value()) << a.name << ": " << key.error().message();
    EXPECT_EQ((*key)->algorithm(), a.id) << a.name;
    auto sig = (*key)->Sign(Msg("infusion rate table v7"));
    ASSERT_TRUE(sig.has_value()) << a.name;
    auto pub = ParseVerifyingKey(a.id, (*key)->PublicKey()->Encode());
    ASSERT_TRUE(pub.has_value()) << a.name << ": " << pub.error().message();
    EXPECT_EQ((*pub)->algorithm(), a.id);
    EXPECT_TRUE((*pub)->Verify(Msg("infusion rate table v7"), *sig).has_value()) << a.name;
    EXPECT_FALSE((*pub)->Verify(Msg("infusion rate table v8"), *sig).has_value()) << a.name;
    Bytes bad = *sig;
    bad[bad.size() / 2] ^= 0x01;
    EXPECT_FALSE((*pub)->Verify(Msg("infusion rate table v7"), bad).has_value()) << a.name;
    // A public key of the wrong length is refused, never accepted as some other key.
    Bytes truncated = (*key)->PublicKey()->Encode();
    truncated.pop_back();
    EXPECT_FALSE(ParseVerifyingKey(a.id, truncated).has_value()) << a.name;
    ++checked;
  }
  EXPECT_GE(checked, 3);  // at least Ed25519, ECDSA P-256, ECDSA P-384
}

TEST(SignatureDispatch, UnknownAndNonSignatureAlgorithmsAreInvalidArgument) {
  auto unknown = GenerateSigningKey(static_cast<AlgorithmId>(9999));
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(unknown.error().message().find("9999"), std::string::npos);
  auto aead = ParseVerifyingKey(AlgorithmId::kAes256Gcm, Bytes(32));
  ASSERT_FALSE(aead.has_value());
  EXPECT_EQ(aead.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(aead.error().message().find("aes-256-gcm"), std::string::npos);
  // HSS keys are stateful: no generic generator.
  auto hss = GenerateSigningKey(AlgorithmId::kHssLms);
  ASSERT_FALSE(hss.has_value());
  EXPECT_EQ(hss.error().code(), ErrorCode::kFailedPrecondition);
}

}  // namespace
}  // namespace vigil::crypto
