#include "vigil/crypto/registry.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

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

TEST(Registry, CbomValidatesAgainstCycloneDx16Schema) {
  const std::string cbom = EmitCbomJson("infusion-pump", "2.1.0");
  nlohmann::json doc = nlohmann::json::parse(cbom);
  ASSERT_EQ(doc["components"].size(), AllAlgorithms().size());
  for (const auto& c : doc["components"]) {
    EXPECT_EQ(c["type"], "cryptographic-asset");
    EXPECT_EQ(c["cryptoProperties"]["assetType"], "algorithm");
  }
  const std::string path = ::testing::TempDir() + "/cbom.json";
  std::ofstream(path) << cbom;
  const std::string cmd = "VIGIL_NODE_MODULES=" VIGIL_SOURCE_DIR "/build/node/node_modules node " VIGIL_SOURCE_DIR
                          "/tests/tools/validate-json-schema.js " VIGIL_DATA_DIR
                          "/sbom/cyclonedx/bom-1.6.schema.json " + path + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[512];
  while (fgets(buf, sizeof buf, p) != nullptr) out += buf;
  int rc = pclose(p);
  EXPECT_EQ(rc, 0) << "CBOM does not validate against bom-1.6.schema.json:\n" << out;
  // The validator itself must be able to fail: a broken document is rejected.
  doc["components"][0]["cryptoProperties"]["assetType"] = "not-an-asset-type";
  std::ofstream(path) << doc.dump();
  EXPECT_NE(system(cmd.c_str()), 0);
}

}  // namespace
}  // namespace vigil::crypto
