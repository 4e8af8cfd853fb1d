// Wycheproof key agreement vectors: X25519 and ECDH on P-256 (peer keys as DER SPKI).
#include <gtest/gtest.h>

#include "testing/wycheproof.h"
#include "vigil/crypto/key_agreement.h"

namespace vigil::crypto {
namespace {

using testing::ForEachWycheproofCase;
using testing::WycheproofCase;

// Wycheproof writes P-256 scalars as signed big-endian integers (a leading 00 when the top bit
// is set, fewer bytes when small): normalise to 32 bytes.
SecretBytes Scalar32(Bytes raw) {
  while (raw.size() > 32 && raw.front() == 0) raw.erase(raw.begin());
  Bytes out(32 - std::min<size_t>(32, raw.size()), 0);
  Append(out, raw);
  return SecretBytes::CopyFrom(out);
}

void RunFile(const std::string& file, AlgorithmId alg) {
  int rejected_acceptable = 0;
  ForEachWycheproofCase(file, [&](const WycheproofCase& c) {
    Bytes priv = c.Hex("private");
    auto key = KeyAgreementKey::FromPrivateBytes(
        alg, alg == AlgorithmId::kX25519 ? SecretBytes::CopyFrom(priv) : Scalar32(priv));
    ASSERT_TRUE(key.has_value()) << file << " " << c.Describe() << ": " << key.error().message();
    auto shared = key->Agree(c.Hex("public"));
    Bytes want = c.Hex("shared");
    if (c.valid()) {
      ASSERT_TRUE(shared.has_value()) << file << " " << c.Describe() << ": "
                                      << shared.error().message();
      EXPECT_EQ(Bytes(shared->Reveal().begin(), shared->Reveal().end()), want) << c.Describe();
    } else if (c.invalid()) {
      EXPECT_FALSE(shared.has_value()) << file << " " << c.Describe() << ": accepted";
    } else if (shared.has_value()) {
      // Acceptable: a compressed point, a twist point or an edge case. If we accept, the
      // secret must be right; we refuse all-zero X25519 secrets (RFC 7748 §6.1).
      EXPECT_EQ(Bytes(shared->Reveal().begin(), shared->Reveal().end()), want) << c.Describe();
    } else {
      ++rejected_acceptable;
      EXPECT_TRUE(c.HasFlag("ZeroSharedSecret") || c.HasFlag("LowOrderPublic") ||
                  c.HasFlag("UnnamedCurve") || c.HasFlag("ModifiedGenerator") ||
                  c.HasFlag("ModifiedCofactor") || c.HasFlag("ModifiedCurveParameter") ||
                  c.HasFlag("WrongOrder") || c.HasFlag("UnusedParam") ||
                  c.HasFlag("InvalidAsn") || c.HasFlag("NoCofactor") ||
                  c.HasFlag("CompressedPublic") || c.HasFlag("CompressedPoint"))
          << file << " " << c.Describe() << ": rejected for an unexpected reason: "
          << shared.error().message();
    }
  });
  std::printf("%s: %d acceptable cases rejected by policy\n", file.c_str(), rejected_acceptable);
}

TEST(KeyAgreementWycheproof, X25519) { RunFile("x25519_test.json", AlgorithmId::kX25519); }
TEST(KeyAgreementWycheproof, EcdhP256) { RunFile("ecdh_secp256r1_test.json", AlgorithmId::kEcdhP256); }

TEST(KeyAgreement, BothSidesAgree) {
  for (AlgorithmId alg : {AlgorithmId::kX25519, AlgorithmId::kEcdhP256}) {
    auto a = KeyAgreementKey::Generate(alg);
    auto b = KeyAgreementKey::Generate(alg);
    ASSERT_TRUE(a.has_value() && b.has_value());
    auto ab = a->Agree(b->PublicKey());
    auto ba = b->Agree(a->PublicKey());
    ASSERT_TRUE(ab.has_value() && ba.has_value());
    EXPECT_TRUE(ab->Equals(*ba));
  }
  EXPECT_FALSE(KeyAgreementKey::Generate(AlgorithmId::kEd25519).has_value());
  auto x = KeyAgreementKey::Generate(AlgorithmId::kX25519);
  EXPECT_FALSE(x->Agree(Bytes(31)).has_value());
  EXPECT_FALSE(x->Agree(Bytes(32, 0)).has_value()) << "the zero point gives a zero secret";
}

}  // namespace
}  // namespace vigil::crypto
