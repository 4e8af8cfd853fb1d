// CycloneDX reader/writer tests: CycloneDX's own 1.6 test resources (valid-* must read,
// invalid-* must be refused with a one-line error naming the JSON path), the two de-identified
// medical-device SBOMs, and a write → read round trip.
#include "vigil/sbom/cyclonedx.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

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

// Each member a component reader takes from a component object, refused where it stands: the
// members are found in one pass and written into the model in place, and every error still
// names the member's own path, also inside nested components and pedigrees.
TEST(CycloneDx, ComponentMembersRefusedWhereTheyStand) {
  const std::pair<std::string, std::string> kCases[] = {
      {R"({"name":"a"})", "components[0]: required field 'type' is missing"},
      {R"({"type":"library"})", "components[0]: required field 'name' is missing"},
      {R"({"type":3,"name":"a"})", "components[0].type: expected a string, got number"},
      {R"({"type":"lib","name":"a"})", "components[0].type: unknown component type 'lib'"},
      {R"({"type":"library","name":"a","bom-ref":""})", "components[0].bom-ref: must not be empty"},
      {R"({"type":"library","name":"a","bom-ref":[]})",
       "components[0].bom-ref: expected a string, got array"},
      {R"({"type":"library","name":"a","version":1.5})",
       "components[0].version: expected a string, got number"},
      {R"({"type":"library","name":"a","author":null})",
       "components[0].author: expected a string, got null"},
      {R"({"type":"library","name":"a","purl":{}})",
       "components[0].purl: expected a string, got object"},
      {R"({"type":"library","name":"a","supplier":{"name":false}})",
       "components[0].supplier.name: expected a string, got boolean"},
      {R"({"type":"library","name":"a","scope":"maybe"})",
       "components[0].scope: expected required, optional or excluded, got 'maybe'"},
      {R"({"type":"library","name":"a","components":[{"type":"library","name":"b"},)"
       R"({"type":"library"}]})",
       "components[0].components[1]: required field 'name' is missing"},
      {R"({"type":"library","name":"a","pedigree":{"ancestors":[{"type":"library","name":2}]}})",
       "components[0].pedigree.ancestors[0].name: expected a string, got number"},
  };
  for (const auto& [component, expected] : kCases) {
    auto bad = ReadCycloneDxJson(
        R"({"bomFormat":"CycloneDX","specVersion":"1.6","components":[)" + component + "]}",
        "m.json");
    ASSERT_FALSE(bad.has_value()) << component;
    EXPECT_EQ(bad.error().message(), "m.json: " + expected) << component;
  }
  // The primary component's errors name metadata.component.
  auto bad = ReadCycloneDxJson(R"({"bomFormat":"CycloneDX","specVersion":"1.6",
      "metadata":{"component":{"type":"device","name":"pump","version":2}}})",
                               "p.json");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message(),
            "p.json: metadata.component.version: expected a string, got number");
}

// Nested components join the model after their parent, in document order, each with its own
// members; the primary component's and pedigrees' nested components do not.
TEST(CycloneDx, NestedComponentsFlattenedInDocumentOrder) {
  auto sbom = ReadCycloneDxJson(R"({"bomFormat":"CycloneDX","specVersion":"1.6",
      "metadata":{"component":{"type":"device","name":"pump","components":[
          {"type":"firmware","name":"inside-primary"}]}},
      "components":[
        {"type":"firmware","name":"fw","version":"2.1","bom-ref":"fw","author":"ACME",
         "supplier":{"name":"ACME Corp"},"purl":"pkg:generic/acme/fw@2.1","unknown":{"x":1},
         "properties":[{"name":"Level of Support","value":"Actively maintained"}],
         "pedigree":{"ancestors":[{"type":"library","name":"in-pedigree"}]},
         "components":[
           {"type":"library","name":"zlib","version":"1.3","purl":"pkg:generic/zlib@1.3",
            "components":[{"type":"library","name":"deep","publisher":"P","author":"A"}]},
           {"type":"library","name":"openssl","purl":"not a purl"}]},
        {"type":"library","name":"last"}]})",
                                "n.json");
  ASSERT_TRUE(sbom.has_value()) << sbom.error().message();
  std::vector<std::string> names;
  for (const Component& c : sbom->components) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"fw", "zlib", "deep", "openssl", "last"}));
  const Component& fw = sbom->components[0];
  EXPECT_EQ(fw.type, "firmware");
  EXPECT_EQ(fw.ref, "fw");
  EXPECT_EQ(fw.version, "2.1");
  EXPECT_EQ(fw.publisher, "ACME");  // the author, when no publisher is named
  EXPECT_EQ(fw.supplier, "ACME Corp");
  ASSERT_TRUE(fw.purl);
  EXPECT_EQ(fw.purl->ToString(), "pkg:generic/acme/fw@2.1");
  EXPECT_EQ(fw.support, SupportLevel::kMaintained);
  EXPECT_EQ(sbom->components[1].purl->name(), "zlib");
  EXPECT_EQ(sbom->components[2].publisher, "P");
  EXPECT_FALSE(sbom->components[3].purl);
  ASSERT_EQ(sbom->diagnostics.size(), 1u);
  EXPECT_EQ(sbom->diagnostics[0].path, "components[0].components[1].purl");
  ASSERT_TRUE(sbom->primary.has_value());
  EXPECT_EQ(sbom->primary->name, "pump");
  EXPECT_EQ(sbom->name, "pump");
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
  // A text longer than the reader's buffer on the stack is squashed all the same.
  EXPECT_EQ(ParseSupportLevel(std::string(70, ' ') + "Abandoned"), SupportLevel::kAbandoned);
  Component c;
  c.properties = {{"fda:end-of-support", "2031-12-31"}, {"levelOfSupport", "maintained"}};
  ApplySupportProperties(c);
  EXPECT_EQ(c.end_of_support.value_or(""), "2031-12-31");
  EXPECT_EQ(c.support, SupportLevel::kMaintained);
  Component long_name;
  long_name.properties = {
      {"com.example.medical-device-manufacturer.product-security:Level-Of-Support", "Inactive"}};
  ApplySupportProperties(long_name);
  EXPECT_EQ(long_name.support, SupportLevel::kUnmaintained);
  EXPECT_EQ(long_name.support_text, "Inactive");
}

// The names and levels Vigil writes are recognised whole, without squashing: each must mean what
// its squashed spelling means.
TEST(SupportLevel, WrittenNamesMeanWhatTheirOtherSpellingsMean) {
  for (SupportLevel level : {SupportLevel::kUnknown, SupportLevel::kMaintained,
                             SupportLevel::kUnmaintained, SupportLevel::kAbandoned}) {
    const std::string name(SupportLevelName(level));
    EXPECT_EQ(ParseSupportLevel(name), level) << name;
    EXPECT_EQ(ParseSupportLevel(" " + name), level) << name;  // through the squashed path
  }
  Component written, spelled;
  written.properties = {{"fda:level-of-support", "abandoned"},
                        {"fda:end-of-support", "2030-01-02"}};
  spelled.properties = {{"FDA Level Of Support", "abandoned"},
                        {"FDA End Of Support", "2030-01-02"}};
  ApplySupportProperties(written);
  ApplySupportProperties(spelled);
  for (const Component* c : {&written, &spelled}) {
    EXPECT_EQ(c->support, SupportLevel::kAbandoned);
    EXPECT_EQ(c->support_text, "abandoned");
    EXPECT_EQ(c->end_of_support.value_or(""), "2030-01-02");
    EXPECT_EQ(c->end_of_support_text, "2030-01-02");
  }
}

}  // namespace
}  // namespace vigil::sbom
