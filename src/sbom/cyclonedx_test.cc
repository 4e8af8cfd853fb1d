// CycloneDX reader/writer tests: CycloneDX's own 1.6 test resources (valid-* must read,
// invalid-* must be refused with a one-line error naming the JSON path), the two de-identified
// medical-device SBOMs, and a write → read round trip.
#include "vigil/sbom/cyclonedx.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace vigil::sbom {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path Data(const std::string& rel) { return fs::path(VIGIL_DATA_DIR) / rel; }

const std::set<std::string, std::less<>>& SpdxIds() {
  static const auto ids = LoadSpdxLicenseIds(ReadFile(Data("sbom/cyclonedx/spdx.schema.json")));
  return ids.value();
}

TEST(CycloneDxSuite, ValidFilesReadInvalidFilesRefused) {
  CycloneDxReadOptions options{&SpdxIds()};
  int valid = 0, invalid = 0;
  std::vector<fs::path> files;
  for (auto& e : fs::directory_iterator(Data("sbom/cyclonedx/tests"))) {
    std::string n = e.path().filename().string();
    if (n.ends_with("-1.6.json")) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    std::string n = f.filename().string();
    auto sbom = ReadCycloneDxJson(ReadFile(f), n, options);
    if (n.starts_with("valid-")) {
      EXPECT_TRUE(sbom.has_value()) << sbom.error().message();
      ++valid;
    } else if (n.starts_with("invalid-")) {
      if (sbom.has_value()) {
        ADD_FAILURE() << n << " was accepted";
      } else {
        const std::string& m = sbom.error().message();
        EXPECT_EQ(m.rfind(n + ": ", 0), 0u) << m;
        EXPECT_EQ(m.find('\n'), std::string::npos) << m;
        std::printf("  %s\n", m.c_str());
      }
      ++invalid;
    }
  }
  std::printf("cyclonedx/tests: %d cases (valid %d, invalid %d, acceptable 0)\n", valid + invalid,
              valid, invalid);
  EXPECT_GE(valid, 40);
  EXPECT_GE(invalid, 25);
}

TEST(CycloneDxSuite, MedicalDeviceSboms) {
  struct Case {
    const char* file;
    size_t components;
    size_t dependencies;
  };
  for (const Case& c : {Case{"narrow.sbom.json", 55, 56}, Case{"extended.sbom.json", 65, 66}}) {
    auto sbom =
        ReadCycloneDxJson(ReadFile(Data(std::string("sbom/medical-device/") + c.file)), c.file);
    ASSERT_TRUE(sbom.has_value()) << sbom.error().message();
    EXPECT_EQ(sbom->spec_version, "1.4");
    EXPECT_EQ(sbom->components.size(), c.components);
    EXPECT_EQ(sbom->dependencies.size(), c.dependencies);
    ASSERT_TRUE(sbom->primary.has_value());
    EXPECT_EQ(sbom->primary->type, "device");
    size_t with_purl = 0, with_cpe = 0, maintained = 0, unmaintained = 0;
    for (const Component& comp : sbom->components) {
      with_purl += comp.purl.has_value();
      with_cpe += comp.cpe.has_value();
      maintained += comp.support == SupportLevel::kMaintained;
      unmaintained += comp.support == SupportLevel::kUnmaintained;
      EXPECT_FALSE(comp.support_text.empty()) << comp.name;
      EXPECT_FALSE(comp.end_of_support_text.empty()) << comp.name;
    }
    // Every component carries a purl and a CPE; the files say "Actively maintained" for most,
    // "Inactive"/"Deprecated" for 9, "Unknown" for one.
    EXPECT_EQ(with_purl + sbom->diagnostics.size(), 2 * c.components - with_cpe);
    EXPECT_EQ(unmaintained, 9u);
    EXPECT_EQ(maintained, c.components - 10);
    // No date in either file: every component is reported for end of support.
    auto missing = MissingSupportFields(*sbom);
    EXPECT_EQ(missing.size(), c.components + 1);
    std::printf("%s: %zu components, %zu purls, %zu CPEs, %zu diagnostics, %zu FDA gaps\n", c.file,
                sbom->components.size(), with_purl, with_cpe, sbom->diagnostics.size(),
                missing.size());
  }
}

TEST(CycloneDx, ErrorsNamePathAndProblem) {
  auto bad = ReadCycloneDxJson(R"({"bomFormat":"CycloneDX","specVersion":"1.6",
      "components":[{"type":"library","name":"a"},{"type":"library","name":7}]})",
                               "x.json");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message(), "x.json: components[1].name: expected a string, got number");
  bad = ReadCycloneDxJson("{", "y.json");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message().rfind("y.json: $: malformed JSON", 0), 0u);
  bad = ReadCycloneDxJson(R"({"bomFormat":"CycloneDX","specVersion":"1.2"})", "z.json");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("specVersion: expected 1.4, 1.5 or 1.6"), std::string::npos);
  bad = ReadCycloneDxJson(R"({"bomFormat":"CycloneDX","specVersion":"1.5","components":[
      {"type":"library","name":"a","hashes":[{"alg":"SHA-256","content":"abcd"}]}]})",
                          "h.json");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("components[0].hashes[0].content: expected 64 hex"),
            std::string::npos);
}

// Found by fuzz_cyclonedx: a value quoted in an error carried its raw line break, so the "one
// line" error was two. Control characters are escaped, whichever field quotes them.
TEST(CycloneDx, QuotedInputStaysOnOneLine) {
  auto bad = ReadCycloneDxJson(R"({"bomFormat":"Cycl\neDX"})", "c.json");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message(), "c.json: bomFormat: expected 'CycloneDX', got 'Cycl\\x0aeDX'");
  bad = ReadCycloneDxJson(R"({"bomFormat":"CycloneDX","specVersion":"1.6\r\n"})", "d.json");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message().find('\n'), std::string::npos);
  EXPECT_EQ(bad.error().message().find('\r'), std::string::npos);
}

TEST(CycloneDx, BadIdentifiersAreDiagnosticsNotFailures) {
  auto sbom = ReadCycloneDxJson(R"({"bomFormat":"CycloneDX","specVersion":"1.6","components":[
      {"type":"library","name":"a","purl":"npm/a@1","cpe":"cpe:/a:x:y"}]})",
                                "d.json");
  ASSERT_TRUE(sbom.has_value()) << sbom.error().message();
  ASSERT_EQ(sbom->diagnostics.size(), 2u);
  EXPECT_EQ(sbom->diagnostics[0].path, "components[0].purl");
  EXPECT_EQ(sbom->diagnostics[1].path, "components[0].cpe");
  EXPECT_EQ(sbom->components[0].purl_text, "npm/a@1");
}

TEST(CycloneDx, WriteThenReadKeepsTheModel) {
  auto in = ReadCycloneDxJson(ReadFile(Data("sbom/medical-device/extended.sbom.json")), "e.json");
  ASSERT_TRUE(in.has_value());
  std::string out = WriteCycloneDxJson(*in);
  auto back = ReadCycloneDxJson(out, "written.json", CycloneDxReadOptions{&SpdxIds()});
  ASSERT_TRUE(back.has_value()) << back.error().message();
  EXPECT_EQ(back->spec_version, "1.6");
  ASSERT_EQ(back->components.size(), in->components.size());
  for (size_t i = 0; i < in->components.size(); ++i) {
    const Component& a = in->components[i];
    const Component& b = back->components[i];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.version, b.version);
    EXPECT_EQ(a.purl, b.purl);
    EXPECT_EQ(a.cpe, b.cpe);
    EXPECT_EQ(a.licenses, b.licenses);
    EXPECT_EQ(a.support, b.support) << a.name;
  }
  EXPECT_EQ(back->dependencies.size(), in->dependencies.size());
}

TEST(SupportLevel, Vocabulary) {
  EXPECT_EQ(ParseSupportLevel("Actively maintained"), SupportLevel::kMaintained);
  EXPECT_EQ(ParseSupportLevel("Inactive"), SupportLevel::kUnmaintained);
  EXPECT_EQ(ParseSupportLevel("unmaintained"), SupportLevel::kUnmaintained);
  EXPECT_EQ(ParseSupportLevel("Abandoned"), SupportLevel::kAbandoned);
  EXPECT_EQ(ParseSupportLevel("End-of-life"), SupportLevel::kAbandoned);
  EXPECT_EQ(ParseSupportLevel("Unknown"), SupportLevel::kUnknown);
  Component c;
  c.properties = {{"fda:end-of-support", "2031-12-31"}, {"levelOfSupport", "maintained"}};
  ApplySupportProperties(c);
  EXPECT_EQ(c.end_of_support.value_or(""), "2031-12-31");
  EXPECT_EQ(c.support, SupportLevel::kMaintained);
}

}  // namespace
}  // namespace vigil::sbom
