#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "vigil/crypto/registry.h"

namespace vigil::crypto {
namespace {

TEST(Cbom, ValidatesAgainstCycloneDx16Schema) {
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
