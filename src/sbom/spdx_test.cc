// SPDX reader tests: the spdx-examples documents (SPDX 2.2/2.3 JSON, SPDX 3.0 JSON-LD) read
// completely, through the format-detecting ReadSbom, plus error paths.
#include "vigil/sbom/spdx.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "vigil/sbom/cyclonedx.h"
#include "vigil/sbom/sbom_reader.h"

namespace vigil::sbom {
namespace {

std::string ReadFile(const std::string& name) {
  std::ifstream in(std::filesystem::path(VIGIL_DATA_DIR) / "sbom/spdx" / name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Expect {
  const char* file;
  SourceFormat format;
  size_t packages;
  size_t purls;
  size_t hashes;
  const char* primary;
};

TEST(SpdxExamples, ReadCompletely) {
  const Expect cases[] = {
      {"03-SBOMwDependency.json", SourceFormat::kSpdx2, 2, 2, 2, "tools-java"},
      {"04-SBOMwSecurity.json", SourceFormat::kSpdx2, 2, 2, 2, "tools-java"},
      {"ACME-v2.3.spdx.json", SourceFormat::kSpdx2, 4, 2, 1, "Acme Applcation"},
      {"example7-golang.spdx.json", SourceFormat::kSpdx2, 2, 0, 1, "go1.16.4.linux-amd64"},
      {"examplemaven-0.0.1-enriched.spdx.json", SourceFormat::kSpdx2, 6, 0, 1, "examplemaven"},
      {"sbom.spdx.json", SourceFormat::kSpdx2, 4, 4, 3, nullptr},
      {"examplemaven-0.0.1-enriched.spdx3.json", SourceFormat::kSpdx3, 6, 0, 0, "examplemaven"},
      {"sbom.spdx3.json", SourceFormat::kSpdx3, 4, 4, 0, nullptr},
  };
  int n = 0;
  for (const Expect& e : cases) {
    auto sbom = ReadSbom(ReadFile(e.file), e.file);
    ASSERT_TRUE(sbom.has_value()) << sbom.error().message();
    EXPECT_EQ(sbom->format, e.format) << e.file;
    EXPECT_EQ(sbom->components.size(), e.packages) << e.file;
    size_t purls = 0, hashes = 0;
    for (const Component& c : sbom->components) {
      purls += c.purl.has_value();
      hashes += c.hashes.size();
      EXPECT_FALSE(c.name.empty()) << e.file;
      EXPECT_FALSE(c.ref.empty()) << e.file;
    }
    EXPECT_EQ(purls, e.purls) << e.file;
    EXPECT_EQ(hashes, e.hashes) << e.file;
    EXPECT_TRUE(sbom->diagnostics.empty()) << e.file << ": " << sbom->diagnostics[0].message;
    if (e.primary != nullptr) {
      ASSERT_TRUE(sbom->primary.has_value()) << e.file;
      EXPECT_EQ(sbom->primary->name, e.primary) << e.file;
    }
    // Every document converts to CycloneDX 1.6 that our reader takes back unchanged in size.
    auto back = ReadCycloneDxJson(WriteCycloneDxJson(*sbom), "converted");
    ASSERT_TRUE(back.has_value()) << e.file << ": " << back.error().message();
    EXPECT_EQ(back->components.size(), sbom->components.size());
    std::printf("%s: %zu packages, %zu purls, %zu hashes, %zu dependency entries\n", e.file,
                sbom->components.size(), purls, hashes, sbom->dependencies.size());
    ++n;
  }
  std::printf("spdx examples: %d cases (valid %d, invalid 0, acceptable 0)\n", n, n);
}

TEST(SpdxExamples, GraphAndLicences) {
  auto sbom = ReadSbom(ReadFile("sbom.spdx.json"), "sbom.spdx.json");
  ASSERT_TRUE(sbom.has_value());
  size_t edges = 0;
  for (const Dependency& d : sbom->dependencies) edges += d.depends_on.size();
  EXPECT_EQ(edges, 3u);  // three DEPENDS_ON relationships
  EXPECT_EQ(sbom->components[0].licenses.at(0).id, "Apache-2.0");
  auto v3 = ReadSbom(ReadFile("examplemaven-0.0.1-enriched.spdx3.json"), "v3");
  ASSERT_TRUE(v3.has_value());
  EXPECT_EQ(v3->spec_version, "3.0.1");
  EXPECT_EQ(v3->primary->licenses.at(0).id, "Apache-2.0");
  EXPECT_EQ(v3->primary->supplier, "SPDX");  // suppliedBy → Organization "SPDX"
  size_t v3_edges = 0;
  for (const Dependency& d : v3->dependencies) v3_edges += d.depends_on.size();
  EXPECT_EQ(v3_edges, 7u);  // 4 hasDynamicLink + 2 contains + 1 dependsOn
}

// Found by fuzz_spdx: a SHA512 checksum of SHA-256 length was carried into CycloneDX output
// that the schema (and our reader) refuse. Now it is reported and left out of the output.
TEST(Spdx, WrongLengthChecksumIsReportedAndNotWritten) {
  auto sbom = ReadSpdx2Json(R"({"spdxVersion":"SPDX-2.3","packages":[{"SPDXID":"SPDXRef-a",
      "name":"a","checksums":[{"algorithm":"SHA512","checksumValue":"c51a52ed"},
      {"algorithm":"SHA1","checksumValue":"e01bcba3c55fa7f0c82d08d0cdce9061b21bf32f"}]}]})",
                            "h.json");
  ASSERT_TRUE(sbom.has_value()) << sbom.error().message();
  ASSERT_EQ(sbom->diagnostics.size(), 1u);
  EXPECT_EQ(sbom->diagnostics[0].path, "packages[0].checksums[0]");
  auto back = ReadCycloneDxJson(WriteCycloneDxJson(*sbom), "written");
  ASSERT_TRUE(back.has_value()) << back.error().message();
  ASSERT_EQ(back->components.at(0).hashes.size(), 1u);
  EXPECT_EQ(back->components[0].hashes[0].algorithm, "SHA-1");
}

// Also found by fuzz_spdx: a malformed creation time and a licence "id" with characters SPDX ids
// cannot have went into CycloneDX output unchanged.
TEST(Spdx, BadTimestampAndLicenceIdDoNotBreakTheOutput) {
  auto sbom =
      ReadSpdx2Json(R"({"spdxVersion":"SPDX-2.2","creationInfo":{"created":"2020-11-24T01:*12:27Z"},
      "packages":[{"SPDXID":"SPDXRef-a","name":"a","licenseDeclared":"NOASSER^ION"}]})",
                    "t.json");
  ASSERT_TRUE(sbom.has_value()) << sbom.error().message();
  auto back = ReadCycloneDxJson(WriteCycloneDxJson(*sbom), "written");
  ASSERT_TRUE(back.has_value()) << back.error().message();
  EXPECT_TRUE(back->timestamp.empty());
  EXPECT_EQ(back->components.at(0).licenses.at(0).name, "NOASSER^ION");
}

TEST(Spdx, ErrorsNamePathAndProblem) {
  auto bad =
      ReadSpdx2Json(R"({"spdxVersion":"SPDX-2.3","packages":[{"SPDXID":"SPDXRef-a"}]})", "s.json");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message(), "s.json: packages[0]: required field 'name' is missing");
  bad = ReadSpdx2Json(R"({"spdxVersion":"SPDX-3.0"})", "v.json");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message(), "v.json: spdxVersion: expected SPDX-2.x, got 'SPDX-3.0'");
  bad = ReadSpdx3JsonLd(R"({"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
      "@graph":[{"type":"software_Package","spdxId":"x","name":3}]})",
                        "g.json");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message(), "g.json: @graph[0].name: expected a string, got number");
  bad = ReadSbom(R"({"x":1})", "o.json");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("not a CycloneDX or SPDX"), std::string::npos);
  // Truncated or garbage: said to be malformed JSON, at the byte, not the wrong document.
  bad = ReadSbom(R"({"components":[{"name":"zlib")", "t.json");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message().rfind("t.json: malformed JSON at byte ", 0), 0U)
      << bad.error().message();
  bad = ReadSbom("\x01garbage", "g.json");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message().rfind("g.json: malformed JSON at byte 0", 0), 0U)
      << bad.error().message();
}

}  // namespace
}  // namespace vigil::sbom
