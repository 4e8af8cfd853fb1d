#include "vigil/crypto/registry.h"

#include <gtest/gtest.h>

#include <set>

namespace vigil::crypto {
namespace {

TEST(Registry, LookupByIdAndName) {
  auto ed = FindAlgorithm("ed25519");
  ASSERT_TRUE(ed.has_value());
  EXPECT_EQ(ed->id, AlgorithmId::kEd25519);
  EXPECT_EQ(ed->oid, "1.3.101.112");
  EXPECT_EQ(FindAlgorithm(AlgorithmId::kAes256Gcm)->name, "aes-256-gcm");
  auto unknown = FindAlgorithm("rsa-1024");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.error().message().find("known: sha256"), std::string::npos);
  // Names and ids are unique.
  for (const auto& a : AllAlgorithms()) {
    EXPECT_EQ(FindAlgorithm(a.name)->id, a.id) << a.name;
    EXPECT_EQ(FindAlgorithm(a.id)->name, a.name);
  }
}

TEST(Registry, OidsStrengthsAndProvidersOfPostQuantumAlgorithms) {
  const struct {
    AlgorithmId id;
    const char* oid;
    int classical, quantum;
  } kExpected[] = {
      {AlgorithmId::kMlDsa44, "2.16.840.1.101.3.4.3.17", 128, 128},
      {AlgorithmId::kMlDsa65, "2.16.840.1.101.3.4.3.18", 192, 192},
      {AlgorithmId::kMlDsa87, "2.16.840.1.101.3.4.3.19", 256, 256},
      {AlgorithmId::kMlKem512, "2.16.840.1.101.3.4.4.1", 128, 128},
      {AlgorithmId::kMlKem768, "2.16.840.1.101.3.4.4.2", 192, 192},
      {AlgorithmId::kMlKem1024, "2.16.840.1.101.3.4.4.3", 256, 256},
      {AlgorithmId::kHssLms, "1.2.840.113549.1.9.16.3.17", 256, 128},
      {AlgorithmId::kMlDsa65Ed25519, "1.3.6.1.5.5.7.6.48", 128, 192},
      {AlgorithmId::kMlDsa87EcdsaP384, "1.3.6.1.5.5.7.6.49", 192, 256},
  };
  for (const auto& e : kExpected) {
    auto a = FindAlgorithm(e.id);
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->oid, e.oid) << a->name;
    EXPECT_EQ(a->classical_strength_bits, e.classical) << a->name;
    EXPECT_EQ(a->quantum_strength_bits, e.quantum) << a->name;
    EXPECT_EQ(a->status, AlgorithmStatus::kApproved) << a->name;
    EXPECT_TRUE(a->implemented_by_vigil) << a->name;
    EXPECT_TRUE(Policy::PostQuantumOnly().Check(e.id).has_value()) << a->name;
  }
  // Classical public-key algorithms: OpenSSL provides them and Shor breaks them.
  for (AlgorithmId id : {AlgorithmId::kEd25519, AlgorithmId::kEcdsaP256Sha256,
                         AlgorithmId::kEcdsaP384Sha384, AlgorithmId::kX25519}) {
    auto a = FindAlgorithm(id);
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->quantum_strength_bits, 0) << a->name;
    EXPECT_FALSE(a->implemented_by_vigil) << a->name;
  }
  EXPECT_EQ(FindAlgorithm(AlgorithmId::kHkdfSha256)->oid, "1.2.840.113549.1.9.16.3.28");
  EXPECT_EQ(FindAlgorithm(AlgorithmId::kEcdsaP384Sha384)->oid, "1.2.840.10045.4.3.3");
  // Every OID is unique and dotted-decimal.
  std::set<std::string_view> seen;
  for (const auto& a : AllAlgorithms()) {
    if (a.oid.empty()) continue;
    EXPECT_TRUE(seen.insert(a.oid).second) << "duplicate OID " << a.oid;
    EXPECT_EQ(a.oid.find_first_not_of("0123456789."), std::string_view::npos) << a.oid;
  }
  EXPECT_EQ(AlgorithmStatusName(AlgorithmStatus::kLegacyUse), "legacy-use");
  EXPECT_EQ(AlgorithmKindName(AlgorithmKind::kKem), "kem");
}

TEST(Registry, PolicyRefusesLegacyAndOptionallyClassicalAsymmetric) {
  Policy def = Policy::Default();
  EXPECT_TRUE(def.Check(AlgorithmId::kAes256Gcm).has_value());
  auto chacha = def.Check(AlgorithmId::kChaCha20Poly1305);
  ASSERT_FALSE(chacha.has_value());
  EXPECT_EQ(chacha.error().code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(chacha.error().message().find("legacy-use"), std::string::npos);
  Policy pq = Policy::PostQuantumOnly();
  EXPECT_TRUE(pq.Check(AlgorithmId::kSha256).has_value());
  auto ed = pq.Check(AlgorithmId::kEd25519);
  ASSERT_FALSE(ed.has_value());
  EXPECT_NE(ed.error().message().find("not quantum-resistant"), std::string::npos);
  EXPECT_EQ(def.Check(static_cast<AlgorithmId>(9999)).error().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace vigil::crypto
